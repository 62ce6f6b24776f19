import type { Redis } from 'ioredis';
import type { BrandTerms } from '../core/classification.js';
import { correctedIntent, trainModel, type Correction, type LearnedModel, type ModelPolicy } from '../core/learned-model.js';

/** One label: what a person (or an outcome the team confirmed) says a mention really is. */
export interface StoredLabel {
  /** The mention key. */
  key: string;
  text: string;
  correction: Correction;
  /** Who said so (a Discord user's name). */
  by: string;
  /** How: chosen in the card's "Wrong?" menu, or an outcome the team confirmed (resolved, dismissed as spam). */
  via: 'wrong-menu' | 'resolved' | 'dismissed';
  /** When, ISO-8601. */
  at: string;
}

export interface ModelStoreOptions {
  /** Key prefix shared with the queues of the same deployment. */
  prefix: string;
}

export type ModelStore = ReturnType<typeof createModelStore>;

// An outcome label goes in unless a person's correction of that mention is there.
const OUTCOME_SCRIPT = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and string.find(current, '"via":"wrong-menu"', 1, true) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

/** A mention's mood-or-spam label and its intent label are kept side by side: one never replaces the other. */
const labelField = (label: Pick<StoredLabel, 'key' | 'correction'>): string => (correctedIntent(label.correction) === undefined ? label.key : `${label.key}#intent`);

/**
 * The deployment's learning: its labels (per mention one mood-or-spam label and one intent
 * label, the latest correction of each winning, in a hash by mention key) and the model
 * trained from them (JSON under one key). Nothing learned lives anywhere else.
 */
export function createModelStore(redis: Redis, options: ModelStoreOptions) {
  const labelsKey = `${options.prefix}:learning:labels`;
  const modelKey = `${options.prefix}:learning:model`;

  return {
    /**
     * Records a label for a mention, replacing any earlier one for the same mention, except
     * that an outcome (resolved, dismissed) never replaces a person's correction.
     */
    async addLabel(label: StoredLabel): Promise<void> {
      if (label.via === 'wrong-menu') await redis.hset(labelsKey, labelField(label), JSON.stringify(label));
      else await redis.eval(OUTCOME_SCRIPT, 1, labelsKey, labelField(label), JSON.stringify(label));
    },
    /** Every label, oldest first. */
    async labels(): Promise<StoredLabel[]> {
      const all = Object.values(await redis.hgetall(labelsKey)).map((v) => JSON.parse(v) as StoredLabel);
      return all.sort((a, b) => a.at.localeCompare(b.at));
    },
    /** How many labels there are. */
    async labelCount(): Promise<number> {
      return redis.hlen(labelsKey);
    },
    /** Stores a trained model in place of the previous one. */
    async saveModel(model: LearnedModel): Promise<void> {
      await redis.set(modelKey, JSON.stringify(model));
    },
    /** The stored model, or null before the first training. */
    async loadModel(): Promise<LearnedModel | null> {
      const raw = await redis.get(modelKey);
      return raw === null ? null : (JSON.parse(raw) as LearnedModel);
    },
    /**
     * Claims the next automatic training for `ttlMs`, so that of several triage processes
     * only one trains. @returns whether this caller has the claim
     */
    async claimTraining(ttlMs: number): Promise<boolean> {
      return (await redis.set(`${modelKey}:training`, '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
  };
}

/** How triage retrains the model on its own as labels arrive. */
export interface AutoTraining {
  /** Where the labels are and the model goes (the store the model is read from). */
  store: Pick<ModelStore, 'labelCount' | 'labels' | 'saveModel' | 'claimTraining'>;
  /** Train again once this many labels arrived since the stored model was trained (0: only by `model train`). */
  every: () => number;
  /** Brand terms the features mask, as `model train` uses them. */
  brand: () => BrandTerms;
  /** Told after each automatic training with the labels it used, or of a failure. */
  onTrained?: (labels: number) => void;
  onError?: (error: Error) => void;
}

/**
 * Trains and stores a new model when `every` labels or more arrived since the stored one
 * (or none is stored and there are enough labels to switch it on), claiming the training
 * first so that concurrent callers do not all train. @returns the model now stored
 */
export async function retrainIfDue(current: LearnedModel | null, policy: Pick<ModelPolicy, 'minLabels'>, training: AutoTraining, now = new Date()): Promise<LearnedModel | null> {
  const { store } = training;
  const every = training.every();
  if (every <= 0) return current;
  const count = await store.labelCount();
  const due = current === null ? count >= policy.minLabels : count - current.labels >= every;
  if (!due || !(await store.claimTraining(60_000))) return current;
  const model = trainModel(await store.labels(), training.brand(), now);
  await store.saveModel(model);
  training.onTrained?.(model.labels);
  return model;
}

/**
 * The stored model with the policy it applies under, as triage reads it: fetched at most
 * once every `refreshMs` (a model trained meanwhile applies within that), none before the
 * first training. With `training`, each refresh also retrains when enough new labels arrived.
 */
export function cachedModel(store: Pick<ModelStore, 'loadModel'>, policy: () => ModelPolicy, refreshMs = 60_000, now: () => number = Date.now, training?: AutoTraining) {
  let fetchedAt = -Infinity;
  let model: LearnedModel | null = null;
  return async (): Promise<{ model: LearnedModel; policy: ModelPolicy } | undefined> => {
    if (now() - fetchedAt >= refreshMs) {
      fetchedAt = now();
      model = await store.loadModel();
      if (training) {
        const loaded = model;
        model = await retrainIfDue(loaded, policy(), training, new Date(now())).catch((error: Error) => {
          training.onError?.(error);
          return loaded;
        });
      }
    }
    return model ? { model, policy: policy() } : undefined;
  };
}

/**
 * The model as the triage role reads it: cached, and retrained on its own every
 * `learning.retrainEvery` labels, with each training logged.
 */
export function learnedModelFor(store: ModelStore, config: () => { learning: ModelPolicy & { retrainEvery: number }; brand: BrandTerms }, log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void }) {
  return cachedModel(store, () => config().learning, 60_000, Date.now, {
    store,
    every: () => config().learning.retrainEvery,
    brand: () => config().brand,
    onTrained: (labels) => log.info({ labels }, 'word model retrained from the team\'s labels'),
    onError: (error) => log.warn({ err: error }, 'word model retraining failed; the last model stays'),
  });
}

import type { Redis } from 'ioredis';
import type { Correction, LearnedModel, ModelPolicy } from '../core/learned-model.js';

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

/**
 * The deployment's learning: its labels (one per mention, the latest correction wins, in a
 * hash by mention key) and the model trained from them (JSON under one key). Nothing
 * learned lives anywhere else.
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
      if (label.via === 'wrong-menu') await redis.hset(labelsKey, label.key, JSON.stringify(label));
      else await redis.eval(OUTCOME_SCRIPT, 1, labelsKey, label.key, JSON.stringify(label));
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
  };
}

/**
 * The stored model with the policy it applies under, as triage reads it: fetched at most
 * once every `refreshMs` (a model trained meanwhile applies within that), none before the
 * first training.
 */
export function cachedModel(store: Pick<ModelStore, 'loadModel'>, policy: () => ModelPolicy, refreshMs = 60_000, now: () => number = Date.now) {
  let fetchedAt = -Infinity;
  let model: LearnedModel | null = null;
  return async (): Promise<{ model: LearnedModel; policy: ModelPolicy } | undefined> => {
    if (now() - fetchedAt >= refreshMs) {
      model = await store.loadModel();
      fetchedAt = now();
    }
    return model ? { model, policy: policy() } : undefined;
  };
}

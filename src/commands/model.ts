import { CORRECTIONS, correctedIntent, trainModel } from '../core/learned-model.js';
import type { BrandTerms } from '../core/classification.js';
import type { LearningConfig } from '../config/schema.js';
import { connectRedis } from '../infra/redis-connect.js';
import { createModelStore, type ModelStore } from '../store/model-store.js';
import { writeLine } from './io.js';

export interface ModelCommandOptions {
  redisUrl: string;
  prefix: string;
  output: NodeJS.WritableStream;
}

async function withStore<T>(options: ModelCommandOptions, run: (store: ModelStore) => Promise<T>): Promise<T> {
  const redis = await connectRedis(options.redisUrl, { maxRetriesPerRequest: 1 }, options.prefix);
  try {
    return await run(createModelStore(redis, { prefix: options.prefix }));
  } finally {
    await redis.quit();
  }
}

/** `model status`: labels by correction, the stored model, and whether it is on. */
export async function modelStatus(options: ModelCommandOptions & { learning: LearningConfig }): Promise<void> {
  await withStore(options, async (store) => {
    const [labels, model] = await Promise.all([store.labels(), store.loadModel()]);
    const count = (c: string): number => labels.filter((l) => l.correction === c).length;
    const counts = CORRECTIONS.filter((c) => correctedIntent(c) === undefined).map((c) => `${c} ${count(c)}`);
    const intents = CORRECTIONS.filter((c) => correctedIntent(c) !== undefined && count(c) > 0).map((c) => `${correctedIntent(c)} ${count(c)}`);
    await writeLine(options.output, `${labels.length} labels (${counts.join(', ')}${intents.length > 0 ? `; intent: ${intents.join(', ')}` : ''})`);
    const on = model !== null && model.labels >= options.learning.minLabels;
    const state = model === null ? 'no model trained yet' : `model trained ${model.trainedAt} on ${model.labels} labels`;
    await writeLine(options.output, `${state}; ${on ? 'on' : `off (on from ${options.learning.minLabels} labels)`}`);
  });
}

/** `model train`: fits the model from every stored label and stores it. @returns the labels it was trained on */
export async function modelTrain(options: ModelCommandOptions & { brand: BrandTerms }): Promise<number> {
  return withStore(options, async (store) => {
    const labels = await store.labels();
    const model = trainModel(labels, options.brand);
    await store.saveModel(model);
    await writeLine(options.output, `trained on ${model.labels} labels (${Object.keys(model.mood.features).length} mood phrases, ${Object.keys(model.spam.features).length} spam phrases, ${Object.keys(model.intent?.features ?? {}).length} intent phrases)`);
    return model.labels;
  });
}

/** `model export`: every label as a JSON line, oldest first. */
export async function modelExport(options: ModelCommandOptions): Promise<void> {
  await withStore(options, async (store) => {
    for (const label of await store.labels()) await writeLine(options.output, JSON.stringify(label));
  });
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Correction } from '../../src/core/learned-model.js';
import { cachedModel, createModelStore, retrainIfDue, type ModelStore } from '../../src/store/model-store.js';
import { DEFAULT_MODEL_POLICY, trainModel } from '../../src/core/learned-model.js';
import { runCli } from '../support/cli.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

// Team-written corrections for a made-up deployment.
const TEXTS: Array<[string, Correction]> = [
  ['the parcel tracker froze again', 'negative'],
  ['label printing froze again today', 'negative'],
  ['the new label layout is lovely', 'positive'],
  ['where do I change my pickup address', 'neutral'],
  ['win free followers, click the link', 'spam'],
  ['Parcel Street in Leeds is closed for works', 'not-for-us'],
];

describe('model store and `mention-triage model` (real Redis)', () => {
  let t: TestRedis;
  let store: ModelStore;
  beforeEach(async () => {
    t = await openTestRedis();
    store = createModelStore(t.redis, { prefix: t.prefix });
    for (const [i, [text, correction]] of TEXTS.entries()) {
      await store.addLabel({ key: `x-${i}`, text, correction, by: 'maya', via: 'wrong-menu', at: new Date(Date.UTC(2026, 10, 20, 10, i)).toISOString() });
    }
  });
  afterEach(() => t.cleanup());

  it('keeps one label per mention, the latest correction winning, with who and when; an outcome never replaces a correction', async () => {
    await store.addLabel({ key: 'x-0', text: TEXTS[0]![0], correction: 'neutral', by: 'sam', via: 'wrong-menu', at: '2026-11-20T11:00:00.000Z' });
    await store.addLabel({ key: 'x-0', text: TEXTS[0]![0], correction: 'negative', by: 'lee', via: 'resolved', at: '2026-11-20T12:00:00.000Z' });
    await store.addLabel({ key: 'x-99', text: 'the app works fine now', correction: 'positive', by: 'lee', via: 'resolved', at: '2026-11-20T12:00:00.000Z' });
    const labels = await store.labels();
    expect(labels).toHaveLength(TEXTS.length + 1);
    expect(labels.find((l) => l.key === 'x-0')).toEqual({ key: 'x-0', text: TEXTS[0]![0], correction: 'neutral', by: 'sam', via: 'wrong-menu', at: '2026-11-20T11:00:00.000Z' });
    expect(labels.at(-1)?.key).toBe('x-99');
  });

  it('stores a trained model and serves it to triage through a cache refreshed on its period', async () => {
    let clock = 0;
    const load = cachedModel(store, () => DEFAULT_MODEL_POLICY, 60_000, () => clock);
    expect(await load()).toBeUndefined();
    await store.saveModel(trainModel(await store.labels()));
    expect(await load()).toBeUndefined();
    clock = 60_000;
    expect((await load())?.model.labels).toBe(TEXTS.length);
  });

  it('keeps a mention\'s intent label beside its mood label, each replaced only by its own kind', async () => {
    await store.addLabel({ key: 'x-0', text: TEXTS[0]![0], correction: 'intent:bug', by: 'sam', via: 'wrong-menu', at: '2026-11-20T11:00:00.000Z' });
    await store.addLabel({ key: 'x-0', text: TEXTS[0]![0], correction: 'intent:question', by: 'lee', via: 'wrong-menu', at: '2026-11-20T11:05:00.000Z' });
    const ofX0 = (await store.labels()).filter((l) => l.key === 'x-0').map((l) => [l.correction, l.by]);
    expect(ofX0).toEqual([['negative', 'maya'], ['intent:question', 'lee']]);
    const status = await runCli(['model', 'status'], { env: { REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix } });
    expect(status.stdout).toContain('7 labels (negative 2, neutral 1, positive 1, spam 1, not-for-us 1; intent: question 1)');
  }, 30_000);

  it('retrains on its own once enough new labels arrived, and only one of two concurrent callers trains', async () => {
    const trained: number[] = [];
    const training = { store, every: () => 3, brand: () => ({ names: ['Parcelly'], handles: ['@parcelly'] }), onTrained: (n: number) => trained.push(n) };
    const policy = { ...DEFAULT_MODEL_POLICY, minLabels: 5 };
    const first = await retrainIfDue(null, policy, training);
    expect(first?.labels).toBe(TEXTS.length); // none stored and 6 >= minLabels
    expect((await store.loadModel())?.labels).toBe(TEXTS.length);
    await t.redis.del(`${t.prefix}:learning:model:training`);
    for (let i = 0; i < 2; i++) await store.addLabel({ key: `y-${i}`, text: `the scanner froze again ${i}`, correction: 'negative', by: 'maya', via: 'wrong-menu', at: '2026-11-21T10:00:00.000Z' });
    expect(await retrainIfDue(first, policy, training)).toBe(first); // 2 new < every
    await store.addLabel({ key: 'y-2', text: 'the scanner froze again 2', correction: 'negative', by: 'maya', via: 'wrong-menu', at: '2026-11-21T10:00:00.000Z' });
    const [a, b] = await Promise.all([retrainIfDue(first, policy, training), retrainIfDue(first, policy, training)]);
    expect([a?.labels, b?.labels].sort()).toEqual([TEXTS.length, TEXTS.length + 3]);
    expect(trained).toEqual([TEXTS.length, TEXTS.length + 3]);
    expect(await retrainIfDue(first, policy, { ...training, every: () => 0 })).toBe(first); // 0: only by command
  });

  it('status counts labels by correction and says the model is off; train stores it; export writes JSON lines', async () => {
    const env = { REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix };
    const before = await runCli(['model', 'status'], { env });
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('6 labels (negative 2, neutral 1, positive 1, spam 1, not-for-us 1)');
    expect(before.stdout).toContain('no model trained yet; off (on from 200 labels)');

    const train = await runCli(['model', 'train'], { env });
    expect(train.code).toBe(0);
    expect(train.stdout).toMatch(/^trained on 6 labels/);
    expect((await store.loadModel())?.labels).toBe(6);

    const after = await runCli(['model', 'status'], { env });
    expect(after.stdout).toMatch(/model trained \S+ on 6 labels; off \(on from 200 labels\)/);

    const exported = await runCli(['model', 'export'], { env });
    const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.correction)).toEqual(TEXTS.map(([, c]) => c));
    expect(lines[0]).toMatchObject({ key: 'x-0', by: 'maya' });
  }, 60_000);
});

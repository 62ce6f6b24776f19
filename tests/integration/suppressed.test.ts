import type { Job } from 'bullmq';
import pino from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { mentionKey } from '../../src/core/mention-key.js';
import { createQueues, type IngestJob, type Queues } from '../../src/pipeline/queues.js';
import { createTriageProcessor } from '../../src/pipeline/triage-worker.js';
import { createMentionStore } from '../../src/store/mention-store.js';
import { createSuppressedStore } from '../../src/store/suppressed-store.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { runCli } from '../support/cli.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const silent = pino({ level: 'silent' });
const NOW = new Date('2026-11-20T10:05:00.000Z');

describe('suppressed mentions (real Redis)', () => {
  let t: TestRedis;
  let config: Config;
  let queues: Queues;
  beforeAll(async () => {
    const shipped = await loadConfig('config');
    const drop = { name: 'giveaway-bots', when: { words: { any: ['giveaway'] } }, suppress: 'giveaway bots', alsoTo: [], tags: [], continue: false };
    config = { ...shipped, routing: { ...shipped.routing, rules: [drop, ...shipped.routing.rules] } };
  });
  beforeEach(async () => {
    t = await openTestRedis();
    queues = createQueues(t.redis, t.prefix);
  });
  afterEach(async () => {
    await queues.close();
    await t.cleanup();
  });

  const giveaway = aMention({ id: '1860000000000400001', text: 'FREE giveaway!!! follow and retweet', author: { handle: 'bot1', name: 'Bot', followers: 2 } });
  const customer = aMention({ id: '1860000000000400002', text: '@parcelly my label printed blank again' });
  const job = { id: 'b1', data: { sourceName: 'test', receivedAt: NOW.toISOString(), mentions: [giveaway, customer] } } as unknown as Job<IngestJob>;

  it('saves a suppressed mention as usual, posts no card for it, lists it once with rule and reason, and counts it', async () => {
    const store = createMentionStore(t.redis, { prefix: t.prefix });
    const suppressed = createSuppressedStore(t.redis, { prefix: t.prefix });
    const run = createTriageProcessor({ policy: () => config, store, queues, suppressed, log: silent, now: () => NOW });
    await run(job);
    await run(job); // a retry or a re-ingest neither moves nor counts it again

    expect((await store.get(mentionKey(giveaway)))?.triage.route.suppressed).toEqual({ reason: 'giveaway bots', rule: 'giveaway-bots' });
    expect(await store.get(mentionKey(customer))).toBeDefined();
    const cards = (await Promise.all(queues.notifyQueues().map((q) => q.getJobs(['waiting', 'prioritized'])))).flat().map((j) => j.data.key);
    expect(cards).toContain(mentionKey(customer));
    expect(cards).not.toContain(mentionKey(giveaway));

    expect(await suppressed.list(new Date(0), 10)).toEqual([
      { key: mentionKey(giveaway), at: NOW.toISOString(), rule: 'giveaway-bots', reason: 'giveaway bots', source: 'x', handle: 'bot1', text: giveaway.text, url: giveaway.url },
    ]);
    expect(await suppressed.countsByRule()).toEqual({ 'giveaway-bots': 1 });

    const cli = await runCli(['suppressed', '--since', '2026-11-01', '--json'], { env: { REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix } });
    expect(cli.code).toBe(0);
    expect(cli.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ key: mentionKey(giveaway), reason: 'giveaway bots' })]);
    expect(cli.stderr).toContain('1 suppressed since 2026-11-01T00:00:00.000Z; all time by rule: giveaway-bots 1');
  });

  it('keeps only the newest entries beyond its cap, and the counts whole', async () => {
    const suppressed = createSuppressedStore(t.redis, { prefix: t.prefix, cap: 3 });
    for (let i = 0; i < 5; i += 1) {
      const mention = aMention({ id: String(1860000000000500000n + BigInt(i)) });
      const triage = aTriage(mention, { route: { channel: 'support', rule: 'noise', priority: 4, alsoTo: [], claimWithinMinutes: 30, suppressed: { reason: 'noise', rule: 'noise' } } });
      await suppressed.record([{ key: mentionKey(mention), triage }], new Date(NOW.getTime() + i * 1000));
    }
    const listed = await suppressed.list(new Date(0), 10);
    expect(listed.map((e) => e.key)).toEqual(['x-1860000000000500004', 'x-1860000000000500003', 'x-1860000000000500002']);
    expect(await t.redis.hlen(`${t.prefix}:suppressed:entries`)).toBe(3);
    expect(await suppressed.countsByRule()).toEqual({ noise: 5 });
    expect(await suppressed.list(new Date(NOW.getTime() + 3000), 10)).toHaveLength(2);
  });

  it('exports the mentions Redis holds since a time as mention JSON lines', async () => {
    const store = createMentionStore(t.redis, { prefix: t.prefix });
    const recent = aMention({ id: '1860000000000600001', createdAt: '2026-11-19T10:00:00.000Z' });
    const old = aMention({ id: '1860000000000600002', createdAt: '2026-09-01T10:00:00.000Z' });
    await store.saveTriagedMany([recent, old].map((m) => ({ key: mentionKey(m), triage: aTriage(m) })), NOW);
    await store.appendHistory(mentionKey(recent), { action: 'note', at: NOW.toISOString() });
    const cli = await runCli(['export', '--since', '2026-11-01'], { env: { REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix } });
    expect(cli.code).toBe(0);
    expect(cli.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([recent]);
    expect(cli.stderr).toContain('1 mentions written');
  });

  it('exits 2 with one line when --since is not a time', async () => {
    const cli = await runCli(['export', '--since', 'last tuesday'], { env: { REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix } });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/--since/);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMentionStore } from '../../src/store/mention-store.js';
import { createStatsIndex, withStatsIndex } from '../../src/store/stats-index.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const DAY = 86_400_000;

describe('the stats index of mentions by post time', () => {
  let t: TestRedis;
  beforeAll(async () => {
    t = await openTestRedis();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('finds a period by post time, a post dated ahead as now, and forgets what is older than the retention', async () => {
    const now = new Date('2026-12-03T12:00:00.000Z');
    const index = createStatsIndex(t.redis, { prefix: `${t.prefix}:a`, retentionDays: 10, now: () => now });
    await index.record([
      { key: 'x-1', postedAt: new Date(now.getTime() - DAY).toISOString() },
      { key: 'x-2', postedAt: new Date(now.getTime() - 5 * DAY).toISOString() },
      { key: 'x-3', postedAt: new Date(now.getTime() + DAY).toISOString() },
      { key: 'x-4', postedAt: 'not a time' },
      { key: 'x-5', postedAt: new Date(now.getTime() - 11 * DAY).toISOString() },
    ]);
    expect(await index.keysBetween(new Date(now.getTime() - 2 * DAY), now)).toEqual(['x-1', 'x-3', 'x-4']);
    expect(await index.keysBetween(new Date(now.getTime() - 30 * DAY), now)).toEqual(['x-2', 'x-1', 'x-3', 'x-4']);
    expect(await index.size()).toBe(4);
    // Recording again changes nothing.
    await index.record([{ key: 'x-1', postedAt: new Date(now.getTime() - DAY).toISOString() }]);
    expect(await index.size()).toBe(4);
    // Six days on, what was posted more than ten days before is gone (x-2); same times keep key order.
    const later = createStatsIndex(t.redis, { prefix: `${t.prefix}:a`, retentionDays: 10, now: () => new Date(now.getTime() + 6 * DAY) });
    await later.record([{ key: 'x-6', postedAt: now.toISOString() }]);
    expect(await later.keysBetween(new Date(0), new Date(now.getTime() + 7 * DAY))).toEqual(['x-1', 'x-3', 'x-4', 'x-6']);
  });

  it("reads each mention's appended history in one round trip, leaving out a line it cannot read", async () => {
    const prefix = `${t.prefix}:c`;
    const store = createMentionStore(t.redis, { prefix });
    const index = createStatsIndex(t.redis, { prefix });
    await store.saveTriaged('x-20', aTriage(aMention({ id: '20' })), new Date('2026-12-01T10:00:00Z'));
    await store.transition('x-20', 'claim', { id: '1', name: '@ana' }, new Date('2026-12-01T10:05:00Z'));
    await t.redis.rpush(`${prefix}:mention:x-20:history`, '{not json');
    const [claimed, none] = await index.histories(['x-20', 'x-21']);
    expect(claimed).toEqual([expect.objectContaining({ action: 'claim', to: 'claimed', userName: '@ana', at: '2026-12-01T10:05:00.000Z' })]);
    expect(none).toEqual([]);
  });

  it('learns of every mention of a triaged batch, recorded now or by an earlier attempt', async () => {
    const prefix = `${t.prefix}:b`;
    const store = createMentionStore(t.redis, { prefix });
    const index = createStatsIndex(t.redis, { prefix });
    const first = { key: 'x-10', triage: aTriage(aMention({ id: '10', createdAt: new Date().toISOString() })) };
    const second = { key: 'x-11', triage: aTriage(aMention({ id: '11', createdAt: new Date().toISOString() })) };
    // An earlier attempt recorded the first mention and failed before the index heard of it.
    await store.saveTriagedMany([first], new Date());
    const saved = await withStatsIndex(store, index).saveTriagedMany([first, second], new Date());
    expect(saved.map((s) => s.created)).toEqual([false, true]);
    expect((await index.keysBetween(new Date(Date.now() - DAY), new Date())).sort()).toEqual(['x-10', 'x-11']);
  });
});

describe('the stats index in Redis', () => {
  let t: TestRedis;
  beforeAll(async () => {
    t = await openTestRedis();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('keeps under 70 bytes a mention (about 30 of text, as a string grows Redis allocates up to twice that), in one string per hour that expires with the retention', async () => {
    const prefix = `${t.prefix}:m`;
    const index = createStatsIndex(t.redis, { prefix, retentionDays: 30 });
    const start = Date.now() - 2 * 3_600_000;
    const items = Array.from({ length: 2_000 }, (_, i) => ({ key: `x-19600000000000${String(i).padStart(5, '0')}`, postedAt: new Date(start + i * 3_000).toISOString() }));
    for (let i = 0; i < items.length; i += 100) await index.record(items.slice(i, i + 100));
    const keys = await t.redis.keys(`${prefix}:stats:*`);
    let bytes = 0;
    for (const key of keys) {
      bytes += Number(await t.redis.memory('USAGE', key));
      const ttl = await t.redis.ttl(key);
      expect(ttl).toBeGreaterThan(29 * 86_400);
      expect(ttl).toBeLessThanOrEqual(30 * 86_400 + 3_600);
    }
    expect(bytes / items.length).toBeLessThan(70);
    expect(await index.keysBetween(new Date(start), new Date())).toEqual(items.map((i) => i.key));
    expect(await index.size()).toBe(2_000);
  });

  it('still reads, and prunes, the sorted set an earlier version kept', async () => {
    const prefix = `${t.prefix}:l`;
    const now = Date.now();
    await t.redis.zadd(`${prefix}:stats:posted`, now - 2 * DAY, 'x-old', now - 40 * DAY, 'x-gone');
    const index = createStatsIndex(t.redis, { prefix, retentionDays: 30 });
    await index.record([{ key: 'x-new', postedAt: new Date(now - DAY).toISOString() }, { key: 'x-old', postedAt: new Date(now - 2 * DAY).toISOString() }]);
    expect(await index.keysBetween(new Date(now - 90 * DAY), new Date())).toEqual(['x-old', 'x-new']);
    expect(await t.redis.zrange(`${prefix}:stats:posted`, 0, -1)).toEqual(['x-old']);
  });
});

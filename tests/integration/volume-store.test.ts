import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectSpike } from '../../src/core/spike.js';
import { createVolumeStore, type VolumeStore } from '../../src/store/volume-store.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const DAY = 24 * 3600 * 1000;
/** 10:05 UTC: the span is 09:10–10:05, six buckets of ten minutes, the last five minutes in. */
const now = new Date('2026-11-20T10:05:00Z');
const minutesBefore = (minutes: number, from = now) => new Date(from.getTime() - minutes * 60_000);
const daysBefore = (days: number, when: Date) => new Date(when.getTime() - days * DAY);

describe('the volume store on a real Redis', () => {
  let t: TestRedis;
  let clock: Date;
  let store: VolumeStore;

  beforeEach(async () => {
    t = await openTestRedis();
    clock = now;
    store = createVolumeStore(t.redis, { prefix: t.prefix, now: () => clock });
  });
  afterEach(() => t.cleanup());

  /** Records as if at the time of posting, the clock then set back to `now`. */
  async function recordAt(when: Date, mood: 'angry' | 'unhappy' | 'neutral' | 'happy', times = 1): Promise<void> {
    clock = when;
    for (let i = 0; i < times; i++) await store.record(when, mood);
    clock = now;
  }

  it('counts the last hour by mood, to the bucket', async () => {
    await recordAt(minutesBefore(1), 'angry', 3);
    await recordAt(minutesBefore(30), 'neutral', 2);
    await recordAt(minutesBefore(54), 'happy');
    // 09:05 is in the 09:00 bucket, before the span.
    await recordAt(minutesBefore(60), 'happy', 4);
    const window = await store.window();
    expect(window.from).toBe('2026-11-20T09:10:00.000Z');
    expect(window.to).toBe('2026-11-20T10:05:00.000Z');
    expect(window.current).toEqual({ angry: 3, unhappy: 0, neutral: 2, happy: 1 });
  });

  it('compares with the same span on past days, counting their last bucket for the minutes gone by in it', async () => {
    // Counting began before the span two days ago.
    await recordAt(daysBefore(2, minutesBefore(180)), 'happy');
    for (const day of [1, 2]) {
      await recordAt(daysBefore(day, minutesBefore(30)), 'neutral', 10);
      // 10:00–10:10 on a past day: only half of it is in a span ending at 10:05.
      await recordAt(daysBefore(day, minutesBefore(-3)), 'angry', 4);
    }
    const window = await store.window();
    expect(window.usual).toEqual([
      { angry: 2, unhappy: 0, neutral: 10, happy: 0 },
      { angry: 2, unhappy: 0, neutral: 10, happy: 0 },
    ]);
  });

  it('leaves out past days from before it began counting', async () => {
    // The first mention it ever counted came in two days ago at 09:30, inside that day's span.
    await recordAt(daysBefore(2, minutesBefore(35)), 'neutral');
    await recordAt(daysBefore(1, minutesBefore(35)), 'neutral', 3);
    const window = await store.window();
    expect(window.usual).toEqual([{ angry: 0, unhappy: 0, neutral: 3, happy: 0 }]);
  });

  it('keeps the posts with most reach per bucket as examples and the latest texts for the words', async () => {
    const small = createVolumeStore(t.redis, { prefix: t.prefix, samplesPerBucket: 2, textsPerBucket: 3, now: () => now });
    for (let i = 0; i < 5; i++) await small.record(minutesBefore(2), 'angry', { key: `x-${i}`, text: `post number ${i}`, reach: [50, 900, 10, 300, 20][i]! });
    await small.record(minutesBefore(40), 'neutral', { key: 'x-9', text: 'an older post', reach: 100 });
    const window = await small.window();
    expect(window.samples).toEqual([
      { key: 'x-1', text: 'post number 1', reach: 900 },
      { key: 'x-3', text: 'post number 3', reach: 300 },
      { key: 'x-9', text: 'an older post', reach: 100 },
    ]);
    expect(window.texts).toEqual(['post number 4', 'post number 3', 'post number 2', 'an older post']);
    expect(window.current.angry).toBe(5);
  });

  it('counts a batch in one call per bucket, keeping only its best samples and latest texts', async () => {
    const small = createVolumeStore(t.redis, { prefix: t.prefix, samplesPerBucket: 2, textsPerBucket: 2, now: () => now });
    const counted = await small.recordMany([
      { at: minutesBefore(2), mood: 'angry', sample: { key: 'x-1', text: 'first', reach: 10 } },
      { at: minutesBefore(3), mood: 'angry', sample: { key: 'x-2', text: 'second', reach: 700 } },
      { at: minutesBefore(4), mood: 'happy', sample: { key: 'x-3', text: 'third', reach: 50 } },
      { at: minutesBefore(40), mood: 'neutral' },
      { at: daysBefore(3, now), mood: 'angry' },
    ]);
    expect(counted).toBe(4);
    const window = await small.window();
    expect(window.current).toEqual({ angry: 2, unhappy: 0, neutral: 1, happy: 1 });
    expect(window.samples.map((s) => s.key)).toEqual(['x-2', 'x-3']);
    expect(window.texts).toEqual(['third', 'second']);
  });

  it('does not count a mention posted more than a day before it came in, and counts one from the future as now', async () => {
    expect(await store.record(daysBefore(2, now), 'angry')).toBe(false);
    expect(await store.record(new Date(now.getTime() + 3 * 3600_000), 'happy')).toBe(true);
    const window = await store.window();
    expect(window.current).toEqual({ angry: 0, unhappy: 0, neutral: 0, happy: 1 });
    expect(window.usual).toEqual([]);
  });

  it('keeps counts for the retention and samples only while their bucket is in the span', async () => {
    await store.record(minutesBefore(2), 'angry', { key: 'x-1', text: 'label printed blank', reach: 10 });
    const bucket = `${t.prefix}:vol:202611201000`;
    expect(await t.redis.ttl(bucket)).toBeGreaterThan(14 * 24 * 3600);
    for (const key of [`${bucket}:top`, `${bucket}:texts`]) {
      expect(await t.redis.ttl(key)).toBeGreaterThan(3600);
      expect(await t.redis.ttl(key)).toBeLessThanOrEqual(80 * 60);
    }
  });

  it('gives the spike decision what it needs: a busy angry hour against quiet past days', async () => {
    await recordAt(daysBefore(4, minutesBefore(180)), 'happy');
    for (const day of [1, 2, 3, 4]) await recordAt(daysBefore(day, minutesBefore(20)), 'neutral', 8);
    for (let i = 0; i < 40; i++) {
      await store.record(minutesBefore(i % 50), i % 4 === 0 ? 'neutral' : 'angry', { key: `x-${i}`, text: `@parcelly label printer prints blank labels again, order ${i}`, reach: i });
    }
    const report = detectSpike(await store.window(), { stopwords: ['parcelly'] });
    expect(report.spike).toBe(true);
    expect(report.reasons).toEqual(['volume', 'negative']);
    expect(report.historyDays).toBe(4);
    expect(report.topWords.slice(0, 3).map((w) => w.word)).toEqual(['blank', 'label', 'labels']);
    // The texts differ only by their order number: one example, not three copies.
    expect(report.examples).toHaveLength(1);
  });

  it('gives a spike alert to exactly one of many processes claiming it at once, and again only after a quiet spell', async () => {
    const others = Array.from({ length: 4 }, () => new Redis(t.url, { maxRetriesPerRequest: null }));
    try {
      const stores = [store, ...others.map((redis) => createVolumeStore(redis, { prefix: t.prefix }))];
      const claims = await Promise.all(stores.flatMap((s) => Array.from({ length: 5 }, () => s.claimSpikeAlert('mentions', 1))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      // While the spike goes on, each claim keeps it taken.
      expect(await store.claimSpikeAlert('mentions', 3600)).toBe(false);
      expect(await t.redis.ttl(`${t.prefix}:spike:mentions`)).toBeGreaterThan(3500);
      expect(await store.claimSpikeAlert('negative', 1)).toBe(true);
      await until(async () => (await t.redis.exists(`${t.prefix}:spike:negative`)) === 0, 5000, 'the claim to lapse');
      expect(await store.claimSpikeAlert('negative', 1)).toBe(true);
    } finally {
      await Promise.all(others.map((redis) => redis.quit()));
    }
  });

  it('refuses buckets that do not tile the span or the day', () => {
    expect(() => createVolumeStore(t.redis, { prefix: t.prefix, bucketMinutes: 7 })).toThrow(/bucketMinutes \(7\) must divide/);
    expect(() => createVolumeStore(t.redis, { prefix: t.prefix, historyDays: 20 })).toThrow(/retentionDays/);
  });
});

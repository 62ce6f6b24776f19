import type { Redis } from 'ioredis';
import { MOODS, type MoodCounts, type VolumeSample, type VolumeWindow } from '../core/spike.js';
import type { ReplyMood } from '../core/suggest-reply.js';

export interface VolumeStoreOptions {
  /** Key prefix shared with the queues of the same deployment. */
  prefix: string;
  /** Length of a counting bucket (UTC); divides `spanMinutes` and a day. @defaultValue 10 */
  bucketMinutes?: number;
  /**
   * The span a window compares: the last `spanMinutes`, to the bucket, the current
   * bucket so far included. @defaultValue 60
   */
  spanMinutes?: number;
  /** Past days a window compares with. @defaultValue 14 */
  historyDays?: number;
  /** Days the counts are kept; more than `historyDays`. @defaultValue 15 */
  retentionDays?: number;
  /** Posts with the most reach kept per bucket, as examples. @defaultValue 5 */
  samplesPerBucket?: number;
  /** Latest texts kept per bucket, for the top words. @defaultValue 25 */
  textsPerBucket?: number;
  /** Longest sample text kept, in UTF-16 code units. @defaultValue 500 */
  maxSampleChars?: number;
  /**
   * Mentions older than this when recorded are not counted (an old feed item, a long
   * backfill): they would say the store was counting on days it was not.
   * @defaultValue 1 day
   */
  maxLateSeconds?: number;
  /** The clock. @defaultValue `() => new Date()` */
  now?: () => Date;
}

// Count a batch of mentions of one bucket: add the counts per mood, keep the samples with
// most reach (bounded) and the latest texts (bounded), remember the earliest time counted.
// ARGV: countsTtl, sampleTtl, samplesKept, textsKept, earliestMs, moodCount, then the mood
// counts as pairs, sampleCount, the samples as score/member pairs, then the texts.
const RECORD_SCRIPT = `
local n = tonumber(ARGV[6])
local i = 7
for _ = 1, n do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
local since = redis.call('GET', KEYS[4])
if not since or tonumber(ARGV[5]) < tonumber(since) then redis.call('SET', KEYS[4], ARGV[5]) end
local samples = tonumber(ARGV[i])
i = i + 1
if samples > 0 then
  redis.call('ZADD', KEYS[2], unpack(ARGV, i, i + 2 * samples - 1))
  local keep = tonumber(ARGV[3])
  if redis.call('ZCARD', KEYS[2]) > keep then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(keep + 1)) end
  redis.call('EXPIRE', KEYS[2], ARGV[2])
  i = i + 2 * samples
end
if i <= #ARGV then
  redis.call('LPUSH', KEYS[3], unpack(ARGV, i, #ARGV))
  redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[4]) - 1)
  redis.call('EXPIRE', KEYS[3], ARGV[2])
end
return 1
`;

// Set once per spike: the first claim takes it, each later claim while the spike lasts
// keeps it, so only a quiet `ttl` lets the next spike alert again.
const CLAIM_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[1]) then return 1 end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 0
`;

interface VolumeCommands {
  mtVolumeRecord(...args: Array<string | number>): Promise<number>;
  mtSpikeClaim(key: string, ttl: number, at: string): Promise<number>;
}

const DAY_MS = 24 * 3600 * 1000;

function emptyCounts(): MoodCounts {
  return { angry: 0, unhappy: 0, neutral: 0, happy: 0 };
}

function addCounts(into: MoodCounts, raw: Record<string, string>, weight: number): void {
  for (const mood of MOODS) into[mood] += weight * Number(raw[mood] ?? 0);
}

/** `202611201050`: a bucket's UTC start, readable in a key listing. */
function bucketId(startMs: number): string {
  return new Date(startMs).toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`volume store: ${name} must be a whole number above 0, got ${value}`);
  return value;
}

export type VolumeStore = ReturnType<typeof createVolumeStore>;

/** One mention to count: when it was posted, its mood, and optionally a sample of it. */
export interface VolumeEntry {
  at: Date;
  mood: ReplyMood;
  sample?: VolumeSample;
}

/**
 * Mentions counted per UTC bucket and mood for the spike alert, with a few example posts
 * per bucket, and the once-per-spike claim.
 */
export function createVolumeStore(redis: Redis, options: VolumeStoreOptions) {
  const {
    prefix,
    bucketMinutes = 10,
    spanMinutes = 60,
    historyDays = 14,
    retentionDays = 15,
    samplesPerBucket = 5,
    textsPerBucket = 25,
    maxSampleChars = 500,
    maxLateSeconds = 24 * 3600,
    now: clock = () => new Date(),
  } = options;
  positiveInteger('bucketMinutes', bucketMinutes);
  positiveInteger('spanMinutes', spanMinutes);
  positiveInteger('historyDays', historyDays);
  if (spanMinutes % bucketMinutes !== 0 || 1440 % bucketMinutes !== 0) {
    throw new RangeError(`volume store: bucketMinutes (${bucketMinutes}) must divide spanMinutes (${spanMinutes}) and a day (1440)`);
  }
  if (!(Number.isInteger(retentionDays) && retentionDays > historyDays)) {
    throw new RangeError(`volume store: retentionDays must be a whole number above historyDays (${historyDays}), got ${retentionDays}`);
  }
  const bucketMs = bucketMinutes * 60_000;
  const bucketsPerSpan = spanMinutes / bucketMinutes;
  const countsTtl = retentionDays * 24 * 3600;
  // Samples matter only while their bucket is in the current span; a margin for a late record.
  const sampleTtl = (spanMinutes + 2 * bucketMinutes) * 60;
  const countsKey = (start: number) => `${prefix}:vol:${bucketId(start)}`;
  const sinceKey = `${prefix}:vol:since`;
  if (!('mtVolumeRecord' in redis)) redis.defineCommand('mtVolumeRecord', { numberOfKeys: 4, lua: RECORD_SCRIPT });
  if (!('mtSpikeClaim' in redis)) redis.defineCommand('mtSpikeClaim', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
  const commands = redis as unknown as VolumeCommands;

  return {
    /**
     * Counts mentions by the time they were posted and their mood, one round trip per
     * bucket they fall in. A mention with a sample may serve as an example and for the top
     * words. A time ahead of the clock counts as now; one older than `maxLateSeconds` is not
     * counted. The caller counts each mention once (triage counts only mentions it records
     * for the first time). Returns how many were counted.
     */
    async recordMany(entries: ReadonlyArray<VolumeEntry>): Promise<number> {
      const nowMs = clock().getTime();
      const buckets = new Map<number, { moods: Map<ReplyMood, number>; earliest: number; samples: VolumeSample[]; texts: string[] }>();
      let counted = 0;
      for (const { at, mood, sample } of entries) {
        const atMs = Math.min(at.getTime(), nowMs);
        if (!Number.isFinite(atMs) || atMs < nowMs - maxLateSeconds * 1000) continue;
        const start = Math.floor(atMs / bucketMs) * bucketMs;
        let bucket = buckets.get(start);
        if (!bucket) buckets.set(start, (bucket = { moods: new Map(), earliest: atMs, samples: [], texts: [] }));
        bucket.moods.set(mood, (bucket.moods.get(mood) ?? 0) + 1);
        bucket.earliest = Math.min(bucket.earliest, atMs);
        if (sample) {
          const text = sample.text.slice(0, maxSampleChars);
          bucket.samples.push({ key: sample.key, text, reach: Math.max(0, Math.round(sample.reach)) });
          bucket.texts.push(text);
        }
        counted += 1;
      }
      await Promise.all(
        [...buckets].map(([start, bucket]) => {
          const base = countsKey(start);
          // Only the batch's own best and latest can stay: the rest would be trimmed at once.
          const samples = bucket.samples.sort((a, b) => b.reach - a.reach).slice(0, samplesPerBucket);
          const texts = bucket.texts.slice(-textsPerBucket);
          return commands.mtVolumeRecord(
            base,
            `${base}:top`,
            `${base}:texts`,
            sinceKey,
            countsTtl,
            sampleTtl,
            samplesPerBucket,
            textsPerBucket,
            bucket.earliest,
            bucket.moods.size,
            ...[...bucket.moods].flat(),
            samples.length,
            ...samples.flatMap((s) => [s.reach, JSON.stringify(s)]),
            ...texts,
          );
        }),
      );
      return counted;
    },

    /** Counts one mention (see `recordMany`); false when it was too old to count. */
    async record(at: Date, mood: ReplyMood, sample?: VolumeSample): Promise<boolean> {
      return (await this.recordMany([{ at, mood, sample }])) === 1;
    },

    /**
     * The last `spanMinutes` up to `now` against the same span of the day on each of the
     * past `historyDays` the store was counting for all of. The current bucket is partly
     * over; past days count that bucket in proportion, so both cover the same minutes.
     */
    async window(now: Date = clock()): Promise<VolumeWindow> {
      const nowMs = now.getTime();
      const last = Math.floor(nowMs / bucketMs) * bucketMs;
      const first = last - (bucketsPerSpan - 1) * bucketMs;
      const elapsed = (nowMs - last) / bucketMs;
      const starts = Array.from({ length: bucketsPerSpan }, (_, i) => first + i * bucketMs);
      const batch = redis.pipeline();
      batch.get(sinceKey);
      for (let day = 0; day <= historyDays; day++) for (const start of starts) batch.hgetall(countsKey(start - day * DAY_MS));
      for (const start of starts) batch.zrevrange(`${countsKey(start)}:top`, 0, -1);
      for (const start of starts) batch.lrange(`${countsKey(start)}:texts`, 0, -1);
      const results = (await batch.exec()) ?? [];
      const value = <T>(i: number): T => {
        const [error, result] = results[i] ?? [new Error('no answer from Redis')];
        if (error) throw error;
        return result as T;
      };
      const since = Number(value<string | null>(0) ?? Number.NaN);
      const spanOf = (day: number): MoodCounts => {
        const counts = emptyCounts();
        starts.forEach((_, b) => addCounts(counts, value<Record<string, string>>(1 + day * bucketsPerSpan + b), day > 0 && b === bucketsPerSpan - 1 ? elapsed : 1));
        return counts;
      };
      const usual: MoodCounts[] = [];
      for (let day = 1; day <= historyDays; day++) if (first - day * DAY_MS >= since) usual.push(spanOf(day));
      const offset = 1 + (historyDays + 1) * bucketsPerSpan;
      const seen = new Set<string>();
      const samples = starts
        .flatMap((_, b) => value<string[]>(offset + b).map((member) => JSON.parse(member) as VolumeSample))
        .filter((s) => !seen.has(s.key) && seen.add(s.key))
        .sort((a, b) => b.reach - a.reach || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const texts = starts.flatMap((_, b) => value<string[]>(offset + bucketsPerSpan + (bucketsPerSpan - 1 - b)));
      return { from: new Date(first).toISOString(), to: now.toISOString(), current: spanOf(0), usual, samples, texts };
    },

    /**
     * Takes the alert for a spike, across processes: true for the first claim; each later
     * claim (the spike goes on) keeps it taken for another `ttlSeconds`, so the same id
     * alerts again only after `ttlSeconds` without a claim.
     */
    async claimSpikeAlert(spikeId: string, ttlSeconds: number): Promise<boolean> {
      positiveInteger('ttlSeconds', ttlSeconds);
      return (await commands.mtSpikeClaim(`${prefix}:spike:${spikeId}`, ttlSeconds, clock().toISOString())) === 1;
    },
  };
}

import type { Redis } from 'ioredis';
import type { DigestEntry } from '../core/marketing-digest.js';
import type { ReportEvent, ReportSettings } from '../core/report-row.js';
import { statsEntry, type StatsEntry } from '../core/stats.js';
import { replyMood } from '../core/suggest-reply.js';
import type { MentionStore } from './mention-store.js';

const DAY_MS = 86_400_000;

export interface StatsIndexOptions {
  /** Key prefix shared with the queues of the same deployment. */
  prefix: string;
  /** Days a mention stays in the index, by its post time (the longest period stats can read). @defaultValue 90 */
  retentionDays?: number;
  /** The clock. @defaultValue `() => new Date()` */
  now?: () => Date;
}

export type StatsIndex = ReturnType<typeof createStatsIndex>;

const HOUR_MS = 3_600_000;

/**
 * Which mentions were posted when, so stats and the marketing digest read a period's
 * mentions without scanning the store: one string per hour of post time
 * (`stats:h:<hours since the epoch>`), each mention appended as `<key> <ms into the hour,
 * base 36>` and a newline: about 30 bytes of text a mention (Redis allocates up to twice
 * that as a string grows) where a sorted set took about 120.
 * Each hour expires once it is older than the retention; reads also leave out what the
 * clock says is older. A mention recorded twice (a retried batch) is read once. The
 * sorted set earlier versions kept (`stats:posted`) is still read, and pruned as they did.
 */
export function createStatsIndex(redis: Redis, options: StatsIndexOptions) {
  const { prefix, retentionDays = 90, now: clock = () => new Date() } = options;
  if (!(retentionDays > 0)) throw new RangeError(`stats index: retentionDays must be above 0, got ${retentionDays}`);
  const retentionMs = retentionDays * DAY_MS;
  const legacyKey = `${prefix}:stats:posted`;
  const hourKey = (hour: number) => `${prefix}:stats:h:${hour}`;

  /** Every recorded mention posted from `fromMs` to `toMs` (both included), oldest first, each once. */
  async function entriesBetween(fromMs: number, toMs: number): Promise<Array<{ key: string; at: number }>> {
    // Nothing is recorded ahead of the clock (a post dated ahead counts as now).
    const nowMs = clock().getTime();
    const from = Math.max(fromMs, nowMs - retentionMs);
    toMs = Math.min(toMs, nowMs);
    if (!(toMs >= from)) return [];
    const batch = redis.pipeline();
    const first = Math.floor(from / HOUR_MS);
    const last = Math.floor(toMs / HOUR_MS);
    for (let hour = first; hour <= last; hour++) batch.get(hourKey(hour));
    batch.zrangebyscore(legacyKey, from, toMs, 'WITHSCORES');
    const results = (await batch.exec()) ?? [];
    const seen = new Map<string, number>();
    results.slice(0, -1).forEach(([error, text], i) => {
      if (error) throw error;
      if (typeof text !== 'string') return;
      const start = (first + i) * HOUR_MS;
      for (const line of text.split('\n')) {
        const space = line.indexOf(' ');
        if (space < 1) continue;
        const at = start + parseInt(line.slice(space + 1), 36);
        if (at >= from && at <= toMs && !seen.has(line.slice(0, space))) seen.set(line.slice(0, space), at);
      }
    });
    const [legacyError, legacy] = results.at(-1) ?? [null, []];
    if (legacyError) throw legacyError;
    const pairs = (legacy as string[] | null) ?? [];
    for (let i = 0; i + 1 < pairs.length; i += 2) if (!seen.has(pairs[i]!)) seen.set(pairs[i]!, Number(pairs[i + 1]));
    return [...seen].map(([key, at]) => ({ key, at })).sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  return {
    /**
     * Records mentions by post time (a time ahead of the clock counts as now, an unreadable
     * one as now; one older than the retention is not recorded). Recording one again
     * changes nothing that is read, so a retried batch may record all.
     */
    async record(items: ReadonlyArray<{ key: string; postedAt: string }>): Promise<void> {
      if (items.length === 0) return;
      const nowMs = clock().getTime();
      const lines = new Map<number, string>();
      for (const { key: member, postedAt } of items) {
        const parsed = Date.parse(postedAt);
        const at = Number.isFinite(parsed) ? Math.min(parsed, nowMs) : nowMs;
        if (at < nowMs - retentionMs) continue;
        const hour = Math.floor(at / HOUR_MS);
        lines.set(hour, `${lines.get(hour) ?? ''}${member} ${(at - hour * HOUR_MS).toString(36)}\n`);
      }
      const batch = redis.multi();
      for (const [hour, text] of lines) {
        // Kept until the hour's end is older than the retention, counted from the clock.
        const ttl = Math.max(1, Math.ceil(((hour + 1) * HOUR_MS + retentionMs - nowMs) / 1000));
        batch.append(hourKey(hour), text).expire(hourKey(hour), ttl);
      }
      batch.zremrangebyscore(legacyKey, '-inf', `(${nowMs - retentionMs}`);
      await batch.exec();
    },

    /** Keys of the mentions posted from `from` up to `to` (both included), oldest first. */
    async keysBetween(from: Date, to: Date): Promise<string[]> {
      return (await entriesBetween(from.getTime(), to.getTime())).map((e) => e.key);
    },

    /**
     * The appended history of each mention (the mention store's list, see mention-store.ts),
     * in one round trip; a line that cannot be read is left out.
     */
    async histories(keys: readonly string[]): Promise<ReportEvent[][]> {
      if (keys.length === 0) return [];
      const batch = redis.pipeline();
      for (const mention of keys) batch.lrange(`${prefix}:mention:${mention}:history`, 0, -1);
      const results = (await batch.exec()) ?? [];
      return keys.map((_, i) => {
        const [error, lines] = results[i] ?? [new Error('no answer from Redis')];
        if (error) throw error;
        return (lines as string[]).flatMap((line) => {
          try {
            return [JSON.parse(line) as ReportEvent];
          } catch {
            return [];
          }
        });
      });
    },

    /** How many mentions the index holds (posted within the retention, up to now). */
    async size(): Promise<number> {
      return (await entriesBetween(0, clock().getTime())).length;
    },
  };
}

/**
 * The store with every triaged mention recorded in the stats index too. All of a batch
 * is recorded, created now or before: a retried batch finds its mentions recorded, and the
 * index must still learn of them.
 */
export function withStatsIndex<S extends Pick<MentionStore, 'saveTriagedMany'>>(store: S, index: Pick<StatsIndex, 'record'>): S {
  return {
    ...store,
    async saveTriagedMany(items, now) {
      const saved = await store.saveTriagedMany(items, now);
      await index.record(items.map(({ key, triage }) => ({ key, postedAt: triage.mention.createdAt })));
      return saved;
    },
  };
}

/** Reads `keys` `batch` at a time; a mention the store no longer holds is left out. */
async function readInBatches<T>(keys: readonly string[], batch: number, read: (key: string) => Promise<T | undefined>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += batch) {
    const part = await Promise.all(keys.slice(i, i + batch).map(read));
    for (const item of part) if (item !== undefined) out.push(item);
  }
  return out;
}

/**
 * The stats entries of `keys`: each mention's state and its appended history (what a
 * report row reads: claims, resolves), `batch` mentions at a time, the histories of a
 * batch in one round trip.
 */
export async function readStatsEntries(
  store: Pick<MentionStore, 'get'>,
  index: Pick<StatsIndex, 'histories'>,
  keys: readonly string[],
  settings: ReportSettings,
  now: Date,
  batch = 200,
): Promise<StatsEntry[]> {
  const out: StatsEntry[] = [];
  for (let i = 0; i < keys.length; i += batch) {
    const part = keys.slice(i, i + batch);
    const [states, histories] = await Promise.all([Promise.all(part.map((key) => store.get(key))), index.histories(part)]);
    states.forEach((state, j) => {
      if (state) out.push(statsEntry(state, histories[j] ?? [], settings, now));
    });
  }
  return out;
}

/** The digest entries of `keys`: each mention's stored triage, `batch` mentions at a time. */
export async function readDigestEntries(store: Pick<MentionStore, 'get'>, keys: readonly string[], batch = 200): Promise<DigestEntry[]> {
  return readInBatches(keys, batch, async (key) => {
    const state = await store.get(key);
    if (!state) return undefined;
    const { mention, classification, reach, route } = state.triage;
    const posted = Date.parse(mention.createdAt);
    const triaged = Date.parse(state.triagedAt);
    return {
      key,
      postedAt: Number.isFinite(posted) ? (Number.isFinite(triaged) ? Math.min(posted, triaged) : posted) : triaged,
      mood: replyMood(classification),
      source: mention.source,
      reach,
      handle: mention.author.handle,
      text: mention.text,
      ...(mention.url ? { url: mention.url } : {}),
      // Spam, an impostor or a suppressed post is counted, never shown to marketing as praise.
      listable: classification.intent !== 'spam' && !classification.impostor && !route.suppressed,
    };
  });
}

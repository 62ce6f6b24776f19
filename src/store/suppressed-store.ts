import type { Redis } from 'ioredis';
import type { TriageResult } from '../core/triage-result.js';

/** One mention a routing rule kept off Discord, as `mention-triage suppressed` lists it. */
export interface SuppressedEntry {
  /** The mention key (its state is kept as usual under it). */
  key: string;
  /** When triage recorded it, ISO-8601. */
  at: string;
  rule: string;
  reason: string;
  source: string;
  handle: string;
  /** The start of the text, enough to recognise the mention. */
  text: string;
  url?: string;
}

export interface SuppressedStoreOptions {
  /** Key prefix shared with the queues of the same deployment. */
  prefix: string;
  /**
   * How many entries are kept; the oldest go first. The counts per rule are kept whole.
   * @defaultValue 10000
   */
  cap?: number;
}

export type SuppressedStore = ReturnType<typeof createSuppressedStore>;

const TEXT_KEPT = 280;

// Adds an entry once (a retried triage job must neither move nor count it twice), counts
// it for its rule, and forgets the oldest entries beyond the cap, all in one step.
const RECORD_SCRIPT = `
if redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[5])
if over > 0 then
  local old = redis.call('ZRANGE', KEYS[1], 0, over - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1)
  redis.call('HDEL', KEYS[2], unpack(old))
end
return 1
`;

/**
 * Mentions a routing rule suppressed: a sorted set by time (capped), each entry's rule,
 * reason and a glimpse of the mention, and a count per rule. Suppressed mentions are
 * never silently dropped: their state is saved like any other, and they are listed here.
 */
export function createSuppressedStore(redis: Redis, options: SuppressedStoreOptions) {
  const { prefix, cap = 10_000 } = options;
  const indexKey = `${prefix}:suppressed`;
  const entriesKey = `${prefix}:suppressed:entries`;
  const countsKey = `${prefix}:suppressed:counts`;

  return {
    /** Records suppressed mentions (those whose route says `suppressed`); one already recorded is left as it is. @returns how many were new */
    async record(items: ReadonlyArray<{ key: string; triage: TriageResult }>, now: Date): Promise<number> {
      const pipeline = redis.pipeline();
      let queued = 0;
      for (const { key, triage } of items) {
        const suppressed = triage.route.suppressed;
        if (!suppressed) continue;
        const { mention } = triage;
        const entry: SuppressedEntry = {
          key,
          at: now.toISOString(),
          rule: suppressed.rule,
          reason: suppressed.reason,
          source: mention.source,
          handle: mention.author.handle,
          text: mention.text.slice(0, TEXT_KEPT),
          ...(mention.url ? { url: mention.url } : {}),
        };
        pipeline.eval(RECORD_SCRIPT, 3, indexKey, entriesKey, countsKey, now.getTime(), key, JSON.stringify(entry), suppressed.rule, cap);
        queued += 1;
      }
      if (queued === 0) return 0;
      const results = (await pipeline.exec()) ?? [];
      let added = 0;
      for (const [error, value] of results) {
        if (error) throw error;
        added += Number(value);
      }
      return added;
    },

    /** Entries recorded at or after `since`, newest first, at most `limit`. */
    async list(since: Date, limit: number): Promise<SuppressedEntry[]> {
      const keys = await redis.zrevrangebyscore(indexKey, '+inf', since.getTime(), 'LIMIT', 0, limit);
      if (keys.length === 0) return [];
      const values = await redis.hmget(entriesKey, ...keys);
      return values.flatMap((value) => (value ? [JSON.parse(value) as SuppressedEntry] : []));
    },

    /** How many entries were recorded at or after `since` (among those kept). */
    async countSince(since: Date): Promise<number> {
      return redis.zcount(indexKey, since.getTime(), '+inf');
    },

    /** Mentions suppressed by each rule since the deployment began (not capped). */
    async countsByRule(): Promise<Record<string, number>> {
      const raw = await redis.hgetall(countsKey);
      return Object.fromEntries(Object.entries(raw).map(([rule, n]) => [rule, Number(n)]));
    },
  };
}

import type { Redis } from 'ioredis';
import type { Mention } from '../core/mention.js';

/**
 * Each author's carded mentions, by platform and handle: a sorted set of mention keys
 * scored by when they were posted. Kept as long as a closed mention, renewed with each
 * new one, so "returning" means "within the retention".
 */
/** Most mentions kept per author: enough for "returning" and the card's history line. */
const MAX_PER_AUTHOR = 200;

export function createAuthorIndex(redis: Redis, options: { prefix: string; ttlSeconds: number }) {
  const { prefix, ttlSeconds } = options;
  const authorKey = (mention: Mention) => `${prefix}:author:${mention.source}:${mention.author.handle.toLowerCase()}`;
  const scoreOf = (mention: Mention, fallback: Date) => {
    const at = Date.parse(mention.createdAt);
    return Number.isFinite(at) ? at : fallback.getTime();
  };

  return {
    /** Adds a mention to its author's index (once: the same key again changes nothing). */
    async record(key: string, mention: Mention, now: Date): Promise<void> {
      // Bounded: entries older than the retention go, and at most the latest MAX_PER_AUTHOR stay.
      await redis
        .multi()
        .zadd(authorKey(mention), 'NX', scoreOf(mention, now), key)
        .zremrangebyscore(authorKey(mention), '-inf', `(${now.getTime() - ttlSeconds * 1000}`)
        .zremrangebyrank(authorKey(mention), 0, -(MAX_PER_AUTHOR + 1))
        .expire(authorKey(mention), ttlSeconds)
        .exec();
    },

    /** For each mention, whether its author has a carded mention posted before it: one round trip. */
    async seenBefore(mentions: readonly Mention[], now: Date): Promise<boolean[]> {
      if (mentions.length === 0) return [];
      const batch = redis.pipeline();
      for (const mention of mentions) batch.zcount(authorKey(mention), '-inf', `(${scoreOf(mention, now)}`);
      const results = (await batch.exec()) ?? [];
      return mentions.map((_, i) => Number(results[i]?.[1] ?? 0) > 0);
    },

    /** The author's mentions posted before this one, newest first (at most `limit`), and how many there are in all. */
    async earlier(key: string, mention: Mention, now: Date, limit: number): Promise<{ count: number; keys: string[] }> {
      const score = scoreOf(mention, now);
      const [count, keys] = await Promise.all([
        redis.zcount(authorKey(mention), '-inf', score),
        redis.zrevrangebyscore(authorKey(mention), score, '-inf', 'LIMIT', 0, limit + 1),
      ]);
      const others = keys.filter((k) => k !== key).slice(0, limit);
      return { count: Math.max(0, count - (keys.includes(key) ? 1 : 0)), keys: others };
    },
  };
}

export type AuthorIndex = ReturnType<typeof createAuthorIndex>;

import type { Redis } from 'ioredis';

/**
 * Which card a follow-up joined: follow-up mention key → the key of the mention whose card
 * it joined, so a reply to the follow-up finds the same card. One small string a
 * follow-up, kept as long as a closed mention.
 */
export function createFollowUpLinks(redis: Redis, options: { prefix: string; ttlSeconds: number }) {
  const { prefix, ttlSeconds } = options;
  const linkKey = (key: string) => `${prefix}:followup:${key}`;
  return {
    /** For each key, the mention whose card it joined as a follow-up, if it did: one round trip. */
    async rootsOf(keys: readonly string[]): Promise<Array<string | undefined>> {
      if (keys.length === 0) return [];
      const values = await redis.mget(...keys.map(linkKey));
      return values.map((v) => v ?? undefined);
    },
    /** Records follow-ups and the card each joined, in one round trip. */
    async link(entries: ReadonlyArray<{ key: string; root: string }>): Promise<void> {
      if (entries.length === 0) return;
      const batch = redis.multi();
      for (const { key, root } of entries) batch.set(linkKey(key), root, 'EX', ttlSeconds);
      await batch.exec();
    },
  };
}

export type FollowUpLinks = ReturnType<typeof createFollowUpLinks>;

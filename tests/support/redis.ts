import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** A connection to the run's Redis and a prefix of this test's own, removed by `cleanup`. */
export interface TestRedis {
  url: string;
  redis: Redis;
  prefix: string;
  cleanup(): Promise<void>;
}

/** Opens the test run's Redis with a fresh key prefix; `cleanup` deletes its keys and disconnects. */
export async function openTestRedis(): Promise<TestRedis> {
  const url = inject('redisUrl');
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const prefix = `t-${randomBytes(5).toString('hex')}`;
  return {
    url,
    redis,
    prefix,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.unlink(...keys);
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}

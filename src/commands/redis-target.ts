import type { Cluster, Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { redisAnswers, startPrivateRedis } from '../infra/private-redis.js';
import { connectRedis } from '../infra/redis-connect.js';

/** The Redis a short-lived command (the demo) works on, and how to leave it as found. */
export interface RedisTarget {
  url: string;
  /** Key prefix: the configured one on a private Redis, a fresh one on a Redis shared with others. */
  prefix: string;
  /** `private`: started by us; `shared`: REDIS_URL or the default port. */
  kind: 'private' | 'shared';
  /** Stops a private Redis, or removes this run's keys from a shared one. */
  release(): Promise<void>;
}

async function deleteKeys(url: string, prefix: string): Promise<number> {
  const redis = await connectRedis(url, { maxRetriesPerRequest: 3 });
  // SCAN sees one node's keys: on a cluster, ask every primary (the prefix's hash tag keeps its keys in one slot, so one UNLINK takes a batch).
  const nodes: Redis[] = redis.isCluster ? (redis as unknown as Cluster).nodes('master') : [redis];
  let deleted = 0;
  try {
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) deleted += await node.unlink(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/**
 * Finds a Redis for a run that must not leave traces: `REDIS_URL` if set, else one on
 * 127.0.0.1:6379, else a private redis-server on a free port. On a Redis it did not
 * start, the run uses its own prefix and removes its keys when released.
 */
export async function acquireRedis(configuredUrl: string | undefined, basePrefix: string): Promise<RedisTarget> {
  const sharedUrl = configuredUrl ?? ((await redisAnswers('127.0.0.1', 6379)) ? 'redis://127.0.0.1:6379' : undefined);
  if (sharedUrl) {
    // Fails with the URL named when a configured Redis does not answer.
    // The run's prefix extends the configured one, so it has a cluster's hash tag when that one has.
    (await connectRedis(sharedUrl, { maxRetriesPerRequest: 1 }, basePrefix)).disconnect();
    const prefix = `${basePrefix}-demo-${randomBytes(4).toString('hex')}`;
    return { url: sharedUrl, prefix, kind: 'shared', release: async () => void (await deleteKeys(sharedUrl, prefix)) };
  }
  const redis = await startPrivateRedis();
  return { url: redis.url, prefix: basePrefix, kind: 'private', release: () => redis.stop() };
}

import type { Redis } from 'ioredis';

// Takes the next mentions of a channel's digest for one digest job, once: a retried job
// gets the same mentions again, so a digest is never split or doubled by a retry.
const TAKE_SCRIPT = `
local taken = redis.call('LRANGE', KEYS[2], 0, -1)
if #taken > 0 then return taken end
local next = redis.call('LPOP', KEYS[1], ARGV[1])
if not next then return {} end
redis.call('RPUSH', KEYS[2], unpack(next))
redis.call('EXPIRE', KEYS[2], ARGV[2])
return next
`;

export type DigestStore = ReturnType<typeof createDigestStore>;

/**
 * The mentions waiting for a channel's next digest card, in arrival order, and those a
 * digest job has taken. Kept for `ttlSeconds` after the last addition (a week by default).
 */
export function createDigestStore(redis: Redis, options: { prefix: string; ttlSeconds?: number }) {
  const { prefix, ttlSeconds = 7 * 24 * 3600 } = options;
  const waitingKey = (channelKey: string) => `${prefix}:digest:${channelKey}`;
  const takenKey = (jobId: string) => `${prefix}:digest:taken:${jobId}`;
  return {
    /** Puts mentions in line for the channel's next digest. */
    async add(channelKey: string, keys: readonly string[]): Promise<void> {
      if (keys.length === 0) return;
      await redis.multi().rpush(waitingKey(channelKey), ...keys).expire(waitingKey(channelKey), ttlSeconds).exec();
    },
    /** The next `n` waiting mentions for digest job `jobId`; the same ones again while that job has not finished. */
    async take(channelKey: string, jobId: string, n: number): Promise<string[]> {
      return (await redis.eval(TAKE_SCRIPT, 2, waitingKey(channelKey), takenKey(jobId), n, ttlSeconds)) as string[];
    },
    /** The job posted its digest: what it took is done. */
    async done(jobId: string): Promise<void> {
      await redis.del(takenKey(jobId));
    },
    /** Mentions still waiting for a digest in the channel. */
    async waiting(channelKey: string): Promise<number> {
      return redis.llen(waitingKey(channelKey));
    },
  };
}

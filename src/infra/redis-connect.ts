import { Redis, type RedisOptions } from 'ioredis';

/** No Redis answered where the configuration says one is; the message names the URL (never its password). */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/** The URL as it may be shown: the password, if any, replaced. */
export function shownRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

/**
 * Opens a connection and waits for it to be ready, or fails at once with a
 * {@link RedisUnreachableError} naming the URL, instead of retrying forever. Once
 * connected, `options` decide how a later drop is retried.
 */
export async function connectRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(url, { connectTimeout: 3000, ...options, lazyConnect: true });
  let firstError: Error | undefined;
  const onError = (error: Error) => (firstError ??= error);
  redis.on('error', onError);
  const retry = redis.options.retryStrategy;
  redis.options.retryStrategy = () => null;
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const reason = (firstError ?? (error as Error)).message;
    throw new RedisUnreachableError(`no Redis answered at ${shownRedisUrl(url)} (${reason}): start one there, or set REDIS_URL to the service's Redis`);
  } finally {
    redis.off('error', onError);
  }
  redis.options.retryStrategy = retry;
  return redis;
}

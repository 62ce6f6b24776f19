import type { Redis } from 'ioredis';
import type { SourceKv } from '../sources/source.js';

/** One source's own stored values, under `<prefix>:source:<name>:kv:<field>`. */
export function createSourceKv(redis: Redis, prefix: string, sourceName: string): SourceKv {
  const key = (name: string) => `${prefix}:source:${sourceName}:kv:${name}`;
  // EXPIRE … NX needs Redis 7; TTL then EXPIRE does the same on older servers.
  const expireIfUnset = async (k: string, ttlSeconds: number) => {
    if ((await redis.ttl(k)) < 0) await redis.expire(k, Math.max(1, Math.ceil(ttlSeconds)));
  };
  return {
    async get(name) {
      return (await redis.get(key(name))) ?? undefined;
    },
    async set(name, value, ttlSeconds) {
      if (ttlSeconds) await redis.set(key(name), value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
      else await redis.set(key(name), value);
    },
    async incrBy(name, by, ttlSeconds) {
      const value = await redis.incrbyfloat(key(name), by);
      if (ttlSeconds) await expireIfUnset(key(name), ttlSeconds);
      return Number(value);
    },
    async addToSet(name, members, ttlSeconds) {
      if (members.length === 0) return 0;
      const added = await redis.sadd(key(name), ...members);
      if (ttlSeconds) await expireIfUnset(key(name), ttlSeconds);
      return added;
    },
  };
}

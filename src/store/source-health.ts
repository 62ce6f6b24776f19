import type { Redis } from 'ioredis';

/** How a source is doing, as the scheduler last saw it. */
export type SourceStatus = 'starting' | 'ok' | 'backing-off' | 'rate-limited' | 'budget-reached' | 'disabled';

/** One source's health record (`mention-triage sources` prints it). */
export interface SourceHealth {
  name: string;
  platform: string;
  status: SourceStatus;
  /** When a read last finished without error. */
  lastSuccessAt?: string;
  /** When the source last produced a new mention. */
  lastMentionAt?: string;
  /** When the scheduler first ran this source in the current process (the silence clock's start). */
  runningSince?: string;
  /** New mentions enqueued today (UTC). */
  mentionsToday: number;
  /** Reads that failed, all time. */
  errors: number;
  /** Failures in a row, reset by a success. */
  consecutiveFailures: number;
  /** The next read is not before this (back-off, rate limit, budget). */
  waitUntil?: string;
  lastError?: string;
  /** Extra figures the source reports (X: spend against its budget). */
  details: Record<string, string | number>;
}

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** Source health records in Redis: `<prefix>:source:<name>:health` and a per-day counter. */
export function createSourceHealthStore(redis: Redis, prefix: string) {
  const key = (name: string) => `${prefix}:source:${name}:health`;
  const dayKey = (name: string, at: Date) => `${prefix}:source:${name}:mentions:${utcDay(at)}`;
  const indexKey = `${prefix}:sources`;

  return {
    /** Marks the source as run by this process (registers it for listing). */
    async started(name: string, platform: string, at: Date): Promise<void> {
      await redis
        .multi()
        .sadd(indexKey, name)
        .hset(key(name), 'platform', platform, 'runningSince', at.toISOString(), 'status', 'starting')
        .hdel(key(name), 'waitUntil')
        .exec();
    },

    /** Counts new mentions enqueued (by a poll, even one that failed later, or by a stream). */
    async delivered(name: string, enqueued: number, at: Date): Promise<void> {
      if (enqueued <= 0) return;
      await redis
        .multi()
        .hset(key(name), 'lastMentionAt', at.toISOString())
        .incrby(dayKey(name, at), enqueued)
        .expire(dayKey(name, at), 3 * 24 * 3600)
        .exec();
    },

    /** A read finished: the source is fine, and its failure streak (if any) is over. */
    async succeeded(name: string, enqueued: number, at: Date): Promise<void> {
      await redis.multi().hset(key(name), 'status', 'ok', 'lastSuccessAt', at.toISOString(), 'consecutiveFailures', 0).hdel(key(name), 'waitUntil', 'failingSince').exec();
      await this.delivered(name, enqueued, at);
    },

    /**
     * Records a failure; returns the failures in a row, this one included, and when the
     * streak began (the key of its one "keeps failing" notice).
     */
    async failed(name: string, status: SourceStatus, error: string, waitUntil: Date | undefined, at: Date): Promise<{ inARow: number; since: string }> {
      const m = redis
        .multi()
        .hset(key(name), 'status', status, 'lastError', error.slice(0, 500), 'lastErrorAt', at.toISOString())
        .hincrby(key(name), 'errors', 1)
        .hincrby(key(name), 'consecutiveFailures', 1)
        .hsetnx(key(name), 'failingSince', at.toISOString())
        .hget(key(name), 'failingSince');
      if (waitUntil) m.hset(key(name), 'waitUntil', waitUntil.toISOString());
      else m.hdel(key(name), 'waitUntil');
      const results = await m.exec();
      return { inARow: Number(results?.[2]?.[1] ?? 1), since: String(results?.[4]?.[1] ?? at.toISOString()) };
    },

    /** Sets the status without counting a failure (a rate limit is the platform's pace, not an error). */
    async waiting(name: string, status: SourceStatus, reason: string, until: Date): Promise<void> {
      await redis.hset(key(name), 'status', status, 'waitUntil', until.toISOString(), 'lastError', reason.slice(0, 500));
    },

    /** Every source this deployment has run, with its record. */
    async list(at: Date = new Date()): Promise<SourceHealth[]> {
      const names = (await redis.smembers(indexKey)).sort();
      return Promise.all(names.map((name) => this.get(name, at))) as Promise<SourceHealth[]>;
    },

    async get(name: string, at: Date = new Date()): Promise<SourceHealth | undefined> {
      const [h, today] = await Promise.all([redis.hgetall(key(name)), redis.get(dayKey(name, at))]);
      if (!h || Object.keys(h).length === 0) return undefined;
      const opt = (field: string) => (h[field] ? { [field]: h[field] } : {});
      return {
        name,
        platform: h.platform ?? '?',
        status: (h.status as SourceStatus) ?? 'starting',
        ...opt('lastSuccessAt'),
        ...opt('lastMentionAt'),
        ...opt('runningSince'),
        ...opt('waitUntil'),
        ...opt('lastError'),
        mentionsToday: Number(today ?? 0),
        errors: Number(h.errors ?? 0),
        consecutiveFailures: Number(h.consecutiveFailures ?? 0),
        details: {},
      } as SourceHealth;
    },
  };
}

export type SourceHealthStore = ReturnType<typeof createSourceHealthStore>;

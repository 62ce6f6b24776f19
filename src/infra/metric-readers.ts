/**
 * What the scrape-time gauges read: queue depths and waiting ages from BullMQ, source
 * health and X spend from the records the scheduler keeps in Redis.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Source, SourceKv } from '../sources/source.js';
import type { SourceHealthStore } from '../store/source-health.js';
import type { QueueReading, SourceReading } from './metrics.js';

/** Prioritized jobs looked at for the oldest waiting one; past this the age is a lower bound. */
const PRIORITIZED_SAMPLE = 1000;

/**
 * When the oldest job waiting to run was added (ms since the epoch), or undefined. The
 * `wait` list is first in, first out, so its oldest is its tail; prioritized jobs are
 * ordered by priority first, so their add times are read (ids and one field each, not
 * the payloads).
 */
async function oldestWaitingAt(queue: Queue, redis: Redis): Promise<number | undefined> {
  const [next] = await queue.getJobs(['waiting'], 0, 0, true);
  const times = next?.timestamp ? [next.timestamp] : [];
  const ids = await redis.zrange(queue.keys.prioritized!, 0, PRIORITIZED_SAMPLE - 1);
  if (ids.length) {
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hget(queue.toKey(id), 'timestamp');
    for (const [, value] of (await pipeline.exec()) ?? []) {
      const at = Number(value);
      if (Number.isFinite(at) && at > 0) times.push(at);
    }
  }
  return times.length ? Math.min(...times) : undefined;
}

/**
 * Refuses to read while the connection is down: with `maxRetriesPerRequest: null` each
 * command would wait in the offline queue until Redis is back, one more per scrape.
 */
export function whenConnected<T>(redis: Pick<Redis, 'status'>, read: () => Promise<T>): () => Promise<T> {
  return () => (redis.status === 'ready' ? read() : Promise.reject(new Error(`Redis connection is ${redis.status}`)));
}

/** Reads every queue's job counts by state and the age of its oldest waiting job. */
export function queueReader(queues: readonly Queue[], redis: Redis, now: () => number = Date.now): () => Promise<QueueReading[]> {
  return () =>
    Promise.all(
      queues.map(async (queue) => {
        const [counts, oldest] = await Promise.all([queue.getJobCounts(), oldestWaitingAt(queue, redis)]);
        return { queue: queue.name, counts, ...(oldest !== undefined ? { oldestWaitingSeconds: Math.max(0, (now() - oldest) / 1000) } : {}) };
      }),
    );
}

/**
 * Reads each source's status from its health record and, where the source describes
 * one (X), its spend this month and budget.
 */
export function sourceReader(sources: () => readonly Source[], health: Pick<SourceHealthStore, 'get'>, kvOf: (name: string) => SourceKv): () => Promise<SourceReading[]> {
  return () =>
    Promise.all(
      sources().map(async (source): Promise<SourceReading> => {
        const [record, details] = await Promise.all([health.get(source.name), source.describe?.(kvOf(source.name)).catch(() => undefined)]);
        const spent = details?.spentUsdThisMonth;
        const budget = details?.budgetUsd;
        return {
          source: source.name,
          status: record?.status ?? 'starting',
          ...(typeof spent === 'number' ? { spentUsdThisMonth: spent } : {}),
          ...(typeof budget === 'number' ? { budgetUsd: budget } : {}),
        };
      }),
    );
}

/**
 * The daily marketing digest: a BullMQ delayed job per day (its id names the day, so a
 * restart that schedules again adds nothing), run by the notify role, posted through the
 * notifier port. Each run schedules the next day's. A day's digest is posted once: a run
 * that finds it posted does nothing, and two runs at the same moment cannot both post.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { buildMarketingDigest, nextRunAt } from '../core/marketing-digest.js';
import { localBucket } from '../core/stats.js';
import type { MentionStore } from '../store/mention-store.js';
import { readDigestEntries, type StatsIndex } from '../store/stats-index.js';
import type { Notifier } from './notifier.js';

/** The queue of the digest's day jobs. */
export const MARKETING_DIGEST_QUEUE = 'marketing-digest';

const DAY_MS = 86_400_000;

/** What the digest reads from the configuration in force (`discord.marketingDigest`). */
export interface MarketingDigestSettings {
  channel: string;
  /** HH:MM in `timeZone`. */
  at: string;
  timeZone: string;
  top: number;
}

/** One day's job: the day key and the instant the digest covers up to. */
export interface MarketingDigestJob {
  day: string;
  runAt: string;
}

export interface MarketingDigestDeps {
  redis: Redis;
  prefix: string;
  notifier: Pick<Notifier, 'accepts' | 'postMarketingDigest'>;
  /** The plain store: the digest reads recorded triages, never a reply draft. */
  store: Pick<MentionStore, 'get'>;
  index: Pick<StatsIndex, 'keysBetween'>;
  /** Read at each run and each scheduling: undefined turns the digest off. */
  settings: () => MarketingDigestSettings | undefined;
  log: Logger;
  /** The clock for scheduling. @defaultValue `() => new Date()` */
  now?: () => Date;
}

/** The job id of a day's digest: one job per day. */
export function digestJobId(day: string): string {
  return `marketing-digest-${day}`;
}

/** What a run did. */
export type DigestOutcome = 'posted' | 'already-posted' | 'off' | 'no-channel';

/**
 * Queues the digest's next run after `after`, unless that day's job exists. A job for the
 * day still waiting at another time (the time was changed) is moved to the new one.
 */
export async function scheduleNextDigest(queue: Queue<MarketingDigestJob>, settings: MarketingDigestSettings, after: Date, now: Date): Promise<MarketingDigestJob> {
  const runAt = nextRunAt(after, settings.at, settings.timeZone);
  const day = localBucket(runAt.getTime(), 'day', settings.timeZone);
  const data = { day, runAt: runAt.toISOString() };
  const existing = await queue.getJob(digestJobId(day));
  if (existing && existing.data.runAt !== data.runAt && (await existing.isDelayed())) await existing.remove();
  await queue.add('digest', data, {
    jobId: digestJobId(day),
    delay: Math.max(0, runAt.getTime() - now.getTime()),
    attempts: 6,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: { age: 8 * 86_400 },
    removeOnFail: { age: 8 * 86_400 },
  });
  return data;
}

/**
 * Runs one day's digest: reads the week's mentions through the stats index, builds the
 * digest of the 24 hours to `runAt` against the day before, and posts it once per day key.
 */
export function createMarketingDigestProcessor(deps: Omit<MarketingDigestDeps, 'now'>) {
  const { redis, prefix, notifier, store, index, log } = deps;
  const postedKey = (day: string) => `${prefix}:mdigest:posted:${day}`;
  const lockKey = (day: string) => `${prefix}:mdigest:posting:${day}`;
  return async (job: Pick<Job<MarketingDigestJob>, 'data' | 'id'>): Promise<DigestOutcome> => {
    const settings = deps.settings();
    if (!settings) return 'off';
    const { day } = job.data;
    const runAt = new Date(job.data.runAt);
    if (await redis.exists(postedKey(day))) return 'already-posted';
    if (!notifier.postMarketingDigest || !notifier.accepts(settings.channel)) {
      log.warn({ channelKey: settings.channel, day }, 'marketing digest not posted: its channel has no Discord channel id');
      return 'no-channel';
    }
    // Two runs of one day at once: one posts, the other waits for its retry and finds it posted.
    if ((await redis.set(lockKey(day), job.id ?? day, 'EX', 300, 'NX')) !== 'OK') throw new Error(`the digest of ${day} is being posted by another run`);
    try {
      const keys = await index.keysBetween(new Date(runAt.getTime() - 8 * DAY_MS), runAt);
      const digest = buildMarketingDigest(await readDigestEntries(store, keys), runAt, { timeZone: settings.timeZone, top: settings.top });
      const ref = await notifier.postMarketingDigest(settings.channel, { ...digest, day }, `marketing-digest:${day}`);
      await redis.set(postedKey(day), JSON.stringify(ref), 'EX', 8 * 86_400);
      log.info({ day, channelKey: settings.channel, happy: digest.happy.count, total: digest.total.count }, 'marketing digest posted');
      return 'posted';
    } finally {
      await redis.del(lockKey(day));
    }
  };
}

/**
 * Starts the digest: its worker, and the next day's job when none is queued. Returns what
 * stops it. Does nothing until `settings()` gives settings.
 */
export async function startMarketingDigest(deps: MarketingDigestDeps): Promise<{ queue: Queue<MarketingDigestJob>; close(): Promise<void> }> {
  const { redis, prefix, log, now = () => new Date() } = deps;
  const queue = new Queue<MarketingDigestJob>(MARKETING_DIGEST_QUEUE, { connection: redis, prefix });
  const run = createMarketingDigestProcessor(deps);
  const worker = new Worker<MarketingDigestJob>(
    MARKETING_DIGEST_QUEUE,
    async (job) => {
      const outcome = await run(job);
      const settings = deps.settings();
      // The next day's, after this day's run time: a late run does not schedule its own day again.
      const at = now();
      if (settings) await scheduleNextDigest(queue, settings, new Date(Math.max(at.getTime(), Date.parse(job.data.runAt))), at);
      return outcome;
    },
    { connection: redis, prefix, concurrency: 1 },
  );
  const onError = (error: Error) => log.error({ err: error.message }, 'marketing digest queue error');
  worker.on('error', onError);
  queue.on('error', onError);
  worker.on('failed', (job, error) => log.warn({ day: job?.data.day, attemptsMade: job?.attemptsMade, err: error.message }, 'marketing digest run failed'));
  const settings = deps.settings();
  if (settings) {
    const next = await scheduleNextDigest(queue, settings, now(), now());
    log.info({ day: next.day, runAt: next.runAt, channelKey: settings.channel }, 'marketing digest scheduled');
  }
  return {
    queue,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

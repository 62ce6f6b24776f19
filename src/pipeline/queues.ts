import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Mention } from '../core/mention.js';
import type { TriageResult } from '../core/triage-result.js';

/** Queue names: the data flow, in order. */
export const QUEUE = {
  ingest: 'ingest',
  notify: 'notify',
  /** Notices for the leads about the service itself (a source failing, a budget reached). */
  alert: 'alert',
  deadLetter: 'dead-letter',
} as const;

/** An ingest job: one mention as a source produced it (validated again by triage). */
export interface IngestJob {
  mention: Mention;
  /** Name of the source that read it. */
  sourceName: string;
  receivedAt: string;
}

/** A notify job: post (or refresh) one mention's card in one channel. */
export interface NotifyJob {
  key: string;
  channelKey: string;
  triage: TriageResult;
  /** Set when the card goes to the leads because someone escalated it: who did. */
  escalatedBy?: string;
}

/** The notify job id of a mention's card in one channel: one card per mention and channel. */
export function cardJobId(key: string, channelKey: string): string {
  return `${key}--${channelKey}`;
}

/** A notice for the leads' channel about the service itself. */
export interface AlertJob {
  /** Channel key, `leads` unless configured otherwise. */
  channelKey: string;
  /** One line, e.g. `Source x stopped: budget reached`. */
  title: string;
  /** What happened and what to do. */
  text: string;
  level: 'warning' | 'error';
  /** The source it is about, when it is about one. */
  source?: string;
  raisedAt: string;
}

/** What the dead-letter queue keeps about a payload that could not be processed. */
export interface DeadLetter {
  fromQueue: string;
  jobId?: string;
  reason: string;
  payload: unknown;
  failedAt: string;
}

/** Retries with exponential backoff; completed jobs trimmed, failed ones kept for a while. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export interface Queues {
  ingest: Queue<IngestJob>;
  notify: Queue<NotifyJob>;
  alert: Queue<AlertJob>;
  deadLetter: Queue<DeadLetter>;
  close(): Promise<void>;
}

/** Opens the three queues of one deployment (producers only; workers are separate). */
export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const common = { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS };
  const ingest = new Queue<IngestJob>(QUEUE.ingest, common);
  const notify = new Queue<NotifyJob>(QUEUE.notify, common);
  const alert = new Queue<AlertJob>(QUEUE.alert, { ...common, defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, removeOnComplete: { age: 7 * 24 * 3600 } } });
  const deadLetter = new Queue<DeadLetter>(QUEUE.deadLetter, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: false, removeOnFail: false },
  });
  return {
    ingest,
    notify,
    alert,
    deadLetter,
    async close() {
      await Promise.all([ingest.close(), notify.close(), alert.close(), deadLetter.close()]);
    },
  };
}

/** Adds a payload to the dead-letter queue with the reason it could not be processed. */
export async function deadLetter(queues: Pick<Queues, 'deadLetter'>, letter: Omit<DeadLetter, 'failedAt'>, now = new Date()): Promise<void> {
  await queues.deadLetter.add('dead-letter', { ...letter, failedAt: now.toISOString() });
}

/**
 * Queues a notice for the leads. `onceId` makes it once-only across processes: the same
 * id is one alert for as long as the completed job is kept (a week).
 */
export async function raiseAlert(queues: Pick<Queues, 'alert'>, alert: Omit<AlertJob, 'raisedAt'>, onceId: string, now = new Date()): Promise<void> {
  const jobId = `alert-${onceId}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
  await queues.alert.add('alert', { ...alert, raisedAt: now.toISOString() }, { jobId });
}

import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { ESCALATION_CHANNEL } from '../core/card-actions.js';
import type { Mention } from '../core/mention.js';
import type { SlaStep } from '../core/sla.js';
import type { TriageResult } from '../core/triage-result.js';

/** Queue names: the data flow, in order. */
export const QUEUE = {
  ingest: 'ingest',
  /** The prefix of the per-channel notify queues, see {@link notifyQueueName}. */
  notify: 'notify',
  /** Notices for the leads about the service itself (a source failing, a budget reached). */
  alert: 'alert',
  deadLetter: 'dead-letter',
  /** SLA timers: delayed jobs, one per mention, state and step. */
  sla: 'sla',
} as const;

/**
 * An ingest job: the mentions of one source batch, as the source produced them (validated
 * again by triage). One job carries up to {@link INGEST_BATCH} mentions, so the queue's own
 * bookkeeping is paid once per batch rather than once per mention; a job with a single
 * mention (`mention`) is what a replayed dead letter or an earlier version queues.
 */
export type IngestJob = {
  /** Name of the source that read it. */
  sourceName: string;
  receivedAt: string;
} & ({ mention: Mention; mentions?: undefined } | { mentions: Mention[]; mention?: undefined });

/** Most mentions one ingest job carries. */
export const INGEST_BATCH = 100;

/** The mentions an ingest job carries, whichever shape it has (unchecked: triage validates each). */
export function ingestMentions(data: Partial<IngestJob> | undefined): unknown[] {
  if (!data) return [];
  if (Array.isArray(data.mentions)) return data.mentions;
  return 'mention' in data ? [data.mention] : [];
}

/** A notify job: post (or refresh) one mention's card in one channel; the card is rendered from the recorded state. */
export interface NotifyJob {
  key: string;
  channelKey: string;
  /** The BullMQ priority it was queued with (a replayed dead letter keeps its place). */
  priority?: number;
  /** Queued by an earlier version, which carried the whole triage; read only to order such a card. */
  triage?: TriageResult;
  /** Set when the card goes to the leads because someone escalated it: who did. */
  escalatedBy?: string;
  /**
   * An earlier attempt may have reached Discord (a replayed dead letter, a card moved from
   * an older queue): look for the card in the channel before posting.
   */
  reconcile?: boolean;
  /** Not a new card: `group` shows a group card's new count on the card already posted (src/pipeline/coalesce.ts). */
  refresh?: 'group';
  /** Not a mention's card: the channel's backlog digest of quiet mentions (src/pipeline/digest.ts); `key` is empty. */
  digest?: boolean;
}

/** The notify job id of a mention's card in one channel: one card per mention and channel. */
export function cardJobId(key: string, channelKey: string): string {
  return `${key}--${channelKey}`;
}

/**
 * The notify queue of one channel, `notify-<channel key>`. One queue per channel, each with
 * one worker, lets each channel go at the pace of its own Discord rate-limit bucket (about
 * five messages per five seconds) while keeping priority order inside the channel; one
 * queue for all would hold the leads' cards behind support's backlog. (BullMQ queue names
 * may not contain `:`; channel keys are lower-case letters, digits and `-`.)
 */
export function notifyQueueName(channelKey: string): string {
  return `${QUEUE.notify}-${channelKey}`;
}

/** Whether a queue name (e.g. a dead letter's `fromQueue`) is a notify queue, old (`notify`) or per channel. */
export function isNotifyQueueName(name: string): boolean {
  return name === QUEUE.notify || (name.startsWith(`${QUEUE.notify}-`) && name.length > QUEUE.notify.length + 1);
}

/** Every channel a card can be queued for: the channels in `discord.yaml` and the escalation channel. */
export function notifyChannelKeys(channels: Readonly<Record<string, unknown>>): string[] {
  return [...new Set([...Object.keys(channels), ESCALATION_CHANNEL])].sort();
}

/** Places within one route priority (see {@link notifyPriority}). */
export const REACH_BUCKETS = 64;
/** BullMQ's lowest priority: 2^21. */
const MAX_BULLMQ_PRIORITY = 2 ** 21;
/** Reach steps per mood tier: one per doubling of followers, every reach from about a million up sharing the first. */
const TIER_BUCKETS = 21;

/** How upset a customer is, for a card's place: an angry one first, then one about to leave, then the calm. */
export type Upset = 'angry' | 'churn-risk' | false;

/**
 * A card's BullMQ priority (1 runs first): the route's priority first, then how upset the
 * customer is (angry before churn risk before calm), then the author's reach.
 * `priority * 64 + (62 - place) + 2` (1 is kept for escalations), where `place` is
 * `tier * 21 + min(20, floor(log2(reach + 1)))` and the tier is 2 for angry, 1 for a churn
 * risk, 0 for calm: a reach step is one doubling, so 10 followers and 10,000 are 10 steps
 * apart. Route priority 0..4 spans 2..320, far inside BullMQ's 1..2^21. (`true` is read
 * as angry, for callers that only know "upset".)
 */
export function notifyPriority(routePriority: number, reach: number, upset: Upset | boolean = false): number {
  const maxLevel = Math.floor((MAX_BULLMQ_PRIORITY - REACH_BUCKETS - 1) / REACH_BUCKETS);
  const level = Math.min(maxLevel, Math.max(0, Math.floor(Number.isFinite(routePriority) ? routePriority : maxLevel)));
  const followers = Number.isFinite(reach) && reach > 0 ? reach : 0;
  const tier = upset === 'angry' || upset === true ? 2 : upset === 'churn-risk' ? 1 : 0;
  const place = tier * TIER_BUCKETS + Math.min(TIER_BUCKETS - 1, Math.floor(Math.log2(followers + 1)));
  // + 2: 1 is the escalations' own, ahead of every routed card.
  return level * REACH_BUCKETS + (TIER_BUCKETS * 3 - 1 - place) + 2;
}

/**
 * A routed card's priority from its mention's triage (see {@link notifyPriority}): within a
 * route priority, angry customers go first, then churn risks, each by reach. An angry
 * customer is the one a spike must not bury: in a burst, hundreds of calmer "thinking of
 * switching" posts from bigger accounts would otherwise go ahead of them.
 */
export function cardPriority(triage: Pick<TriageResult, 'route' | 'reach' | 'classification'>): number {
  const { flags } = triage.classification;
  return notifyPriority(triage.route.priority, triage.reach, flags.includes('angry') ? 'angry' : flags.includes('churn-risk') ? 'churn-risk' : false);
}

/** An escalated card goes before every routed card in the leads' channel. */
export const ESCALATION_PRIORITY = 1;

/** An SLA timer: when it fires, the step applies if the mention is still in the state it was set for. */
export interface SlaJob {
  key: string;
  /** The state change count it was set for (see `MentionState.rev`). */
  rev: number;
  step: SlaStep;
  dueAt: string;
  /** When the wait began (arrival, a release, a reopen): the reminder names the time since. */
  since: string;
  /** The step set once this one has fired (the leads after a reminder): one timer waits per mention at a time. */
  then?: { step: SlaStep; dueAt: string };
}

/** The SLA job id of one step of one state of a mention (BullMQ ids may not contain `:`). */
export function slaJobId(key: string, rev: number, step: SlaStep): string {
  return `sla-${key}-r${rev}-${step}`;
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

/**
 * Retries with exponential backoff; a completed job is removed at once (what it did is in
 * the mention's state, and a kept job would cost Redis memory for every mention), a failed
 * one kept for a week beside its dead letter.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Entries kept in each queue's events stream (BullMQ keeps 10,000 by default: memory for nothing). */
export const EVENTS_MAX_LEN = 500;

export interface Queues {
  ingest: Queue<IngestJob>;
  /** The notify queue of a channel key; opened on first use when it was not opened up front. */
  notifyFor(channelKey: string): Queue<NotifyJob>;
  /** Every notify queue opened so far, in channel key order. */
  notifyQueues(): Array<Queue<NotifyJob>>;
  alert: Queue<AlertJob>;
  deadLetter: Queue<DeadLetter>;
  sla: Queue<SlaJob>;
  close(): Promise<void>;
}

/**
 * Opens the queues of one deployment (producers only; workers are separate).
 * @param notifyChannels - channel keys whose notify queues are opened at once (see {@link notifyChannelKeys}); others open on first use
 */
export function createQueues(connection: ConnectionOptions, prefix: string, notifyChannels: readonly string[] = []): Queues {
  // The events stream is for live watchers (a dashboard); a short one costs little per queue.
  const common = { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS, streams: { events: { maxLen: EVENTS_MAX_LEN } } };
  const ingest = new Queue<IngestJob>(QUEUE.ingest, common);
  const notify = new Map<string, Queue<NotifyJob>>();
  const notifyFor = (channelKey: string): Queue<NotifyJob> => {
    let queue = notify.get(channelKey);
    if (!queue) {
      queue = new Queue<NotifyJob>(notifyQueueName(channelKey), common);
      notify.set(channelKey, queue);
    }
    return queue;
  };
  for (const channelKey of notifyChannels) notifyFor(channelKey);
  const alert = new Queue<AlertJob>(QUEUE.alert, { ...common, defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, removeOnComplete: { age: 7 * 24 * 3600 } } });
  const deadLetter = new Queue<DeadLetter>(QUEUE.deadLetter, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: false, removeOnFail: false },
  });
  const sla = new Queue<SlaJob>(QUEUE.sla, common);
  return {
    ingest,
    notifyFor,
    notifyQueues: () => [...notify].sort(([a], [b]) => a.localeCompare(b)).map(([, queue]) => queue),
    alert,
    deadLetter,
    sla,
    async close() {
      await Promise.all([ingest.close(), ...[...notify.values()].map((queue) => queue.close()), alert.close(), deadLetter.close(), sla.close()]);
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

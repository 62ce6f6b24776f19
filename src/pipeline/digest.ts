/**
 * Backlog digests: while a channel has more cards waiting than its posting rate can clear,
 * quiet mentions (neutral, no flag, low priority, small reach) wait for a periodic digest
 * card that lists them, instead of a card each. Angry, churn-risk, happy, urgent and
 * high-reach mentions keep their own card and go first.
 */
import type { Job, Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { TriageResult } from '../core/triage-result.js';
import type { DigestStore } from '../store/digest-store.js';
import type { MentionState, MentionStore } from '../store/mention-store.js';
import type { Notifier } from './notifier.js';
import { notifyPriority, type NotifyJob } from './queues.js';

export interface DigestSettings {
  /** Cards waiting in a channel from which its quiet mentions go to digests. */
  fromBacklog: number;
  /** Minutes between a channel's digests. */
  everyMinutes: number;
  /** Most mentions one digest card lists (the rest wait for the next). */
  mentionsPerDigest: number;
  /** Route priorities from this one (0 most urgent … 4) count as low. */
  fromPriority: number;
}

/** Whether a mention is quiet enough to wait for a digest under a backlog. */
export function isQuiet(triage: TriageResult, settings: Pick<DigestSettings, 'fromPriority'>, highReach: number): boolean {
  const { classification: c, route, reach } = triage;
  return c.polarity === 'neutral' && c.flags.length === 0 && !c.impostor && route.priority >= settings.fromPriority && reach < highReach;
}

/** The digest job of a channel for the period `at` falls in: one per channel and period, run at its end. */
export function digestJob(channelKey: string, at: Date, everyMinutes: number): { name: string; data: NotifyJob; opts: { jobId: string; priority: number; delay: number } } {
  const period = everyMinutes * 60_000;
  const end = (Math.floor(at.getTime() / period) + 1) * period;
  // After every card of every priority: a digest is for what can wait.
  const priority = notifyPriority(4, 0);
  return { name: 'digest', data: { key: '', channelKey, priority, digest: true }, opts: { jobId: `digest--${channelKey}--${end}`, priority, delay: end - at.getTime() } };
}

/** What triage needs to send quiet mentions to digests. */
export interface Digesting {
  digests: Pick<DigestStore, 'add'>;
  settings: () => DigestSettings;
  /** Reach from which a mention is never quiet (`routing.highReach`). */
  highReach: () => number;
}

type QueuedJob = { name: string; data: NotifyJob; opts: { jobId: string; priority: number; delay?: number; removeOnFail?: boolean } };

/**
 * Under a backlog, takes a batch's quiet mentions out of `cards` (channel → jobs about to be
 * queued) and puts them in line for their channel's digest, queuing the digest job of the
 * period. A channel below `fromBacklog` keeps every card.
 */
export async function deferQuiet(
  cards: Map<string, QueuedJob[]>,
  items: ReadonlyArray<{ key: string; triage: TriageResult }>,
  d: Digesting,
  queueFor: (channelKey: string) => Pick<Queue<NotifyJob>, 'count'>,
  at: Date,
): Promise<void> {
  const settings = d.settings();
  if (settings.fromBacklog <= 0) return;
  const highReach = d.highReach();
  const quiet = new Set(items.filter((item) => isQuiet(item.triage, settings, highReach)).map((item) => item.key));
  if (quiet.size === 0) return;
  for (const [channelKey, jobs] of cards) {
    const deferred = jobs.filter((job) => job.name === 'card' && !job.data.escalatedBy && quiet.has(job.data.key));
    if (deferred.length === 0) continue;
    if ((await queueFor(channelKey).count()) + jobs.length < settings.fromBacklog) continue;
    await d.digests.add(channelKey, deferred.map((job) => job.data.key));
    const kept = jobs.filter((job) => !deferred.includes(job));
    kept.push(digestJob(channelKey, at, settings.everyMinutes));
    cards.set(channelKey, kept);
  }
}

export interface DigestPosterDeps {
  notifier: Pick<Notifier, 'post' | 'findDigest'>;
  store: Pick<MentionStore, 'get' | 'recordCard'>;
  digests: Pick<DigestStore, 'take' | 'done' | 'waiting'>;
  settings: () => DigestSettings;
  /** The channel's notify queue, for the next digest when mentions are still waiting. */
  queueFor(channelKey: string): Pick<Queue<NotifyJob>, 'add'>;
  log: Logger;
  now?: () => Date;
}

/** Whether an earlier attempt of the job ran (failed, or its worker died holding it): it may have posted. */
const mayHavePosted = (job: Pick<Job, 'attemptsMade' | 'attemptsStarted'>) => job.attemptsMade > 0 || (job.attemptsStarted ?? 0) > 1;

/**
 * Posts a channel's digest card: the next waiting mentions (taken once for the job, so a
 * retry posts the same list), each recorded as carded by that message. A retry first looks
 * for the digest among the channel's recent messages (the answer to a post that reached
 * Discord may have been lost, and Discord forgets nonces), so it is posted once. Mentions
 * left over get the next period's digest.
 */
export function createDigestPoster(deps: DigestPosterDeps) {
  const { notifier, store, digests, settings, queueFor, log, now = () => new Date() } = deps;
  return async (job: Job<NotifyJob>): Promise<string> => {
    const { channelKey } = job.data;
    const jobId = job.id ?? `digest--${channelKey}`;
    const { mentionsPerDigest, everyMinutes } = settings();
    // A retried triage job may have put a mention in line twice: it is listed once.
    const keys = [...new Set(await digests.take(channelKey, jobId, mentionsPerDigest))];
    const found = await Promise.all(keys.map((key) => store.get(key)));
    // A mention acted on meanwhile (it has a card, or is closed) needs no line.
    const states = found.filter((s): s is MentionState => s !== undefined && s.status === 'new' && !s.cards.some((c) => c.channelKey === channelKey));
    let outcome = 'empty';
    if (states.length > 0) {
      const waiting = await digests.waiting(channelKey);
      const earlier = mayHavePosted(job) && notifier.findDigest ? await notifier.findDigest(channelKey, states.map((s) => s.key)) : undefined;
      if (earlier) log.info({ channelKey, messageId: earlier.messageId }, 'digest found already posted by an earlier attempt; recorded instead of posting again');
      const ref = earlier ?? (await notifier.post(channelKey, { kind: 'digest', states, waiting }, jobId));
      const postedAt = now();
      for (const state of states) await store.recordCard(state.key, ref, postedAt, state.triage);
      log.info({ channelKey, mentions: states.length, waiting, messageId: ref.messageId }, 'digest posted');
      outcome = ref.messageId;
    }
    await digests.done(jobId);
    if ((await digests.waiting(channelKey)) > 0) {
      const next = digestJob(channelKey, now(), everyMinutes);
      await queueFor(channelKey).add(next.name, next.data, next.opts);
    }
    return outcome;
  };
}

import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import type { CardRef, MentionStore } from '../store/mention-store.js';
import type { Notice, Notifier } from './notifier.js';
import type { NotifyJob } from './queues.js';

export interface NotifyDeps {
  notifier: Notifier;
  store: Pick<MentionStore, 'get' | 'card' | 'recordCard'>;
  log: Logger;
  now?: () => Date;
  /** Role pinged on an escalated card (`discord.leadRoleId`); none pinged when absent. */
  leadRoleId?: string;
  /** Called after each card is posted (the demo counts them). */
  onPosted?: (key: string, channelKey: string) => void;
  /** Counts posted cards and their delay after the post (`cardsPosted`, `cardDelaySeconds`), when given. */
  metrics?: Pick<Metrics, 'cardsPosted' | 'cardDelaySeconds'>;
}

/**
 * Whether an earlier attempt of this job ran: it failed (`attemptsMade`), or its worker
 * died while holding it (a stalled job is started again without counting as failed).
 */
export function isRetry(job: Pick<Job, 'attemptsMade' | 'attemptsStarted'>): boolean {
  return job.attemptsMade > 0 || (job.attemptsStarted ?? 0) > 1;
}

/**
 * The notify stage: posts a mention's card in one channel, once. A retried job finds
 * the card already recorded and does nothing; when an earlier attempt may have posted
 * it without the answer reaching us, the channel's recent messages are searched for it
 * first, so a retry never makes a second card even after Discord forgot the nonce.
 */
export function createNotifyProcessor(deps: NotifyDeps) {
  const { notifier, store, log, now = () => new Date(), onPosted, leadRoleId, metrics } = deps;
  return async (job: Job<NotifyJob>): Promise<string> => {
    const { key, channelKey } = job.data;
    if (await store.card(key, channelKey)) return 'already-posted';
    if (!notifier.accepts(channelKey)) {
      log.warn({ key, channelKey }, 'channel has no Discord id in config; card not posted there');
      return 'channel-not-configured';
    }
    const state = await store.get(key);
    if (!state) throw new UnrecoverableError(`mention ${key} has no recorded state`);
    const notice: Notice = job.data.escalatedBy
      ? { kind: 'escalation', state, escalatedBy: job.data.escalatedBy, ...(leadRoleId ? { leadRoleId } : {}) }
      : { kind: 'card', state };
    let ref: CardRef | undefined = isRetry(job) || job.data.reconcile ? await notifier.findCard(channelKey, key) : undefined;
    const reconciled = ref !== undefined;
    if (ref) log.info({ key, channelKey, messageId: ref.messageId, attempt: job.attemptsStarted }, 'card found already posted by an earlier attempt; recorded instead of posting again');
    ref ??= await notifier.post(channelKey, notice, `${key}/${channelKey}`);
    const postedAt = now();
    await store.recordCard(key, ref, postedAt);
    if (metrics) {
      metrics.cardsPosted.inc({ channel: channelKey });
      // An escalated copy waited for a person, not for the pipeline: not a delay of ours.
      const createdAt = job.data.escalatedBy ? Number.NaN : Date.parse(state.triage.mention.createdAt);
      if (Number.isFinite(createdAt)) metrics.cardDelaySeconds.observe({ channel: channelKey }, Math.max(0, (postedAt.getTime() - createdAt) / 1000));
    }
    // Someone may have acted on another copy while this one was being posted.
    const after = await store.get(key);
    // A reconciled card was rendered by an earlier attempt, from a state that may be older.
    if (after && (reconciled || after.status !== state.status || after.holder?.id !== state.holder?.id)) {
      await notifier.edit(ref, after);
    }
    onPosted?.(key, channelKey);
    log.debug({ key, channelKey, messageId: ref.messageId }, 'card posted');
    return ref.messageId;
  };
}

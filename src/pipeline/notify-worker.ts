import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import { safeForDiscord } from '../core/display-text.js';
import { renderCard, type CardMessage } from '../discord/card.js';
import type { MentionStore } from '../store/mention-store.js';
import type { Notifier } from './notifier.js';
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

/** An escalated card: says who escalated it and pings the leads' role, if one is configured. */
export function withEscalation(card: CardMessage, escalatedBy: string, leadRoleId?: string): CardMessage {
  const who = safeForDiscord(escalatedBy, 80);
  return {
    ...card,
    content: `${leadRoleId ? `<@&${leadRoleId}> ` : ''}Escalated by ${who}`,
    allowed_mentions: { parse: [], roles: leadRoleId ? [leadRoleId] : [] },
  };
}

/**
 * The notify stage: posts a mention's card in one channel, once. A retried job finds
 * the card already recorded and does nothing, so a retry never makes a second card.
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
    const card = job.data.escalatedBy ? withEscalation(renderCard(state), job.data.escalatedBy, leadRoleId) : renderCard(state);
    const ref = await notifier.post(channelKey, card, `${key}/${channelKey}`);
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
    if (after && (after.status !== state.status || after.holder?.id !== state.holder?.id)) {
      await notifier.edit(ref, renderCard(after));
    }
    onPosted?.(key, channelKey);
    log.debug({ key, channelKey, messageId: ref.messageId }, 'card posted');
    return ref.messageId;
  };
}

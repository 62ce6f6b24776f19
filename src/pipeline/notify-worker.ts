import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { renderCard } from '../discord/card.js';
import type { MentionStore } from '../store/mention-store.js';
import type { Notifier } from './notifier.js';
import type { NotifyJob } from './queues.js';

export interface NotifyDeps {
  notifier: Notifier;
  store: Pick<MentionStore, 'get' | 'card' | 'recordCard'>;
  log: Logger;
  now?: () => Date;
  /** Called after each card is posted (the demo counts them). */
  onPosted?: (key: string, channelKey: string) => void;
}

/**
 * The notify stage: posts a mention's card in one channel, once. A retried job finds
 * the card already recorded and does nothing, so a retry never makes a second card.
 */
export function createNotifyProcessor(deps: NotifyDeps) {
  const { notifier, store, log, now = () => new Date(), onPosted } = deps;
  return async (job: Job<NotifyJob>): Promise<string> => {
    const { key, channelKey } = job.data;
    if (await store.card(key, channelKey)) return 'already-posted';
    if (!notifier.accepts(channelKey)) {
      log.warn({ key, channelKey }, 'channel has no Discord id in config; card not posted there');
      return 'channel-not-configured';
    }
    const state = await store.get(key);
    if (!state) throw new UnrecoverableError(`mention ${key} has no recorded state`);
    const ref = await notifier.post(channelKey, renderCard(state), `${key}/${channelKey}`);
    await store.recordCard(key, ref, now());
    onPosted?.(key, channelKey);
    log.debug({ key, channelKey, messageId: ref.messageId }, 'card posted');
    return ref.messageId;
  };
}

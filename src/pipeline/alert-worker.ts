import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Notifier } from './notifier.js';
import type { AlertJob } from './queues.js';

/** Posts each notice for the leads once (the nonce makes a retried post the same message). */
export function createAlertProcessor(deps: { notifier: Notifier; log: Logger }) {
  const { notifier, log } = deps;
  return async (job: Job<AlertJob>): Promise<string> => {
    const alert = job.data;
    if (!notifier.accepts(alert.channelKey)) {
      log.warn({ channelKey: alert.channelKey, title: alert.title, text: alert.text }, 'alert for a channel with no Discord id: logged only');
      return 'channel-not-configured';
    }
    const ref = await notifier.post(alert.channelKey, { kind: 'alert', alert }, `${job.id ?? alert.title}`);
    log.info({ channelKey: alert.channelKey, title: alert.title }, 'alert posted');
    return ref.messageId;
  };
}

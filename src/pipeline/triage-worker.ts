import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import { mentionKey } from '../core/mention-key.js';
import { parseMention } from '../core/parse-mention.js';
import { triage, type TriagePolicy } from '../core/triage.js';
import type { MentionStore } from '../store/mention-store.js';
import { cardJobId, notifyPriority, type IngestJob, type Queues } from './queues.js';

export interface TriageDeps {
  policy: TriagePolicy;
  store: Pick<MentionStore, 'saveTriaged' | 'get'>;
  queues: Pick<Queues, 'notifyFor'>;
  log: Logger;
  now?: () => Date;
  /** Records each job's duration (`triageSeconds`), when given. */
  metrics?: Pick<Metrics, 'triageSeconds'>;
}

/**
 * The triage stage: validates the ingested payload (malformed ones fail for good and go
 * to the dead-letter), runs the pure triage pass, records the mention's state and
 * queues one card per channel on that channel's notify queue, ordered by the route's
 * priority, then by reach.
 */
export function createTriageProcessor(deps: TriageDeps) {
  const { policy, store, queues, log, now = () => new Date(), metrics } = deps;
  const run = async (job: Job<IngestJob>): Promise<string> => {
    const parsed = parseMention(job.data?.mention);
    if (!parsed.ok) throw new UnrecoverableError(`malformed mention: ${parsed.reason}`);
    const key = mentionKey(parsed.mention);
    const created = await store.saveTriaged(key, triage(parsed.mention, policy), now());
    // On a retry or a re-ingest the recorded triage stands: the card must not change under a claimer.
    const state = await store.get(key);
    if (!state) throw new Error(`mention ${key} vanished right after it was saved`);
    const { route } = state.triage;
    const channels = [route.channel, ...route.alsoTo];
    const priority = notifyPriority(route.priority, state.triage.reach);
    await Promise.all(
      channels.map((channelKey) =>
        queues.notifyFor(channelKey).add('card', { key, channelKey, triage: state.triage }, { jobId: cardJobId(key, channelKey), priority }),
      ),
    );
    log.debug({ key, created, channels, rule: route.rule, intent: state.triage.classification.intent }, 'triaged');
    return key;
  };
  if (!metrics) return run;
  return async (job: Job<IngestJob>): Promise<string> => {
    const done = metrics.triageSeconds.startTimer();
    try {
      const key = await run(job);
      done({ outcome: 'triaged' });
      return key;
    } catch (error) {
      done({ outcome: 'failed' });
      throw error;
    }
  };
}

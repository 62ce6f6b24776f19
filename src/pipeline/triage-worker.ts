import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import { mentionKey } from '../core/mention-key.js';
import { parseMention } from '../core/parse-mention.js';
import { triage, type TriagePolicy } from '../core/triage.js';
import type { TriageResult } from '../core/triage-result.js';
import type { MentionStore } from '../store/mention-store.js';
import { cardJobId, deadLetter, ingestMentions, notifyPriority, QUEUE, type IngestJob, type NotifyJob, type Queues } from './queues.js';

export interface TriageDeps {
  policy: TriagePolicy;
  store: Pick<MentionStore, 'saveTriagedMany'>;
  queues: Pick<Queues, 'notifyFor' | 'deadLetter'>;
  log: Logger;
  now?: () => Date;
  /** Records each job's duration (`triageSeconds`) and each malformed mention (`deadLetters`), when given. */
  metrics?: Pick<Metrics, 'triageSeconds' | 'deadLetters'>;
}

/** What one triage job did. */
export interface TriageOutcome {
  triaged: number;
  /** Of those, recorded for the first time now (the others were recorded before and keep their triage). */
  created: number;
  malformed: number;
}

/**
 * The triage stage: validates each ingested mention (a malformed one goes to the
 * dead-letter with the reason, the rest of its batch goes on), runs the pure triage pass,
 * records the mentions' state in one round trip and queues one card per channel on that
 * channel's notify queue, ordered by the route's priority, then by reach. A job of a
 * single malformed mention fails for good, so its payload is the dead letter.
 */
export function createTriageProcessor(deps: TriageDeps) {
  const { policy, store, queues, log, now = () => new Date(), metrics } = deps;
  const run = async (job: Job<IngestJob>): Promise<TriageOutcome> => {
    const raw = ingestMentions(job.data);
    const valid: Array<{ key: string; triage: TriageResult }> = [];
    const malformed: Array<{ payload: unknown; reason: string }> = [];
    for (const item of raw) {
      const parsed = parseMention(item);
      if (parsed.ok) valid.push({ key: mentionKey(parsed.mention), triage: triage(parsed.mention, policy) });
      else malformed.push({ payload: item, reason: parsed.reason });
    }
    // A job of one mention fails for good as a whole: its payload is the dead letter.
    if (raw.length <= 1 && valid.length === 0) throw new UnrecoverableError(`malformed mention: ${malformed[0]?.reason ?? 'the job carries no mention'}`);
    const at = now();
    // On a retry or a re-ingest the recorded triage stands: the card must not change under a claimer.
    const saved = valid.length ? await store.saveTriagedMany(valid, at) : [];
    const cards = new Map<string, Array<{ name: string; data: NotifyJob; opts: { jobId: string; priority: number } }>>();
    let created = 0;
    valid.forEach(({ key }, i) => {
      const { created: isNew, triage: standing } = saved[i]!;
      if (isNew) created += 1;
      const { route } = standing;
      const priority = notifyPriority(route.priority, standing.reach);
      for (const channelKey of [route.channel, ...route.alsoTo]) {
        const list = cards.get(channelKey) ?? [];
        list.push({ name: 'card', data: { key, channelKey, priority }, opts: { jobId: cardJobId(key, channelKey), priority } });
        cards.set(channelKey, list);
      }
      log.debug({ key, created: isNew, channels: [route.channel, ...route.alsoTo], rule: route.rule, intent: standing.classification.intent }, 'triaged');
    });
    await Promise.all([...cards].map(([channelKey, jobs]) => queues.notifyFor(channelKey).addBulk(jobs)));
    // The good ones are safe: now the ones that could not be read, each with its reason.
    for (const { payload, reason } of malformed) {
      const sourceName = job.data?.sourceName;
      log.warn({ jobId: job.id, reason }, 'malformed mention sent to dead-letter');
      await deadLetter(queues, { fromQueue: QUEUE.ingest, reason: `malformed mention: ${reason}`, payload: { mention: payload, sourceName, receivedAt: job.data?.receivedAt } }, at);
      metrics?.deadLetters.inc({ from_queue: QUEUE.ingest });
    }
    return { triaged: valid.length, created, malformed: malformed.length };
  };
  if (!metrics) return run;
  return async (job: Job<IngestJob>): Promise<TriageOutcome> => {
    const done = metrics.triageSeconds.startTimer();
    try {
      const outcome = await run(job);
      done({ outcome: 'triaged' });
      return outcome;
    } catch (error) {
      done({ outcome: 'failed' });
      throw error;
    }
  };
}

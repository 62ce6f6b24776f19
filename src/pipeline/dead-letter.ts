import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import { mentionKey } from '../core/mention-key.js';
import type { Mention } from '../core/mention.js';
import { deadLetter, ingestMentions, QUEUE, type IngestJob, type Queues } from './queues.js';

/** The letters of a failed ingest batch: one single-mention job each, with the mention's key as job id when it has one. */
function splitIngestBatch(job: Job): Array<{ jobId?: string; payload: unknown }> {
  const data = job.data as IngestJob;
  return ingestMentions(data).map((mention) => {
    const m = (mention ?? {}) as Partial<Mention>;
    const jobId = typeof m.source === 'string' && typeof m.id === 'string' && m.id ? mentionKey(m as Mention) : undefined;
    return { ...(jobId ? { jobId } : {}), payload: { mention, sourceName: data.sourceName, receivedAt: data.receivedAt } };
  });
}

/** Whether BullMQ will try this job again after this failure. */
export function isFinalFailure(job: Job, error: Error): boolean {
  if (error instanceof UnrecoverableError || error.name === 'UnrecoverableError') return true;
  return job.attemptsMade >= (job.opts.attempts ?? 1);
}

/**
 * Copies every job that failed for good to the dead-letter queue, with the reason.
 * @param metrics - counts each letter written (`deadLetters` by `from_queue`), when given
 */
export function sendFinalFailuresToDeadLetter(worker: Worker, queues: Pick<Queues, 'deadLetter'>, log: Logger, metrics?: Pick<Metrics, 'deadLetters'>): void {
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = isFinalFailure(job, error);
    log[final ? 'error' : 'warn']({ queue: worker.name, jobId: job.id, attempt: job.attemptsMade, err: error.message }, final ? 'job failed for good; sent to dead-letter' : 'job failed; will retry');
    if (!final) return;
    // An ingest batch becomes one letter per mention, so each can be replayed (or kept) alone.
    const letters = worker.name === QUEUE.ingest && Array.isArray((job.data as Partial<IngestJob> | undefined)?.mentions) ? splitIngestBatch(job) : [{ ...(job.id ? { jobId: job.id } : {}), payload: job.data as unknown }];
    for (const letter of letters) {
      deadLetter(queues, { fromQueue: worker.name, ...letter, reason: error.message }).then(
        () => metrics?.deadLetters.inc({ from_queue: worker.name }),
        (dlqError: Error) => log.error({ err: dlqError.message, jobId: job.id }, 'could not write to dead-letter'),
      );
    }
  });
}

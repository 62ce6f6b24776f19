import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import { deadLetter, type Queues } from './queues.js';

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
    deadLetter(queues, { fromQueue: worker.name, ...(job.id ? { jobId: job.id } : {}), reason: error.message, payload: job.data }).then(
      () => metrics?.deadLetters.inc({ from_queue: worker.name }),
      (dlqError: Error) => log.error({ err: dlqError.message, jobId: job.id }, 'could not write to dead-letter'),
    );
  });
}

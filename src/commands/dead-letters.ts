import { Queue } from 'bullmq';
import { connectRedis } from '../infra/redis-connect.js';
import { QUEUE, type DeadLetter } from '../pipeline/queues.js';
import { writeLine } from './io.js';

export interface DeadLettersOptions {
  redisUrl: string;
  prefix: string;
  /** Newest first, at most this many. */
  limit: number;
  output: NodeJS.WritableStream;
}

/** Longest payload echoed per line; the full payload stays in Redis. */
const PAYLOAD_MAX = 2_000;

/**
 * `dead-letters`: what could not be processed, newest first, one JSON line each
 * (`id` for `replay --id`, `failedAt`, `fromQueue`, `jobId`, `reason`, `payload`).
 * @returns how many entries the dead-letter queue holds in all
 */
export async function listDeadLetters(options: DeadLettersOptions): Promise<number> {
  const connection = await connectRedis(options.redisUrl, { maxRetriesPerRequest: 1 }, options.prefix);
  const queue = new Queue<DeadLetter>(QUEUE.deadLetter, { connection, prefix: options.prefix });
  try {
    const total = await queue.getWaitingCount();
    const jobs = await queue.getJobs(['waiting'], 0, options.limit - 1, false);
    for (const job of jobs) {
      const { payload, ...letter } = job.data;
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      await writeLine(options.output, JSON.stringify({ id: job.id, ...letter, payload: text.length > PAYLOAD_MAX ? `${text.slice(0, PAYLOAD_MAX)}…` : text }));
    }
    return total;
  } finally {
    await queue.close();
    await connection.quit();
  }
}

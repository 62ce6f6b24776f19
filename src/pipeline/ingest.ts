import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import { mentionKey } from '../core/mention-key.js';
import type { MentionStore } from '../store/mention-store.js';
import type { ReadContext, Source, SourceBatch } from '../sources/source.js';
import { deadLetter, type Queues } from './queues.js';

export interface IngestDeps {
  queues: Pick<Queues, 'ingest' | 'deadLetter'>;
  store: Pick<MentionStore, 'seen' | 'markSeen'>;
  redis: Redis;
  prefix: string;
  log: Logger;
  now?: () => Date;
  /** Counts what became of each mention read and each reject dead-lettered, when given. */
  metrics?: Pick<Metrics, 'mentionsIngested' | 'deadLetters'>;
}

export interface IngestCounts {
  read: number;
  enqueued: number;
  duplicates: number;
  rejected: number;
}

export const noCounts = (): IngestCounts => ({ read: 0, enqueued: 0, duplicates: 0, rejected: 0 });

export function addCounts(total: IngestCounts, more: IngestCounts): IngestCounts {
  for (const k of Object.keys(total) as Array<keyof IngestCounts>) total[k] += more[k];
  return total;
}

/** The Redis key of a source's stored cursor (`listen` keeps its own beside it). */
export function cursorKey(prefix: string, sourceName: string, listener = false): string {
  return `${prefix}:cursor:${sourceName}${listener ? ':listen' : ''}`;
}

/**
 * Enqueues one batch, sends its rejects to the dead-letter queue, then stores its cursor.
 * A mention seen before (same platform and id) is skipped.
 */
export async function deliverBatch(source: Pick<Source, 'name'>, batch: SourceBatch, deps: IngestDeps, key: string): Promise<IngestCounts> {
  const { queues, store, redis, log, now = () => new Date(), metrics } = deps;
  const counts = noCounts();
  counts.read = batch.mentions.length;
  // Enqueue first, remember second: a crash in between re-reads the batch and the job id
  // (or, once the job is gone, the recorded state) keeps the mention from doubling. The
  // other order would mark a mention seen that never reached the queue: lost for good.
  const keyed = [...new Map(batch.mentions.map((mention) => [mentionKey(mention), mention])).entries()];
  const seen = keyed.length ? await store.seen(keyed.map(([k]) => k)) : [];
  const fresh = keyed.filter((_, i) => !seen[i]).map(([k, mention]) => ({ key: k, mention }));
  counts.duplicates = batch.mentions.length - fresh.length;
  if (fresh.length) {
    await queues.ingest.addBulk(
      fresh.map(({ key: jobId, mention }) => ({
        name: 'mention',
        data: { mention, sourceName: source.name, receivedAt: now().toISOString() },
        opts: { jobId },
      })),
    );
    await store.markSeen(fresh.map((f) => f.key));
  }
  counts.enqueued = fresh.length;
  metrics?.mentionsIngested.inc({ source: source.name, outcome: 'enqueued' }, counts.enqueued);
  metrics?.mentionsIngested.inc({ source: source.name, outcome: 'duplicate' }, counts.duplicates);
  for (const reject of batch.rejects) {
    counts.rejected += 1;
    log.warn({ source: source.name, at: reject.at, reason: reject.reason }, 'malformed mention sent to dead-letter');
    await deadLetter(queues, { fromQueue: `source:${source.name}`, reason: `${reject.at}: ${reject.reason}`, payload: reject.raw }, now());
    metrics?.mentionsIngested.inc({ source: source.name, outcome: 'rejected' });
    metrics?.deadLetters.inc({ from_queue: `source:${source.name}` });
  }
  await redis.set(key, batch.cursor);
  return counts;
}

/**
 * Reads a source from its stored cursor and puts each new mention on the ingest queue.
 * The cursor advances only after its batch is enqueued, so a crash re-reads rather than
 * loses. Errors the source throws after some batches leave those batches' cursor stored,
 * and their figures in `counts` (filled as the read goes).
 */
export async function ingestFrom(source: Source, deps: IngestDeps, context: ReadContext, counts: IngestCounts = noCounts()): Promise<IngestCounts> {
  const key = cursorKey(deps.prefix, source.name);
  const cursor = (await deps.redis.get(key)) ?? undefined;
  for await (const batch of source.read(cursor, context)) {
    addCounts(counts, await deliverBatch(source, batch, deps, key));
    if (context.signal.aborted) break;
  }
  deps.log.info({ source: source.name, ...counts }, 'source read');
  return counts;
}

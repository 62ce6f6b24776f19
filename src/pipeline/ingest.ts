import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../infra/metrics.js';
import { mentionKey } from '../core/mention-key.js';
import type { MentionStore } from '../store/mention-store.js';
import type { ReadContext, Source, SourceBatch } from '../sources/source.js';
import { createHash } from 'node:crypto';
import type { Mention } from '../core/mention.js';
import { deadLetter, INGEST_BATCH, type IngestJob, type Queues } from './queues.js';

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

function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

/**
 * The ingest job of some fresh mentions. Its id comes from the mentions it carries: one
 * mention's job is its key (`x-1234`), several share a digest of their keys, so a batch
 * read again before triage took it is still one job. (Beyond that, triage records each
 * mention once whatever queues it twice.)
 */
export function ingestJobOf(part: ReadonlyArray<{ key: string; mention: Mention }>, sourceName: string, receivedAt: string): { name: string; data: IngestJob; opts: { jobId: string } } {
  if (part.length === 1) return { name: 'mention', data: { mention: part[0]!.mention, sourceName, receivedAt }, opts: { jobId: part[0]!.key } };
  const digest = createHash('sha256');
  for (const { key } of part) digest.update(key).update('\n');
  return { name: 'mentions', data: { mentions: part.map((p) => p.mention), sourceName, receivedAt }, opts: { jobId: `batch-${digest.digest('base64url').slice(0, 22)}` } };
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
    const receivedAt = now().toISOString();
    await queues.ingest.addBulk(chunk(fresh, INGEST_BATCH).map((part) => ingestJobOf(part, source.name, receivedAt)));
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

import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { mentionKey } from '../core/mention-key.js';
import type { MentionStore } from '../store/mention-store.js';
import type { Source } from '../sources/source.js';
import { deadLetter, type Queues } from './queues.js';

export interface IngestDeps {
  queues: Pick<Queues, 'ingest' | 'deadLetter'>;
  store: Pick<MentionStore, 'seen' | 'markSeen'>;
  redis: Redis;
  prefix: string;
  log: Logger;
  now?: () => Date;
}

export interface IngestCounts {
  read: number;
  enqueued: number;
  duplicates: number;
  rejected: number;
}

/**
 * Reads a source from its stored cursor and puts each new mention on the ingest queue.
 * A mention seen before (same platform and id) is skipped; the cursor advances only
 * after its batch is enqueued, so a crash re-reads rather than loses.
 */
export async function ingestFrom(source: Source, deps: IngestDeps): Promise<IngestCounts> {
  const { queues, store, redis, prefix, log, now = () => new Date() } = deps;
  const cursorKey = `${prefix}:cursor:${source.name}`;
  const counts: IngestCounts = { read: 0, enqueued: 0, duplicates: 0, rejected: 0 };
  const cursor = (await redis.get(cursorKey)) ?? undefined;
  for await (const batch of source.read(cursor)) {
    counts.read += batch.mentions.length;
    // Enqueue first, remember second: a crash in between re-reads the batch and the job id
    // (or, once the job is gone, the recorded state) keeps the mention from doubling. The
    // other order would mark a mention seen that never reached the queue: lost for good.
    const keyed = [...new Map(batch.mentions.map((mention) => [mentionKey(mention), mention])).entries()];
    const seen = await store.seen(keyed.map(([key]) => key));
    const fresh = keyed.filter((_, i) => !seen[i]).map(([key, mention]) => ({ key, mention }));
    counts.duplicates += batch.mentions.length - fresh.length;
    await queues.ingest.addBulk(
      fresh.map(({ key, mention }) => ({
        name: 'mention',
        data: { mention, sourceName: source.name, receivedAt: now().toISOString() },
        opts: { jobId: key },
      })),
    );
    await store.markSeen(fresh.map((f) => f.key));
    counts.enqueued += fresh.length;
    for (const reject of batch.rejects) {
      counts.rejected += 1;
      log.warn({ at: reject.at, reason: reject.reason }, 'malformed mention sent to dead-letter');
      await deadLetter(queues, { fromQueue: `source:${source.name}`, reason: `${reject.at}: ${reject.reason}`, payload: reject.raw }, now());
    }
    await redis.set(cursorKey, batch.cursor);
  }
  log.info({ source: source.name, ...counts }, 'source read');
  return counts;
}

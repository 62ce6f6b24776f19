import { Cluster, type Redis } from 'ioredis';
import { connectRedis } from '../infra/redis-connect.js';
import { joinLong } from '../store/long-fields.js';
import { decodeTriage } from '../store/triage-codec.js';
import { writeLine } from './io.js';

export interface ExportOptions {
  redisUrl: string;
  prefix: string;
  /** Mentions written at or after this instant. */
  since: Date;
  output: NodeJS.WritableStream;
  /** Keys asked of Redis per SCAN step and read per round trip. @defaultValue 500 */
  batch?: number;
}

/**
 * `export`: every mention Redis still holds that was written since `since`, as mention
 * JSON lines, so rules can be tested on the team's own history. The store keeps no time
 * index of all mentions, so the state hashes are walked with SCAN (in batches, never
 * KEYS), and each batch's triage is read in one round trip; the order is Redis's.
 * @returns how many mentions were written
 */
export async function exportMentions(options: ExportOptions): Promise<number> {
  const { prefix, since, output, batch = 500 } = options;
  const redis = await connectRedis(options.redisUrl, { maxRetriesPerRequest: 1 }, prefix);
  let written = 0;
  try {
    // On a cluster SCAN sees one node: walk each primary.
    const nodes: Redis[] = (redis as unknown) instanceof Cluster ? (redis as unknown as Cluster).nodes('master') : [redis];
    for (const node of nodes) {
      // TYPE hash leaves out each mention's history list and send lock.
      const stream = node.scanStream({ match: `${prefix}:mention:*`, type: 'hash', count: batch });
      for await (const states of stream as AsyncIterable<string[]>) {
        if (states.length === 0) continue;
        const pipeline = node.pipeline();
        // The whole hash: a long triage is kept in pieces (see src/store/long-fields.ts).
        for (const key of states) pipeline.hgetallBuffer(key);
        for (const [error, fields] of (await pipeline.exec()) ?? []) {
          const value = error ? undefined : joinLong(fields as Record<string, Buffer>, 'triage');
          if (!value || value.length === 0) continue;
          const { mention } = decodeTriage(value);
          if (Date.parse(mention.createdAt) < since.getTime()) continue;
          await writeLine(output, JSON.stringify(mention));
          written += 1;
        }
      }
    }
    return written;
  } finally {
    await redis.quit();
  }
}

import { Cluster, type Redis } from 'ioredis';
import { connectRedis } from '../infra/redis-connect.js';
import { createMentionStore } from '../store/mention-store.js';
import { csvRecord, REPORT_COLUMNS, reportRow, type ReportRow, type ReportSettings } from '../core/report-row.js';
import { writeLine } from './io.js';

export const REPORT_FORMATS = ['csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  redisUrl: string;
  prefix: string;
  /** Mentions posted at or after this instant. */
  since: Date;
  format: ReportFormat;
  settings: ReportSettings;
  output: NodeJS.WritableStream;
  now?: Date;
  /** Keys asked of Redis per SCAN step. @defaultValue 500 */
  batch?: number;
}

/** Writes rows as CSV (a header line, CRLF line ends) or one JSON array, one row a line. */
function rowWriter(format: ReportFormat, output: NodeJS.WritableStream) {
  let rows = 0;
  return {
    async start(): Promise<void> {
      if (format === 'csv') await writeLine(output, `${csvRecord(REPORT_COLUMNS)}\r`);
      else output.write('[');
    },
    async write(row: ReportRow): Promise<void> {
      if (format === 'csv') await writeLine(output, `${csvRecord(REPORT_COLUMNS.map((c) => row[c]))}\r`);
      else await writeLine(output, `${rows ? ',' : ''}${JSON.stringify(row)}`);
      rows += 1;
    },
    async end(): Promise<void> {
      if (format === 'json') await writeLine(output, ']');
    },
  };
}

/**
 * `report`: one row per mention Redis still holds that was posted since `since`: its
 * times, who claimed and resolved it, mood, intent, rule, channel and whether its SLA was
 * met (see {@link reportRow}). The states are walked with SCAN like `export`; each
 * batch's states and histories are read together. The order is Redis's.
 * @returns how many rows were written
 */
export async function writeReport(options: ReportOptions): Promise<number> {
  const { prefix, since, format, settings, output, now = new Date(), batch = 500 } = options;
  const redis = await connectRedis(options.redisUrl, { maxRetriesPerRequest: 1 }, prefix);
  const store = createMentionStore(redis, { prefix });
  const writer = rowWriter(format, output);
  const statePrefix = `${prefix}:mention:`;
  let written = 0;
  try {
    await writer.start();
    const nodes: Redis[] = (redis as unknown) instanceof Cluster ? (redis as unknown as Cluster).nodes('master') : [redis];
    for (const node of nodes) {
      // TYPE hash leaves out each mention's history list, send lock and SLA marks.
      const stream = node.scanStream({ match: `${statePrefix}*`, type: 'hash', count: batch });
      for await (const keys of stream as AsyncIterable<string[]>) {
        const mentionKeys = keys.map((k) => k.slice(statePrefix.length));
        const read = await Promise.all(mentionKeys.map(async (key) => ({ state: await store.get(key), history: await store.history(key) })));
        for (const { state, history } of read) {
          if (!state || !(Date.parse(state.triage.mention.createdAt) >= since.getTime())) continue;
          await writer.write(reportRow(state, history, settings, now));
          written += 1;
        }
      }
    }
    await writer.end();
    return written;
  } finally {
    await redis.quit();
  }
}

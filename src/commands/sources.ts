import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { cursorKey } from '../pipeline/ingest.js';
import { createSources } from '../sources/create-sources.js';
import type { Source } from '../sources/source.js';
import { createSourceHealthStore, type SourceHealth } from '../store/source-health.js';
import { createSourceKv } from '../store/source-kv.js';
import { connectRedis } from '../infra/redis-connect.js';
import { writeLine } from './io.js';

export interface SourcesOptions {
  config: Config;
  redisUrl: string;
  prefix: string;
  secret: (name: string) => string | undefined;
  log: Logger;
  output: NodeJS.WritableStream;
  /** Print JSON lines instead of a table. */
  json: boolean;
  now?: () => Date;
}

function ago(iso: string | undefined, now: Date): string {
  if (!iso) return 'never';
  const s = Math.round((now.getTime() - Date.parse(iso)) / 1000);
  if (s < 0) return `in ${-s < 120 ? `${-s} s` : -s < 7200 ? `${Math.round(-s / 60)} min` : `${Math.round(-s / 3600)} h`}`;
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : s < 172_800 ? `${Math.round(s / 3600)} h ago` : `${Math.round(s / 86_400)} d ago`;
}

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

/**
 * `sources`: each configured source's health as the running service recorded it (last
 * successful read, mentions today, errors, current wait, and what the source adds, such
 * as X's spend against its budget).
 * @returns the records shown
 */
export async function showSources(options: SourcesOptions): Promise<SourceHealth[]> {
  const { config, output, now = () => new Date() } = options;
  const redis = await connectRedis(options.redisUrl, { maxRetriesPerRequest: 1 }, options.prefix);
  try {
    const health = createSourceHealthStore(redis, options.prefix);
    const built = await createSources(config.sources, { brand: config.brand, secret: options.secret, log: options.log });
    const byName = new Map<string, Source>(built.map((s) => [s.name, s]));
    const rows: SourceHealth[] = [];
    for (const entry of config.sources) {
      const recorded = await health.get(entry.name, now());
      const row: SourceHealth = recorded ?? { name: entry.name, platform: entry.type, status: 'starting', mentionsToday: 0, errors: 0, consecutiveFailures: 0, details: {} };
      if (!entry.enabled) row.status = 'disabled';
      const source = byName.get(entry.name);
      if (source?.describe) row.details = await source.describe(createSourceKv(redis, options.prefix, entry.name)).catch((e: Error) => ({ describe: `failed: ${e.message}` }));
      if (!recorded && entry.enabled) row.lastError = 'not read yet by a running service';
      if (!entry.enabled) row.lastError = 'enabled: false in sources.yaml';
      rows.push(row);
    }
    if (options.json) {
      for (const row of rows) await writeLine(output, JSON.stringify(row));
      return rows;
    }
    const at = now();
    const table = [['SOURCE', 'STATUS', 'LAST READ', 'TODAY', 'ERRORS', 'NEXT/WAIT', 'NOTE']];
    for (const r of rows) {
      const details = Object.entries(r.details).map(([k, v]) => `${k}=${v}`).join(' ');
      const note = [details, r.status === 'ok' ? '' : (r.lastError ?? '')].filter(Boolean).join(' · ');
      table.push([r.name, r.status, ago(r.lastSuccessAt, at), String(r.mentionsToday), `${r.errors}${r.consecutiveFailures ? ` (${r.consecutiveFailures} in a row)` : ''}`, r.waitUntil ? ago(r.waitUntil, at) : '-', note.slice(0, 200)]);
    }
    for (const line of pad(table)) await writeLine(output, line);
    return rows;
  } finally {
    redis.disconnect();
  }
}

export interface DryRunOptions extends SourcesOptions {
  /** Stop reading a source after this many mentions. */
  limit: number;
  progress: NodeJS.WritableStream;
}

/**
 * `sources --dry-run`: reads each enabled source once from its stored cursor and prints
 * what it would ingest, without queueing and without moving any cursor. Reads are real
 * (and on X, billed): stored sessions and spend counters are updated as in service.
 * @returns how many sources failed
 */
export async function dryRunSources(options: DryRunOptions): Promise<number> {
  const { config, output, progress, now = () => new Date() } = options;
  const redis = await connectRedis(options.redisUrl, { maxRetriesPerRequest: 1 }, options.prefix);
  const stop = new AbortController();
  let failed = 0;
  try {
    const sources = await createSources(config.sources, { brand: config.brand, secret: options.secret, log: options.log });
    if (sources.length === 0) progress.write('no source is enabled in sources.yaml\n');
    for (const source of sources) {
      const cursor = (await redis.get(cursorKey(options.prefix, source.name))) ?? undefined;
      progress.write(`${source.name}: reading ${cursor ? 'from its stored cursor' : 'its look-back (no cursor yet)'}…\n`);
      let mentions = 0;
      let rejects = 0;
      try {
        const context = { signal: stop.signal, kv: createSourceKv(redis, options.prefix, source.name), log: options.log, now };
        for await (const batch of source.read(cursor, context)) {
          for (const m of batch.mentions) {
            if (mentions >= options.limit) break;
            mentions += 1;
            const line = options.json
              ? JSON.stringify({ source: source.name, mention: m })
              : `  [${source.name}] @${m.author.handle} (${m.author.followers} followers) ${m.createdAt}: ${m.text.replace(/\s+/g, ' ').slice(0, 160)}`;
            await writeLine(output, line);
          }
          for (const r of batch.rejects) {
            rejects += 1;
            await writeLine(output, options.json ? JSON.stringify({ source: source.name, rejected: r }) : `  [${source.name}] would dead-letter ${r.at}: ${r.reason}`);
          }
          if (mentions >= options.limit) break;
        }
        progress.write(`${source.name}: ${mentions} mentions${mentions >= options.limit ? ` (stopped at --limit ${options.limit})` : ''}, ${rejects} malformed\n`);
      } catch (error) {
        failed += 1;
        progress.write(`${source.name}: FAILED: ${(error as Error).message}\n`);
      } finally {
        await source.close?.().catch(() => undefined);
      }
    }
    return failed;
  } finally {
    redis.disconnect();
  }
}

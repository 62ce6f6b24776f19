import { createReadStream } from 'node:fs';
import type { Logger } from 'pino';
import { mentionKey } from '../core/mention-key.js';
import { parseMentionLine } from '../core/parse-mention.js';
import { readLines } from '../sources/json-lines.js';
import type { Config } from '../config/schema.js';
import { moodOf } from '../discord/card.js';
import { startRuntime, type DiscordAccess, type Runtime } from '../main.js';
import type { Queues } from '../pipeline/queues.js';
import { createDuplicateGroups } from '../store/duplicate-groups.js';
import { createMentionStore } from '../store/mention-store.js';
import type { RedisTarget } from './redis-target.js';

export interface DemoOptions {
  config: Config;
  /** JSON-lines file of mentions to run (the bundled sample by default). */
  mentionsPath: string;
  redis: RedisTarget;
  log: Logger;
  /** Cards go here (the terminal) unless `discord` is given. */
  out: NodeJS.WritableStream & { isTTY?: boolean };
  /** Progress and the summary. */
  progress: NodeJS.WritableStream;
  discord?: DiscordAccess;
  /** Aborting stops the demo early; its workers are closed before it returns. */
  signal?: AbortSignal;
}

export interface DemoResult {
  mentions: number;
  /** Keys of mentions that were read but got no card (empty when all went through). */
  missing: string[];
  cards: number;
  rejected: number;
  deadLetters: number;
}

const PENDING = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

async function drained(queue: Queues['ingest'] | ReturnType<Queues['notifyFor']>, signal?: AbortSignal): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    const counts = await queue.getJobCounts(...PENDING);
    if (Object.values(counts).every((n) => n === 0)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The keys of every well-formed mention in the file: each must end up with a card. */
async function expectedKeys(path: string): Promise<string[]> {
  const keys = new Set<string>();
  for await (const { line } of readLines(createReadStream(path, 'utf8'))) {
    const parsed = parseMentionLine(line);
    if (parsed.ok) keys.add(mentionKey(parsed.mention));
  }
  return [...keys];
}

function tally<T extends string>(values: T[]): string {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(' · ');
}

/**
 * The demo: a file of mentions (the bundled sample) through the real pipeline.
 * Ingest and triage run first; then the notify stage posts every card in priority
 * order (angry and high-reach first), to the terminal or to Discord.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { redis, log, progress, discord, signal } = options;
  const config: Config = {
    ...options.config,
    sources: [{ type: 'file', name: 'file:demo', path: options.mentionsPath, enabled: true, pollSeconds: 30, lookbackHours: 24 }],
    // Every card is queued before the first is posted, a backlog only in appearance: no
    // digest waits for the end of its period here.
    discord: { ...options.config.discord, digest: { ...options.config.discord.digest, fromBacklog: 0 } },
  };
  const started = Date.now();
  const say = (line: string) => progress.write(`${line}\n`);
  const common = { config, redisUrl: redis.url, prefix: redis.prefix, log, ...(discord ? { discord } : {}) };
  const runtimes: Runtime[] = [];
  try {
    const front = await startRuntime({ ...common, roles: ['ingest', 'triage'], ingestOnce: true });
    runtimes.push(front);
    const counts = await front.firstIngest;
    signal?.throwIfAborted();
    say(`ingested ${counts.enqueued} mentions (${counts.duplicates} duplicates skipped, ${counts.rejected} malformed to dead-letter); triaging…`);
    await drained(front.queues.ingest, signal);
    const notifyQueues = front.queues.notifyQueues();
    const cards = await Promise.all(notifyQueues.map((queue) => queue.getJobCounts(...PENDING)));
    const expected = cards.flatMap((counts) => Object.values(counts)).reduce((a, b) => a + b, 0);
    say(`triaged in ${Date.now() - started} ms; posting cards (${expected} queued) in priority order, each channel in parallel${discord ? ' to Discord' : ''}…\n`);
    const posted: Array<{ key: string; channelKey: string }> = [];
    const back = await startRuntime({ ...common, roles: ['notify'], terminal: options.out, onPosted: (key, channelKey) => posted.push({ key, channelKey }) });
    runtimes.push(back);
    for (const queue of notifyQueues) await drained(queue, signal);
    const store = createMentionStore(front.redis, { prefix: redis.prefix });
    const carded = new Set(posted.map((p) => p.key));
    // A near duplicate has no card of its own: it is counted on its group's card.
    const groups = createDuplicateGroups(front.redis, { prefix: redis.prefix, windowSeconds: config.discord.coalescing.windowMinutes * 60 });
    const uncarded = (await expectedKeys(options.mentionsPath)).filter((key) => !carded.has(key));
    const leaders = await Promise.all(uncarded.map((key) => groups.leaderOf(key)));
    const shared = uncarded.filter((_, i) => leaders[i] !== undefined && carded.has(leaders[i]!));
    const missing = uncarded.filter((key) => !shared.includes(key));
    const states = await Promise.all([...carded, ...shared].map((key) => store.get(key)));
    const classifications = states.flatMap((s) => (s ? [s.triage.classification] : []));
    const deadLetters = await front.queues.deadLetter.getJobCountByTypes('waiting', 'completed', 'failed');
    const onGroupCards = shared.length ? ` (${shared.length} near duplicate${shared.length === 1 ? '' : 's'} on their group's card)` : '';
    say(
      [
        `${classifications.length} mentions → ${posted.length} cards${onGroupCards} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        `  mood:    ${tally(classifications.map(moodOf))}`,
        `  intent:  ${tally(classifications.map((c) => c.intent))}`,
        `  channel: ${tally(posted.map((p) => `#${p.channelKey}`))}`,
        `  dead-letter: ${deadLetters}`,
      ].join('\n'),
    );
    return { mentions: counts.enqueued, missing, cards: posted.length, rejected: counts.rejected, deadLetters };
  } finally {
    for (const runtime of runtimes.reverse()) await runtime.close();
  }
}

/**
 * Pipeline benchmark: our ingest → triage → notify queue beside a naive two-stage BullMQ
 * pipeline, Redis memory per retained mention, start to ready, and a spike against the
 * local Discord peer keeping Discord's per-channel limit (5 messages per 5 s).
 *
 *   npm run bench:pipeline -- [--mentions 5000] [--rounds 3] [--retained 1000] [--spike 2000] [--spike-wait 120]
 *
 * Mentions are invented here (several made-up brands, varied texts). Runs on a private
 * redis-server it starts and stops (or on REDIS_URL, each part under its own key prefix,
 * removed afterwards). Prints figures; asserts nothing. Last line:
 * `pipeline <ours>/s naive <naive>/s ratio <r> angry_p99_ms <n>`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import SentimentAnalyzer from 'natural/lib/natural/sentiment/SentimentAnalyzer.js';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';
import pino from 'pino';
import { loadConfig } from '../src/config/load-config.js';
import type { Config } from '../src/config/schema.js';
import type { Mention } from '../src/core/mention.js';
import { mentionKey } from '../src/core/mention-key.js';
import { triage } from '../src/core/triage.js';
import { cardPriority } from '../src/pipeline/queues.js';
import { startPrivateRedis, type PrivateRedis } from '../src/infra/private-redis.js';
import { createDuplicateGroups } from '../src/store/duplicate-groups.js';
import { startRuntime, type Runtime } from '../src/main.js';
import { startDiscordPeer, type DiscordPeer } from '../tests/peers/discord/discord-peer.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fail(message: string): never {
  console.error(`bench:pipeline: ${message}`);
  process.exit(2);
}

function intArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) fail(`--${name} expects a positive whole number, got "${process.argv[i + 1] ?? ''}"`);
  return value;
}

// ---------- invented mentions ----------

const BRANDS = ['Parcelly', 'Loomwick', 'Brindle Bank', 'Quillfox', 'Tandemly', 'Orbitea'];
const THINGS = ['label', 'parcel', 'refund', 'invoice', 'app', 'order', 'card', 'account', 'delivery', 'subscription'];
const PEOPLE = ['my mum', 'our team', 'a customer', 'the courier', 'my flatmate', 'the shop'];
const ANGRY = [
  '{b} charged me twice for one {t} and support has ignored me for 3 days. Unacceptable!!!',
  'WORST service ever. {b} lost my {t} AGAIN and nobody answers. Absolutely furious!!!',
  '@{h} this is a disgrace, {n} hours on hold and my {t} is still missing. I want my money back NOW',
  '{b} is a scam. cancelled my {t} and kept the money. never again, disgusting!!!',
];
const OTHER = [
  'Anyone here using {b} for {t}s? Thinking of moving before the holiday rush.',
  'switched to {b} in {m} and never looking back, {n} {t}s done before my coffee got cold',
  '@{h} how do I change the address on a {t} after it was sent?',
  '{b} {t} page is slow today, took {n} tries but it worked in the end',
  'told {p} about {b}, the {t} thing is genuinely clever. highly recommend',
  'does {b} ship to Norway? asking for {p}',
  '{b} replied within {n} minutes about my {t}, impressed',
  'meh, {b} is fine I guess. the {t} flow could be simpler',
  'is it just me or did {b} change the {t} screen again',
  'reading the {b} blog post about {t}s, interesting numbers',
];
const MONTHS = ['january', 'march', 'june', 'september', 'november'];

/** A small deterministic generator, so every run triages the same texts. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// What people add around the same few sentences; with six of them in each post, two
// posts from one template are different posts, not near duplicates of each other.
const ASIDES = [
  'honestly', 'this morning', 'at work', 'since monday', 'for my shop', 'on the app', 'again', 'right now', 'from my phone', 'last week',
  'seriously', 'for the third time', 'before lunch', 'in the office', 'with two kids', 'on my laptop', 'tbh', 'as usual', 'yesterday', 'tonight',
  'for our team', 'from home', 'on the website', 'after the update', 'during the sale', 'in london', 'on the train', 'with my partner', 'lol', 'ugh',
];

/** The text with six asides at random places between its words. */
function withAsides(text: string, rand: () => number): string {
  const words = text.split(' ');
  for (let k = 0; k < 6; k++) words.splice(1 + Math.floor(rand() * words.length), 0, ASIDES[Math.floor(rand() * ASIDES.length)]!);
  return words.join(' ');
}

/** `n` invented mentions; every `1 / angryShare`-th one is angry (ids from `idBase`). */
function inventMentions(n: number, angryShare: number, idBase: bigint, seed: number): { mentions: Mention[]; angry: Set<string> } {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const mentions: Mention[] = [];
  const angry = new Set<string>();
  const every = Math.round(1 / angryShare);
  const start = Date.now() - 3_600_000;
  for (let i = 0; i < n; i++) {
    const isAngry = i % every === every - 1;
    const brand = pick(BRANDS);
    const handle = `user${Math.floor(rand() * 1e6)}`;
    const text = pick(isAngry ? ANGRY : OTHER)
      .replace('{b}', brand)
      .replace('{h}', brand.toLowerCase().replace(/\s+/g, ''))
      .replace('{t}', pick(THINGS))
      .replace('{p}', pick(PEOPLE))
      .replace('{m}', pick(MONTHS))
      .replace('{n}', String(2 + Math.floor(rand() * 40)));
    const id = String(idBase + BigInt(i));
    const mention: Mention = {
      source: 'x',
      id,
      text: `${withAsides(text, rand)} #${i}`,
      url: `https://x.com/${handle}/status/${id}`,
      createdAt: new Date(start + i * 100).toISOString(),
      // Angry posts stay below the high-reach rule: one card each, in support.
      author: { handle, name: `Invented ${handle}`, followers: Math.floor(rand() * (isAngry ? 4000 : 20000)) },
    } as Mention;
    mentions.push(mention);
    if (isAngry) angry.add(mentionKey(mention));
  }
  return { mentions, angry };
}

function writeJsonLines(mentions: Mention[]): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mt-bench-pipeline-'));
  const path = join(dir, 'mentions.jsonl');
  writeFileSync(path, `${mentions.map((m) => JSON.stringify(m)).join('\n')}\n`);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---------- Redis helpers ----------

async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

async function countByPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

async function infoField(redis: Redis, section: string, field: string): Promise<number> {
  const info = await redis.info(section);
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  return match ? Number(match[1]) : Number.NaN;
}

/** Jobs not yet finished on a queue (waiting, prioritized, delayed or active). */
async function pending(queue: Queue): Promise<number> {
  const c = await queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'waiting-children');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

async function until(probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(intervalMs);
  }
  return false;
}

// ---------- part 1: ours and naive ----------

interface ThroughputRun {
  seconds: number;
  perSecond: number;
  notifyJobs: number;
  commandsPerMention: number;
  bytesPerMention: number;
  keysPerMention: number;
}

async function runOurs(url: string, admin: Redis, config: Config, mentions: Mention[], prefix: string): Promise<ThroughputRun> {
  const file = writeJsonLines(mentions);
  const usedBefore = await infoField(admin, 'memory', 'used_memory');
  const keysBefore = await admin.dbsize();
  const commandsBefore = await infoField(admin, 'stats', 'total_commands_processed');
  const started = performance.now();
  let runtime: Runtime | undefined;
  try {
    runtime = await startRuntime({
      roles: ['ingest', 'triage'],
      config: { ...config, sources: [{ type: 'file', path: file.path, enabled: true, pollSeconds: 30, lookbackHours: 24, name: 'bench-file' }] },
      redisUrl: url,
      prefix,
      log: silent,
      ingestOnce: true,
    });
    const counts = await runtime.firstIngest;
    if (counts.enqueued !== mentions.length) fail(`ours: expected ${mentions.length} mentions enqueued, the source enqueued ${counts.enqueued} (${JSON.stringify(counts)})`);
    const queues = runtime.queues;
    if (!(await until(async () => (await pending(queues.ingest)) === 0, 600_000, 10))) fail('ours: the ingest queue did not drain within 10 minutes');
    const seconds = (performance.now() - started) / 1000;
    const commands = (await infoField(admin, 'stats', 'total_commands_processed')) - commandsBefore;
    let notifyJobs = 0;
    for (const queue of queues.notifyQueues()) notifyJobs += await pending(queue);
    const usedAfter = await infoField(admin, 'memory', 'used_memory');
    const keysAfter = await admin.dbsize();
    return {
      seconds,
      perSecond: mentions.length / seconds,
      notifyJobs,
      commandsPerMention: commands / mentions.length,
      bytesPerMention: (usedAfter - usedBefore) / mentions.length,
      keysPerMention: (keysAfter - keysBefore) / mentions.length,
    };
  } finally {
    await runtime?.close();
    file.remove();
    await deleteByPrefix(admin, prefix);
  }
}

/** The naive pipeline, written plainly: one job per mention per stage, natural's analyzer in between. */
async function runNaive(url: string, admin: Redis, mentions: Mention[], prefix: string): Promise<ThroughputRun> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const analyzer = new SentimentAnalyzer('English', PorterStemmer, 'afinn');
  const tokenizer = new WordTokenizer();
  const a = new Queue('a', { connection, prefix });
  const b = new Queue('b', { connection, prefix });
  let worker: Worker | undefined;
  const usedBefore = await infoField(admin, 'memory', 'used_memory');
  const keysBefore = await admin.dbsize();
  const commandsBefore = await infoField(admin, 'stats', 'total_commands_processed');
  const started = performance.now();
  try {
    worker = new Worker<{ mention: Mention }>(
      'a',
      async (job) => {
        const score = analyzer.getSentiment(tokenizer.tokenize(job.data.mention.text) ?? []);
        await b.add('scored', { mention: job.data.mention, score });
      },
      { connection, prefix, concurrency: 16 },
    );
    for (let i = 0; i < mentions.length; i += 500) {
      await a.addBulk(mentions.slice(i, i + 500).map((mention) => ({ name: 'mention', data: { mention } })));
    }
    if (!(await until(async () => (await b.count()) >= mentions.length, 600_000, 10))) fail('naive: queue B did not reach every mention within 10 minutes');
    const seconds = (performance.now() - started) / 1000;
    const commands = (await infoField(admin, 'stats', 'total_commands_processed')) - commandsBefore;
    const usedAfter = await infoField(admin, 'memory', 'used_memory');
    const keysAfter = await admin.dbsize();
    return {
      seconds,
      perSecond: mentions.length / seconds,
      notifyJobs: await b.count(),
      commandsPerMention: commands / mentions.length,
      bytesPerMention: (usedAfter - usedBefore) / mentions.length,
      keysPerMention: (keysAfter - keysBefore) / mentions.length,
    };
  } finally {
    await worker?.close();
    await a.close();
    await b.close();
    connection.disconnect();
    await deleteByPrefix(admin, prefix);
  }
}

// ---------- part 2b: what a mention keeps in Redis once its cards are posted ----------

interface RetainedRun {
  mentions: number;
  cards: number;
  /** Near duplicates shown on their group's card instead of their own. */
  shared: number;
  bytesPerMention: number;
  keysPerMention: number;
  /** MEMORY USAGE of the run's keys by part, bytes per mention, largest first. */
  parts: Array<[string, number]>;
  /** MEMORY USAGE per mention of what stays as long as the mention is retained: every part but the near-duplicate lookup and the fixed queue bookkeeping. */
  keptPerMention: number;
  /** MEMORY USAGE per mention of the near-duplicate lookup, while the coalescing window is open. */
  lookupPerMention: number;
  /** MEMORY USAGE of the queue bookkeeping, in all. */
  fixedBytes: number;
}

/** The near-duplicate lookup: hashes per hour of post time, each gone three coalescing windows after its last write. */
const LOOKUP_PART = 'near-duplicate lookup';
/** Queue bookkeeping: event streams capped at 500 entries and queue metadata, the same size for 1,000 mentions or a million. */
const FIXED_PART = 'queue bookkeeping';

/** Which part of the service a key of a retained run belongs to (the prefix taken off). */
function partOf(key: string): string {
  if (/^mention:[^:]+$/.test(key)) return 'mention state';
  if (/^mention:[^:]+:/.test(key)) return 'history, SLA marks';
  if (key.startsWith('dup:slot:')) return LOOKUP_PART;
  if (key.startsWith('dup:')) return 'near-duplicate groups';
  if (/^notify|^ingest|^alert|^dead-letter|^sla:(meta|events|id|stalled|repeat)/.test(key)) return FIXED_PART;
  if (key.startsWith('sla:')) return 'SLA timers';
  if (key.startsWith('author:')) return 'author index';
  if (key === 'unclaimed' || key === 'holders' || key === 'counts') return 'unclaimed index, counts';
  if (key.startsWith('stats:')) return 'stats index';
  if (key.startsWith('stack:')) return 'card stacks';
  return 'other';
}

/** MEMORY USAGE of every key under the prefix, summed by {@link partOf}, per mention. */
async function memoryByPart(redis: Redis, prefix: string, mentions: number): Promise<Array<[string, number]>> {
  const parts = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    const batch = redis.pipeline();
    for (const key of keys) batch.memory('USAGE', key, 'SAMPLES', '0');
    const sizes = (await batch.exec()) ?? [];
    keys.forEach((key, i) => {
      const part = partOf(key.slice(prefix.length + 1));
      parts.set(part, (parts.get(part) ?? 0) + Number(sizes[i]?.[1] ?? 0));
    });
  } while (cursor !== '0');
  return [...parts].map(([part, bytes]): [string, number] => [part, bytes / mentions]).sort((a, b) => b[1] - a[1]);
}

/** Every card posted to a Discord peer without limits, then Redis memory and keys per mention: what stays for as long as the mention is retained. */
async function runRetained(url: string, admin: Redis, base: Config, mentions: Mention[], prefix: string): Promise<RetainedRun> {
  const file = writeJsonLines(mentions);
  const peer: DiscordPeer = await startDiscordPeer();
  const config: Config = {
    ...base,
    sources: [{ type: 'file', path: file.path, enabled: true, pollSeconds: 30, lookbackHours: 24, name: 'bench-retained' }],
    // Bytes per mention with a card each: no digest waits for the end of its period here.
    discord: { ...base.discord, channels: { ...peer.channels }, leadRoleId: peer.roles.lead ?? '', digest: { ...base.discord.digest, fromBacklog: 0 } },
  };
  const cardsExpected = mentions.reduce((sum, m) => {
    const route = triage(m, base).route;
    return sum + 1 + route.alsoTo.length;
  }, 0);
  let posted = 0;
  let runtime: Runtime | undefined;
  try {
    const usedBefore = await infoField(admin, 'memory', 'used_memory');
    const keysBefore = await admin.dbsize();
    runtime = await startRuntime({
      roles: ['ingest', 'triage', 'notify'],
      config,
      redisUrl: url,
      prefix,
      log: silent,
      discord: { token: peer.token, apiUrl: peer.apiUrl },
      ingestOnce: true,
      onPosted: () => void (posted += 1),
    });
    await runtime.firstIngest;
    const queues = runtime.queues;
    // Near duplicates share a card: done when every queue is empty, not at a count of cards.
    const done = await until(async () => posted > 0 && (await pending(queues.ingest)) === 0 && (await Promise.all(queues.notifyQueues().map(pending))).every((c) => c === 0), 300_000, 50);
    if (!done) fail(`retained: ${posted} of ${cardsExpected} cards posted within 5 minutes`);
    const shared = (await groupedOf(admin, prefix, config, mentions)).size;
    if (posted + shared < cardsExpected) fail(`retained: ${posted} cards posted and ${shared} near duplicates on group cards, of ${cardsExpected} cards routed`);
    await runtime.close();
    runtime = undefined;
    const usedAfter = await infoField(admin, 'memory', 'used_memory');
    const keysAfter = await admin.dbsize();
    const parts = await memoryByPart(admin, prefix, mentions.length);
    const perMention = (part: string) => parts.find(([name]) => name === part)?.[1] ?? 0;
    const keptPerMention = parts.filter(([name]) => name !== LOOKUP_PART && name !== FIXED_PART).reduce((sum, [, bytes]) => sum + bytes, 0);
    return {
      mentions: mentions.length,
      cards: posted,
      shared,
      bytesPerMention: (usedAfter - usedBefore) / mentions.length,
      keysPerMention: (keysAfter - keysBefore) / mentions.length,
      parts,
      keptPerMention,
      lookupPerMention: perMention(LOOKUP_PART),
      fixedBytes: perMention(FIXED_PART) * mentions.length,
    };
  } finally {
    await runtime?.close(5_000);
    await peer.close();
    file.remove();
    await deleteByPrefix(admin, prefix);
  }
}

// ---------- part 3: start to ready ----------

async function startToReady(url: string, admin: Redis, config: Config, prefix: string, times: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const runtime = await startRuntime({ roles: ['triage'], config, redisUrl: url, prefix, log: silent });
    ms.push(performance.now() - started);
    await runtime.close();
  }
  await deleteByPrefix(admin, prefix);
  return ms;
}

/** A TCP port free on 127.0.0.1 now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `mention-triage start --role triage` as an operator runs it (the built `dist/cli.js`, a
 * process of its own): from spawning it until its `/readyz` answers 200, `times` times.
 */
async function processStartToReady(url: string, admin: Redis, prefix: string, times: number): Promise<number[]> {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) fail('dist/cli.js is missing: run "npm run build" first (npm run bench:pipeline does)');
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const port = await freePort();
    const env = { ...process.env, REDIS_URL: url, MENTION_TRIAGE_PREFIX: prefix, METRICS_PORT: String(port), METRICS_HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'start', '--role', 'triage', '--config', join(ROOT, 'config')], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let gone = false;
    void exited.then(() => (gone = true));
    let answered = false;
    await until(async () => gone || (answered = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false)), 60_000, 5);
    const took = performance.now() - started;
    child.kill('SIGTERM');
    await exited;
    if (!answered) fail(`start --role triage did not become ready within 60 s: ${stderr.trim().slice(0, 500) || 'no output'}`);
    ms.push(took);
  }
  await deleteByPrefix(admin, prefix);
  return ms;
}

// ---------- part 4: spike against the Discord peer ----------

interface SpikeRun {
  mentions: number;
  angry: number;
  angryFlagged: number;
  /** Mentions routed at priority 0 (angry ones included): the cards angry ones share the front with. */
  urgent: number;
  angryCards: number;
  angryMs: number[];
  cardsPosted: number;
  /** Messages the cards took (a stack is one message). */
  messagesPosted: number;
  cardsExpected: number;
  /** Near duplicates shown on their group's card instead of their own. */
  shared: number;
  /**
   * The soonest Discord's limit lets the last angry card arrive, in ms after the first post:
   * every card that goes before it or with it in its channel (priority order; near
   * duplicates on group cards left out), `cardsPerMessage` to a message, `limit` messages
   * each `windowSeconds`. Ingest and triage time not counted.
   */
  lastAngryAllowedMs: number;
  /** The cards those are (the angry ones included). */
  cardsUpToLastAngry: number;
  rateLimited: number;
  drainSeconds: number | undefined;
  waitedSeconds: number;
}

/** Discord's per-channel limit, as the peer keeps it in the spike: about five messages per five seconds. */
const SPIKE_LIMIT = { limit: 5, windowSeconds: 5 };

/** Every card in a message (a stack carries several), by its Claim button (Share on a word-of-mouth card). */
const CLAIM_IDS = /mt:(?:claim|share):([A-Za-z0-9._-]+)/g;

async function runSpike(url: string, admin: Redis, base: Config, n: number, waitSeconds: number, prefix: string): Promise<SpikeRun> {
  const { mentions, angry } = inventMentions(n, 0.02, 1_990_000_000_000_000_000n, 11);
  const triaged = mentions.map((m) => triage(m, base));
  const angryFlagged = mentions.filter((m, i) => angry.has(mentionKey(m)) && triaged[i]!.classification.flags.includes('angry')).length;
  const routes = triaged.map((t) => t.route);
  const cardsExpected = routes.reduce((sum, route) => sum + 1 + route.alsoTo.length, 0);
  const urgent = routes.filter((route) => route.priority === 0).length;
  const file = writeJsonLines(mentions);
  const peer: DiscordPeer = await startDiscordPeer({ enforceRateLimit: SPIKE_LIMIT });
  const config: Config = {
    ...base,
    sources: [{ type: 'file', path: file.path, enabled: true, pollSeconds: 30, lookbackHours: 24, name: 'bench-spike' }],
    discord: { ...base.discord, channels: { ...peer.channels }, leadRoleId: peer.roles.lead ?? '' },
  };
  let posted = 0;
  let runtime: Runtime | undefined;
  const started = Date.now();
  try {
    runtime = await startRuntime({
      roles: ['ingest', 'triage', 'notify'],
      config,
      redisUrl: url,
      prefix,
      log: silent,
      discord: { token: peer.token, apiUrl: peer.apiUrl },
      ingestOnce: true,
      onPosted: () => void (posted += 1),
    });
    await runtime.firstIngest;
    const queues = runtime.queues;
    const drained = await until(
      async () => posted > 0 && (await pending(queues.ingest)) === 0 && (await Promise.all(queues.notifyQueues().map(pending))).every((c) => c === 0),
      Math.max(0, waitSeconds * 1000 - (Date.now() - started)),
      200,
    );
    const waitedSeconds = (Date.now() - started) / 1000;
    const posts = peer.requestsTo('POST', /^\/channels\/\d+\/messages$/);
    // An angry near duplicate is seen on its group's card: the time that card arrived.
    const grouped = await groupedOf(admin, prefix, config, mentions);
    const watched = new Map<string, number>();
    for (const key of angry) {
      const card = grouped.get(key) ?? key;
      watched.set(card, (watched.get(card) ?? 0) + 1);
    }
    // What Discord's limit allows the last angry card: the messages needed for every card
    // ranked at or before it in its channel.
    const keys = mentions.map(mentionKey);
    const angryAt = keys.flatMap((key, i) => (angry.has(key) ? [i] : []));
    const angryChannel = routes[angryAt[0] ?? 0]!.channel;
    const worst = Math.max(...angryAt.map((i) => cardPriority(triaged[i]!)));
    const cardsUpToLastAngry = triaged.filter((t, i) => [t.route.channel, ...t.route.alsoTo].includes(angryChannel) && cardPriority(t) <= worst && (!grouped.has(keys[i]!) || t.reach >= config.discord.coalescing.ownCardFromReach)).length;
    const messagesNeeded = Math.ceil(cardsUpToLastAngry / config.discord.stacking.cardsPerMessage);
    const lastAngryAllowedMs = Math.max(0, Math.ceil(messagesNeeded / SPIKE_LIMIT.limit) - 1) * SPIKE_LIMIT.windowSeconds * 1000;
    const angryMs: number[] = [];
    for (const request of posts) {
      if (request.status !== 200) continue;
      for (const [, key] of JSON.stringify(request.body).matchAll(CLAIM_IDS)) {
        for (let k = 0; key && k < (watched.get(key) ?? 0); k++) angryMs.push(request.at - started);
        if (key) watched.delete(key);
      }
    }
    return {
      mentions: n,
      angry: angry.size,
      angryFlagged,
      urgent,
      angryCards: angryMs.length,
      angryMs: angryMs.sort((x, y) => x - y),
      cardsPosted: posts.filter((r) => r.status === 200).reduce((n, r) => n + [...JSON.stringify(r.body).matchAll(CLAIM_IDS)].length, 0),
      messagesPosted: posts.filter((r) => r.status === 200).length,
      cardsExpected,
      shared: grouped.size,
      lastAngryAllowedMs,
      cardsUpToLastAngry,
      rateLimited: peer.requests.filter((r) => r.status === 429).length,
      drainSeconds: drained ? waitedSeconds : undefined,
      waitedSeconds,
    };
  } finally {
    // Cards still queued are abandoned: the notify worker may be holding a rate limit.
    await runtime?.close(5_000);
    await peer.close();
    file.remove();
    await deleteByPrefix(admin, prefix);
  }
}

/** Mentions that joined another's group (near duplicates), each with the key whose card shows it. */
async function groupedOf(redis: Redis, prefix: string, config: Config, mentions: Mention[]): Promise<Map<string, string>> {
  const groups = createDuplicateGroups(redis, { prefix, windowSeconds: config.discord.coalescing.windowMinutes * 60 });
  const keys = mentions.map(mentionKey);
  const leaders = await Promise.all(keys.map((key) => groups.leaderOf(key)));
  return new Map(keys.flatMap((key, i) => (leaders[i] && leaders[i] !== key ? [[key, leaders[i]!] as [string, string]] : [])));
}

// ---------- report ----------

const quantile = (sorted: number[], q: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : Number.NaN);
const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** The run of median speed (the lower middle of an even count). */
const medianRun = (runs: ThroughputRun[]): ThroughputRun => [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor((runs.length - 1) / 2)]!;
const fmt = (x: number, digits = 0): string => (Number.isFinite(x) ? x.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

async function main(): Promise<void> {
  const n = intArg('mentions', 5_000);
  const spikeN = intArg('spike', 2_000);
  const spikeWait = intArg('spike-wait', 120);
  let server: PrivateRedis | undefined;
  const url = process.env.REDIS_URL ?? (server = await startPrivateRedis()).url;
  const admin = new Redis(url, { maxRetriesPerRequest: 3 });
  const run = `bench-${process.pid}-${Date.now().toString(36)}`;
  // The retained part uses a prefix as short as a deployment's ("mt"): a run's long one would add ~30 bytes to every key it counts.
  const prefixes = { ours: `${run}-ours`, naive: `${run}-naive`, retained: `r${process.pid.toString(36)}`, ready: `${run}-ready`, spike: `${run}-spike`, warm: `${run}-warm` };
  try {
    const config = await loadConfig(join(ROOT, 'config'));
    const { mentions } = inventMentions(n, 0.05, 1_980_000_000_000_000_000n, 7);
    console.log(`bench:pipeline on ${server ? 'a private redis-server' : url}, Node ${process.version}, ${n} mentions, spike ${spikeN}`);

    // Untimed warm-up of both, so neither pays the other's JIT and connection start.
    const warm = inventMentions(300, 0.05, 1_970_000_000_000_000_000n, 3).mentions;
    await runOurs(url, admin, config, warm, `${prefixes.warm}-ours`);
    await runNaive(url, admin, warm, `${prefixes.warm}-naive`);

    // Alternated, a few rounds each, the median of each reported: on a shared machine a
    // neighbour's burst then slows both, not only whichever ran at that moment.
    const rounds = intArg('rounds', 3);
    const oursRuns: ThroughputRun[] = [];
    const naiveRuns: ThroughputRun[] = [];
    for (let r = 0; r < rounds; r++) {
      oursRuns.push(await runOurs(url, admin, config, mentions, `${prefixes.ours}-${r}`));
      naiveRuns.push(await runNaive(url, admin, mentions, `${prefixes.naive}-${r}`));
    }
    const ours = medianRun(oursRuns);
    const naive = medianRun(naiveRuns);
    const retained = await runRetained(url, admin, config, inventMentions(intArg('retained', 1_000), 0.05, 1_960_000_000_000_000_000n, 5).mentions, prefixes.retained);
    const ready = await startToReady(url, admin, config, prefixes.ready, 5);
    const readyProcess = await processStartToReady(url, admin, `${prefixes.ready}-process`, 5);
    const spike = await runSpike(url, admin, config, spikeN, spikeWait, prefixes.spike);

    const leftover = (await Promise.all(Object.values(prefixes).map((p) => countByPrefix(admin, `${p}*`)))).reduce((a, b) => a + b, 0);
    // Each round's ours / naive ran back to back: the median of those ratios, so a slow
    // spell of the machine weighs on both sides of a ratio rather than on one median.
    const ratio = median(oursRuns.map((o, i) => o.perSecond / naiveRuns[i]!.perSecond));
    const rows: Array<[string, string]> = [
      ['throughput, ours (ingest → triage → notify queue; drafts made when posted)', `median ${fmt(ours.perSecond)} mentions/s (${fmt(ours.seconds, 2)} s, ${ours.notifyJobs} notify jobs queued)`],
      ['throughput, naive (A → natural AFINN → B)', `median ${fmt(naive.perSecond)} mentions/s (${fmt(naive.seconds, 2)} s, ${naive.notifyJobs} jobs in B)`],
      ['ratio ours / naive', `${fmt(ratio, 2)} (median of ${oursRuns.length} alternated rounds' ratios; each round ours/naive: ${oursRuns.map((o, i) => `${fmt(o.perSecond)}/${fmt(naiveRuns[i]!.perSecond)}`).join(', ')} mentions/s)`],
      ['Redis commands per mention, ours / naive', `${fmt(ours.commandsPerMention, 1)} / ${fmt(naive.commandsPerMention, 1)}`],
      ['Redis bytes per mention, cards queued, ours / naive', `${fmt(ours.bytesPerMention)} / ${fmt(naive.bytesPerMention)} (used_memory delta / mentions, after the last stage)`],
      ['Redis keys per mention, cards queued, ours / naive', `${fmt(ours.keysPerMention, 2)} / ${fmt(naive.keysPerMention, 2)} (DBSIZE delta / mentions)`],
      ['Redis bytes per retained mention (cards posted)', `${fmt(retained.keptPerMention)} (MEMORY USAGE of what stays while the mention is retained: state, history, indexes, SLA timer, groups; ${retained.mentions} mentions, ${retained.cards} cards, ${retained.shared} on group cards)`],
      ['  + while its coalescing window is open', `${fmt(retained.lookupPerMention)} (near-duplicate lookup, gone 3 windows after its hour's last post: 3 h with the default 60-minute window)`],
      ['  + fixed, not per mention', `${fmt(retained.fixedBytes / 1024)} kB in all (queue event streams capped at 500 entries, queue metadata)`],
      ['  used_memory delta / mentions (all of it, right after the run)', fmt(retained.bytesPerMention)],
      ['Redis keys per retained mention (cards posted)', fmt(retained.keysPerMention, 2)],
      ['  by part (MEMORY USAGE, bytes per mention)', retained.parts.map(([part, bytes]) => `${part} ${fmt(bytes)}`).join('; ')],
      ['start to ready, role triage, in-process (median of 5)', `${fmt(median(ready))} ms (each: ${ready.map((x) => fmt(x)).join(', ')}; startRuntime in this warm process)`],
      ['start to ready, `start --role triage` process (median of 5)', `${fmt(median(readyProcess))} ms (each: ${readyProcess.map((x) => fmt(x)).join(', ')}; spawn of node dist/cli.js until /readyz answers 200)`],
      ['spike: mentions, angry (flagged angry by triage)', `${spike.mentions}, ${spike.angry} (${spike.angryFlagged})`],
      ['spike: mentions routed at priority 0 (angry included)', String(spike.urgent)],
      ['spike: angry cards at the peer', `${spike.angryCards} of ${spike.angry}`],
      ['spike: ingest start → angry card, p50 / p99 / first / last', `${fmt(quantile(spike.angryMs, 0.5))} / ${fmt(quantile(spike.angryMs, 0.99))} / ${fmt(spike.angryMs[0] ?? Number.NaN)} / ${fmt(spike.angryMs.at(-1) ?? Number.NaN)} ms`],
      [
        'spike: last angry card vs what Discord allows',
        `${fmt(spike.angryMs.at(-1) ?? Number.NaN)} ms vs ≥ ${fmt(spike.lastAngryAllowedMs)} ms after the first post (${fmt((spike.angryMs.at(-1) ?? Number.NaN) / Math.max(1, spike.lastAngryAllowedMs), 2)}×; ${spike.cardsUpToLastAngry} cards rank at or before the last angry one in its channel, ${config.discord.stacking.cardsPerMessage} a message)`,
      ],
      ['spike: 429s the peer sent', String(spike.rateLimited)],
      ['spike: cards posted vs mentions (cards routed)', `${spike.cardsPosted} in ${spike.messagesPosted} messages vs ${spike.mentions} (${spike.cardsExpected}; ${spike.shared} near duplicates on group cards)`],
      [
        'spike: time to drain',
        spike.drainSeconds !== undefined
          ? `${fmt(spike.drainSeconds, 1)} s`
          : `not drained after ${fmt(spike.waitedSeconds, 1)} s (--spike-wait); at ${fmt(spike.cardsPosted / spike.waitedSeconds, 2)} cards/s the rest needs ~${fmt((spike.cardsExpected - spike.cardsPosted) / Math.max(1e-9, spike.cardsPosted / spike.waitedSeconds))} s more`,
      ],
      ['leftover keys of this run', String(leftover)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log('');
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    console.log('');
    console.log(`retained_bytes_per_mention ${Math.round(retained.keptPerMention)}`);
    console.log(`pipeline ${fmt(ours.perSecond).replace(/,/g, '')}/s naive ${fmt(naive.perSecond).replace(/,/g, '')}/s ratio ${ratio.toFixed(2)} angry_p99_ms ${Math.round(quantile(spike.angryMs, 0.99))}`);
  } finally {
    await Promise.all(Object.values(prefixes).map((p) => deleteByPrefix(admin, `${p}*`))).catch(() => undefined);
    admin.disconnect();
    // The server's child process is unref'd: hold the event loop open until it has exited.
    const hold = setInterval(() => undefined, 1_000);
    await server?.stop();
    clearInterval(hold);
  }
}

await main();

/**
 * Chaos run: the service as separate processes (ingest, two triage, two notify) on a
 * redis-server with append-only persistence, posting to the local Discord peer, while
 * faults hit every layer: each role killed with SIGKILL mid-burst (several times) and
 * started again, Redis restarted mid-run (reloading its append-only file), and the peer
 * failing a share of bot calls with 5xx, 429 and connection resets (some after the
 * message was stored) and forgetting `enforce_nonce` nonces after 10 s. Afterwards the
 * cards are counted at the peer: every mention must have exactly one card in every
 * channel its route names.
 *
 *   npm run chaos -- [--mentions 600] [--timeout 300] [--kills 3] [--seed N]
 *                    [--window 5] [--fault-rate 0.2] [--redis-restarts 1] [--logs DIR]
 *
 * The peer keeps Discord's per-channel limit of 5 messages per `--window` seconds (5, as
 * Discord). A shorter window runs faster but is harsher than Discord: the 50 recent
 * messages a retry searches for its card then span less time. Mentions are invented here;
 * a few are sent twice, as sources do. `--logs DIR` keeps the processes' logs there. Each
 * missing or doubled card is explained: the requests the peer saw for it, the messages it
 * was in, the faults around it and what the processes logged. Prints a table; the last line is
 * `chaos mentions <n> expected <e> posted <p> missing <m> duplicates <d>`. Exit code 0 when
 * nothing is missing or doubled, 1 otherwise, 2 when the run could not be set up.
 * `npm run chaos` builds first: the processes run `dist/cli.js`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { parseDocument } from 'yaml';
import { loadConfig } from '../src/config/load-config.js';
import type { Config } from '../src/config/schema.js';
import type { Mention } from '../src/core/mention.js';
import { mentionKey } from '../src/core/mention-key.js';
import { triage } from '../src/core/triage.js';
import { redisAnswers } from '../src/infra/private-redis.js';
import { cardJobId, notifyChannelKeys, notifyQueueName, QUEUE } from '../src/pipeline/queues.js';
import { startDiscordPeer, type DiscordPeer, type FaultKind, type RecordedRequest } from '../tests/peers/discord/discord-peer.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const PREFIX = 'chaos';
const NONCE_MEMORY_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class SetupError extends Error {}

// ---------- arguments ----------

function numberArg(name: string, fallback: number, check: (value: number) => boolean, expects: string): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!check(value)) throw new SetupError(`--${name} expects ${expects}, got "${process.argv[i + 1] ?? ''}"`);
  return value;
}
const wholeArg = (name: string, fallback: number, min = 1) =>
  numberArg(name, fallback, (v) => Number.isInteger(v) && v >= min, min === 0 ? 'a whole number, 0 or more' : 'a positive whole number');
function stringArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

// ---------- invented mentions ----------

/** A small deterministic generator, so a seed repeats a run's mentions and schedule. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Mood = 'angry-loud' | 'legal' | 'happy' | 'outage' | 'billing' | 'question' | 'chatter';
const MOODS: Array<[Mood, number]> = [['angry-loud', 0.08], ['legal', 0.05], ['happy', 0.25], ['outage', 0.1], ['billing', 0.12], ['question', 0.2], ['chatter', 0.2]];
const THINGS = ['label', 'parcel', 'refund', 'invoice', 'order', 'account', 'delivery', 'subscription', 'locker', 'return'];
const PHRASES: Record<Mood, string[]> = {
  'angry-loud': [
    'Parcelly lost my {t} AGAIN and nobody answers. Absolutely furious, worst service ever!!!',
    'this is a disgrace @parcelly, hours on hold and my {t} is still missing. I want my money back NOW!!!',
    'Parcelly is a scam, cancelled my {t} and kept the money. never again, disgusting!!!',
    'WORST company ever. Parcelly broke my {t} and support hung up on me. Unacceptable and infuriating!!!',
  ],
  legal: [
    'Parcelly refuses to refund a {t} they never delivered. Talking to my lawyer tomorrow, this is terrible',
    'filed a chargeback against Parcelly for the {t}, awful experience, they ignored every email',
    'Parcelly leaked my address with my {t}, sounds like a data breach to me. terrible and worrying',
  ],
  happy: [
    'Parcelly sorted my {t} in minutes, brilliant support, thank you so much!',
    'love how easy Parcelly makes the {t} thing, genuinely delighted, highly recommend',
    'shoutout to Parcelly for the fastest {t} ever, amazing team, so happy',
    'Parcelly just saved my week with that {t}, fantastic and friendly people',
  ],
  outage: [
    'is Parcelly down? the {t} page will not load at all, outage for everyone here',
    'Parcelly app down again, cannot open my {t}, servers look offline',
    'Parcelly website is down, every {t} page times out, anyone else seeing this outage?',
  ],
  billing: [
    'Parcelly charged me twice for one {t}, please refund the extra payment',
    'my card was billed for a {t} I cancelled, Parcelly please check the invoice',
    'why did Parcelly charge me for the {t} subscription after I cancelled?',
  ],
  question: [
    '@parcelly how do I change the address on a {t} after it was sent?',
    'does Parcelly ship a {t} to Norway? asking for a friend',
    'can anyone tell me how the Parcelly {t} tracking works?',
  ],
  chatter: [
    'reading about Parcelly and the {t} numbers in the weekly roundup',
    'Parcelly came up in the {t} discussion at the meetup tonight',
    'saw a Parcelly van near the station, big {t} sticker on it',
  ],
};
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vi', 'no', 'be', 'qua', 'dor', 'fe', 'lin', 'po', 'zar', 'wen', 'hu', 'gri'];

/** Invented words, different for every mention, so no two texts are near copies of each other. */
function signature(rand: () => number, words: number): string {
  const word = () => Array.from({ length: 2 + Math.floor(rand() * 2) }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join('');
  return Array.from({ length: words }, word).join(' ');
}

/** `n` distinct invented mentions, moods mixed so every channel gets cards. */
function inventMentions(n: number, seed: number): Mention[] {
  const rand = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const start = Date.now() - 600_000;
  const idBase = 1_950_000_000_000_000_000n + BigInt(seed % 1_000_000) * 1_000_000n;
  return Array.from({ length: n }, (_, i) => {
    let roll = rand();
    const mood = MOODS.find(([, share]) => (roll -= share) < 0)?.[0] ?? 'chatter';
    const handle = `${signature(rand, 1)}${i}`;
    const id = String(idBase + BigInt(i));
    const followers = mood === 'angry-loud' ? 6_000 + Math.floor(rand() * 50_000) : Math.floor(rand() * 4_000);
    return {
      source: 'x',
      id,
      text: `${pick(PHRASES[mood]).replace('{t}', pick(THINGS))} ${signature(rand, 6)}`,
      url: `https://x.com/${handle}/status/${id}`,
      createdAt: new Date(start + i * 500).toISOString(),
      author: { handle, name: `Invented ${handle}`, followers },
    } as Mention;
  });
}

// ---------- redis-server with append-only persistence ----------

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no free port'))));
    });
  });
}

interface AofRedis {
  url: string;
  /** Stops the server (SIGTERM: it writes its append-only file out) and starts it again on the same port and folder. */
  restart(downMs: number): Promise<number>;
  stop(): Promise<void>;
  /** For the exit handler: no waiting. */
  killNow(): void;
}

async function startAofRedis(dir: string): Promise<AofRedis> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec',
    '--save', '', '--maxmemory-policy', 'noeviction', '--logfile', join(dir, 'redis.log')];
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn('redis-server', args, { stdio: 'ignore' });
    child = started;
    await new Promise<void>((ok, fail) => {
      started.once('error', (error) => fail(new SetupError(`redis-server could not be started (${error.message}): install it, e.g. apt-get install redis-server`)));
      started.once('spawn', () => ok());
    });
    const deadline = Date.now() + 30_000;
    // Answers PONG only once the append-only file is loaded (LOADING before).
    while (!(await redisAnswers('127.0.0.1', port, 200))) {
      if (started.exitCode !== null) throw new SetupError(`redis-server exited with code ${started.exitCode}; see ${join(dir, 'redis.log')}`);
      if (Date.now() > deadline) throw new SetupError(`redis-server did not answer on port ${port} within 30 s`);
      await sleep(50);
    }
  };
  const halt = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart(downMs) {
      const began = Date.now();
      await halt();
      await sleep(downMs);
      await launch();
      return Date.now() - began;
    },
    stop: halt,
    killNow: () => void child?.kill('SIGKILL'),
  };
}

// ---------- the service's processes ----------

type ChaosRole = 'ingest' | 'triage' | 'notify';
const FLEET: Array<[ChaosRole, number]> = [['ingest', 1], ['triage', 2], ['notify', 2]];

interface Fleet {
  /** Kills one process of the role with SIGKILL and starts it again after `restartMs`. */
  kill(role: ChaosRole, instance: number, restartMs: number): Promise<void>;
  readonly kills: Record<ChaosRole, number>;
  /** Exits nobody asked for (each is started again after a second). */
  readonly unplanned: Record<ChaosRole, number>;
  stop(): Promise<void>;
  killNow(): void;
}

function startFleet(env: NodeJS.ProcessEnv, logDir: string): Fleet {
  const kills = { ingest: 0, triage: 0, notify: 0 };
  const unplanned = { ingest: 0, triage: 0, notify: 0 };
  const running = new Map<string, ChildProcess>();
  let stopping = false;
  const launch = (role: ChaosRole, instance: number) => {
    const name = `${role}-${instance}`;
    const log = openSync(join(logDir, `${name}.log`), 'a');
    const child = spawn(process.execPath, [CLI, 'start', '--role', role], { cwd: ROOT, env, stdio: ['ignore', log, log] });
    closeSync(log);
    running.set(name, child);
    child.once('exit', () => {
      if (running.get(name) !== child) return;
      running.delete(name);
      if (stopping || planned.has(child)) return;
      unplanned[role] += 1;
      setTimeout(() => !stopping && !running.has(name) && launch(role, instance), 1_000).unref();
    });
  };
  const planned = new WeakSet<ChildProcess>();
  for (const [role, count] of FLEET) for (let i = 0; i < count; i++) launch(role, i);
  const stopAll = () => {
    stopping = true;
    for (const child of running.values()) child.kill('SIGKILL');
  };
  return {
    kills,
    unplanned,
    async kill(role, instance, restartMs) {
      const name = `${role}-${instance}`;
      const child = running.get(name);
      if (child) {
        planned.add(child);
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
        kills[role] += 1;
      }
      await sleep(restartMs);
      if (!stopping && !running.has(name)) launch(role, instance);
    },
    async stop() {
      const exits = [...running.values()].map((child) => new Promise((r) => child.once('exit', r)));
      stopAll();
      await Promise.all(exits);
    },
    killNow: stopAll,
  };
}

// ---------- counting ----------

const CLAIM = /^mt:(?:claim|share):(.+)$/;

/** Keys of every card a message carries: one per Claim button (Share on a word-of-mouth card), wherever it sits in the components. */
function cardKeys(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) cardKeys(item, found);
  } else if (typeof node === 'object' && node !== null) {
    const { custom_id: id } = node as { custom_id?: unknown };
    const match = typeof id === 'string' ? CLAIM.exec(id) : null;
    if (match) found.push(match[1]!);
    for (const [field, value] of Object.entries(node)) if (field !== 'custom_id') cardKeys(value, found);
  }
  return found;
}

/** `key channel` → ids of the messages carrying that mention's card in that channel. */
function cardsAtPeer(peer: DiscordPeer<string>, channels: Readonly<Record<string, string>>): { cards: Map<string, string[]>; otherMessages: number } {
  const cards = new Map<string, string[]>();
  let otherMessages = 0;
  for (const [channelKey, channelId] of Object.entries(channels)) {
    for (const message of peer.messagesIn(channelId)) {
      const keys = cardKeys(message.components ?? []);
      if (keys.length === 0) otherMessages += 1;
      for (const key of keys) {
        const at = `${key} ${channelKey}`;
        cards.set(at, [...(cards.get(at) ?? []), message.id]);
      }
    }
  }
  return { cards, otherMessages };
}

async function pendingJobs(queues: Queue[]): Promise<number | undefined> {
  try {
    const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'waiting-children')));
    return counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
  } catch {
    return undefined;
  }
}

// ---------- the run ----------

interface Event {
  at: number;
  what: string;
}

const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** The mention keys a request body carries cards for (the card's number in a stack follows the order). */
const keysIn = (request: RecordedRequest): string[] => cardKeys((request.body as { components?: unknown } | undefined)?.components ?? []);

const at = (ms: number, t0: number) => `${fmt((ms - t0) / 1000, 2).padStart(7)} s`;

function describeRequest(request: RecordedRequest, t0: number): string {
  const body = request.body as { nonce?: string } | undefined;
  const flags = [request.fault && `fault ${request.fault}`, request.dropped && 'stored, answer lost', request.nonceReplay && 'nonce replay'].filter(Boolean).join(', ');
  const created = request.method === 'POST' ? (request.response as { id?: string } | undefined)?.id : undefined;
  const keys = keysIn(request);
  return `${at(request.at, t0)}  ${request.method} ${request.route}${body?.nonce ? ` nonce ${body.nonce}` : ''} -> ${request.status || 'no answer'}${flags ? ` (${flags})` : ''}${created ? ` message ${created}` : ''}${keys.length ? ` cards [${keys.join(' ')}]` : ''}`;
}

/** Everything the peer saw about one mention's card in one channel, and what the processes logged about it. */
async function explain(what: string, key: string, channelKey: string, peer: DiscordPeer<string>, t0: number, events: Event[], admin: Redis, logDir: string): Promise<string[]> {
  const channelId = peer.channels[channelKey] ?? '';
  const inChannel = peer.requests.filter((r) => r.route.startsWith(`/channels/${channelId}/messages`));
  const mine = inChannel.filter((r) => keysIn(r).includes(key));
  const lines = [`${what}: ${key} in #${channelKey}`, '  requests at the peer carrying its card:', ...mine.map((r) => `    ${describeRequest(r, t0)}`)];
  // Every message its card was ever in: created by one of those posts, or edited by one of those edits.
  const messageIds = new Set<string>();
  for (const r of mine) {
    const id = r.method === 'POST' ? (r.response as { id?: string } | undefined)?.id : /\/messages\/(\d+)$/.exec(r.route)?.[1];
    if (id && (r.method !== 'POST' || r.status === 200 || r.dropped)) messageIds.add(id);
  }
  for (const id of messageIds) {
    const now = peer.message(channelId, id);
    lines.push(`  message ${id}, now carrying cards [${now ? cardKeys(now.components ?? []).join(' ') : 'deleted'}]; every request on it:`);
    for (const r of inChannel) {
      const created = r.method === 'POST' && (r.response as { id?: string } | undefined)?.id === id;
      if (created || r.route.endsWith(`/messages/${id}`)) lines.push(`    ${describeRequest(r, t0)}`);
    }
  }
  // A card posted again: what the lookup before it could see (it reads the channel's last 50 messages).
  const order = peer.messagesIn(channelId).map((m) => m.id);
  const posts = mine.filter((r) => r.method === 'POST' && (r.status === 200 || r.dropped));
  const firstId = (posts[0]?.response as { id?: string } | undefined)?.id;
  for (const later of posts.slice(1)) {
    const laterId = (later.response as { id?: string } | undefined)?.id;
    if (!firstId || !laterId || laterId === firstId) continue;
    const between = order.indexOf(laterId) - order.indexOf(firstId) - 1;
    const lookups = inChannel.filter((q) => q.method === 'GET' && q.at <= later.at && q.at >= later.at - 3_000);
    lines.push(`  message ${laterId} came ${fmt((later.at - posts[0]!.at) / 1000, 1)} s after ${firstId} (nonce memory ${NONCE_MEMORY_MS / 1000} s), with ${between} messages of #${channelKey} between them; lookups of the channel in the 3 s before: ${lookups.map((q) => `${at(q.at, t0).trim()} ${q.status || 'no answer'}`).join(', ') || 'none'}`);
  }
  if (mine.length > 0) {
    const from = mine[0]!.at - 15_000;
    const to = mine.at(-1)!.at + 60_000;
    lines.push('  run events around them:', ...events.filter((e) => e.at >= from - t0 && e.at <= to - t0).map((e) => `    ${fmt(e.at / 1000, 2).padStart(7)} s  ${e.what}`));
  }
  const job = await admin.hgetall(`${PREFIX}:${notifyQueueName(channelKey)}:${cardJobId(key, channelKey)}`).catch(() => ({}) as Record<string, string>);
  if (Object.keys(job).length) {
    lines.push(`  notify job still in Redis: attemptsMade ${job.attemptsMade ?? '0'}, attemptsStarted ${job.ats ?? '?'}, stalled ${job.stc ?? '0'}${job.failedReason ? `, failed: ${job.failedReason}` : ''}`);
  }
  const logged: string[] = [];
  for (const file of readdirSync(logDir).filter((f) => f.endsWith('.log')).sort()) {
    for (const line of readFileSync(join(logDir, file), 'utf8').split('\n')) {
      if (!line.includes(key)) continue;
      let record: { time?: number; msg?: string; err?: string; attempt?: number; messageId?: string } = {};
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        // not a log record
      }
      const when = record.time ?? Number.NaN;
      logged.push(`    ${at(when, t0)}  ${file.replace(/\.log$/, '')}: ${record.msg ?? line.slice(0, 200)}${record.attempt ? ` (attempt ${record.attempt})` : ''}${record.err ? `: ${record.err}` : ''}${record.messageId ? ` message ${record.messageId}` : ''}`);
      // Failed answers just before a failure (its card, a lookup of the channel, an edit of its message): the cause is among them.
      if (record.err && Number.isFinite(when)) {
        const related = (q: RecordedRequest) => keysIn(q).includes(key) || q.method === 'GET' || [...messageIds].some((id) => q.route.endsWith(`/messages/${id}`));
        for (const r of inChannel.filter((q) => q.at <= when && q.at >= when - 1_500 && (q.fault || q.status === 0) && related(q))) {
          logged.push(`        failed just before: ${describeRequest(r, t0).trim()}`);
        }
      }
    }
  }
  if (logged.length) lines.push('  logged by the processes (key in the line):', ...logged.slice(0, 30));
  return lines;
}

async function main(): Promise<number> {
  const n = wholeArg('mentions', 600);
  const timeoutSeconds = wholeArg('timeout', 300);
  const killsPerRole = wholeArg('kills', 3, 0);
  const seed = wholeArg('seed', Math.floor(Math.random() * 1_000_000), 0);
  const windowSeconds = numberArg('window', 5, (v) => v > 0 && v <= 60, 'seconds, more than 0');
  const faultRate = numberArg('fault-rate', 0.2, (v) => v >= 0 && v <= 1, 'a share from 0 to 1');
  const redisRestarts = wholeArg('redis-restarts', 1, 0);
  const keptLogs = stringArg('logs');
  if (!existsSync(CLI)) throw new SetupError(`${CLI} not found: run "npm run build" first`);

  const work = mkdtempSync(join(tmpdir(), 'mt-chaos-'));
  const logDir = keptLogs ? resolve(keptLogs) : join(work, 'logs');
  mkdirSync(logDir, { recursive: true });
  mkdirSync(join(work, 'redis'));
  let redis: AofRedis | undefined;
  let peer: DiscordPeer<string> | undefined;
  let fleet: Fleet | undefined;
  let admin: Redis | undefined;
  const queues: Queue[] = [];
  const killNow = () => {
    fleet?.killNow();
    redis?.killNow();
    rmSync(work, { recursive: true, force: true });
  };
  // However the run ends (Ctrl-C, an error, a normal exit), nothing is left behind.
  process.once('exit', killNow);
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`chaos: ${signal}, cleaning up`);
    killNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const base = await loadConfig(join(ROOT, 'config'));
    const channelKeys = notifyChannelKeys(base.discord.channels);
    peer = await startDiscordPeer<string>({
      channels: Object.fromEntries(channelKeys.map((key) => [key, key])),
      enforceRateLimit: { limit: 5, windowSeconds },
      faults: { rate: faultRate, kinds: ['5xx', '429', 'reset'], seed },
      nonceMemoryMs: NONCE_MEMORY_MS,
    });
    const channels = peer.channels;

    // The config the processes read: the repository's, with one file source and the peer's ids.
    const configDir = join(work, 'config');
    cpSync(join(ROOT, 'config'), configDir, { recursive: true });
    const feedPath = join(work, 'mentions.jsonl');
    writeFileSync(feedPath, '');
    writeFileSync(join(configDir, 'sources.yaml'), [
      'alerts:', '  channel: leads', '  failuresInARow: 3', '  silenceHours: 0',
      'sources:', '  - type: file', '    name: chaos', `    path: ${JSON.stringify(feedPath)}`, '    pollSeconds: 1', '    enabled: true', '',
    ].join('\n'));
    // discord.yaml keeps its other settings (stacking); only the ids are the peer's.
    const discordYaml = parseDocument(readFileSync(join(configDir, 'discord.yaml'), 'utf8'));
    for (const key of channelKeys) discordYaml.setIn(['discord', 'channels', key], channels[key]);
    discordYaml.setIn(['discord', 'leadRoleId'], peer.roles.lead ?? '');
    // Every mention is counted for a card of its own: the invented texts share their
    // phrases, so near-duplicate coalescing and backlog digests (tested on their own) are off here.
    discordYaml.setIn(['discord', 'coalescing', 'enabled'], false);
    discordYaml.setIn(['discord', 'digest', 'fromBacklog'], 0);
    writeFileSync(join(configDir, 'discord.yaml'), discordYaml.toString());
    const config: Config = await loadConfig(configDir);

    const mentions = inventMentions(n, seed);
    const expected = new Map<string, string[]>();
    for (const mention of mentions) {
      const { route } = triage(mention, config);
      expected.set(mentionKey(mention), [...new Set([route.channel, ...route.alsoTo])]);
    }
    const expectedCards = [...expected.values()].reduce((sum, c) => sum + c.length, 0);
    const perChannel = Object.fromEntries(channelKeys.map((key) => [key, [...expected.values()].filter((c) => c.includes(key)).length]));

    redis = await startAofRedis(join(work, 'redis'));
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1, lazyConnect: false });
    admin.on('error', () => undefined);
    for (const name of [QUEUE.ingest, ...channelKeys.map(notifyQueueName)]) {
      const queue = new Queue(name, { connection: admin, prefix: PREFIX });
      queue.on('error', () => undefined);
      queues.push(queue);
    }
    const env: NodeJS.ProcessEnv = { ...process.env, DISCORD_TOKEN: peer.token, DISCORD_API_URL: peer.apiUrl, REDIS_URL: redis.url, MENTION_TRIAGE_CONFIG: configDir, MENTION_TRIAGE_PREFIX: PREFIX, LOG_LEVEL: 'info' };
    for (const unwanted of ['METRICS_PORT', 'METRICS_HOST', 'DISCORD_APPLICATION_ID']) delete env[unwanted];

    // The schedule: mentions arrive over the feed; kills land while they are ingested,
    // triaged and posted; Redis goes down once in the middle of it.
    const rand = prng(seed ^ 0x5eed);
    const messagesPerSecond = 5 / windowSeconds;
    const feedSeconds = Math.min(40, Math.max(10, n / 20));
    // Under a backlog a message carries up to `cardsPerMessage` cards.
    const postSeconds = Math.max(...Object.values(perChannel)) / config.discord.stacking.cardsPerMessage / messagesPerSecond;
    const chaosEnd = Math.max(feedSeconds, Math.min(feedSeconds + postSeconds * 0.6, 150));
    const plan: Array<{ at: number; run: () => Promise<void>; what: string }> = [];
    const spread = (count: number, from: number, to: number) =>
      Array.from({ length: count }, (_, i) => from + ((i + 0.2 + 0.6 * rand()) / count) * (to - from));
    const restartMs = () => 500 + Math.floor(rand() * 2_000);
    for (const [role, instances] of FLEET) {
      const [from, to] = role === 'notify' ? [4, chaosEnd] : [2, feedSeconds];
      spread(killsPerRole, from, to).forEach((at, i) => {
        const instance = i % instances;
        const pause = restartMs();
        plan.push({ at, what: `kill -9 ${role}-${instance} (back after ${fmt(pause / 1000, 1)} s)`, run: () => fleet!.kill(role, instance, pause) });
      });
    }
    spread(redisRestarts, chaosEnd * 0.3, chaosEnd * 0.8).forEach((at) => {
      const down = 1_000 + Math.floor(rand() * 2_000);
      plan.push({ at, what: `redis-server stopped (SIGTERM) for ${fmt(down / 1000, 1)} s`, run: async () => void (await redis!.restart(down)) });
    });
    plan.sort((a, b) => a.at - b.at);

    // Lines to write over the feed: each mention once, and every 25th once more later on.
    const lines = mentions.map((m) => JSON.stringify(m));
    const repeats = mentions.filter((_, i) => i % 25 === 7).map((m) => JSON.stringify(m));
    const chunks = Math.max(1, Math.round(feedSeconds * 2));
    const feed: string[][] = Array.from({ length: chunks }, (_, c) => lines.slice(Math.floor((c * n) / chunks), Math.floor(((c + 1) * n) / chunks)));
    repeats.forEach((line, i) => feed[Math.min(chunks - 1, Math.floor(((i + 0.5) / repeats.length) * chunks * 0.8) + Math.floor(chunks * 0.2))]!.push(line));

    console.log(`chaos: ${n} mentions (${repeats.length} sent twice), ${expectedCards} cards expected (${channelKeys.map((k) => `${k} ${perChannel[k]}`).join(', ')})`);
    console.log(`chaos: processes ${FLEET.map(([r, c]) => `${r}×${c}`).join(', ')}; peer ${5}/${windowSeconds} s per channel, faults ${faultRate * 100}% (5xx, 429, reset), nonces forgotten after ${NONCE_MEMORY_MS / 1000} s; seed ${seed}`);
    console.log(`chaos: feed ${fmt(feedSeconds)} s, ${killsPerRole} kills per role and ${redisRestarts} Redis restart(s) within ${fmt(chaosEnd)} s, then waiting up to ${timeoutSeconds} s for the cards`);

    fleet = startFleet(env, logDir);
    const t0 = Date.now();
    const events: Event[] = [];
    const note = (what: string) => events.push({ at: Date.now() - t0, what });
    const feeding = (async () => {
      for (let c = 0; c < chunks; c++) {
        await sleep(Math.max(0, t0 + (c * feedSeconds * 1000) / chunks - Date.now()));
        appendFileSync(feedPath, `${feed[c]!.join('\n')}\n`);
      }
      note('last mentions written');
    })();
    const chaos = (async () => {
      for (const step of plan) {
        await sleep(Math.max(0, t0 + step.at * 1000 - Date.now()));
        note(step.what);
        await step.run();
      }
    })();
    await Promise.all([feeding, chaos]);
    note('faults over (the peer keeps failing its share of calls)');

    // Drained: every expected card is at the peer and nothing is left to do in the queues,
    // three checks in a row (a stalled job waits for its lock to expire before it is
    // retried, and counts as active until then). Settled: the queues stayed empty for
    // QUIET_MS while cards are still missing; nothing is left that could post them.
    const QUIET_MS = 20_000;
    const deadline = Date.now() + timeoutSeconds * 1000;
    let drainedAt: number | undefined;
    let emptySince: number | undefined;
    let settled = false;
    let calm = 0;
    while (Date.now() < deadline) {
      const { cards } = cardsAtPeer(peer, channels);
      const missing = [...expected].some(([key, chans]) => chans.some((c) => !cards.has(`${key} ${c}`)));
      const pending = await pendingJobs(queues);
      emptySince = pending === 0 ? (emptySince ?? Date.now()) : undefined;
      if (!missing && pending === 0) {
        drainedAt ??= Date.now();
        if (++calm >= 3) break;
      } else {
        drainedAt = undefined;
        calm = 0;
      }
      if (missing && emptySince !== undefined && Date.now() - emptySince >= QUIET_MS) {
        settled = true;
        break;
      }
      await sleep(1_000);
    }
    const leftInQueues = await pendingJobs(queues);
    await fleet.stop();
    note('processes stopped');

    const { cards, otherMessages } = cardsAtPeer(peer, channels);
    const missing: Array<[string, string]> = [];
    const duplicates: Array<[string, string, number]> = [];
    let posted = 0;
    for (const [key, chans] of expected) {
      for (const channelKey of chans) {
        const count = cards.get(`${key} ${channelKey}`)?.length ?? 0;
        if (count === 0) missing.push([key, channelKey]);
        if (count > 1) duplicates.push([key, channelKey, count]);
      }
    }
    let orphans = 0;
    let misrouted = 0;
    for (const [at, ids] of cards) {
      const [key, channelKey] = at.split(' ') as [string, string];
      posted += ids.length;
      if (!expected.has(key)) orphans += ids.length;
      else if (!expected.get(key)!.includes(channelKey)) misrouted += ids.length;
    }
    const faults = (kind: FaultKind) => peer!.requests.filter((r) => r.fault === kind);
    const resets = faults('reset');
    const deadLetterJobs = await new Queue(QUEUE.deadLetter, { connection: admin, prefix: PREFIX }).getJobCounts().then((c) => Object.values(c).reduce((a, b) => a + b, 0)).catch(() => Number.NaN);

    const rows: Array<[string, string]> = [
      ['mentions (lines written, repeats included)', `${n} (${n + repeats.length})`],
      ['cards expected (by channel)', `${expectedCards} (${channelKeys.map((k) => `${k} ${perChannel[k]}`).join(', ')})`],
      ['cards at the peer', String(posted)],
      ['missing (mention and channel without a card)', String(missing.length)],
      ['duplicates (mention and channel with more than one card)', `${duplicates.length}${duplicates.length ? ` (${duplicates.reduce((s, [, , c]) => s + c - 1, 0)} extra cards)` : ''}`],
      ['orphans (cards of unknown mentions) / in an unrouted channel', `${orphans} / ${misrouted}`],
      ['other messages at the peer (alerts)', String(otherMessages)],
      ['kills (SIGKILL) by role', (['ingest', 'triage', 'notify'] as const).map((r) => `${r} ${fleet!.kills[r]}`).join(', ')],
      ['exits nobody asked for, by role', (['ingest', 'triage', 'notify'] as const).map((r) => `${r} ${fleet!.unplanned[r]}`).join(', ')],
      ['Redis restarts (append-only file reloaded)', String(redisRestarts)],
      ['requests at the peer', String(peer.requests.length)],
      ['faults injected: 5xx / 429 / reset (after the effect)', `${faults('5xx').length} / ${faults('429').length} / ${resets.length} (${resets.filter((r) => r.dropped).length})`],
      ['429s sent (injected and rate limit)', String(peer.requests.filter((r) => r.status === 429).length)],
      ['creates answered by nonce replay', String(peer.requests.filter((r) => r.nonceReplay).length)],
      ['jobs left in the queues / dead letters', `${leftInQueues ?? 'n/a'} / ${deadLetterJobs}`],
      [
        'time to drain (first mention written → every card posted, queues empty)',
        drainedAt
          ? `${fmt((drainedAt - t0) / 1000, 1)} s`
          : settled
            ? `not drained: the queues were empty from ${fmt((emptySince! - t0) / 1000, 1)} s with cards missing`
            : `not drained: timed out after ${timeoutSeconds} s (--timeout)`,
      ],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log('');
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    console.log('');
    console.log('timeline:');
    for (const e of events) console.log(`  ${fmt(e.at / 1000, 1).padStart(6)} s  ${e.what}`);

    const findings = [...duplicates.map(([k, c, count]) => ['duplicate', k, c, count] as const), ...missing.map(([k, c]) => ['missing', k, c, 0] as const)];
    for (const [what, key, channelKey, count] of findings.slice(0, 8)) {
      console.log('');
      const lines = await explain(what === 'duplicate' ? `duplicate (${count} cards)` : 'missing', key, channelKey, peer, t0, events, admin, logDir);
      for (const line of lines) console.log(line);
    }
    if (findings.length > 8) console.log(`\n… and ${findings.length - 8} more`);
    if (keptLogs) console.log(`\nprocess logs kept in ${logDir}`);
    console.log('');
    console.log(`chaos mentions ${n} expected ${expectedCards} posted ${posted} missing ${missing.length} duplicates ${duplicates.length}`);
    return missing.length === 0 && duplicates.length === 0 ? 0 : 1;
  } finally {
    await fleet?.stop().catch(() => undefined);
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    admin?.disconnect();
    await peer?.close().catch(() => undefined);
    await redis?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
    process.off('exit', killNow);
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`chaos: ${error instanceof SetupError ? error.message : (error as Error).stack ?? String(error)}`);
  process.exitCode = 2;
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aFileSourceConfig, aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const silent = pino({ level: 'silent' });

/** One sample of the Prometheus text format. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = raw!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** What one scrape of `/metrics` said. */
interface Scrape {
  samples: Sample[];
  /** The samples of `name` whose labels include `labels`. */
  find(name: string, labels?: Record<string, string>): Sample[];
  /** The value of the one matching sample (fails when there is not exactly one). */
  value(name: string, labels?: Record<string, string>): number;
  /** The sum over the matching samples (0 when none). */
  sum(name: string, labels?: Record<string, string>): number;
}

async function scrape(runtime: Runtime): Promise<Scrape> {
  const res = await fetch(`${runtime.endpoints!.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = parseExposition(await res.text());
  const find = (name: string, labels: Record<string, string> = {}) => samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    samples,
    find,
    value(name, labels) {
      const found = find(name, labels);
      if (found.length !== 1) throw new Error(`expected one sample of ${name} ${JSON.stringify(labels ?? {})}, found ${found.length}`);
      return found[0]!.value;
    },
    sum: (name, labels) => find(name, labels).reduce((n, s) => n + s.value, 0),
  };
}

async function readyz(runtime: Runtime): Promise<{ status: number; body: { ready: boolean; reason?: string; checks: Record<string, string> } }> {
  const res = await fetch(`${runtime.endpoints!.url}/readyz`);
  return { status: res.status, body: (await res.json()) as { ready: boolean; reason?: string; checks: Record<string, string> } };
}

function writeMentions(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mt-metrics-')), 'mentions.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

describe('operations endpoints on a real Redis', () => {
  let t: TestRedis;
  let config: Config;
  let runtime: Runtime | undefined;

  beforeEach(async () => {
    t = await openTestRedis();
    config = await loadConfig('config');
  });
  afterEach(async () => {
    await runtime?.close(5000);
    runtime = undefined;
    await t.cleanup();
  });

  it('counts what the pipeline did: mentions by outcome, triage, cards per channel and their delay, dead letters, queues and source status', async () => {
    const angry = aMention({ id: '1860000000000000201', createdAt: hoursAgo(1), text: '@parcelly charged me TWICE for one label and no reply for 3 days!!!' });
    const happy = aMention({ id: '1860000000000000202', createdAt: hoursAgo(1), text: 'Switched to @parcelly last month and shipping day is finally calm. Highly recommend!', author: { handle: 'mo', name: 'Mo', followers: 90 } });
    const path = writeMentions([JSON.stringify(angry), JSON.stringify(happy), JSON.stringify(angry), '{"source":"x","id":"7","text":"no author"}']);
    const source = aFileSourceConfig(path);
    const posted: string[] = [];
    runtime = await startRuntime({
      roles: ['ingest', 'triage', 'notify'],
      config: { ...config, sources: [source] },
      redisUrl: t.url,
      prefix: t.prefix,
      log: silent,
      terminal: new PassThrough(),
      ingestOnce: true,
      endpoints: { port: 0 },
      onPosted: (_key, channel) => posted.push(channel),
    });
    expect(runtime.endpoints?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await runtime.firstIngest;
    // Both mentions carded, and the notify queue drained (a card per route channel).
    const notifyQueues = runtime.queues.notifyQueues();
    // Completed jobs are removed at once (the state records the card): drained = none left, none active.
    const pending = async () => (await Promise.all(notifyQueues.map(async (q) => (await q.count()) + (await q.getActiveCount())))).reduce((n, c) => n + c, 0);
    await until(async () => posted.length >= 2 && (await pending()) === 0);

    const m = await scrape(runtime);
    const bySource = { source: source.name };
    expect(m.value('mention_triage_mentions_ingested_total', { ...bySource, outcome: 'enqueued' })).toBe(2);
    expect(m.value('mention_triage_mentions_ingested_total', { ...bySource, outcome: 'duplicate' })).toBe(1);
    expect(m.value('mention_triage_mentions_ingested_total', { ...bySource, outcome: 'rejected' })).toBe(1);
    expect(m.value('mention_triage_dead_letters_total', { from_queue: `source:${source.name}` })).toBe(1);
    // The source's two fresh mentions travel in one ingest job: one triage run.
    expect(m.value('mention_triage_triage_duration_seconds_count', { outcome: 'triaged' })).toBe(1);

    const channels = [...new Set(posted)];
    for (const channel of channels) {
      const n = posted.filter((c) => c === channel).length;
      expect(m.value('mention_triage_cards_posted_total', { channel })).toBe(n);
      expect(m.value('mention_triage_card_delay_seconds_count', { channel })).toBe(n);
      // Posted an hour after the post was written: in the 2 h bucket, not in the 30 min one.
      expect(m.value('mention_triage_card_delay_seconds_bucket', { channel, le: '1800' })).toBe(0);
      expect(m.value('mention_triage_card_delay_seconds_bucket', { channel, le: '7200' })).toBe(n);
    }
    expect(m.sum('mention_triage_cards_posted_total')).toBe(posted.length);

    // Completed jobs are removed at once: nothing kept per mention in the queues.
    expect(m.value('mention_triage_queue_jobs', { queue: 'ingest', state: 'completed' })).toBe(0);
    expect(m.value('mention_triage_queue_jobs', { queue: 'ingest', state: 'waiting' })).toBe(0);
    // One notify queue per channel, each counted on its own.
    for (const channel of channels) expect(m.value('mention_triage_queue_jobs', { queue: `notify-${channel}`, state: 'completed' })).toBe(0);
    expect(m.value('mention_triage_cards_posted_total', { channel: 'support' })).toBe(posted.filter((c) => c === 'support').length);
    expect(m.value('mention_triage_queue_jobs', { queue: 'dead-letter', state: 'waiting' })).toBe(1);
    expect(m.value('mention_triage_queue_oldest_waiting_seconds', { queue: 'ingest' })).toBe(0);

    expect(m.value('mention_triage_source_status', { ...bySource, status: 'ok' })).toBe(1);
    expect(m.sum('mention_triage_source_status', bySource)).toBe(1);
    expect(m.find('mention_triage_source_status', bySource).map((s) => s.labels.status).sort()).toEqual(['backing-off', 'budget-reached', 'disabled', 'ok', 'rate-limited', 'starting']);
    expect(m.sum('mention_triage_source_read_errors_total')).toBe(0);
    // The file source reports no spend: only X sources have the spend gauges.
    expect(m.find('mention_triage_x_spend_this_month_usd')).toEqual([]);
    expect(m.find('mention_triage_scrape_errors_total')).toEqual([]);

    // prom-client's process metrics are there too.
    expect(m.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(m.find('nodejs_eventloop_lag_seconds')).toHaveLength(1);
  });

  it('reports the age of the oldest waiting job, prioritized ones included, and counts failed reads by kind', async () => {
    const failing = { name: 'broken', platform: 'file' as const, pollSeconds: 3600, read: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('feed answered 500')) }) }) };
    runtime = await startRuntime({ roles: ['ingest'], config: { ...config, sources: [] }, sources: [failing], redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true, endpoints: { port: 0 } });
    await runtime.firstIngest;
    // Nothing consumes these queues in this runtime: the jobs stay waiting.
    const now = Date.now();
    await runtime.queues.ingest.add('mention', { mention: aMention({ id: '1' }), sourceName: 'test', receivedAt: new Date(now).toISOString() }, { jobId: 'x-1', timestamp: now - 300_000 });
    await runtime.queues.ingest.add('mention', { mention: aMention({ id: '2' }), sourceName: 'test', receivedAt: new Date(now).toISOString() }, { jobId: 'x-2', timestamp: now - 120_000 });
    const card = (key: string) => ({ key, channelKey: 'support', triage: {} as never });
    // The urgent card is newer: the oldest waiting one is the low-priority card behind it.
    await runtime.queues.notifyFor('support').add('card', card('x-3'), { jobId: 'x-3--support', priority: 1, timestamp: now - 60_000 });
    await runtime.queues.notifyFor('support').add('card', card('x-4'), { jobId: 'x-4--support', priority: 9, timestamp: now - 900_000 });

    const m = await scrape(runtime);
    expect(m.value('mention_triage_queue_jobs', { queue: 'ingest', state: 'waiting' })).toBe(2);
    expect(m.value('mention_triage_queue_jobs', { queue: 'notify-support', state: 'prioritized' })).toBe(2);
    const ingestAge = m.value('mention_triage_queue_oldest_waiting_seconds', { queue: 'ingest' });
    expect(ingestAge).toBeGreaterThanOrEqual(300);
    expect(ingestAge).toBeLessThan(900);
    expect(m.value('mention_triage_queue_oldest_waiting_seconds', { queue: 'notify-support' })).toBeGreaterThanOrEqual(900);
    expect(m.value('mention_triage_queue_oldest_waiting_seconds', { queue: 'alert' })).toBe(0);

    expect(m.value('mention_triage_source_read_errors_total', { source: 'broken', kind: 'failed' })).toBe(1);
    expect(m.value('mention_triage_source_status', { source: 'broken', status: 'backing-off' })).toBe(1);
  });

  it('answers /healthz while alive and /readyz 200 only while Redis answers, 503 with the reason once it does not', async () => {
    runtime = await startRuntime({ roles: ['ingest'], config: { ...config, sources: [] }, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true, endpoints: { port: 0 } });
    const { url } = runtime.endpoints!;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await readyz(runtime)).toEqual({ status: 200, body: { ready: true, checks: { runtime: 'ok', redis: 'ok' } } });

    runtime.redis.disconnect();
    const down = await readyz(runtime);
    expect(down.status).toBe(503);
    // Depending on how far the disconnect got: the connection's status, or the PING refused.
    const redisDown = /^(connection is (close|end|reconnecting)|PING failed: Connection is closed\.)$/;
    expect(down.body).toEqual({ ready: false, reason: expect.stringMatching(/^redis: /), checks: { runtime: 'ok', redis: expect.stringMatching(redisDown) } });
    expect(down.body.reason).toBe(`redis: ${down.body.checks.redis}`);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // A scrape still answers: the queue gauges are left out and the failed reading counted.
    const m = await scrape(runtime);
    expect(m.find('mention_triage_queue_jobs')).toEqual([]);
    expect(m.value('mention_triage_scrape_errors_total', { reader: 'queues' })).toBe(1);

    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
    await runtime.close(2000);
    runtime = undefined;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

describe('operations endpoints with the Discord bot', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let runtime: Runtime | undefined;

  beforeEach(async () => {
    peer = await startDiscordPeer();
    t = await openTestRedis();
  });
  afterEach(async () => {
    await runtime?.close(5000);
    runtime = undefined;
    await peer.close();
    await t.cleanup();
  });

  it('counts cards per channel and Discord rate-limit waits, and is ready only while the gateway session is', async () => {
    const base = await loadConfig('config');
    const path = writeMentions([JSON.stringify(aMention({ id: '1860000000000000301', createdAt: hoursAgo(0.5) }))]);
    const config = { ...base, sources: [aFileSourceConfig(path)], discord: { ...base.discord, channels: { ...peer.channels } } };
    peer.rateLimitNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, retryAfterSeconds: 0.2 });
    runtime = await startRuntime({
      roles: ['ingest', 'triage', 'notify', 'bot'],
      config,
      redisUrl: t.url,
      prefix: t.prefix,
      log: silent,
      discord: { token: peer.token, apiUrl: peer.apiUrl },
      ingestOnce: true,
      endpoints: { port: 0 },
    });
    await runtime.firstIngest;
    const posts = () => peer.requestsTo('POST', /^\/channels\/\d+\/messages$/).filter((r) => r.status === 200);
    await until(() => posts().length > 0 && peer.messagesIn(peer.channels.support).length > 0);
    const m = await until(async () => {
      const s = await scrape(runtime!);
      return s.sum('mention_triage_cards_posted_total') === posts().length && s;
    });
    expect(peer.requests.some((r) => r.status === 429)).toBe(true);
    expect(m.sum('mention_triage_discord_rate_limits_total')).toBeGreaterThanOrEqual(1);
    expect(m.sum('mention_triage_discord_rate_limit_wait_seconds_total')).toBeGreaterThan(0);
    expect(m.value('mention_triage_cards_posted_total', { channel: 'support' })).toBe(peer.messagesIn(peer.channels.support).length);

    expect(await readyz(runtime)).toEqual({ status: 200, body: { ready: true, checks: { runtime: 'ok', redis: 'ok', discord: 'ok' } } });
    await runtime.client!.destroy();
    expect(await readyz(runtime)).toEqual({ status: 503, body: { ready: false, reason: 'discord: gateway session is not ready', checks: { runtime: 'ok', redis: 'ok', discord: 'gateway session is not ready' } } });
  });
});

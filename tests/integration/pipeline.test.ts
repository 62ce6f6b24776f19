import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { listDeadLetters } from '../../src/commands/dead-letters.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { ingestMentions } from '../../src/pipeline/queues.js';
import { createMentionStore } from '../../src/store/mention-store.js';
import { aFileSourceConfig, aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const silent = pino({ level: 'silent' });

function writeMentions(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mt-pipeline-')), 'mentions.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('the pipeline on a real Redis, cards to the terminal', () => {
  let t: TestRedis;
  let config: Config;
  let runtime: Runtime | undefined;

  beforeEach(async () => {
    t = await openTestRedis();
    config = await loadConfig('config');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await t.cleanup();
  });

  it('turns each distinct mention into one card, skips repeats and dead-letters malformed lines with their line number', async () => {
    const angry = aMention({ id: '1860000000000000001', text: '@parcelly charged me TWICE for one label and no reply for 3 days!!!' });
    const happy = aMention({ id: '1860000000000000002', text: 'Switched to @parcelly last month and shipping day is finally calm. Highly recommend!', author: { handle: 'mo', name: 'Mo', followers: 90 } });
    const path = writeMentions([
      JSON.stringify(angry),
      '{"source":"x","id":"7","text":"no author here"}',
      JSON.stringify(happy),
      JSON.stringify(angry),
      'this is not json',
    ]);
    const terminal = new PassThrough();
    let printed = '';
    terminal.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const posted: string[] = [];
    runtime = await startRuntime({
      roles: ['ingest', 'triage', 'notify'],
      config: { ...config, sources: [aFileSourceConfig(path)] },
      redisUrl: t.url,
      prefix: t.prefix,
      log: silent,
      terminal,
      ingestOnce: true,
      onPosted: (key, channel) => posted.push(`${key}>${channel}`),
    });
    const counts = await runtime.firstIngest;
    expect(counts).toEqual({ read: 3, enqueued: 2, duplicates: 1, rejected: 2 });

    const store = createMentionStore(t.redis, { prefix: t.prefix });
    const expectedCards = async () => {
      const states = await Promise.all(['x-1860000000000000001', 'x-1860000000000000002'].map((k) => store.get(k)));
      const want = states.reduce((n, s) => n + (s ? 1 + s.triage.route.alsoTo.length : 99), 0);
      return posted.length === want && want;
    };
    await until(expectedCards);
    const angryState = await store.get('x-1860000000000000001');
    expect(angryState?.status).toBe('new');
    expect(angryState?.triage.classification.polarity).toBe('negative');
    expect(angryState?.cards.map((c) => c.channelKey)).toContain(angryState?.triage.route.channel);
    expect(printed).toContain('charged me TWICE');
    expect(printed).toContain('[Claim]');

    const letters = await runtime.queues.deadLetter.getJobs(['waiting']);
    const reasons = letters.map((j) => j.data.reason).sort();
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(/mentions\.jsonl:2: author: /);
    expect(reasons[1]).toMatch(/mentions\.jsonl:5: not JSON/);

    // What `mention-triage dead-letters` shows: newest first, with the reason and the raw line.
    const out = new PassThrough();
    let listed = '';
    out.on('data', (chunk: Buffer) => (listed += chunk.toString()));
    expect(await listDeadLetters({ redisUrl: t.url, prefix: t.prefix, limit: 1, output: out })).toBe(2);
    const lines = listed.trim().split('\n').map((l) => JSON.parse(l) as { reason: string; payload: string; fromQueue: string });
    expect(lines).toEqual([{ id: expect.any(String), fromQueue: expect.stringMatching(/^source:file:/), reason: expect.stringMatching(/:5: not JSON/), payload: 'this is not json', failedAt: expect.any(String) }]);
  });

  it('sends a malformed queued payload to the dead-letter queue with the reason, without retrying it', async () => {
    runtime = await startRuntime({ roles: ['triage'], config, redisUrl: t.url, prefix: t.prefix, log: silent, terminal: new PassThrough() });
    await runtime.queues.ingest.add('mention', { mention: { source: 'x', id: '1', text: 42 } as never, sourceName: 'test', receivedAt: new Date().toISOString() }, { jobId: 'x-1' });
    const [letter] = await until(async () => {
      const jobs = await runtime!.queues.deadLetter.getJobs(['waiting']);
      return jobs.length > 0 && jobs;
    });
    expect(letter?.data).toMatchObject({ fromQueue: 'ingest', jobId: 'x-1' });
    expect(letter?.data.reason).toMatch(/^malformed mention: .*text/);
    const failed = await runtime.queues.ingest.getJob('x-1');
    expect(failed?.attemptsMade).toBe(1);
  });

  it('reads a source again from its cursor, so lines appended later are picked up and earlier ones are not repeated', async () => {
    const path = writeMentions([JSON.stringify(aMention({ id: '1860000000000000011' }))]);
    const withFile = { ...config, sources: [aFileSourceConfig(path)] };
    runtime = await startRuntime({ roles: ['ingest'], config: withFile, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true });
    expect((await runtime.firstIngest).enqueued).toBe(1);
    await runtime.close();
    writeFileSync(path, `${JSON.stringify(aMention({ id: '1860000000000000011' }))}\n${JSON.stringify(aMention({ id: '1860000000000000012' }))}\n`);
    runtime = await startRuntime({ roles: ['ingest'], config: withFile, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true });
    expect(await runtime.firstIngest).toEqual({ read: 1, enqueued: 1, duplicates: 0, rejected: 0 });
    expect(await runtime.queues.ingest.getJob('x-1860000000000000012')).toBeDefined();
  });

  it('remembers a mention against repeats for the days retention.yaml says', async () => {
    const path = writeMentions([JSON.stringify(aMention({ id: '1860000000000000031' }))]);
    const withRetention = { ...config, sources: [aFileSourceConfig(path)], retention: { seenDays: 2, closedDays: 5 } };
    runtime = await startRuntime({ roles: ['ingest'], config: withRetention, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true });
    await runtime.firstIngest;
    const ttl = await t.redis.ttl(`${t.prefix}:seen:x-1860000000000000031`);
    expect(ttl).toBeGreaterThan(2 * 86_400 - 60);
    expect(ttl).toBeLessThanOrEqual(2 * 86_400);
  });

  it('loses no mention when stopped in the middle of reading a source', async () => {
    const ids = Array.from({ length: 3000 }, (_, i) => String(1860000000000100000n + BigInt(i)));
    const path = writeMentions(ids.map((id) => JSON.stringify(aMention({ id }))));
    const withFile = { ...config, sources: [aFileSourceConfig(path, { pollSeconds: 3600 })] };
    runtime = await startRuntime({ roles: ['ingest'], config: withFile, redisUrl: t.url, prefix: t.prefix, log: silent });
    await new Promise((r) => setTimeout(r, 40));
    await runtime.close();
    runtime = await startRuntime({ roles: ['ingest'], config: withFile, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true });
    await runtime.firstIngest;
    // Every mention queued once (several to a job), none lost and none twice.
    const waiting = await runtime.queues.ingest.getWaiting(0, -1);
    const keys = waiting.flatMap((job) => ingestMentions(job.data).map((m) => (m as { id: string }).id));
    expect(keys.length).toBe(3000);
    expect(new Set(keys)).toEqual(new Set(ids));
  });
});

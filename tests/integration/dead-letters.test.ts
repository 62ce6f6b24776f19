import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, Worker } from 'bullmq';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Mention } from '../../src/core/mention.js';
import { mentionKey } from '../../src/core/mention-key.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { sendFinalFailuresToDeadLetter } from '../../src/pipeline/dead-letter.js';
import { cursorKey, deliverBatch } from '../../src/pipeline/ingest.js';
import { cardJobId, createQueues, deadLetter, notifyPriority, notifyQueueName, QUEUE, type AlertJob, type NotifyJob, type Queues } from '../../src/pipeline/queues.js';
import type { SourceReject } from '../../src/sources/source.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { runCli } from '../support/cli.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const silent = pino({ level: 'silent' });

interface Line {
  id: string;
  fromQueue: string | null;
  outcome: 'requeued' | 'kept';
  jobId?: string;
  reason?: string;
  dryRun?: true;
}

const linesOf = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

describe('mention-triage dead-letters replay', () => {
  let t: TestRedis;
  let queues: Queues;
  let store: MentionStore;
  let runtime: Runtime | undefined;

  const cli = (args: string[]) => runCli(['dead-letters', ...args], { env: { REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix } });
  const letters = () => queues.deadLetter.getJobs(['waiting'], 0, -1, true);

  /** Ingests mentions the real way (queued, marked seen), then lets a release that cannot read them fail them for good. */
  async function failedInIngest(mentions: Mention[], rejects: SourceReject[] = []): Promise<void> {
    const before = (await letters()).length;
    await deliverBatch({ name: 'x-main' }, { mentions, rejects, cursor: 'c1' }, { queues, store, redis: t.redis, prefix: t.prefix, log: silent }, cursorKey(t.prefix, 'x-main'));
    await failAll(QUEUE.ingest, 'malformed mention: author.followers: Expected number, received string', before + rejects.length + mentions.length);
  }

  /** A worker of the old release: every job fails for good with `reason` and goes to the dead-letter queue. */
  async function failAll(queue: string, reason: string, lettersWanted: number): Promise<void> {
    const worker = new Worker(queue, async (): Promise<unknown> => { throw new UnrecoverableError(reason); }, { connection: t.redis, prefix: t.prefix });
    sendFinalFailuresToDeadLetter(worker, queues, silent);
    await until(async () => (await letters()).length >= lettersWanted);
    await worker.close();
  }

  beforeEach(async () => {
    t = await openTestRedis();
    queues = createQueues(t.redis, t.prefix);
    store = createMentionStore(t.redis, { prefix: t.prefix });
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await queues.close();
    await t.cleanup();
  });

  it('replays an ingest dead letter by id: the old failed job is replaced, the "seen" record does not block it, and triage records the mention', async () => {
    const mention = aMention({ id: '1860000000000000101' });
    const key = mentionKey(mention);
    await failedInIngest([mention]);
    expect(await store.seen([key])).toEqual([true]);
    expect(await queues.ingest.getJobState(key)).toBe('failed');
    const [letter] = await letters();

    // Under a config that remembers posts for 3 days.
    const configDir = mkdtempSync(join(tmpdir(), 'mt-replay-config-'));
    cpSync('config', configDir, { recursive: true });
    writeFileSync(join(configDir, 'retention.yaml'), 'retention:\n  seenDays: 3\n  closedDays: 90\n');
    const { code, stdout, stderr } = await cli(['replay', '--id', letter!.id!, '-c', configDir]).finally(() => rmSync(configDir, { recursive: true, force: true }));
    expect(code).toBe(0);
    expect(linesOf(stdout)).toEqual([{ id: letter!.id, fromQueue: 'ingest', outcome: 'requeued', jobId: key }]);
    const seenFor = await t.redis.ttl(`${t.prefix}:seen:${key}`);
    expect(seenFor).toBeGreaterThan(3 * 86_400 - 60);
    expect(seenFor).toBeLessThanOrEqual(3 * 86_400);
    expect(stderr).toMatch(/1 dead letters chosen: 1 requeued and removed from the dead-letter queue, 0 kept/);
    expect(await letters()).toEqual([]);
    const job = await queues.ingest.getJob(key);
    expect(await job?.getState()).toBe('waiting');
    expect(job?.attemptsMade).toBe(0);
    expect(job?.data).toMatchObject({ mention: { source: 'x', id: mention.id, text: mention.text }, sourceName: 'x-main' });

    const config = await loadConfig('config');
    runtime = await startRuntime({ roles: ['triage'], config, redisUrl: t.url, prefix: t.prefix, log: silent });
    const state = await until(() => store.get(key));
    expect(state.status).toBe('new');
    expect(state.triage.mention.text).toBe(mention.text);
    expect(await until(() => queues.notifyFor(state.triage.route.channel).getJob(cardJobId(key, state.triage.route.channel)))).toBeDefined();
  });

  it('replays --from one queue only; a payload that still does not parse is kept with the reason (exit 1); --id also takes the failed job id', async () => {
    const fixed = aMention({ id: '1860000000000000201' });
    await failedInIngest([fixed]);
    await deadLetter(queues, { fromQueue: 'ingest', jobId: 'x-9', reason: 'malformed mention: text: expected string', payload: { mention: { source: 'x', id: '9', text: 42 }, sourceName: 'x-main', receivedAt: '2026-11-20T10:00:00.000Z' } });
    await deadLetter(queues, { fromQueue: 'notify', jobId: 'x-1--support', reason: 'Discord refused', payload: { key: 'x-1', channelKey: 'support', triage: aTriage() } });

    const byQueue = await cli(['replay', '--from', 'ingest']);
    expect(byQueue.code).toBe(1);
    expect(linesOf(byQueue.stdout)).toEqual([
      { id: expect.any(String), fromQueue: 'ingest', outcome: 'requeued', jobId: mentionKey(fixed) },
      { id: expect.any(String), fromQueue: 'ingest', outcome: 'kept', reason: expect.stringMatching(/^the mention still does not parse: text: /) },
    ]);
    expect(byQueue.stderr).toMatch(/1 requeued .*, 1 kept there/);
    expect((await letters()).map((l) => l.data.fromQueue)).toEqual(['ingest', 'notify']);
    expect(await queues.notifyFor('support').getJobCounts()).toMatchObject({ waiting: 0, prioritized: 0 });

    const byJobId = await cli(['replay', '--id', 'x-9', '404']);
    expect(byJobId.code).toBe(1);
    expect(linesOf(byJobId.stdout)).toEqual([
      { id: expect.any(String), fromQueue: 'ingest', outcome: 'kept', reason: expect.stringMatching(/still does not parse: text: /) },
      { id: '404', fromQueue: null, outcome: 'kept', reason: expect.stringMatching(/no dead letter has the id or job id "404"/) },
    ]);
    expect(await letters()).toHaveLength(2);
  });

  it('replays --all: a refused card or alert goes back with its data and job id; a source item in mention JSON is re-ingested, one that is not stays with why', async () => {
    const card: NotifyJob = { key: 'x-1860000000000000301', channelKey: 'support', triage: aTriage(aMention({ id: '1860000000000000301' })) };
    await queues.notifyFor('support').add('card', card, { jobId: cardJobId(card.key, card.channelKey), priority: 2 });
    await failAll(notifyQueueName('support'), 'Discord refused the card: 50035 Invalid Form Body', 1);
    const later = aMention({ id: '1860000000000000302', source: 'file' });
    await deliverBatch(
      { name: 'file:/data/m.jsonl' },
      {
        mentions: [],
        rejects: [
          { at: '/data/m.jsonl:2', reason: 'author.followers: expected number', raw: JSON.stringify(later) },
          { at: '/data/m.jsonl:3', reason: 'not JSON', raw: 'this is not json' },
        ],
        cursor: '3',
      },
      { queues, store, redis: t.redis, prefix: t.prefix, log: silent },
      cursorKey(t.prefix, 'file:/data/m.jsonl'),
    );
    const alert: AlertJob = { channelKey: 'leads', title: 'Source x-main keeps failing', text: '5 reads in a row failed', level: 'warning', source: 'x-main', raisedAt: '2026-11-20T10:00:00.000Z' };
    await deadLetter(queues, { fromQueue: 'alert', jobId: 'alert-failing-x-main', reason: 'Discord refused the alert', payload: alert });

    const { code, stdout, stderr } = await cli(['replay', '--all']);
    expect(code).toBe(1);
    expect(linesOf(stdout)).toEqual([
      { id: expect.any(String), fromQueue: 'notify-support', outcome: 'requeued', jobId: 'x-1860000000000000301--support' },
      { id: expect.any(String), fromQueue: 'source:file:/data/m.jsonl', outcome: 'requeued', jobId: mentionKey(later) },
      { id: expect.any(String), fromQueue: 'source:file:/data/m.jsonl', outcome: 'kept', reason: expect.stringMatching(/^the raw item is not mention JSON \(not JSON: .*\); only the source can read its own format/) },
      { id: expect.any(String), fromQueue: 'alert', outcome: 'requeued', jobId: 'alert-failing-x-main' },
    ]);
    expect(stderr).toMatch(/4 dead letters chosen: 3 requeued .*, 1 kept there/);
    expect((await queues.alert.getJob('alert-failing-x-main'))?.data).toEqual(alert);

    const cardJob = await queues.notifyFor('support').getJob('x-1860000000000000301--support');
    expect(await cardJob?.getState()).toBe('prioritized');
    // With the flag that makes the notify stage look for the card in the channel first.
    expect(cardJob?.data).toEqual({ ...card, reconcile: true });
    // Queued again at the priority triage gives it: the route's, then the reach.
    expect(cardJob?.opts.priority).toBe(notifyPriority(card.triage!.route.priority, card.triage!.reach));
    const ingestJob = await queues.ingest.getJob(mentionKey(later));
    expect(ingestJob?.data).toMatchObject({ mention: { source: 'file', id: later.id, text: later.text }, sourceName: 'file:/data/m.jsonl' });
    expect(await store.seen([mentionKey(later)])).toEqual([true]);
    expect((await letters()).map((l) => l.data.payload)).toEqual(['this is not json']);
  });

  it('keeps a dead letter whose job is still waiting under the same id, so nothing is queued twice', async () => {
    const mention = aMention({ id: '1860000000000000401' });
    await queues.ingest.add('mention', { mention, sourceName: 'x-main', receivedAt: '2026-11-20T10:00:00.000Z' }, { jobId: mentionKey(mention) });
    await deadLetter(queues, { fromQueue: 'ingest', jobId: mentionKey(mention), reason: 'connection lost', payload: { mention, sourceName: 'x-main', receivedAt: '2026-11-20T10:00:00.000Z' } });
    const { code, stdout } = await cli(['replay', '--all']);
    expect(code).toBe(1);
    expect(linesOf(stdout)).toEqual([{ id: expect.any(String), fromQueue: 'ingest', outcome: 'kept', jobId: mentionKey(mention), reason: expect.stringMatching(/already in the ingest queue \(waiting\), so it is not queued twice/) }]);
    expect(await letters()).toHaveLength(1);
    expect(await queues.ingest.getJobCounts()).toMatchObject({ waiting: 1 });
  });

  it('--dry-run prints what would happen and changes nothing', async () => {
    const mention = aMention({ id: '1860000000000000501' });
    await failedInIngest([mention]);
    await deadLetter(queues, { fromQueue: 'ingest', reason: 'malformed mention: author: required', payload: { mention: { source: 'x', id: '5', text: 'no author' } } });
    const snapshot = async () => {
      const keys = (await t.redis.keys(`${t.prefix}:*`)).sort();
      return { keys, letters: (await letters()).map((l) => l.id), state: await queues.ingest.getJobState(mentionKey(mention)) };
    };
    const before = await snapshot();

    const { code, stdout, stderr } = await cli(['replay', '--all', '--dry-run']);
    expect(code).toBe(1);
    expect(linesOf(stdout)).toEqual([
      { id: before.letters[0], fromQueue: 'ingest', outcome: 'requeued', jobId: mentionKey(mention), dryRun: true },
      { id: before.letters[1], fromQueue: 'ingest', outcome: 'kept', reason: expect.stringMatching(/still does not parse: author: /), dryRun: true },
    ]);
    expect(stderr).toMatch(/^dry run: 2 dead letters chosen, 1 would be requeued, 1 would be kept; nothing changed$/m);
    expect(await snapshot()).toEqual(before);
    expect(before.state).toBe('failed');
  });

  it('lists with no subcommand as before, the same as `dead-letters list`', async () => {
    await deadLetter(queues, { fromQueue: 'source:x-main', reason: 'first', payload: '{"a":1}' });
    await deadLetter(queues, { fromQueue: 'ingest', jobId: 'x-2', reason: 'second', payload: { mention: { id: '2' } } });
    const plain = await cli(['-n', '1']);
    const list = await cli(['list', '-n', '1']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(list.stdout);
    expect(linesOf(plain.stdout)).toEqual([{ id: expect.any(String), fromQueue: 'ingest', jobId: 'x-2', reason: 'second', payload: '{"mention":{"id":"2"}}', failedAt: expect.any(String) }]);
    expect(plain.stderr).toBe('2 in the dead-letter queue (newest 1 shown)\n');
  });
});

describe('mention-triage dead-letters replay usage', () => {
  const unreachable = { REDIS_URL: 'redis://127.0.0.1:1' };

  it('exits 2 when nothing is chosen, --id is combined with --all, or --from names no queue; before connecting', async () => {
    const none = await runCli(['dead-letters', 'replay'], { env: unreachable });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/say which dead letters to replay: --id ID\.\.\., --from QUEUE or --all/);
    const both = await runCli(['dead-letters', 'replay', '--id', '1', '--all'], { env: unreachable });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/'--id <id\.\.\.>' cannot be used with option '--all'/);
    const from = await runCli(['dead-letters', 'replay', '--from', 'ingset'], { env: unreachable });
    expect(from.code).toBe(2);
    expect(from.stderr).toMatch(/"ingset" is not a queue dead letters come from \(expected ingest, notify, alert or source:NAME\)/);
  });

  it('names an unreachable Redis and exits 2', async () => {
    const { code, stderr } = await runCli(['dead-letters', 'replay', '--all'], { env: unreachable });
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/^no Redis answered at redis:\/\/127\.0\.0\.1:1 \(.+\): start one there/);
  });
});

import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mention } from '../../src/core/mention.js';
import { cursorKey } from '../../src/pipeline/ingest.js';
import { startIngestScheduler, type IngestScheduler } from '../../src/pipeline/ingest-scheduler.js';
import { createQueues, type Queues } from '../../src/pipeline/queues.js';
import { SourceBudgetError, SourceDisabledError, SourceRateLimitedError } from '../../src/sources/source-errors.js';
import type { ReadContext, Source, SourceBatch } from '../../src/sources/source.js';
import { createMentionStore } from '../../src/store/mention-store.js';
import { createSourceHealthStore } from '../../src/store/source-health.js';
import { aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const silent = pino({ level: 'silent' });

/**
 * A source of the test's own behind the real port: each read plays the next step, a list
 * of pages (each yielded as a batch with the cursor "<read>.<page>") or an error to throw
 * after them. It records the cursor each read started from.
 */
function scriptedSource(name: string, steps: Array<{ pages?: Mention[][]; error?: Error }>, pollSeconds = 0.05): Source & { cursors: Array<string | undefined> } {
  const cursors: Array<string | undefined> = [];
  let read = 0;
  return {
    name,
    platform: 'x',
    pollSeconds,
    cursors,
    async *read(cursor: string | undefined, _ctx: ReadContext): AsyncGenerator<SourceBatch> {
      cursors.push(cursor);
      const step = steps[Math.min(read, steps.length - 1)]!;
      read += 1;
      let page = 0;
      for (const mentions of step.pages ?? []) {
        page += 1;
        yield { mentions, rejects: [], cursor: `${read}.${page}` };
      }
      if (step.error) throw step.error;
    },
  };
}

describe('the ingest scheduler', () => {
  let t: TestRedis;
  let queues: Queues;
  let scheduler: IngestScheduler | undefined;

  beforeEach(async () => {
    t = await openTestRedis();
    queues = createQueues(t.redis, t.prefix);
  });
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    await queues.close();
    await t.cleanup();
  });

  const deps = () => ({ queues, store: createMentionStore(t.redis, { prefix: t.prefix }), redis: t.redis, prefix: t.prefix, log: silent, health: createSourceHealthStore(t.redis, t.prefix) });
  const alerts = async () => (await queues.alert.getJobs(['waiting', 'completed', 'active', 'delayed'])).map((j) => j.data);

  it('reads each source on its own cadence, from the cursor the last batch stored', async () => {
    const fast = scriptedSource('fast', [{ pages: [[aMention({ id: 'a1' })], [aMention({ id: 'a2' })]] }, { pages: [[aMention({ id: 'a3' })]] }, {}]);
    const slow = scriptedSource('slow', [{ pages: [[aMention({ id: 'b1' })]] }], 3600);
    scheduler = startIngestScheduler([fast, slow], deps());
    expect(await scheduler.firstRound).toEqual({ read: 3, enqueued: 3, duplicates: 0, rejected: 0 });
    await until(async () => fast.cursors.length >= 3);
    expect(fast.cursors.slice(0, 3)).toEqual([undefined, '1.2', '2.1']);
    expect(slow.cursors).toEqual([undefined]);
    expect(await queues.ingest.getJobCounts('waiting')).toEqual({ waiting: 4 });
    const health = await createSourceHealthStore(t.redis, t.prefix).get('fast');
    expect(health).toMatchObject({ status: 'ok', mentionsToday: 3, errors: 0 });
  });

  it('counts the same post from two reads once', async () => {
    const source = scriptedSource('twice', [{ pages: [[aMention({ id: 's1' }), aMention({ id: 's1' })]] }, { pages: [[aMention({ id: 's1' })]] }, {}]);
    scheduler = startIngestScheduler([source], deps());
    await until(async () => source.cursors.length >= 3);
    expect(await queues.ingest.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('waits out a rate limit until its reset without counting an error', async () => {
    const resumeAt = new Date(Date.now() + 60_000);
    const source = scriptedSource('limited', [{ pages: [[aMention({ id: 'r1' })]], error: new SourceRateLimitedError('rate limited', resumeAt) }, {}]);
    scheduler = startIngestScheduler([source], deps());
    await scheduler.firstRound;
    const health = await createSourceHealthStore(t.redis, t.prefix).get('limited');
    expect(health).toMatchObject({ status: 'rate-limited', waitUntil: resumeAt.toISOString(), errors: 0 });
    // The page before the 429 is kept: its cursor is stored and its mention queued.
    expect(await t.redis.get(cursorKey(t.prefix, 'limited'))).toBe('1.1');
    expect(await queues.ingest.getJobCounts('waiting')).toEqual({ waiting: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(source.cursors).toHaveLength(1);
  });

  it('stops a source whose credentials are refused, tells the leads once, and keeps the others running', async () => {
    const broken = scriptedSource('broken', [{ error: new SourceDisabledError('X refused the bearer token in X_BEARER_TOKEN: set a valid one') }]);
    const fine = scriptedSource('fine', [{ pages: [[aMention({ id: 'f1' })]] }, {}]);
    scheduler = startIngestScheduler([broken, fine], deps());
    await scheduler.firstRound;
    await until(async () => fine.cursors.length >= 3);
    expect(broken.cursors).toHaveLength(1);
    expect(await createSourceHealthStore(t.redis, t.prefix).get('broken')).toMatchObject({ status: 'disabled', lastError: expect.stringContaining('X_BEARER_TOKEN') });
    expect(await alerts()).toEqual([expect.objectContaining({ channelKey: 'leads', level: 'error', source: 'broken', title: 'Source broken is disabled', text: expect.stringContaining('X_BEARER_TOKEN') })]);
  });

  it('pauses at a budget until the next period and tells the leads once per period', async () => {
    const next = new Date(Date.UTC(2099, 0, 1));
    const source = scriptedSource('budget', [{ error: new SourceBudgetError('monthly budget of $20 reached ($20.01 spent)', next) }]);
    scheduler = startIngestScheduler([source], deps());
    await scheduler.firstRound;
    expect(await createSourceHealthStore(t.redis, t.prefix).get('budget')).toMatchObject({ status: 'budget-reached', waitUntil: next.toISOString() });
    await scheduler.stop();
    // A restart in the same period reads again, is refused again, but does not alert twice.
    scheduler = startIngestScheduler([source], deps());
    await scheduler.firstRound;
    expect(await alerts()).toHaveLength(1);
    expect((await alerts())[0]).toMatchObject({ title: 'Source budget paused until 2099-01-01T00:00:00Z', text: expect.stringContaining('$20') });
  });

  it('backs off after unexplained failures and tells the leads after several in a row', async () => {
    const source = scriptedSource('flaky', [{ error: new Error('socket hang up') }]);
    scheduler = startIngestScheduler([source], deps(), { backoffBaseSeconds: 0.02, backoffMaxSeconds: 0.05, alertAfterFailures: 3 });
    await until(async () => source.cursors.length >= 4);
    const health = await createSourceHealthStore(t.redis, t.prefix).get('flaky');
    expect(health).toMatchObject({ status: 'backing-off', lastError: 'socket hang up' });
    expect(health!.consecutiveFailures).toBeGreaterThanOrEqual(3);
    expect(await alerts()).toEqual([expect.objectContaining({ title: 'Source flaky keeps failing', text: expect.stringContaining('socket hang up') })]);
  });

  it('tells the leads once when a source hears nothing for the configured time', async () => {
    const source = scriptedSource('quiet', [{}]);
    let clock = Date.parse('2026-12-01T00:00:00Z');
    scheduler = startIngestScheduler([source], { ...deps(), now: () => new Date(clock) }, { silenceAlertHours: 6 });
    await scheduler.firstRound;
    clock += 7 * 3600_000;
    await until(async () => (await alerts()).length > 0);
    await until(async () => source.cursors.length >= 5);
    expect(await alerts()).toEqual([expect.objectContaining({ level: 'warning', title: 'No mentions from quiet for 7 h', text: expect.stringContaining('--dry-run') })]);
  });

  it('stores a listener\'s cursor only once its batch is enqueued, and resumes from it after a restart', async () => {
    const delivered: string[] = [];
    let started: Array<string | undefined> = [];
    const listener: Source = {
      ...scriptedSource('stream', [{}], 3600),
      async listen(ctx) {
        started.push(ctx.cursor);
        for (const id of ['l1', 'l2']) {
          if (ctx.cursor && id <= ctx.cursor.replace('at-', '')) continue;
          await ctx.deliver({ mentions: [aMention({ id })], rejects: [], cursor: `at-${id}` });
          delivered.push(id);
        }
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      },
    };
    scheduler = startIngestScheduler([listener], deps());
    await until(async () => delivered.length === 2);
    expect(await t.redis.get(cursorKey(t.prefix, 'stream', true))).toBe('at-l2');
    await scheduler.stop();
    started = [];
    scheduler = startIngestScheduler([listener], deps());
    await until(async () => started.length === 1);
    expect(started).toEqual(['at-l2']);
    expect(delivered).toEqual(['l1', 'l2']);
    expect(await queues.ingest.getJobCounts('waiting')).toEqual({ waiting: 2 });
  });

  it('waits out a pause longer than a Node timer can hold without reading again', async () => {
    const resumeAt = new Date(Date.now() + 40 * 24 * 3600_000);
    const source = scriptedSource('far', [{ error: new SourceBudgetError('budget reached', resumeAt) }]);
    scheduler = startIngestScheduler([source], deps());
    await scheduler.firstRound;
    await new Promise((r) => setTimeout(r, 300));
    expect(source.cursors).toHaveLength(1);
    expect(await createSourceHealthStore(t.redis, t.prefix).get('far')).toMatchObject({ status: 'budget-reached', errors: 0, waitUntil: resumeAt.toISOString() });
  });

  it('counts the mentions of the pages read before a failure', async () => {
    const source = scriptedSource('partial', [{ pages: [[aMention({ id: 'p1' }), aMention({ id: 'p2' })]], error: new SourceRateLimitedError('rate limited', new Date(Date.now() + 60_000)) }]);
    scheduler = startIngestScheduler([source], deps());
    await scheduler.firstRound;
    expect(await createSourceHealthStore(t.redis, t.prefix).get('partial')).toMatchObject({ status: 'rate-limited', mentionsToday: 2, lastMentionAt: expect.any(String) });
  });

  it('tells the leads once per streak of failures, however long it lasts', async () => {
    const source = scriptedSource('streak', [{ error: new Error('socket hang up') }]);
    scheduler = startIngestScheduler([source], deps(), { backoffBaseSeconds: 0.01, backoffMaxSeconds: 0.02, alertAfterFailures: 2 });
    await until(async () => source.cursors.length >= 6);
    expect((await alerts()).filter((a) => a.title === 'Source streak keeps failing')).toHaveLength(1);
  });

  it('keeps a poll\'s failing status while its stream delivers', async () => {
    const listener: Source = {
      ...scriptedSource('mixed', [{ error: new Error('search broke') }], 0.02),
      async listen(ctx) {
        for (let i = 0; !ctx.signal.aborted; i++) {
          await ctx.deliver({ mentions: [aMention({ id: `m${i}` })], rejects: [], cursor: String(i) });
          await new Promise((r) => setTimeout(r, 20));
        }
      },
    };
    scheduler = startIngestScheduler([listener], deps(), { backoffBaseSeconds: 0.01, backoffMaxSeconds: 0.02 });
    await until(async () => ((await createSourceHealthStore(t.redis, t.prefix).get('mixed'))?.mentionsToday ?? 0) >= 3);
    const health = await createSourceHealthStore(t.redis, t.prefix).get('mixed');
    expect(health).toMatchObject({ status: 'backing-off', lastError: 'search broke' });
    expect(health!.consecutiveFailures).toBeGreaterThanOrEqual(1);
  });

  it('does not count a read cut short by stopping as a failure', async () => {
    let started!: () => void;
    const reading = new Promise<void>((resolve) => (started = resolve));
    const slow: Source = {
      name: 'slow-read',
      platform: 'rss',
      pollSeconds: 3600,
      async *read(_cursor, ctx) {
        started();
        await new Promise<void>((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('This operation was aborted')), { once: true }));
      },
    };
    scheduler = startIngestScheduler([slow], deps());
    await reading;
    await scheduler.stop();
    scheduler = undefined;
    expect(await createSourceHealthStore(t.redis, t.prefix).get('slow-read')).toMatchObject({ errors: 0 });
    expect(await alerts()).toEqual([]);
  });
});

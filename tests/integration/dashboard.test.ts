import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../src/infra/dashboard.js';
import { createQueues, type Queues } from '../../src/pipeline/queues.js';
import { aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

/** What `/api/queues` says of one queue (the fields the test reads). */
interface BoardQueue {
  name: string;
  counts: Record<string, number>;
  readOnlyMode: boolean;
}

function recordingLogger(): { log: pino.Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) records.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), records };
}

async function boardQueues(dashboard: Dashboard): Promise<BoardQueue[]> {
  const res = await fetch(`${dashboard.url}/api/queues`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { queues: BoardQueue[] }).queues;
}

describe('the queue dashboard on a real Redis', () => {
  let t: TestRedis;
  let queues: Queues;
  let dashboard: Dashboard | undefined;

  beforeEach(async () => {
    t = await openTestRedis();
    queues = createQueues(t.redis, t.prefix, ['support', 'leads']);
    const receivedAt = new Date().toISOString();
    await queues.ingest.add('batch', { sourceName: 'file', receivedAt, mentions: [aMention({ id: '1860000000000000401' })] });
    await queues.ingest.add('batch', { sourceName: 'file', receivedAt, mentions: [aMention({ id: '1860000000000000402' })] });
    await queues.deadLetter.add('dead-letter', { fromQueue: 'ingest', reason: 'malformed mention: no author', payload: {}, failedAt: receivedAt });
  });
  afterEach(async () => {
    await dashboard?.close();
    dashboard = undefined;
    await queues.close();
    await t.cleanup();
  });

  it('serves the board and lists every queue with its job counts, read-only by default on loopback', async () => {
    const { log, records } = recordingLogger();
    dashboard = await startDashboard({ queues: [queues.ingest, ...queues.notifyQueues(), queues.alert, queues.deadLetter], port: 0, log });
    expect(dashboard.url).toBe(`http://127.0.0.1:${dashboard.port}`);

    const page = await fetch(`${dashboard.url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>mention-triage queues</title>');
    expect(html).toContain('<base href="/" />');
    // The page's own script loads from under the same base: the board is wired where it says.
    const script = /<script defer src="(static\/js\/main\.[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${dashboard.url}/${script}`)).status).toBe(200);

    const listed = await boardQueues(dashboard);
    expect(listed.map((q) => q.name)).toEqual(['ingest', 'notify-leads', 'notify-support', 'alert', 'dead-letter']);
    expect(listed.find((q) => q.name === 'ingest')?.counts.waiting).toBe(2);
    expect(listed.find((q) => q.name === 'dead-letter')?.counts.waiting).toBe(1);
    expect(listed.find((q) => q.name === 'notify-support')?.counts.waiting).toBe(0);
    expect(listed.every((q) => q.readOnlyMode)).toBe(true);

    // Read-only is enforced by the API, not only hidden in the UI.
    const empty = await fetch(`${dashboard.url}/api/queues/ingest/empty`, { method: 'PUT' });
    expect(empty.status).toBe(405);
    expect(await queues.ingest.getWaitingCount()).toBe(2);

    expect(records.find((r) => r.msg === 'queue dashboard listening')).toMatchObject({ url: dashboard.url, readOnly: true, queues: 5 });
    expect(records.some((r) => r.level === 40)).toBe(false);
  });

  it('under a base path and with writes allowed, empties a queue when asked', async () => {
    const { log } = recordingLogger();
    dashboard = await startDashboard({ queues: [queues.ingest, queues.deadLetter], port: 0, basePath: 'ops/queues/', readOnly: false, log });
    expect(dashboard.url).toBe(`http://127.0.0.1:${dashboard.port}/ops/queues`);

    const html = await (await fetch(`${dashboard.url}/`)).text();
    expect(html).toContain('<base href="/ops/queues/" />');
    expect((await fetch(`http://127.0.0.1:${dashboard.port}/api/queues`)).status).toBe(404);

    const empty = await fetch(`${dashboard.url}/api/queues/ingest/empty`, { method: 'PUT' });
    expect(empty.status).toBe(200);
    expect(await queues.ingest.getWaitingCount()).toBe(0);
    expect((await boardQueues(dashboard)).map((q) => [q.name, q.counts.waiting, q.readOnlyMode])).toEqual([
      ['ingest', 0, false],
      ['dead-letter', 1, false],
    ]);
  });

  it('says which address it could not listen on', async () => {
    const { log } = recordingLogger();
    dashboard = await startDashboard({ queues: [queues.ingest], port: 0, log });
    await expect(startDashboard({ queues: [queues.ingest], port: dashboard.port, log })).rejects.toThrow(
      `queue dashboard: cannot listen on 127.0.0.1:${dashboard.port} (listen EADDRINUSE: address already in use 127.0.0.1:${dashboard.port}): free the port or set DASHBOARD_PORT to another`,
    );
  });
});

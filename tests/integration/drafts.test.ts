import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { draftReply } from '../../src/core/draft-reply.js';
import { judge, triage } from '../../src/core/triage.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { withDrafts } from '../../src/pipeline/drafts.js';
import { createMentionStore } from '../../src/store/mention-store.js';
import { aFileSourceConfig, aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const silent = pino({ level: 'silent' });

describe('drafts made when a card needs them, on a real Redis', () => {
  let t: TestRedis;
  let config: Config;
  let runtime: Runtime | undefined;
  let dir: string | undefined;

  beforeEach(async () => {
    t = await openTestRedis();
    config = await loadConfig('config');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
    await t.cleanup();
  });

  it('judges as the whole pass does, without the draft, and drafts the same reply apart', () => {
    const mention = aMention({ text: '@parcelly charged me twice for one label, $49.99 each. Fix it!' });
    const whole = triage(mention, config);
    const judged = judge(mention, config);
    expect(judged).not.toHaveProperty('reply');
    expect({ ...judged, reply: draftReply(judged, config) }).toEqual(whole);
  });

  it('records the triage without a draft; the card shows one, and its posting stores it', async () => {
    const angry = aMention({ id: '1860000000000000901', text: '@parcelly charged me TWICE for one label and no reply for 3 days!!!' });
    dir = mkdtempSync(join(tmpdir(), 'mt-drafts-'));
    const path = join(dir, 'mentions.jsonl');
    writeFileSync(path, `${JSON.stringify(angry)}\n`);
    const key = `x-${angry.id}`;
    const store = createMentionStore(t.redis, { prefix: t.prefix });

    runtime = await startRuntime({ roles: ['ingest', 'triage'], config: { ...config, sources: [aFileSourceConfig(path)] }, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true });
    await runtime.firstIngest;
    const recorded = await until(() => store.get(key));
    expect(recorded.triage).not.toHaveProperty('reply');
    // Read for a card: drafted from the policy now, as the whole pass would have.
    const drafted = await withDrafts(store, async () => config).get(key);
    expect(drafted?.triage.reply).toEqual(triage(angry, config).reply);
    await runtime.close();

    const terminal = new PassThrough();
    let printed = '';
    terminal.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const posted: string[] = [];
    runtime = await startRuntime({ roles: ['notify'], config, redisUrl: t.url, prefix: t.prefix, log: silent, terminal, onPosted: (k) => posted.push(k) });
    await until(() => posted.includes(key));
    expect(printed).toContain(drafted!.triage.reply.text.slice(0, 40));
    // Stored with the card: every later render (a click, a refresh) shows the draft the card showed.
    const after = await until(async () => ((await store.get(key))?.triage.reply ? store.get(key) : undefined));
    expect(after?.triage.reply).toEqual(drafted?.triage.reply);
  });
});

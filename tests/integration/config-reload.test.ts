import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { watchRuntimeConfig } from '../../src/commands/start.js';
import type { ConfigWatch } from '../../src/config/config-watch.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { ingestMentions } from '../../src/pipeline/queues.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

function memoryLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().trim().split('\n'));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), records: () => lines.map((l) => JSON.parse(l) as { msg: string; level: number; [field: string]: unknown }) };
}

/** A copy of config/ reading mentions from a file polled every second, with the given channel ids. */
function configCopy(channels?: Record<string, string>): { dir: string; mentions: string } {
  const root = mkdtempSync(join(tmpdir(), 'mt-reload-'));
  cpSync('config', join(root, 'config'), { recursive: true });
  const mentions = join(root, 'mentions.jsonl');
  writeFileSync(mentions, '');
  writeFileSync(join(root, 'config', 'sources.yaml'), `sources:\n  - type: file\n    path: ${JSON.stringify(mentions)}\n    pollSeconds: 1\n`);
  if (channels) {
    const discord = readFileSync(join(root, 'config', 'discord.yaml'), 'utf8');
    writeFileSync(join(root, 'config', 'discord.yaml'), discord.replace(/^( {4})(support|leads|marketing): ""$/gm, (_m, indent: string, key: string) => `${indent}${key}: "${channels[key]}"`));
  }
  return { dir: join(root, 'config'), mentions };
}

/** Saves the way many editors do: a new file renamed over the old one. */
function saveByRename(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

const ZEBRA_RULE = `rules:\n  - name: zebra\n    when:\n      keywords: [zebra]\n    channel: CHANNEL\n    priority: 1\n`;

describe('changing config/ while the service runs', () => {
  let t: TestRedis | undefined;
  let peer: DiscordPeer | undefined;
  let runtime: Runtime | undefined;
  let watch: ConfigWatch | undefined;
  afterEach(async () => {
    watch?.close();
    await runtime?.close();
    await peer?.close();
    await t?.cleanup();
    [watch, runtime, peer, t] = [undefined, undefined, undefined, undefined];
  });

  it('routes the next mention by an edited rule, and keeps that routing through a broken YAML edit and a schema error, alerting the leads', async () => {
    t = await openTestRedis();
    peer = await startDiscordPeer();
    const { dir, mentions } = configCopy(peer.channels);
    const routingFile = join(dir, 'routing.yaml');
    const shipped = readFileSync(routingFile, 'utf8');
    const config = await loadConfig(dir);
    const { log, records } = memoryLog();
    runtime = await startRuntime({ roles: ['ingest', 'triage', 'notify'], config, redisUrl: t.url, prefix: t.prefix, log, discord: { token: peer.token, apiUrl: peer.apiUrl } });
    watch = watchRuntimeConfig(config, ['ingest', 'triage', 'notify'], runtime, log, 100);

    const cardIn = (channel: 'support' | 'leads' | 'marketing', id: string) => peer!.messagesIn(peer!.channels[channel]).some((m) => JSON.stringify(m.components).includes(`x-${id}`));
    const post = (id: string, text: string) => appendFileSync(mentions, `${JSON.stringify(aMention({ id, text }))}\n`);
    const reloads = (msg: string) => records().filter((r) => r.msg === msg).length;

    post('1860000000000000301', '@parcelly where did my zebra print tote go? tracking stuck');
    await peer.waitFor(() => cardIn('support', '1860000000000000301'), 20_000);

    // A burst in flight while the edit lands: every one of them still gets its card.
    const burst = ['1860000000000000311', '1860000000000000312', '1860000000000000313'];
    const burstTexts = ['@parcelly the label printer jams on every parcel', '@parcelly refund for order still missing after two weeks', '@parcelly courier left my parcel in the rain'];
    burst.forEach((id, i) => post(id, burstTexts[i]!));
    saveByRename(routingFile, shipped.replace(/^rules:\n/m, ZEBRA_RULE.replace('CHANNEL', 'marketing')));
    await until(() => reloads('config reloaded and applied') >= 1, 10_000, 'the reload');
    const applied = reloads('config reloaded and applied');
    post('1860000000000000302', '@parcelly my zebra mug arrived broken, the box was crushed');
    await peer.waitFor(() => cardIn('marketing', '1860000000000000302'), 20_000);
    expect(cardIn('support', '1860000000000000302')).toBe(false);
    await peer.waitFor(() => burst.every((id) => ['support', 'leads', 'marketing'].some((c) => cardIn(c as 'support', id))), 20_000);

    // Bad YAML in the middle of moving the rule to leads: nothing of it applies.
    const edited = readFileSync(routingFile, 'utf8');
    const notApplied = 'config edit not applied: keeping the last good config';
    const refusedBefore = reloads(notApplied);
    saveByRename(routingFile, edited.replace('channel: marketing', 'channel: leads').replace('keywords: [zebra]', 'keywords: [zebra'));
    await until(() => reloads(notApplied) > refusedBefore, 10_000, 'the broken reload');
    const refusedOnce = reloads(notApplied);
    const yamlProblem = records().find((r) => r.level === 50 && /routing\.yaml:\d+: /.test(r.msg));
    expect(yamlProblem).toBeDefined();
    const alerted = (pattern: RegExp) => peer!.messagesIn(peer!.channels.leads).find((m) => /Config edit not applied/.test(JSON.stringify(m)) && pattern.test(JSON.stringify(m)));
    await peer.waitFor(() => alerted(/routing\.yaml:\d+/), 20_000);

    // A schema error: an unknown channel, named with its line.
    const line = edited.split('\n').findIndex((l) => l.includes('channel: marketing')) + 1;
    saveByRename(routingFile, edited.replace('channel: marketing', 'channel: vip-desk'));
    await until(() => reloads(notApplied) > refusedOnce, 10_000, 'the second broken reload');
    const message = `routing.yaml:${line}: rules[0].channel: unknown channel "vip-desk"`;
    expect(records().some((r) => r.level === 50 && r.msg.includes(message))).toBe(true);
    await peer.waitFor(() => alerted(/vip-desk/), 20_000);

    post('1860000000000000303', '@parcelly the zebra stickers came without the order');
    await peer.waitFor(() => cardIn('marketing', '1860000000000000303'), 20_000);
    expect(cardIn('leads', '1860000000000000303')).toBe(false);
    expect(reloads('config reloaded and applied')).toBe(applied);
  }, 90_000);

  it('a started process reloads on SIGHUP instead of exiting, and says which part waits for the next start', async () => {
    t = await openTestRedis();
    const { dir } = configCopy();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start', '--role', 'ingest', '--role', 'triage', '--config', dir], {
      env: { ...process.env, REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix, LOG_LEVEL: 'info', DISCORD_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stderr.on('data', (c: Buffer) => (logs += c.toString()));
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((exitCode = code))));
    const records = () => logs.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; reason?: string });
    const messages = () => records().map((r) => r.msg);
    await until(() => messages().includes('mention-triage started'), 30_000, 'the start');

    child.kill('SIGHUP');
    await until(() => records().some((r) => r.msg === 'config reloaded and applied' && r.reason === 'SIGHUP'), 10_000, 'the reload on SIGHUP');
    expect(exitCode).toBeUndefined();

    // Retention is read again only at the next start, and the log says so.
    const retention = join(dir, 'retention.yaml');
    writeFileSync(retention, readFileSync(retention, 'utf8').replace('seenDays: 30', 'seenDays: 31'));
    await until(() => messages().includes('retention change applies at the next start'), 10_000, 'the note');
    expect(exitCode).toBeUndefined();

    // A changed source starts again under its new settings, in the same process.
    const sources = join(dir, 'sources.yaml');
    writeFileSync(sources, readFileSync(sources, 'utf8').replace('pollSeconds: 1', 'pollSeconds: 2'));
    await until(() => records().some((r) => r.msg === 'sources change applied'), 10_000, 'the sources change');
    expect(messages()).not.toContain('sources change applies at the next start');
    expect(exitCode).toBeUndefined();

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(messages()).toContain('stopped');
  }, 60_000);

  it('starts a source added to sources.yaml and stops one disabled, without a restart', async () => {
    t = await openTestRedis();
    const { dir, mentions: fileA } = configCopy();
    const fileB = join(dir, '..', 'more-mentions.jsonl');
    writeFileSync(fileB, '');
    const sourcesFile = join(dir, 'sources.yaml');
    const entry = (name: string, path: string, enabled = true) => `  - type: file\n    name: ${name}\n    path: ${JSON.stringify(path)}\n    pollSeconds: 1\n    enabled: ${enabled}\n`;
    writeFileSync(sourcesFile, `sources:\n${entry('a', fileA)}`);
    const config = await loadConfig(dir);
    const { log, records } = memoryLog();
    runtime = await startRuntime({ roles: ['ingest'], config, redisUrl: t.url, prefix: t.prefix, log });
    watch = watchRuntimeConfig(config, ['ingest'], runtime, log, 100);
    const queued = async () => {
      const jobs = await runtime!.queues.ingest.getJobs(['waiting', 'prioritized', 'delayed', 'active', 'completed']);
      return jobs.flatMap((job) => ingestMentions(job.data).map((m) => `${job.data.sourceName}:${(m as { id: string }).id}`));
    };
    const post = (file: string, id: string) => appendFileSync(file, `${JSON.stringify(aMention({ id, text: `@parcelly parcel ${id} is late` }))}\n`);
    const applied = () => records().filter((r) => r.msg === 'sources change applied');

    post(fileA, '1860000000000000501');
    await until(async () => (await queued()).includes('a:1860000000000000501'), 10_000, 'the mention of A');

    // B added: its mention comes in, A keeps running.
    post(fileB, '1860000000000000502');
    saveByRename(sourcesFile, `sources:\n${entry('a', fileA)}${entry('b', fileB)}`);
    await until(async () => (await queued()).includes('b:1860000000000000502'), 10_000, 'the mention of B');
    expect(applied()).toMatchObject([{ stopped: [], started: ['b'] }]);
    expect(records().some((r) => r.msg.includes('sources change applies at the next start'))).toBe(false);

    // A disabled: a line appended to its file is not read, while B still is.
    saveByRename(sourcesFile, `sources:\n${entry('a', fileA, false)}${entry('b', fileB)}`);
    await until(() => applied().length === 2, 10_000, 'the second sources change');
    expect(applied()[1]).toMatchObject({ stopped: ['a'], started: [] });
    post(fileA, '1860000000000000503');
    post(fileB, '1860000000000000504');
    await until(async () => (await queued()).includes('b:1860000000000000504'), 10_000, 'the next mention of B');
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await queued()).not.toContain('a:1860000000000000503');
  }, 60_000);
});

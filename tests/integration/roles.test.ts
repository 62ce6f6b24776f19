import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function configWithSource(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'mt-roles-'));
  cpSync('config', join(dir, 'config'), { recursive: true });
  const file = join(dir, 'mentions.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'config', 'sources.yaml'), `sources:\n  - type: file\n    path: ${JSON.stringify(file)}\n`);
  return join(dir, 'config');
}

describe('roles in separate processes on one Redis', () => {
  let t: TestRedis | undefined;
  let peer: DiscordPeer | undefined;
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close();
    await peer?.close();
    await t?.cleanup();
    [runtime, peer, t] = [undefined, undefined, undefined];
  });

  it('an ingest+triage process and a notify+bot process together post every card, and SIGTERM stops the first cleanly', async () => {
    t = await openTestRedis();
    peer = await startDiscordPeer();
    const ids = ['1860000000000000201', '1860000000000000202', '1860000000000000203'];
    // Three different complaints (copies of one text would share a card).
    const texts = ['@parcelly my label printed blank again!!', '@parcelly the tracking page shows nothing since Monday', '@parcelly charged twice for one parcel, please fix'];
    const configDir = configWithSource(ids.map((id, i) => JSON.stringify(aMention({ id, text: texts[i]! }))));

    const metricsPort = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start', '--role', 'ingest', '--role', 'triage', '--config', configDir], {
      env: { ...process.env, REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix, LOG_LEVEL: 'info', DISCORD_TOKEN: '', METRICS_PORT: String(metricsPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stderr.on('data', (c: Buffer) => (logs += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const base = await loadConfig(configDir);
    runtime = await startRuntime({
      roles: ['notify', 'bot'],
      config: { ...base, discord: { ...base.discord, channels: { ...peer.channels } } },
      redisUrl: t.url,
      prefix: t.prefix,
      log: pino({ level: 'silent' }),
      discord: { token: peer.token, apiUrl: peer.apiUrl },
    });
    await peer.waitFor(() => ids.every((id) => peer!.messagesIn(peer!.channels.support).some((m) => JSON.stringify(m.components).includes(`x-${id}`))), 20_000);

    // `start` serves its health and metrics on METRICS_PORT.
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()).toMatch(/^mention_triage_mentions_ingested_total\{source="[^"]+",outcome="enqueued"\} 3$/m);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const records = logs.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; roles?: string[] });
    expect(records.find((r) => r.msg === 'mention-triage started')?.roles).toEqual(['ingest', 'triage']);
    expect(records.map((r) => r.msg)).toEqual(expect.arrayContaining(['shutting down: finishing active jobs', 'stopped']));
  }, 60_000);

  it('start refuses the notify role without DISCORD_TOKEN, saying what to do', async () => {
    const configDir = configWithSource([JSON.stringify(aMention())]);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'start', '--role', 'notify', '--config', configDir], {
      env: { ...process.env, DISCORD_TOKEN: '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/DISCORD_TOKEN is not set.*notify.*mention-triage demo/);
    expect(readFileSync(join(configDir, 'sources.yaml'), 'utf8')).toContain('mentions.jsonl');
  });
});

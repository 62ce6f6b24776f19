import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RedisServerMissingError, redisAnswers, startPrivateRedis } from '../../src/infra/private-redis.js';
import { runCli } from '../support/cli.js';
import { openTestRedis } from '../support/redis.js';

describe('the demo', () => {
  it('renders a card for every bundled sample mention, exits 0 and leaves no keys behind on a shared Redis', async () => {
    const t = await openTestRedis();
    try {
      const { code, stdout, stderr } = await runCli(['demo', '--no-color'], { env: { REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix, DISCORD_TOKEN: '' } });
      expect(stderr).toMatch(/keys under "t-[0-9a-f]+-demo-[0-9a-f]+:" removed at exit/);
      expect(code).toBe(0);
      const samples = readFileSync('samples/mentions.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; source: string });
      const cards = stdout.split('\n').filter((l) => l.startsWith('┌─ #'));
      // Every sample has a card of its own, or is counted on its group's card (near duplicates).
      const shared = Number(/ \((\d+) near duplicates? on their group's card\)/.exec(stderr)?.[1] ?? 0);
      expect(cards.length + shared).toBeGreaterThanOrEqual(samples.length);
      expect(stderr).toContain(`${samples.length} mentions → ${cards.length} cards`);
      expect(stdout).not.toContain('\u001b');
      // Channels are posted in parallel, each in priority order: the most urgent first.
      const priorities = new Map<string, number[]>();
      let channel = '';
      for (const line of stdout.split('\n')) {
        channel = /^┌─ #([a-z0-9-]+)/.exec(line)?.[1] ?? channel;
        const priority = /· priority (\d+) ·/.exec(line)?.[1];
        if (priority !== undefined) priorities.set(channel, [...(priorities.get(channel) ?? []), Number(priority)]);
      }
      expect([...priorities.keys()].sort()).toEqual(['leads', 'marketing', 'support']);
      for (const [, seen] of priorities) expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(priorities.get('support')?.[0]).toBe(0);
      const [, left] = await t.redis.scan('0', 'MATCH', `${t.prefix}-demo-*`, 'COUNT', 100_000);
      expect(left).toEqual([]);
    } finally {
      await t.cleanup();
    }
  }, 60_000);
});

describe('the demo interrupted', () => {
  it('stops quietly when its reader goes away (demo | head), removing its keys, exit 0', async () => {
    const t = await openTestRedis();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'demo', '--no-color'], {
        env: { ...process.env, REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix, DISCORD_TOKEN: '', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      // Read the first card, then close the pipe as `head -3` does.
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      child.stdout.destroy();
      expect(await exited).toBe(0);
      expect(stderr).not.toMatch(/EPIPE|at .*\.js/);
      const [, left] = await t.redis.scan('0', 'MATCH', `${t.prefix}-demo-*`, 'COUNT', 100_000);
      expect(left).toEqual([]);
    } finally {
      await t.cleanup();
    }
  }, 60_000);

  it('closes its workers, then removes its keys, and exits 130', async () => {
    const t = await openTestRedis();
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'demo', '--no-color'], {
        env: { ...process.env, REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix, DISCORD_TOKEN: '', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await new Promise<void>((resolve) =>
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString();
          if (stderr.includes('ingested')) resolve();
        }),
      );
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('demo interrupted');
      const [, left] = await t.redis.scan('0', 'MATCH', `${t.prefix}-demo-*`, 'COUNT', 100_000);
      expect(left).toEqual([]);
    } finally {
      await t.cleanup();
    }
  }, 60_000);
});

describe('a private redis-server', () => {
  it('starts on a free port, answers, and is gone after stop', async () => {
    const redis = await startPrivateRedis();
    expect(await redisAnswers('127.0.0.1', redis.port)).toBe(true);
    await redis.stop();
    expect(await redisAnswers('127.0.0.1', redis.port)).toBe(false);
  });

  it('says in one line how to install redis-server when there is none', async () => {
    const error = await startPrivateRedis({ binary: 'redis-server-that-does-not-exist' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisServerMissingError);
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).toMatch(/apt-get install redis-server.*REDIS_URL/);
  });
});

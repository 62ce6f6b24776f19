import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { cursorKey } from '../../src/pipeline/ingest.js';
import { startRuntime } from '../../src/main.js';
import { startFeedPeer, type FeedPeer } from '../peers/rss/feed-peer.js';
import { rss2Feed } from '../peers/rss/fixtures.js';
import { runCli } from '../support/cli.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const recent = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** A copy of the shipped config whose only enabled source is a feed on the local peer. */
function configWithFeed(feedUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mt-sources-'));
  cpSync('config', join(dir, 'config'), { recursive: true });
  writeFileSync(
    join(dir, 'config', 'sources.yaml'),
    ['sources:', '  - type: rss', `    url: ${feedUrl}`, '    name: rss:blog', '  - type: hackernews', '    enabled: false', ''].join('\n'),
  );
  return join(dir, 'config');
}

describe('mention-triage sources', () => {
  let t: TestRedis;
  let peer: FeedPeer;
  let configDir: string;
  beforeEach(async () => {
    t = await openTestRedis();
    peer = await startFeedPeer();
    peer.setFeed(
      '/feed',
      rss2Feed({
        title: 'Small Seller Weekly',
        items: [
          { id: 'a', title: 'Parcelly printed my labels blank', link: 'https://blog.example/a', author: 'Mina', published: recent(30), html: '<p>Since the update.</p>' },
          { id: 'b', title: 'Why we moved to Parcelly', link: 'https://blog.example/b', author: 'Jo', published: recent(90), html: '<p>Calm Mondays.</p>' },
        ],
      }),
    );
    configDir = configWithFeed(peer.url('/feed'));
  });
  afterEach(async () => {
    await peer.close();
    await t.cleanup();
  });

  const env = () => ({ REDIS_URL: t.url, MENTION_TRIAGE_PREFIX: t.prefix });

  it('--dry-run prints what each source would ingest, and queues nothing and moves no cursor', async () => {
    const { code, stdout, stderr } = await runCli(['sources', '--dry-run', '--config', configDir], { env: env() });
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^ {2}\[rss:blog\] @Mina \(0 followers\) \S+: Parcelly printed my labels blank Since the update\.$/),
      expect.stringMatching(/^ {2}\[rss:blog\] @Jo .*Why we moved to Parcelly/),
    ]);
    expect(stderr).toContain('rss:blog: 2 mentions, 0 malformed');
    expect(await t.redis.get(cursorKey(t.prefix, 'rss:blog'))).toBeNull();
    expect(await t.redis.keys(`${t.prefix}:ingest:*`)).toEqual([]);
    expect(peer.requestsTo('/feed')).toHaveLength(1);
  });

  it('shows each source\'s health as the service recorded it', async () => {
    const config = await loadConfig(configDir);
    const runtime = await startRuntime({ roles: ['ingest'], config, redisUrl: t.url, prefix: t.prefix, log: pino({ level: 'silent' }), ingestOnce: true });
    expect((await runtime.firstIngest).enqueued).toBe(2);
    await runtime.close();
    const { code, stdout } = await runCli(['sources', '--config', configDir], { env: env() });
    expect(code).toBe(0);
    const [header, blog, hn] = stdout.trim().split('\n');
    expect(header).toMatch(/^SOURCE\s+STATUS\s+LAST READ\s+TODAY\s+ERRORS\s+NEXT\/WAIT\s+NOTE$/);
    expect(blog).toMatch(/^rss:blog\s+ok\s+\d+ s ago\s+2\s+0\s+-$/);
    expect(hn).toMatch(/^hackernews\s+disabled\s+never\s+0\s+0\s+-\s+enabled: false in sources\.yaml$/);
    const json = await runCli(['sources', '--json', '--config', configDir], { env: env() });
    expect(JSON.parse(json.stdout.split('\n')[0]!)).toMatchObject({ name: 'rss:blog', platform: 'rss', status: 'ok', mentionsToday: 2, errors: 0 });
  });

  it('says which Redis did not answer instead of waiting forever', async () => {
    const { code, stderr } = await runCli(['sources', '--config', configDir], { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^no Redis answered at redis:\/\/127\.0\.0\.1:1.*set REDIS_URL/);
  });
});

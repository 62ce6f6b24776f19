import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { createMentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const ann = { id: '410000000000000101', username: 'ann' };

describe('/triage queue against the Discord peer', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let runtime: Runtime;

  beforeAll(async () => {
    peer = await startDiscordPeer({ roles: ['member'], members: [{ ...ann, roles: ['member'] }] });
    t = await openTestRedis();
    const base = await loadConfig('config');
    const config = { ...base, sources: [], discord: { ...base.discord, channels: { ...peer.channels }, roles: { members: [peer.roles.member!], leads: [] } } };
    runtime = await startRuntime({ roles: ['bot'], config, redisUrl: t.url, prefix: t.prefix, log: pino({ level: 'silent' }), discord: { token: peer.token, apiUrl: peer.apiUrl } });
  });
  afterAll(async () => {
    await runtime?.close();
    await peer?.close();
    await t?.cleanup();
  });

  it('lists the overdue first, then by priority, beyond the first `limit` the store holds', async () => {
    const store = createMentionStore(t.redis, { prefix: t.prefix });
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    // Claim within 30 minutes each: only the low-priority one from two hours ago is overdue.
    const seed = [
      { handle: 'urgent1', priority: 0, minutesAgo: 5 },
      { handle: 'urgent2', priority: 0, minutesAgo: 6 },
      { handle: 'late', priority: 3, minutesAgo: 120 },
    ];
    for (const [i, s] of seed.entries()) {
      const mention = aMention({ id: `18600000000009000${i}`, createdAt: at(s.minutesAgo), author: { handle: s.handle, name: s.handle, followers: 10 } });
      const triage = aTriage(mention);
      await store.saveTriaged(`x-${mention.id}`, { ...triage, route: { ...triage.route, priority: s.priority } }, new Date());
    }
    const handle = await peer.runSlashCommand({ channelId: peer.channels.support, name: 'triage', subcommand: 'queue', user: ann, options: { limit: 2 } });
    const answer = await handle.waitForCallback(3000);
    const lines = String(answer.data?.content ?? '').split('\n').slice(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^1\. P3 · .*@late.*claim overdue by 1 h 30 min/);
    expect(lines[1]).toMatch(/^2\. P0 · .*@urgent2/);
  });
});

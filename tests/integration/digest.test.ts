import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import type { Mention } from '../../src/core/mention.js';
import { triage } from '../../src/core/triage.js';
import { stackKeys } from '../../src/discord/card-stack.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { isQuiet } from '../../src/pipeline/digest.js';
import { createQueues } from '../../src/pipeline/queues.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aFileSourceConfig, aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const silent = pino({ level: 'silent' });
const PLACES = ['the station', 'the high street', 'our office', 'the school', 'the retail park', 'the airport', 'the harbour', 'the library', 'the stadium', 'the market'];

function post(i: number, text: string, followers = 40): Mention {
  const id = String(1_880_000_000_000_000_000n + BigInt(i));
  return aMention({ id, text, url: `https://x.com/u${i}/status/${id}`, createdAt: new Date(Date.now() - 600_000 + i * 1000).toISOString(), author: { handle: `u${i}`, name: `U ${i}`, followers } });
}

describe('backlog digests of quiet mentions (Discord peer, real Redis)', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let base: Config;
  let store: MentionStore;
  let runtime: Runtime | undefined;
  let dir: string;

  beforeAll(async () => {
    base = await loadConfig('config');
  });
  beforeEach(async () => {
    peer = await startDiscordPeer();
    t = await openTestRedis();
    store = createMentionStore(t.redis, { prefix: t.prefix });
    dir = mkdtempSync(join(tmpdir(), 'mt-digest-'));
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await t.cleanup();
    await peer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists quiet mentions in one digest card under a backlog while angry ones get their own card first', async () => {
    const quiet = PLACES.map((place, i) => post(i, `saw a parcelly van parked near ${place} this afternoon`));
    const angry = post(50, '@parcelly lost my parcel AGAIN and nobody answers, absolutely furious!!!');
    const config: Config = {
      ...base,
      // The posts are alike on purpose (quiet chatter): each keeps its own line, not a group card.
      discord: { ...base.discord, channels: { ...peer.channels }, coalescing: { ...base.discord.coalescing, enabled: false }, digest: { fromBacklog: 5, everyMinutes: 10, mentionsPerDigest: 20, fromPriority: 3 } },
    };
    for (const m of quiet) expect(isQuiet(triage(m, config), config.discord.digest, 10_000)).toBe(true);
    const path = join(dir, 'mentions.jsonl');
    writeFileSync(path, `${[...quiet, angry].map((m) => JSON.stringify(m)).join('\n')}\n`);
    runtime = await startRuntime({ roles: ['ingest', 'triage', 'notify'], config: { ...config, sources: [aFileSourceConfig(path)] }, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true, discord: { token: peer.token, apiUrl: peer.apiUrl } });
    await runtime.firstIngest;
    const angryKey = `x-${angry.id}`;
    await until(async () => (await store.card(angryKey, 'support')) !== undefined, 15_000, 'the angry card');
    // The digest waits for the end of its period: bring it forward.
    const queues = createQueues(t.redis, t.prefix);
    const [digestJob] = await queues.notifyFor('support').getJobs(['delayed']);
    expect(digestJob?.data).toMatchObject({ channelKey: 'support', digest: true });
    await digestJob!.promote();
    const digest = await peer.waitFor(() => peer.messagesIn(peer.channels.support).find((m) => (m.embeds?.[0]?.title ?? '').includes('quieter mentions')), 15_000);
    const keys = quiet.map((m) => `x-${m.id}`);
    for (const key of keys) expect(digest.embeds![0]!.description).toContain(`\`${key}\``);
    // The peer shows the message a moment before the notify stage records it for each mention.
    await until(async () => (await Promise.all(keys.map((key) => store.card(key, 'support')))).every((card) => card?.messageId === digest.id), 10_000, 'each mention recorded as carded by the digest');
    expect(digest.embeds![0]!.title).toBe('🗞️ 10 quieter mentions while this channel is busy');
    // No card of their own; the angry one's came first.
    const carded = peer.messagesIn(peer.channels.support).flatMap((m) => stackKeys(m as never));
    expect(carded).toEqual([angryKey]);
    expect(peer.messagesIn(peer.channels.support)[0]!.id).not.toBe(digest.id);
    await queues.close();
  });

  it('posts a digest once when the answer to its post was lost: the retry finds it in the channel', async () => {
    const quiet = PLACES.slice(0, 6).map((place, i) => post(i, `saw a parcelly van parked near ${place} this afternoon`));
    const config: Config = {
      ...base,
      discord: { ...base.discord, channels: { ...peer.channels }, coalescing: { ...base.discord.coalescing, enabled: false }, digest: { fromBacklog: 2, everyMinutes: 10, mentionsPerDigest: 20, fromPriority: 3 } },
    };
    const path = join(dir, 'mentions.jsonl');
    writeFileSync(path, `${quiet.map((m) => JSON.stringify(m)).join('\n')}\n`);
    runtime = await startRuntime({ roles: ['ingest', 'triage', 'notify'], config: { ...config, sources: [aFileSourceConfig(path)] }, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true, discord: { token: peer.token, apiUrl: peer.apiUrl } });
    await runtime.firstIngest;
    const queues = createQueues(t.redis, t.prefix);
    const digestJob = await until(async () => (await queues.notifyFor('support').getJobs(['delayed'])).find((j) => j.data.digest), 15_000, 'the digest job');
    const listed = (await t.redis.lrange(`${t.prefix}:digest:support`, 0, -1)) as string[];
    expect(listed.length).toBeGreaterThan(0);
    await until(async () => Object.values(await queues.notifyFor('support').getJobCounts('waiting', 'prioritized', 'active')).every((n) => n === 0), 15_000, 'the cards before the digest');
    // Discord stores the digest, the answer never arrives; the peer keeps no nonces.
    peer.clearRequests();
    peer.dropResponseNext({ method: 'POST', path: new RegExp(`^/channels/${peer.channels.support}/messages$`) });
    await digestJob.promote();
    await until(async () => (await Promise.all(listed.map((key) => store.card(key, 'support')))).every(Boolean), 20_000, 'each listed mention recorded as carded');
    const digests = peer.messagesIn(peer.channels.support).filter((m) => (m.embeds?.[0]?.title ?? '').includes('quieter mention'));
    expect(digests).toHaveLength(1);
    for (const key of listed) expect((await store.card(key, 'support'))?.messageId).toBe(digests[0]!.id);
    expect(peer.requestsTo('POST', /^\/channels\/\d+\/messages$/).map((r) => r.dropped ?? false)).toEqual([true]);
    await queues.close();
  }, 30_000);

  it('gives every mention its own card while the channel keeps up', async () => {
    const quiet = PLACES.slice(0, 3).map((place, i) => post(i, `saw a parcelly van parked near ${place} this afternoon`));
    const config: Config = { ...base, discord: { ...base.discord, channels: { ...peer.channels }, coalescing: { ...base.discord.coalescing, enabled: false } } };
    const path = join(dir, 'mentions.jsonl');
    writeFileSync(path, `${quiet.map((m) => JSON.stringify(m)).join('\n')}\n`);
    runtime = await startRuntime({ roles: ['ingest', 'triage', 'notify'], config: { ...config, sources: [aFileSourceConfig(path)] }, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true, discord: { token: peer.token, apiUrl: peer.apiUrl } });
    await runtime.firstIngest;
    const keys = quiet.map((m) => `x-${m.id}`);
    await until(async () => (await Promise.all(keys.map((k) => store.card(k, 'support')))).every(Boolean), 15_000, 'three cards');
    expect(peer.messagesIn(peer.channels.support).flatMap((m) => stackKeys(m as never)).sort()).toEqual([...keys].sort());
  });
});

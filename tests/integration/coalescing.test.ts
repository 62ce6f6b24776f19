import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import type { Mention } from '../../src/core/mention.js';
import { stackKeys } from '../../src/discord/card-stack.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { cardJobId, createQueues, notifyPriority } from '../../src/pipeline/queues.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aFileSourceConfig, aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const silent = pino({ level: 'silent' });
const STARTED = Date.now() - 3_600_000;
const POST = 'been on hold with parcelly for over an hour trying to change the delivery address for my mum before tomorrow, nobody picks up';

/** A copy of the post by another account, as reposts and quotes look. */
function copy(i: number, text: string, followers: number, minutesLater = i): Mention {
  const id = String(1_870_000_000_000_000_000n + BigInt(i));
  return aMention({
    id,
    text,
    url: `https://x.com/user${i}/status/${id}`,
    createdAt: new Date(STARTED + minutesLater * 60_000).toISOString(),
    author: { handle: `user${i}`, name: `User ${i}`, followers },
  });
}

describe('near duplicates share one card (Discord peer, real Redis)', () => {
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
    dir = mkdtempSync(join(tmpdir(), 'mt-coalesce-'));
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await t.cleanup();
    await peer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(mentions: Mention[], coalescing: Partial<Config['discord']['coalescing']> = {}): Promise<void> {
    const path = join(dir, `m-${Date.now()}.jsonl`);
    writeFileSync(path, `${mentions.map((m) => JSON.stringify(m)).join('\n')}\n`);
    const config: Config = {
      ...base,
      sources: [aFileSourceConfig(path)],
      discord: { ...base.discord, channels: { ...peer.channels }, coalescing: { ...base.discord.coalescing, ...coalescing } },
    };
    runtime = await startRuntime({ roles: ['ingest', 'triage', 'notify'], config, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true, discord: { token: peer.token, apiUrl: peer.apiUrl } });
    await runtime.firstIngest;
  }

  const cardsIn = (channel: string) => peer.messagesIn(channel).flatMap((m) => stackKeys(m as never));
  const embedsOf = (channel: string) => peer.messagesIn(channel).flatMap((m) => (m as { embeds?: Array<{ fields?: Array<{ name: string; value: string }> }> }).embeds ?? []);

  it('gives nine copies of one complaint one card that counts them and names the authors with the most reach', async () => {
    const texts = [POST, `RT @user0: ${POST}`, `this, exactly: ${POST}`, `@parcelly ${POST} https://t.co/x1`, POST.replace('mum', 'dad'), POST, `same here: ${POST}`, POST, `RT @user2: ${POST}`];
    const mentions = texts.map((text, i) => copy(i, text, [120, 40, 900, 15, 3000, 7, 60, 250, 80][i]!));
    await run(mentions);
    const leader = `x-${mentions[0]!.id}`;
    await until(async () => (await store.get(leader))?.group?.count === 9, 15_000, 'the group to count nine');
    await until(async () => cardsIn(peer.channels.support).length >= 1 && (await store.card(leader, 'support')) !== undefined, 15_000, 'the group card');
    // The count on the posted card: the card is refreshed once the copies are counted.
    await until(async () => embedsOf(peer.channels.support).some((e) => e.fields?.some((f) => f.name === 'Posted 9 times')), 15_000, 'the card to show nine');
    expect(cardsIn(peer.channels.support)).toEqual([leader]);
    const field = embedsOf(peer.channels.support).flatMap((e) => e.fields ?? []).find((f) => f.name === 'Posted 9 times')!;
    expect(field.value).toContain('[@user4 (3k)](https://x.com/user4/status/1870000000000000004)');
    expect(field.value.indexOf('@user4')).toBeLessThan(field.value.indexOf('@user2'));
    // Every copy keeps its own state, without a card of its own: set aside, saying where it is shown, out of the unclaimed queue.
    for (const m of mentions.slice(1)) {
      const state = await store.get(`x-${m.id}`);
      expect(state?.status).toBe('dismissed');
      expect(state?.lastAction?.detail).toBe(`a near duplicate, on the group card of ${leader}`);
      expect(state?.cards).toEqual([]);
    }
    expect((await store.unclaimed(50)).map((s) => s.key)).toEqual([leader]);
  });

  it('still gives a copy with a large audience a card of its own, and different complaints a card each', async () => {
    const other = copy(5, 'my parcelly label printed blank again and I have forty parcels to ship today, second time this week', 30);
    const mentions = [copy(0, POST, 100), copy(1, `RT @user0: ${POST}`, 250_000), copy(2, POST, 20), other];
    await run(mentions);
    const keys = mentions.map((m) => `x-${m.id}`);
    await until(async () => (await Promise.all([keys[0]!, keys[1]!, keys[3]!].map((k) => store.card(k, 'support')))).every(Boolean), 15_000, 'three cards');
    await until(async () => (await store.get(keys[0]!))?.group?.count === 3, 10_000, 'the group to count three');
    expect(cardsIn(peer.channels.support).sort()).toEqual([keys[0]!, keys[1]!, keys[3]!].sort());
    expect(await store.card(keys[2]!, 'support')).toBeUndefined();
  });

  it("puts the group's card at its most urgent copy's place in the queue, in the same batch and a later one", async () => {
    const path = join(dir, 'first.jsonl');
    writeFileSync(path, `${JSON.stringify(copy(0, POST, 10))}\n${JSON.stringify(copy(1, `RT @user0: ${POST}`, 900))}\n`);
    const config: Config = { ...base, sources: [aFileSourceConfig(path)], discord: { ...base.discord, channels: { ...peer.channels } } };
    runtime = await startRuntime({ roles: ['ingest', 'triage'], config, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true });
    await runtime.firstIngest;
    const leader = `x-${copy(0, POST, 10).id}`;
    const queues = createQueues(t.redis, t.prefix);
    const placeOf = async () => (await queues.notifyFor('support').getJob(cardJobId(leader, 'support')))?.priority;
    await until(async () => (await placeOf()) !== undefined, 10_000, 'the group card queued');
    const route = (await store.get(leader))!.triage.route;
    expect(await placeOf()).toBe(notifyPriority(route.priority, 900));
    await runtime.close();
    // A later copy with more reach, in a batch of its own.
    const later = join(dir, 'later.jsonl');
    writeFileSync(later, `${JSON.stringify(copy(2, `this, exactly: ${POST}`, 8000))}\n`);
    runtime = await startRuntime({ roles: ['ingest', 'triage'], config: { ...config, sources: [aFileSourceConfig(later)] }, redisUrl: t.url, prefix: t.prefix, log: silent, ingestOnce: true });
    await runtime.firstIngest;
    await until(async () => (await placeOf()) === notifyPriority(route.priority, 8000), 10_000, 'the card moved ahead');
    expect((await store.get(leader))?.group?.count).toBe(3);
    await queues.close();
  });

  it('gives a copy its own card once the group card was resolved, and still counts it there', async () => {
    await run([copy(0, POST, 100)]);
    const leader = `x-${copy(0, POST, 100).id}`;
    await until(async () => (await store.card(leader, 'support')) !== undefined, 15_000, 'the first card');
    const ann = { id: '300000000000000001', name: 'ann' };
    await store.transition(leader, 'claim', ann, new Date());
    expect((await store.transition(leader, 'resolve', ann, new Date())).ok).toBe(true);
    await runtime!.close();
    const later = copy(1, `RT @user0: ${POST}`, 30, 5);
    await run([later]);
    await until(async () => (await store.card(`x-${later.id}`, 'support')) !== undefined, 15_000, 'the copy\'s own card');
    expect((await store.get(leader))?.group?.count).toBe(2);
    expect((await store.get(`x-${later.id}`))?.status).toBe('new');
  });

  it('gives every copy its own card when coalescing is off', async () => {
    const mentions = [copy(0, POST, 100), copy(1, POST, 20), copy(2, POST, 30)];
    await run(mentions, { enabled: false });
    const keys = mentions.map((m) => `x-${m.id}`);
    await until(async () => (await Promise.all(keys.map((k) => store.card(k, 'support')))).every(Boolean), 15_000, 'three cards');
    expect(cardsIn(peer.channels.support).sort()).toEqual([...keys].sort());
  });
});

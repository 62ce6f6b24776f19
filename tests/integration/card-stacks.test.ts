import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import type { Mention } from '../../src/core/mention.js';
import { stackKeys } from '../../src/discord/card-stack.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { cardJobId, createQueues, notifyPriority, type Queues } from '../../src/pipeline/queues.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const silent = pino({ level: 'silent' });
const NOW = new Date('2026-11-20T10:05:00.000Z');

describe('cards stacked several to a message while a channel has a backlog (Discord peer, real Redis)', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let config: Config;
  let queues: Queues;
  let store: MentionStore;
  let runtime: Runtime | undefined;

  beforeAll(async () => {
    const base = await loadConfig('config');
    peer = await startDiscordPeer();
    config = { ...base, discord: { ...base.discord, channels: { ...peer.channels }, stacking: { fromBacklog: 5, cardsPerMessage: 5 } } };
  });
  afterAll(async () => {
    await peer.close();
  });
  beforeEach(async () => {
    t = await openTestRedis();
    queues = createQueues(t.redis, t.prefix);
    store = createMentionStore(t.redis, { prefix: t.prefix });
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await queues.close();
    await t.cleanup();
  });

  async function queueCard(id: string, routePriority: number, followers: number): Promise<string> {
    const mention: Mention = aMention({ id, author: { handle: `u${id.slice(-3)}`, name: `User ${id.slice(-3)}`, followers } });
    const triage = aTriage(mention, { route: { channel: 'support', rule: 'test', priority: routePriority, alsoTo: [], claimWithinMinutes: 30 } });
    const key = `x-${id}`;
    await store.saveTriaged(key, triage, NOW);
    const priority = notifyPriority(routePriority, triage.reach);
    await queues.notifyFor('support').add('card', { key, channelKey: 'support', priority }, { jobId: cardJobId(key, 'support'), priority });
    return key;
  }

  const messages = () => peer.messagesIn(peer.channels.support).map((m) => ({ id: m.id, keys: stackKeys(m as never) }));

  it('posts a backlog five cards a message, most urgent first, every card once, and each card records its message', async () => {
    const urgent: string[] = [];
    const rest: string[] = [];
    for (let i = 0; i < 9; i++) rest.push(await queueCard(`18600000000000020${10 + i}`, 3, 10 + i));
    for (let i = 0; i < 3; i++) urgent.push(await queueCard(`18600000000000021${10 + i}`, 0, 100 * (i + 1)));
    runtime = await startRuntime({ roles: ['notify'], config, redisUrl: t.url, prefix: t.prefix, log: silent, discord: { token: peer.token, apiUrl: peer.apiUrl } });
    const all = [...urgent, ...rest];
    await until(async () => messages().flatMap((m) => m.keys).length >= all.length, 15_000);
    // The peer shows a message a moment before the notify stage records its cards.
    await until(async () => (await Promise.all(all.map((k) => store.card(k, 'support')))).every(Boolean), 10_000);
    const posted = messages();
    const keys = posted.flatMap((m) => m.keys);
    expect(keys.sort()).toEqual([...all].sort());
    // Fewer messages than cards, none over five, and the urgent ones (by reach) in the first.
    expect(posted.length).toBeLessThan(all.length);
    expect(Math.max(...posted.map((m) => m.keys.length))).toBeLessThanOrEqual(5);
    expect(posted[0]!.keys.slice(0, 3)).toEqual([...urgent].reverse());
    for (const message of posted) {
      for (const key of message.keys) expect((await store.card(key, 'support'))?.messageId).toBe(message.id);
      if (message.keys.length > 1) expect(await store.stackOf(message.id)).toEqual(message.keys);
    }
    expect(await queues.notifyFor('support').count()).toBe(0);
  });

  it('a click on one card of a stack changes that card only, and the others keep their buttons', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push(await queueCard(`18600000000000022${10 + i}`, 1, 1000 - i));
    runtime = await startRuntime({ roles: ['notify', 'bot'], config, redisUrl: t.url, prefix: t.prefix, log: silent, discord: { token: peer.token, apiUrl: peer.apiUrl } });
    const ours = (m: { components?: unknown }) => stackKeys(m as never).length === 5 && stackKeys(m as never).every((k) => keys.includes(k));
    await until(async () => peer.messagesIn(peer.channels.support).some(ours), 15_000);
    const stack = peer.messagesIn(peer.channels.support).find(ours)!;
    const second = stackKeys(stack as never)[1]!;
    await peer.clickButton({ channelId: stack.channel_id, messageId: stack.id, customId: `mt:claim:${second}`, user: { id: '400000000000000011', username: 'fay' } });
    await until(async () => (await store.get(second))?.status === 'claimed', 10_000);
    await until(async () => JSON.stringify(peer.messagesIn(peer.channels.support).find((m) => m.id === stack.id)?.components).includes('Claimed by'), 10_000);
    const after = peer.messagesIn(peer.channels.support).find((m) => m.id === stack.id)!;
    expect(stackKeys(after as never)).toEqual(stackKeys(stack as never));
    const rows = after.components as Array<{ components: Array<{ custom_id: string; label: string; disabled?: boolean }> }>;
    expect(rows).toHaveLength(5);
    expect(rows[1]!.components[0]).toMatchObject({ custom_id: `mt:claim:${second}`, disabled: true });
    expect(rows[1]!.components[0]!.label).toContain('fay');
    for (const i of [0, 2, 3, 4]) expect(rows[i]!.components[0]).toMatchObject({ label: 'Claim', disabled: false });
    expect(after.embeds).toHaveLength(5);
  });
});

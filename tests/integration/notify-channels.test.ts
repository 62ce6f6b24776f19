import { Queue } from 'bullmq';
import { REST } from 'discord.js';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import type { Mention } from '../../src/core/mention.js';
import { stackKeys } from '../../src/discord/card-stack.js';
import { createDiscordNotifier } from '../../src/discord/discord-notifier.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { cardJobId, createQueues, notifyPriority, type Queues } from '../../src/pipeline/queues.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const silent = pino({ level: 'silent' });
const NOW = new Date('2026-11-20T10:05:00.000Z');

/** The mention key a card's claim button names (Share on a word-of-mouth card), e.g. `x-1860000000000000101`. */
function keyOfCard(message: { components?: unknown[] }): string | undefined {
  return stackKeys(message)[0];
}

describe('the notify stage against the Discord peer and a real Redis', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let config: Config;
  let queues: Queues;
  let store: MentionStore;
  let runtime: Runtime | undefined;

  beforeAll(async () => {
    const base = await loadConfig('config');
    peer = await startDiscordPeer();
    // One card a message here: the order of messages is the order of cards (stacks: card-stacks.test.ts).
    config = { ...base, discord: { ...base.discord, channels: { ...peer.channels }, stacking: { fromBacklog: 5, cardsPerMessage: 1 } } };
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

  /** Records a triaged mention and queues its card in `channel` as triage does. */
  async function queueCard(id: string, channel: string, routePriority: number, followers: number): Promise<string> {
    const mention: Mention = aMention({ id, author: { handle: `u${id.slice(-3)}`, name: `User ${id.slice(-3)}`, followers } });
    const triage = aTriage(mention, { route: { channel, rule: 'test', priority: routePriority, alsoTo: [], claimWithinMinutes: 30 } });
    const key = `x-${id}`;
    await store.saveTriaged(key, triage, NOW);
    await queues.notifyFor(channel).add('card', { key, channelKey: channel, triage }, { jobId: cardJobId(key, channel), priority: notifyPriority(routePriority, triage.reach) });
    return key;
  }

  const startNotify = async () =>
    (runtime = await startRuntime({ roles: ['notify'], config, redisUrl: t.url, prefix: t.prefix, log: silent, discord: { token: peer.token, apiUrl: peer.apiUrl } }));

  const cardsIn = (channel: 'support' | 'leads' | 'marketing') => peer.messagesIn(peer.channels[channel]).map(keyOfCard).filter((k) => k !== undefined);
  const cardsOf = (keys: string[]) => (channel: 'support' | 'leads' | 'marketing') => cardsIn(channel).filter((k) => keys.includes(k));

  it('posts within a channel by route priority first, then by reach (higher first), then by arrival', async () => {
    const keys = [
      await queueCard('1860000000000000101', 'support', 1, 10),
      await queueCard('1860000000000000102', 'support', 2, 1_000_000),
      await queueCard('1860000000000000103', 'support', 0, 50),
      await queueCard('1860000000000000104', 'support', 0, 486_000),
      await queueCard('1860000000000000105', 'support', 1, 10),
      await queueCard('1860000000000000106', 'support', 0, 58),
    ];
    await startNotify();
    const seen = cardsOf(keys);
    await peer.waitFor(() => seen('support').length === keys.length, 10_000);
    // 50 and 58 followers share a reach bucket: arrival order decides between them.
    expect(seen('support')).toEqual([keys[3], keys[2], keys[5], keys[0], keys[4], keys[1]]);
    for (const key of keys) expect((await store.card(key, 'support'))?.channelId).toBe(peer.channels.support);
  });

  it('posts each channel on its own: the leads\' card does not wait while support\'s channel is held by a rate limit', async () => {
    const support = await queueCard('1860000000000000201', 'support', 0, 100);
    const leads = await queueCard('1860000000000000202', 'leads', 3, 10);
    peer.clearRequests();
    // Support's bucket answers 429 for a while; the REST client holds that route until it resets.
    peer.rateLimitNext({ method: 'POST', path: new RegExp(`^/channels/${peer.channels.support}/messages$`), retryAfterSeconds: 1.5 });
    await startNotify();
    const seen = cardsOf([support, leads]);
    await peer.waitFor(() => seen('support').length === 1 && seen('leads').length === 1, 10_000);
    const posts = peer.requestsTo('POST', /^\/channels\/\d+\/messages$/);
    const firstOk = (channelId: string) => posts.findIndex((r) => r.route === `/channels/${channelId}/messages` && r.status === 200);
    // One 429 for support, nothing more; the leads' card went out while support waited.
    expect(posts.filter((r) => r.status === 429)).toHaveLength(1);
    expect(firstOk(peer.channels.leads)).toBeLessThan(firstOk(peer.channels.support));
  });

  it('reconciles a retried post whose answer was lost: the card Discord stored is found in the channel and recorded, not posted twice', async () => {
    const key = await queueCard('1860000000000000301', 'marketing', 1, 300);
    // A card of another mention in the same channel must not be taken for this one.
    const other = await queueCard('1860000000000000302', 'marketing', 4, 1);
    peer.clearRequests();
    const marketingPosts = new RegExp(`^/channels/${peer.channels.marketing}/messages$`);
    peer.dropResponseNext({ method: 'POST', path: marketingPosts });
    await startNotify();
    const seen = cardsOf([key, other]);
    await peer.waitFor(() => seen('marketing').length === 2, 15_000);
    const ref = await (async () => {
      for (let i = 0; i < 200; i++) {
        const found = await store.card(key, 'marketing');
        if (found) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      return undefined;
    })();

    expect(seen('marketing')).toEqual([key, other]);
    const posts = peer.requestsTo('POST', marketingPosts);
    expect(posts.map((r) => r.dropped ?? false)).toEqual([true, false]);
    // The retry listed the channel's recent messages first, and found the stored card there.
    const lists = peer.requestsTo('GET', marketingPosts);
    expect(lists).toHaveLength(1);
    expect(lists[0]?.query).toMatchObject({ limit: '50' });
    const stored = peer.messagesIn(peer.channels.marketing).find((m) => keyOfCard(m) === key);
    expect(ref).toMatchObject({ channelKey: 'marketing', channelId: peer.channels.marketing, messageId: stored?.id });
    expect((await store.get(key))?.cards).toHaveLength(1);
  }, 20_000);

  it('posts the cards an earlier version left in its single notify queue, each in its channel', async () => {
    const mention = aMention({ id: '1860000000000000777', author: { handle: 'old_q', name: 'Old Queue', followers: 5 } });
    const triage = aTriage(mention, { route: { channel: 'marketing', rule: 'test', priority: 2, alsoTo: [], claimWithinMinutes: 30 } });
    const key = `x-${mention.id}`;
    await store.saveTriaged(key, triage, NOW);
    const legacy = new Queue('notify', { connection: t.redis, prefix: t.prefix });
    await legacy.add('card', { key, channelKey: 'marketing', triage }, { jobId: cardJobId(key, 'marketing'), priority: 3 });
    await legacy.close();
    runtime = await startRuntime({ roles: ['notify'], config, redisUrl: t.url, prefix: t.prefix, log: silent, discord: { token: peer.token, apiUrl: peer.apiUrl } });
    await peer.waitFor(() => peer.messagesIn(peer.channels.marketing).some((m) => keyOfCard(m) === key), 10_000);
    // The peer shows the message a moment before the notify stage records it.
    await until(async () => ((await store.get(key))?.cards.length ?? 0) > 0, 10_000);
    expect((await store.get(key))?.cards.map((c) => c.channelKey)).toEqual(['marketing']);
  });
});

describe('the Discord notifier finding a card already posted', () => {
  let peer: DiscordPeer;
  beforeAll(async () => {
    peer = await startDiscordPeer();
  });
  afterAll(async () => {
    await peer.close();
  });

  it('finds a mention\'s card among the channel\'s recent messages by its buttons, and nothing for a mention without one', async () => {
    const rest = new REST({ api: peer.apiUrl, retries: 0 }).setToken(peer.token);
    const notifier = createDiscordNotifier(rest, peer.channels);
    const posted = await notifier.post('support', { kind: 'card', state: { key: 'x-41', status: 'new', triage: aTriage() } }, 'x-41/support');
    await notifier.post('support', { kind: 'alert', alert: { channelKey: 'support', title: 'A notice', text: 'no buttons here', level: 'warning', raisedAt: NOW.toISOString() } }, 'alert-1');
    expect(await notifier.findCard('support', 'x-41')).toEqual(posted);
    expect(await notifier.findCard('support', 'x-4')).toBeUndefined();
    expect(await notifier.findCard('leads', 'x-41')).toBeUndefined();
  });
});

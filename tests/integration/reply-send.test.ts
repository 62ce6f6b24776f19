import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { mastodonSourceSchema, xSourceSchema } from '../../src/config/source-schemas.js';
import { mentionKey } from '../../src/core/mention-key.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { startMastodonPeer, type MastodonPeer } from '../peers/mastodon/mastodon-peer.js';
import { startXPeer, type XPeer } from '../peers/x/x-peer.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const carol = { id: '400000000000000003', username: 'carol' };

/**
 * The whole way round on real parts: a post on a Mastodon peer is read by the Mastodon
 * source, becomes a card on the Discord peer, and the reply a team member writes in the
 * modal arrives at Mastodon as a status in the thread.
 */
describe('a reply written in Discord, sent on the platform', () => {
  let discord: DiscordPeer;
  let mastodon: MastodonPeer;
  let t: TestRedis;
  let runtime: Runtime;
  let store: MentionStore;
  const keys: Record<'sent' | 'refused', string> = { sent: '', refused: '' };

  const cardOf = (key: string) => discord.messagesIn(discord.channels.support).find((m) => JSON.stringify(m.components).includes(`mt:claim:${key}`));

  beforeAll(async () => {
    discord = await startDiscordPeer();
    mastodon = await startMastodonPeer();
    t = await openTestRedis();
    const sent = mastodon.post({ author: 'ana@other.example', text: 'my parcel has been stuck at the depot for 5 days, any news?', mentions: ['parcelly'] });
    const refused = mastodon.post({ author: 'ben@other.example', text: 'label printing is broken again', mentions: ['parcelly'] });
    const base = await loadConfig('config');
    const source = { ...mastodonSourceSchema.parse({ type: 'mastodon', instance: mastodon.url }), name: 'mastodon:peer' };
    runtime = await startRuntime({
      roles: ['ingest', 'triage', 'notify', 'bot'],
      config: { ...base, sources: [source], discord: { ...base.discord, channels: { ...discord.channels } } },
      redisUrl: t.url,
      prefix: t.prefix,
      log: pino({ level: 'silent' }),
      discord: { token: discord.token, apiUrl: discord.apiUrl },
      secret: (name) => (name === 'MASTODON_ACCESS_TOKEN' ? mastodon.token : undefined),
      ingestOnce: true,
    });
    store = createMentionStore(t.redis, { prefix: t.prefix });
    expect((await runtime.firstIngest).enqueued).toBe(2);
    keys.sent = mentionKey({ source: 'mastodon', id: sent.uri });
    keys.refused = mentionKey({ source: 'mastodon', id: refused.uri });
    await discord.waitFor(() => Boolean(cardOf(keys.sent) && cardOf(keys.refused)), 20_000);
  });

  afterAll(async () => {
    await runtime?.close();
    await discord?.close();
    await mastodon?.close();
    await t?.cleanup();
  });

  async function submitReply(key: string, text: string) {
    const card = cardOf(key)!;
    const click = await discord.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:reply:${key}`, user: carol });
    expect((await click.waitForCallback(3000)).type).toBe(9);
    const submit = await discord.submitModal({ channelId: card.channel_id, messageId: card.id, customId: `mt:reply:${key}`, fields: { reply: text }, user: carol });
    // Deferred at once (type 5): sending may take longer than Discord's 3 seconds.
    expect(await submit.waitForCallback(3000)).toMatchObject({ type: 5, data: { flags: 64 } });
    await discord.waitFor(() => Boolean(submit.original()?.content), 5000);
    return submit.original()!.content;
  }

  it('posts the reply in the thread, records who sent it with the platform id, and shows the link on the card', async () => {
    const said = await submitReply(keys.sent, 'So sorry, Ana: the depot has it and it leaves today. I will check back tomorrow.');
    const [status] = mastodon.posted();
    expect(status).toMatchObject({ in_reply_to_id: expect.any(String), visibility: 'public', mentions: [{ acct: 'ana@other.example' }] });
    expect(mastodon.requestsTo('POST', /^\/api\/v1\/statuses$/)[0]?.body).toMatchObject({ status: '@ana@other.example So sorry, Ana: the depot has it and it leaves today. I will check back tomorrow.' });
    expect(said).toBe(`Sent on mastodon: ${status!.url}\nResolve the card when the customer is helped.`);
    const state = await store.get(keys.sent);
    expect(state).toMatchObject({ status: 'claimed', holder: { id: carol.id }, sent: { id: status!.id, url: status!.url, by: { id: carol.id } } });
    const replied = (await store.history(keys.sent)).find((e) => e.action === 'replied');
    expect(JSON.parse(replied!.detail!)).toEqual({ id: status!.id, url: status!.url, text: 'So sorry, Ana: the depot has it and it leaves today. I will check back tomorrow.' });
    await discord.waitFor(() => JSON.stringify(cardOf(keys.sent)?.embeds).includes('Replied by @carol'), 5000);
  });

  it('sends nothing a second time: an answered mention, then one resolved while the modal was open, get the text back', async () => {
    const card = cardOf(keys.sent)!;
    const openModal = () => discord.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:reply:${keys.sent}`, user: carol }).then((c) => c.waitForCallback(3000));
    const submit = async () => {
      const handle = await discord.submitModal({ channelId: card.channel_id, messageId: card.id, customId: `mt:reply:${keys.sent}`, fields: { reply: 'One more thing, Ana' }, user: carol });
      expect((await handle.waitForCallback(3000)).type).toBe(5);
      return { content: await discord.waitFor(() => handle.original()?.content || undefined, 5000) };
    };
    await openModal();
    expect((await submit()).content).toMatch(/^@carol already sent a reply \(.+\): nothing was sent\.[\s\S]*One more thing, Ana/);
    await openModal();
    const resolve = await discord.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:resolve:${keys.sent}`, user: carol });
    expect((await resolve.waitForCallback(3000)).type).toBe(7);
    expect((await submit()).content).toMatch(/^This mention is resolved \(by @carol\): nothing was sent\.[\s\S]*One more thing, Ana/);
    expect(mastodon.posted()).toHaveLength(1);
  });

  it('hands the text back when the platform refuses the reply, and records the failure', async () => {
    mastodon.failNext({ status: 422, path: /^\/api\/v1\/statuses$/ });
    const said = await submitReply(keys.refused, 'Sorry Ben, we are on it.');
    expect(said).toMatch(/^Not sent: .+\nYour text, so it is not lost:\n```\nSorry Ben, we are on it.\n```$/);
    expect((await store.get(keys.refused))?.sent).toBeUndefined();
    expect((await store.history(keys.refused)).map((e) => e.action)).toContain('reply-failed');
  });
});

describe('a reply on X, where the API may answer only posts that address the brand', () => {
  let discord: DiscordPeer;
  let x: XPeer;
  let t: TestRedis;
  let runtime: Runtime;
  let store: MentionStore;
  const ids = { addressing: '', passing: '' };

  const cardOf = (key: string) => discord.messagesIn(discord.channels.support).find((m) => JSON.stringify(m.components).includes(`mt:claim:${key}`));

  beforeAll(async () => {
    discord = await startDiscordPeer();
    x = await startXPeer();
    t = await openTestRedis();
    ids.addressing = x.addPost({ author: 'dana', text: '@parcelly my labels print blank since this morning' }).id;
    ids.passing = x.addPost({ author: 'eli', text: 'Parcelly prints blank labels for me too, ugh' }).id;
    const base = await loadConfig('config');
    const source = { ...xSourceSchema.parse({ type: 'x', apiUrl: x.apiUrl }), name: 'x:peer' };
    const secrets: Record<string, string> = { X_BEARER_TOKEN: x.bearerToken, X_API_KEY: x.oauth.appKey, X_API_SECRET: x.oauth.appSecret, X_ACCESS_TOKEN: x.oauth.accessToken, X_ACCESS_SECRET: x.oauth.accessSecret };
    runtime = await startRuntime({
      roles: ['ingest', 'triage', 'notify', 'bot'],
      config: { ...base, sources: [source], discord: { ...base.discord, channels: { ...discord.channels } } },
      redisUrl: t.url,
      prefix: t.prefix,
      log: pino({ level: 'silent' }),
      discord: { token: discord.token, apiUrl: discord.apiUrl },
      secret: (name) => secrets[name],
      ingestOnce: true,
    });
    store = createMentionStore(t.redis, { prefix: t.prefix });
    expect((await runtime.firstIngest).enqueued).toBe(2);
    await discord.waitFor(() => Boolean(cardOf(`x-${ids.addressing}`) && cardOf(`x-${ids.passing}`)), 20_000);
  });

  afterAll(async () => {
    await runtime?.close();
    await discord?.close();
    await x?.close();
    await t?.cleanup();
  });

  async function openAndSubmit(key: string, text: string) {
    const card = cardOf(key)!;
    const click = await discord.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:reply:${key}`, user: carol });
    await click.waitForCallback(3000);
    return discord.submitModal({ channelId: card.channel_id, messageId: card.id, customId: `mt:reply:${key}`, fields: { reply: text }, user: carol });
  }

  it('checks an edited reply against X\'s length before sending, and hands it back when too long', async () => {
    const long = `Sorry Dana! ${'We are on it. '.repeat(25)}`.trim();
    const submit = await openAndSubmit(`x-${ids.addressing}`, long);
    expect(await submit.waitForCallback(3000)).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(await discord.waitFor(() => submit.original()?.content || undefined, 5000)).toMatch(/^Too long for x: \d+ of 280 characters/);
    expect(x.sent()).toHaveLength(0);
  });

  it('sends the reply to a post that @mentions the brand as X receives it', async () => {
    const submit = await openAndSubmit(`x-${ids.addressing}`, 'Sorry Dana! A fix for blank labels is rolling out now; can you try again in 10 minutes?');
    await discord.waitFor(() => Boolean(submit.original()?.content), 5000);
    const [request] = x.requestsTo('POST', /^\/2\/tweets$/);
    expect(request?.body).toEqual({ text: 'Sorry Dana! A fix for blank labels is rolling out now; can you try again in 10 minutes?', reply: { in_reply_to_tweet_id: ids.addressing } });
    const [tweet] = x.sent();
    expect(submit.original()?.content).toBe(`Sent on x: https://x.com/parcelly/status/${tweet!.id}\nResolve the card when the customer is helped.`);
    expect((await store.get(`x-${ids.addressing}`))?.sent).toMatchObject({ id: tweet!.id, by: { id: carol.id } });
  });

  it('offers copy and paste for a post that only names the brand, saying why, and sends nothing', async () => {
    const submit = await openAndSubmit(`x-${ids.passing}`, 'Hi Eli, sorry about that: a fix is rolling out now.');
    expect(await submit.waitForCallback(3000)).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(await discord.waitFor(() => submit.original()?.content || undefined, 5000)).toMatch(/@mention or quote[\s\S]*ready to paste[\s\S]*Hi Eli, sorry about that/);
    expect(x.sent()).toHaveLength(1);
    expect((await store.history(`x-${ids.passing}`)).map((e) => e.action)).toContain('reply-drafted');
  });
});

import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { mastodonSourceSchema } from '../../src/config/source-schemas.js';
import { mentionKey } from '../../src/core/mention-key.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { startMastodonPeer, type MastodonPeer } from '../peers/mastodon/mastodon-peer.js';
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

  it('hands the text back when the platform refuses the reply, and records the failure', async () => {
    mastodon.failNext({ status: 422, path: /^\/api\/v1\/statuses$/ });
    const said = await submitReply(keys.refused, 'Sorry Ben, we are on it.');
    expect(said).toMatch(/^Not sent: .+\nYour text, so it is not lost:\n```\nSorry Ben, we are on it.\n```$/);
    expect((await store.get(keys.refused))?.sent).toBeUndefined();
    expect((await store.history(keys.refused)).map((e) => e.action)).toContain('reply-failed');
  });
});

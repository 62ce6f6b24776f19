import type { APIMessage } from 'discord-api-types/v10';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { xSourceSchema } from '../../src/config/source-schemas.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { createIncidentStore, type IncidentStore } from '../../src/store/incident-store.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { startXPeer, type XPeer } from '../peers/x/x-peer.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const carol = { id: '400000000000000013', username: 'carol' };
const lena = { id: '400000000000000014', username: 'lena' };

type Button = { custom_id: string; label: string };
const buttonsOf = (m: APIMessage | undefined) => (JSON.parse(JSON.stringify(m?.components ?? [])) as Array<{ components: Button[] }>).flatMap((r) => r.components);

/**
 * The reply coach in the Reply flow, on real parts: X posts on the X peer become cards on
 * the Discord peer; a reply the coach has something to say about is held with its hints
 * and "Send anyway" / "Edit" on a private message, and only "Send anyway" posts it. Leads
 * set an incident with `/triage incident`, and outage drafts speak to it.
 */
describe('the reply coach in the Reply modal, and incidents', () => {
  let discord: DiscordPeer;
  let x: XPeer;
  let t: TestRedis;
  let runtime: Runtime;
  let store: MentionStore;
  let incidents: IncidentStore;
  const ids = { coached: '', blocked: '', outage: '' };

  const cardOf = (key: string) => discord.messagesIn(discord.channels.support).find((m) => JSON.stringify(m.components).includes(`mt:claim:${key}`));

  beforeAll(async () => {
    discord = await startDiscordPeer({ roles: ['lead', 'member'], members: [{ ...carol, roles: ['member'] }, { ...lena, roles: ['lead'] }] });
    x = await startXPeer();
    t = await openTestRedis();
    ids.coached = x.addPost({ author: 'dana', text: '@parcelly my labels print blank since this morning' }).id;
    ids.blocked = x.addPost({ author: 'eli', text: '@parcelly my labels print blank again' }).id;
    ids.outage = x.addPost({ author: 'fay', text: "@parcelly label printing is down for everyone? can't ship anything" }).id;
    // Set before the mentions are triaged: the triage role reads it for each batch.
    incidents = createIncidentStore(t.redis, { prefix: t.prefix });
    await incidents.set({ state: 'active', text: 'Label printing has been down since 10:20' }, new Date());
    const base = await loadConfig('config');
    const source = { ...xSourceSchema.parse({ type: 'x', apiUrl: x.apiUrl }), name: 'x:peer' };
    const secrets: Record<string, string> = { X_BEARER_TOKEN: x.bearerToken, X_API_KEY: x.oauth.appKey, X_API_SECRET: x.oauth.appSecret, X_ACCESS_TOKEN: x.oauth.accessToken, X_ACCESS_SECRET: x.oauth.accessSecret };
    runtime = await startRuntime({
      roles: ['ingest', 'triage', 'notify', 'bot'],
      config: {
        ...base,
        sources: [source],
        discord: { ...base.discord, channels: { ...discord.channels }, roles: { members: [discord.roles.member!], leads: [discord.roles.lead!] }, stacking: { fromBacklog: 100, cardsPerMessage: 1 } },
      },
      redisUrl: t.url,
      prefix: t.prefix,
      log: pino({ level: 'silent' }),
      discord: { token: discord.token, apiUrl: discord.apiUrl },
      secret: (name) => secrets[name],
      ingestOnce: true,
    });
    store = createMentionStore(t.redis, { prefix: t.prefix });
    expect((await runtime.firstIngest).enqueued).toBe(3);
    await discord.waitFor(() => [ids.coached, ids.blocked, ids.outage].every((id) => cardOf(`x-${id}`)), 20_000);
  });

  afterAll(async () => {
    await runtime?.close();
    await discord?.close();
    await x?.close();
    await t?.cleanup();
  });

  async function submit(key: string, text: string) {
    const card = cardOf(key)!;
    const click = await discord.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:reply:${key}`, user: carol });
    expect((await click.waitForCallback(3000)).type).toBe(9);
    const handle = await discord.submitModal({ channelId: card.channel_id, messageId: card.id, customId: `mt:reply:${key}`, fields: { reply: text }, user: carol });
    expect(await handle.waitForCallback(3000)).toMatchObject({ type: 5, data: { flags: 64 } });
    return { card, message: await discord.waitFor(() => (handle.original()?.content ? handle.original() : undefined), 5000) };
  }

  it('holds a reply the coach warns about, privately, with its hints and Send anyway / Edit, and sends nothing', async () => {
    const key = `x-${ids.coached}`;
    const { message } = await submit(key, 'Simply reprint them, Dana. We guarantee it works now.');
    expect(message.flags! & 64).toBe(64);
    expect(message.content).toMatch(/^\*\*Not sent yet/);
    expect(message.content).toContain('⚠️ This can read as talking down: assume they are smart and say it plainly. (`Simply`)');
    expect(message.content).toContain('Promise only what the team can keep every time. (`guarantee`)');
    expect(message.content).toContain('Simply reprint them, Dana. We guarantee it works now.');
    expect(buttonsOf(message).map((b) => [b.label, b.custom_id])).toEqual([
      ['Send anyway', `mt:review-send:${key}`],
      ['Edit', `mt:review-edit:${key}`],
    ]);
    expect(x.sent()).toHaveLength(0);
    const held = (await store.history(key)).filter((e) => e.action === 'reply-held');
    expect(JSON.parse(held.at(-1)!.detail!)).toEqual({ text: 'Simply reprint them, Dana. We guarantee it works now.', hints: ['no-next-step', 'condescending', 'over-promise'] });
  });

  it('reopens the modal with the held text on Edit, and sends it as written on Send anyway', async () => {
    const key = `x-${ids.coached}`;
    const { card, message } = await submit(key, 'Simply reprint them, Dana. We guarantee it works now.');
    const edit = await discord.clickButton({ channelId: card.channel_id, messageId: message.id, customId: `mt:review-edit:${key}`, user: carol });
    const modal = await edit.waitForCallback(3000);
    expect(modal.type).toBe(9);
    expect(JSON.stringify(modal.data)).toContain('Simply reprint them, Dana. We guarantee it works now.');
    expect(x.sent()).toHaveLength(0);

    const send = await discord.clickButton({ channelId: card.channel_id, messageId: message.id, customId: `mt:review-send:${key}`, user: carol });
    expect(await send.waitForCallback(3000)).toMatchObject({ type: 7, data: { components: [] } });
    await discord.waitFor(() => x.sent().length === 1, 5000);
    const [request] = x.requestsTo('POST', /^\/2\/tweets$/);
    expect(request?.body).toEqual({ text: 'Simply reprint them, Dana. We guarantee it works now.', reply: { in_reply_to_tweet_id: ids.coached } });
    const said = await discord.waitFor(() => (send.original()?.content?.startsWith('Sent') ? send.original()!.content : undefined), 5000);
    expect(said).toBe(`Sent on x: https://x.com/parcelly/status/${x.sent()[0]!.id}\nResolve the card when the customer is helped.`);
    expect((await store.get(key))?.sent).toMatchObject({ by: { id: carol.id } });
  });

  it('offers only Edit for a reply the coach blocks', async () => {
    const { message } = await submit(`x-${ids.blocked}`, "Sorry Eli. Reply here with your card number and we'll check it today.");
    expect(message.content).toMatch(/^\*\*Not sent: fix this first/);
    expect(message.content).toContain('Never ask for passwords, codes or full card numbers');
    expect(buttonsOf(message).map((b) => b.label)).toEqual(['Edit']);
    expect(x.sent()).toHaveLength(1);
  });

  it('sends a reply the coach has nothing to hold it for at once, as before', async () => {
    const { message } = await submit(`x-${ids.blocked}`, "Thanks for flagging it, Eli, and sorry. We're on it: try again in 10 minutes and tell us if it prints.");
    expect(message.content).toMatch(/^Sent on x: /);
    expect(x.sent()).toHaveLength(2);
  });

  it('drafts an outage reply that says what the leads know about the incident', async () => {
    const card = cardOf(`x-${ids.outage}`)!;
    const draft = card.embeds[0]!.fields!.find((f) => f.name.startsWith('Suggested reply'))!.value;
    expect(draft).toContain('Label printing has been down since 10:20');
    expect((await store.get(`x-${ids.outage}`))?.triage.reply.template).toMatch(/^outage\.incident#/);
  });

  it('lets a lead, and only a lead, set the incident with /triage incident', async () => {
    const refused = await discord.runSlashCommand({ channelId: discord.channels.support, name: 'triage', subcommand: 'incident', options: { state: 'resolved', text: 'Label printing is back since 11:05' }, user: carol });
    expect((await refused.waitForCallback(3000)).data).toMatchObject({ content: 'Only a lead can set an incident.', flags: 64 });
    expect((await incidents.current())?.state).toBe('active');

    const done = await discord.runSlashCommand({ channelId: discord.channels.support, name: 'triage', subcommand: 'incident', options: { state: 'resolved', text: 'Label printing is back since 11:05' }, user: lena });
    expect((await done.waitForCallback(3000)).data).toMatchObject({ content: expect.stringMatching(/^Incident resolved: “Label printing is back since 11:05”/), flags: 64 });
    expect(await incidents.current()).toMatchObject({ state: 'resolved', text: 'Label printing is back since 11:05', by: '@lena', resolvedAt: expect.any(String) });

    // The outage card was drafted while the incident was active; Reply… opens a draft that says it is fixed.
    const card = cardOf(`x-${ids.outage}`)!;
    const open = await discord.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:reply:x-${ids.outage}`, user: lena });
    const modal = JSON.stringify((await open.waitForCallback(3000)).data);
    expect(modal).toContain('Label printing is back since 11:05');
    expect(modal).not.toContain('10:20');
  });
});

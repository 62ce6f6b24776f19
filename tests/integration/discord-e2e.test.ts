import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aFileSourceConfig, aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

type Embed = { description?: string; fields?: Array<{ name: string; value: string }> };
type Body = { embeds?: Embed[]; components?: Array<{ components: Array<{ custom_id: string; label: string; disabled?: boolean }> }>; allowed_mentions?: unknown; nonce?: string; enforce_nonce?: boolean; content?: string };

const mentions = {
  angry: aMention({ id: '1860000000000000101', text: '@parcelly you charged me twice and support has ignored me for 3 days. Unacceptable!!!', author: { handle: 'dana', name: 'Dana Reyes', followers: 800 } }),
  happy: aMention({ id: '1860000000000000102', text: 'Switched our shop to @parcelly last month and shipping day is finally calm. Highly recommend it!', author: { handle: 'mo', name: 'Mo Khan', followers: 300 } }),
  hostile: aMention({ id: '1860000000000000103', text: '@everyone **free labels** at <@123456789012345678> \u202egnp.exe', author: { handle: 'spam_bot', name: '@here', followers: 5 } }),
  race: aMention({ id: '1860000000000000104', text: 'is @parcelly down? label page returns 502 for everyone on our team', author: { handle: 'ops_kim', name: 'Kim', followers: 150 } }),
};

const alice = { id: '400000000000000001', username: 'alice' };
const bob = { id: '400000000000000002', username: 'bob' };

describe('end to end: sample file → cards in Discord → Claim → Redis', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let runtime: Runtime;
  let store: MentionStore;
  let config: Config;

  const cardOf = (key: string, channel: 'support' | 'leads' | 'marketing' = 'support') =>
    // A word-of-mouth card (marketing) has Share where the others have Claim.
    peer.messagesIn(peer.channels[channel]).find((m) => m.components?.some((row) => JSON.stringify(row).includes(`mt:claim:${key}`) || JSON.stringify(row).includes(`mt:share:${key}`)));

  beforeAll(async () => {
    peer = await startDiscordPeer();
    t = await openTestRedis();
    const base = await loadConfig('config');
    const path = join(mkdtempSync(join(tmpdir(), 'mt-e2e-')), 'mentions.jsonl');
    writeFileSync(path, `${Object.values(mentions).map((m) => JSON.stringify(m)).join('\n')}\n`);
    config = { ...base, sources: [aFileSourceConfig(path)], discord: { ...base.discord, channels: { ...peer.channels }, leadRoleId: peer.roles.lead } };
    peer.rateLimitNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/, retryAfterSeconds: 0.2 });
    runtime = await startRuntime({
      roles: ['ingest', 'triage', 'notify', 'bot'],
      config,
      redisUrl: t.url,
      prefix: t.prefix,
      log: pino({ level: 'silent' }),
      discord: { token: peer.token, apiUrl: peer.apiUrl },
      ingestOnce: true,
    });
    store = createMentionStore(t.redis, { prefix: t.prefix });
    await runtime.firstIngest;
    // Channels post in parallel: the marketing copy may come after every support card.
    await peer.waitFor(() => Object.values(mentions).every((m) => cardOf(`x-${m.id}`)) && cardOf(`x-${mentions.happy.id}`, 'marketing'), 20_000);
  });

  afterAll(async () => {
    await runtime?.close();
    await peer?.close();
    await t?.cleanup();
  });

  it('posts one card per mention with the text, the mood, the reply draft and the five buttons, pinging nobody', async () => {
    const key = `x-${mentions.angry.id}`;
    const posts = peer.requestsTo('POST', /^\/channels\/\d+\/messages$/).filter((r) => JSON.stringify(r.body).includes(`mt:claim:${key}`));
    expect(posts.length).toBeGreaterThanOrEqual(1);
    const body = posts.at(-1)?.body as Body;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.enforce_nonce).toBe(true);
    expect(body.nonce).toMatch(/^[\w-]{1,25}$/);
    const embed = body.embeds?.[0];
    expect(embed?.description).toContain('charged me twice');
    expect(embed?.fields?.find((f) => f.name === 'Mood')?.value).toMatch(/^negative/);
    expect(embed?.fields?.find((f) => f.name.startsWith('Suggested reply'))?.value).toMatch(/Dana/);
    expect(body.components?.[0]?.components.map((b) => b.custom_id)).toEqual(['claim', 'reply', 'resolve', 'escalate', 'dismiss'].map((a) => `mt:${a}:${key}`));
    expect((await store.get(key))?.cards.map((c) => c.channelKey)).toContain('support');
  });

  it('makes exactly one card per channel even when Discord rate-limits a post', () => {
    for (const m of Object.values(mentions)) {
      const key = `x-${m.id}`;
      const inSupport = peer.messagesIn(peer.channels.support).filter((msg) => JSON.stringify(msg.components).includes(`mt:claim:${key}`));
      expect(inSupport).toHaveLength(1);
    }
    expect(peer.requests.some((r) => r.status === 429)).toBe(true);
  });

  it('shows hostile text literally: no ping, no markdown, no bidi override', () => {
    const card = cardOf(`x-${mentions.hostile.id}`);
    const description = card?.embeds[0]?.description ?? '';
    expect(description).not.toMatch(/@everyone/);
    expect(description).toContain('@\u200beveryone');
    expect(description).toContain('\\*\\*free labels\\*\\*');
    expect(description).not.toContain('\u202e');
    expect(card?.mentions ?? []).toHaveLength(0);
  });

  it('sends a happy mention to marketing as word of mouth too', () => {
    expect(cardOf(`x-${mentions.happy.id}`, 'marketing')).toBeDefined();
  });

  it('claims on the first click, edits the card to show the holder, and tells a later clicker privately who holds it', async () => {
    const key = `x-${mentions.angry.id}`;
    const card = cardOf(key)!;
    const first = await peer.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:claim:${key}`, user: alice });
    const answer = await first.waitForCallback(3000);
    expect(answer.type).toBe(7);
    const edited = peer.message(card.channel_id, card.id)!;
    expect(JSON.stringify(edited.embeds)).toContain('Claimed');
    expect(JSON.stringify(edited.embeds)).toContain('@alice');
    const claimButton = edited.components?.[0] && JSON.parse(JSON.stringify(edited.components[0])).components[0];
    expect(claimButton).toMatchObject({ disabled: true, label: 'Claimed by @alice' });
    expect(await store.get(key)).toMatchObject({ status: 'claimed', holder: { id: alice.id, name: '@alice' } });

    // The claimed card's button is disabled for everyone; a stale client can still send the click.
    const stale = await peer.dispatch('INTERACTION_CREATE', { ...first.payload, id: '500000000000000001', token: 'stale-token', member: { ...(first.payload.member as object), user: { ...bob, discriminator: '0', global_name: null, avatar: null } } });
    expect(stale).toBe(1);
    const refusal = await peer.waitFor(() => peer.requestsTo('POST', /^\/interactions\/500000000000000001\//)[0]);
    expect(refusal.body).toMatchObject({ type: 4, data: { content: 'Already claimed by @alice.', flags: 64 } });
  });

  it('gives the mention to exactly one of two people clicking Claim at the same moment', async () => {
    const key = `x-${mentions.race.id}`;
    const card = cardOf(key)!;
    const [a, b] = await Promise.all([alice, bob].map((user) => peer.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:claim:${key}`, user })));
    const answers = await Promise.all([a!, b!].map((h) => h.waitForCallback(3000)));
    expect(answers.map((x) => x.type).sort()).toEqual([4, 7]);
    const refused = answers.find((x) => x.type === 4);
    expect(refused?.data).toMatchObject({ flags: 64, content: expect.stringMatching(/^Already claimed by @(alice|bob)\.$/) });
    const state = await store.get(key);
    expect(state?.status).toBe('claimed');
    expect([alice.id, bob.id]).toContain(state?.holder?.id);
    expect((await store.history(key)).filter((e) => e.action === 'claim')).toHaveLength(1);
  });

  it('opens the suggested reply in a modal and hands the edited reply back, claiming the mention', async () => {
    const key = `x-${mentions.happy.id}`;
    const card = cardOf(key)!;
    const click = await peer.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:reply:${key}`, user: bob });
    const modal = await click.waitForCallback(3000);
    expect(modal.type).toBe(9);
    expect(JSON.stringify(modal.data)).toContain('Mo');
    const submit = await peer.submitModal({ channelId: card.channel_id, messageId: card.id, customId: `mt:reply:${key}`, fields: { reply: 'Thank you Mo, that made our day!' }, user: bob });
    // Acknowledged at once (an ephemeral deferred reply), then answered.
    expect(await submit.waitForCallback(3000)).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(await peer.waitFor(() => submit.original()?.content || undefined, 5000)).toContain('Thank you Mo, that made our day!');
    expect(await store.get(key)).toMatchObject({ status: 'claimed', holder: { id: bob.id } });
    const drafts = (await store.history(key)).filter((e) => e.action === 'reply-drafted');
    expect(drafts[0]).toMatchObject({ userId: bob.id, detail: 'Thank you Mo, that made our day!' });
    // The marketing copy of the card follows the state.
    await peer.waitFor(() => JSON.stringify(cardOf(key, 'marketing')?.embeds).includes('@bob'));
  });

  it('escalates to the leads channel, pinging the leads, where a lead takes it over and resolves it, on every copy of the card', async () => {
    const key = `x-${mentions.angry.id}`;
    const card = cardOf(key)!;
    const escalate = await peer.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:escalate:${key}`, user: alice });
    expect((await escalate.waitForCallback(3000)).type).toBe(7);
    const leadsCard = await peer.waitFor(() => cardOf(key, 'leads'), 10_000);
    expect(leadsCard.content).toBe(`<@&${peer.roles.lead}> Escalated by @alice`);
    expect(leadsCard.mention_roles).toEqual([peer.roles.lead]);
    expect(await store.get(key)).toMatchObject({ status: 'escalated' });
    expect((await store.get(key))?.holder).toBeUndefined();
    // A lead takes it over from the leads' copy of the card.
    const takeOver = await peer.clickButton({ channelId: leadsCard.channel_id, messageId: leadsCard.id, customId: `mt:claim:${key}`, user: bob });
    expect((await takeOver.waitForCallback(3000)).type).toBe(7);
    const resolve = await peer.clickButton({ channelId: leadsCard.channel_id, messageId: leadsCard.id, customId: `mt:resolve:${key}`, user: bob });
    expect((await resolve.waitForCallback(3000)).type).toBe(7);
    const final = await peer.waitFor(() => {
      const m = peer.message(card.channel_id, card.id)!;
      return JSON.stringify(m.embeds).includes('Resolved') && m;
    });
    expect(JSON.stringify(final.embeds)).toContain('Resolved by @bob');
    expect(JSON.parse(JSON.stringify(final.components))[0].components.every((b: { disabled?: boolean }) => b.disabled)).toBe(true);
    expect((await store.history(key)).map((e) => [e.action, e.userName])).toEqual(
      expect.arrayContaining([['claim', '@alice'], ['escalate', '@alice'], ['claim', '@bob'], ['resolve', '@bob']]),
    );
  });

  it('registers /triage and answers /triage queue privately with the unclaimed mentions, most urgent first, linked to their cards', async () => {
    const put = peer.requestsTo('PUT', /^\/applications\/\d+\/commands$/);
    expect(put).toHaveLength(1);
    expect(put[0]?.body).toEqual([expect.objectContaining({ name: 'triage' })]);
    const handle = await peer.runSlashCommand({ channelId: peer.channels.support, name: 'triage', subcommand: 'queue', user: bob });
    const answer = await handle.waitForCallback(3000);
    expect(answer.type).toBe(4);
    const content = String(answer.data?.content);
    expect(answer.data?.flags).toBe(64);
    expect(content).toMatch(/^\*\*1 unclaimed, most urgent first\*\*/);
    expect(content).toContain('@spam\\_bot');
    const card = cardOf(`x-${mentions.hostile.id}`)!;
    expect(content).toContain(`https://discord.com/channels/${peer.guildId}/${card.channel_id}/${card.id}`);
  });

  it('answers /triage stats with the count of mentions in each status', async () => {
    const handle = await peer.runSlashCommand({ channelId: peer.channels.support, name: 'triage', subcommand: 'stats', user: bob });
    const answer = await handle.waitForCallback(3000);
    expect(answer.data?.content).toBe('new: **1** · claimed: **2** · escalated: **0** · resolved: **1** · dismissed: **0**');
  });

  it('names the claimer by their server nickname, shown literally', async () => {
    const key = `x-${mentions.hostile.id}`;
    const card = cardOf(key)!;
    const dee = { id: '400000000000000009', username: 'dee', nick: 'Dee **(support)**' };
    const click = await peer.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:claim:${key}`, user: dee });
    expect((await click.waitForCallback(3000)).type).toBe(7);
    expect(await store.get(key)).toMatchObject({ holder: { id: dee.id, name: '@Dee **(support)**' } });
    const buttons = JSON.stringify(cardOf(key)?.components);
    expect(buttons).toContain('Claimed by @Dee **(support)**');
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { cardJobId, createQueues, slaJobId, type Queues } from '../../src/pipeline/queues.js';
import { makeSlaTimersDue, slaTimersOf, sweepDueSlaTimers } from '../../src/pipeline/sla-worker.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aFileSourceConfig, aMention, aTriage } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

type Button = { custom_id: string; label: string; disabled?: boolean };
const rowsOf = (m: APIMessage | undefined) => JSON.parse(JSON.stringify(m?.components ?? [])) as Array<{ components: Button[] }>;
const fieldOf = (m: APIMessage | undefined, name: string) => (m?.embeds[0]?.fields ?? []).find((f) => f.name === name)?.value ?? '';
const statusOf = (m: APIMessage | undefined) => fieldOf(m, 'Status');

const ann = { id: '410000000000000001', username: 'ann' };
const ben = { id: '410000000000000002', username: 'ben' };
const lee = { id: '410000000000000003', username: 'lee' };
const oz = { id: '410000000000000004', username: 'oz' };
const cat = { id: '410000000000000005', username: 'cat' };

const texts = [
  'is @parcelly down? the label page returns 502 for our whole team',
  '@parcelly how do I change the sender address on my labels?',
  '@parcelly my parcel has been stuck in Leeds for a week, any news?',
  '@parcelly can I print labels in bulk from a spreadsheet?',
  '@parcelly where is my refund for the cancelled pickup?',
  '@parcelly does the API support return labels?',
];
const mentions = texts.map((text, i) => aMention({ id: `18600000000000020${i}`, text, author: { handle: `user${i}`, name: `User ${i}`, followers: 50 + i } }));
const keys = mentions.map((m) => `x-${m.id}`);

/** One runtime of the whole service against the peer, on a test Redis, with team roles and one card a message. */
async function setUp(roleNames = true) {
  const peer = await startDiscordPeer({
    roles: ['lead', 'member'],
    members: [
      { ...ann, roles: ['member'] },
      { ...ben, roles: ['member'] },
      { ...lee, roles: ['lead'] },
      { ...cat, roles: ['member'] },
      oz,
    ],
  });
  const t = await openTestRedis();
  const base = await loadConfig('config');
  const path = join(mkdtempSync(join(tmpdir(), 'mt-desk-')), 'mentions.jsonl');
  writeFileSync(path, `${mentions.map((m) => JSON.stringify(m)).join('\n')}\n`);
  const config: Config = {
    ...base,
    sources: [aFileSourceConfig(path)],
    discord: {
      ...base.discord,
      channels: { ...peer.channels },
      leadRoleId: peer.roles.lead,
      stacking: { fromBacklog: 5, cardsPerMessage: 1 },
      roles: roleNames ? { members: [peer.roles.member!], leads: [peer.roles.lead!] } : { members: [], leads: [] },
    },
  };
  const start = (roles: Array<'ingest' | 'triage' | 'notify' | 'bot'>) =>
    startRuntime({ roles, config, redisUrl: t.url, prefix: t.prefix, log: pino({ level: 'silent' }), discord: { token: peer.token, apiUrl: peer.apiUrl }, ingestOnce: true });
  const runtime = await start(['ingest', 'triage', 'notify', 'bot']);
  const store = createMentionStore(t.redis, { prefix: t.prefix });
  const cardOf = (key: string, channel?: 'support' | 'leads' | 'marketing') => {
    const channels = channel ? [peer.channels[channel]] : Object.values(peer.channels);
    return channels.flatMap((c) => peer.messagesIn(c)).find((m) => JSON.stringify(m.components).includes(`mt:claim:${key}`));
  };
  await runtime.firstIngest;
  await until(async () => (await Promise.all(keys.map(async (k) => cardOf(k) && (await store.get(k))?.cards.length))).every(Boolean), 20_000, 'every card posted');
  return { peer, t, config, runtime, store, cardOf, start };
}

describe('who may do what on a card, against the Discord peer', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let runtime: Runtime;
  let store: MentionStore;
  let cardOf: (key: string, channel?: 'support' | 'leads' | 'marketing') => APIMessage | undefined;

  beforeAll(async () => {
    ({ peer, t, runtime, store, cardOf } = await setUp());
  });
  afterAll(async () => {
    await runtime?.close();
    await peer?.close();
    await t?.cleanup();
  });

  const click = async (key: string, action: string, user: { id: string; username: string }, message = cardOf(key)!) => {
    const handle = await peer.clickButton({ channelId: message.channel_id, messageId: message.id, customId: `mt:${action}:${key}`, user });
    return { handle, answer: await handle.waitForCallback(3000) };
  };

  it('gives a mention to exactly one of two members racing to claim it', async () => {
    const key = keys[0]!;
    const card = cardOf(key)!;
    const answers = await Promise.all([ann, ben].map((user) => click(key, 'claim', user, card)));
    expect(answers.map((a) => a.answer.type).sort()).toEqual([4, 7]);
    const state = await store.get(key);
    expect(state?.status).toBe('claimed');
    expect([ann.id, ben.id]).toContain(state?.holder?.id);
    expect((await store.history(key)).filter((e) => e.action === 'claim')).toHaveLength(1);
  });

  it('refuses someone without a team role politely and privately, naming the roles without pinging them', async () => {
    const key = keys[1]!;
    const { answer } = await click(key, 'claim', oz);
    expect(answer.type).toBe(4);
    expect(answer.data).toMatchObject({
      flags: 64,
      content: `Sorry, only <@&${peer.roles.member}> or <@&${peer.roles.lead}> can claim this mention. Ask one of them if it needs doing.`,
      allowed_mentions: { parse: [] },
    });
    expect(await store.get(key)).toMatchObject({ status: 'new' });
    expect(await store.get(key).then((s) => s?.holder)).toBeUndefined();
  });

  it('lets a lead take over a claim a member may not take, and shows it as the last action', async () => {
    const key = keys[1]!;
    expect((await click(key, 'claim', ann)).answer.type).toBe(7);
    const refused = await click(key, 'takeover', ben);
    expect(refused.answer.data?.content).toBe(`Sorry, only <@&${peer.roles.lead}> can take over this mention. Ask one of them if it needs doing.`);
    expect((await store.get(key))?.holder?.id).toBe(ann.id);
    expect((await click(key, 'takeover', lee)).answer.type).toBe(7);
    expect(await store.get(key)).toMatchObject({ status: 'claimed', holder: { id: lee.id, name: '@lee' } });
    expect((await store.history(key)).at(-1)).toMatchObject({ action: 'takeover', from: 'claimed', to: 'claimed', userId: lee.id, userName: '@lee' });
    const card = cardOf(key);
    expect(statusOf(card)).toMatch(/🕘 Last: Taken over by @lee <t:\d+:R>/);
    expect(rowsOf(card)[0]!.components[0]).toMatchObject({ label: 'Claimed by @lee', disabled: true });
  });

  it("lets a member release only their own claim, and a lead anyone's; a released mention is back in the queue", async () => {
    const key = keys[2]!;
    expect((await click(key, 'claim', ann)).answer.type).toBe(7);
    const refused = await click(key, 'release', ben);
    expect(refused.answer.data?.content).toBe(`Sorry, only <@&${peer.roles.lead}> can release someone else's claim. Ask one of them if it needs doing.`);
    expect((await store.get(key))?.holder?.id).toBe(ann.id);
    expect((await click(key, 'release', ann)).answer.type).toBe(7);
    expect(await store.get(key)).toMatchObject({ status: 'new' });
    expect((await store.get(key))?.holder).toBeUndefined();
    expect(await t.redis.zscore(`${t.prefix}:unclaimed`, key)).not.toBeNull();
    expect(rowsOf(cardOf(key))[0]!.components[0]).toMatchObject({ label: 'Claim', disabled: false });
    // Claimed again, then released by a lead.
    expect((await click(key, 'claim', ben)).answer.type).toBe(7);
    expect((await click(key, 'release', lee)).answer.type).toBe(7);
    expect((await store.history(key)).map((e) => [e.action, e.userName])).toEqual(
      expect.arrayContaining([['claim', '@ann'], ['release', '@ann'], ['claim', '@ben'], ['release', '@lee']]),
    );
    expect(await store.counts()).toMatchObject({ new: expect.any(Number) });
  });

  it('asks why on Dismiss and records it; only a lead reopens a dismissed mention, which is kept again', async () => {
    const key = keys[3]!;
    const card = cardOf(key)!;
    const { answer } = await click(key, 'dismiss', ann);
    expect(answer.type).toBe(9);
    const submit = await peer.submitModal({ channelId: card.channel_id, messageId: card.id, customId: `mt:dismiss:${key}`, fields: { reason: 'a bot reposting our blog' }, user: ann });
    expect((await submit.waitForCallback(3000)).type).toBe(7);
    expect(await store.get(key)).toMatchObject({ status: 'dismissed' });
    expect((await store.history(key)).at(-1)).toMatchObject({ action: 'dismiss', userId: ann.id, detail: 'a bot reposting our blog' });
    expect(await t.redis.ttl(`${t.prefix}:mention:${key}`)).toBeGreaterThan(0);
    const closed = cardOf(key);
    expect(statusOf(closed)).toContain('Dismissed by @ann');
    expect(statusOf(closed)).toContain(': a bot reposting our blog');
    expect(rowsOf(closed)[1]!.components.map((b) => b.label)).toEqual(['Reopen', 'Note…']);

    const refused = await click(key, 'reopen', ann);
    expect(refused.answer.data?.content).toBe(`Sorry, only <@&${peer.roles.lead}> can reopen this mention. Ask one of them if it needs doing.`);
    expect((await click(key, 'reopen', lee)).answer.type).toBe(7);
    expect(await store.get(key)).toMatchObject({ status: 'new' });
    expect(await t.redis.ttl(`${t.prefix}:mention:${key}`)).toBe(-1);
    expect(await t.redis.zscore(`${t.prefix}:unclaimed`, key)).not.toBeNull();
    expect(rowsOf(cardOf(key))[0]!.components.every((b) => !b.disabled)).toBe(true);
  });

  it('lets a lead reassign a claim to a named member from a private user menu; a member may not', async () => {
    const key = keys[4]!;
    expect((await click(key, 'claim', ann)).answer.type).toBe(7);
    expect((await click(key, 'reassign', ben)).answer.data?.content).toMatch(/^Sorry, only <@&\d+> can reassign this mention/);
    const { handle, answer } = await click(key, 'reassign', lee);
    expect(answer).toMatchObject({ type: 4, data: { flags: 64 } });
    const picker = handle.original()!;
    expect(rowsOf(picker)[0]!.components[0]).toMatchObject({ custom_id: `mt:reassign:${key}`, type: 5 });
    const pick = await peer.clickButton({ channelId: picker.channel_id, messageId: picker.id, customId: `mt:reassign:${key}`, values: [cat.id], user: lee });
    expect((await pick.waitForCallback(3000)).data).toMatchObject({ flags: 64, content: 'Given to @cat: the card says so.' });
    expect(await store.get(key)).toMatchObject({ status: 'claimed', holder: { id: cat.id, name: '@cat' } });
    expect((await store.history(key)).at(-1)).toMatchObject({ action: 'reassign', userId: lee.id, targetId: cat.id, targetName: '@cat' });
    await until(() => statusOf(cardOf(key)).includes('Reassigned to @cat by @lee'), 5000, 'the card showing the reassignment');
    const card = cardOf(key)!;
    const told = await peer.waitFor(() => peer.messagesIn(card.channel_id).find((m) => m.message_reference?.message_id === card.id && m.content.startsWith('👋')), 5000);
    expect(told.content).toBe(`👋 <@${cat.id}>, @lee gave you this mention: it is yours now.`);
    expect(told.mentions.map((u) => u.id)).toEqual([cat.id]);
    // Someone outside the team cannot be given a mention.
    const again = await click(key, 'reassign', lee);
    const picker2 = again.handle.original()!;
    const outside = await peer.clickButton({ channelId: picker2.channel_id, messageId: picker2.id, customId: `mt:reassign:${key}`, values: [oz.id], user: lee });
    expect(String((await outside.waitForCallback(3000)).data?.content)).toMatch(/^@oz is not on the team/);
    expect((await store.get(key))?.holder?.id).toBe(cat.id);
  });

  it('pings the leads with a new notice each time a mention whose card is already in their channel is escalated', async () => {
    const key = keys[5]!;
    expect((await click(key, 'claim', ann)).answer.type).toBe(7);
    expect((await click(key, 'escalate', ann)).answer.type).toBe(7);
    const leadsCard = await peer.waitFor(() => cardOf(key, 'leads'), 10_000);
    expect(leadsCard.content).toBe(`<@&${peer.roles.lead}> Escalated by @ann`);
    // The lead takes it, hands it back to a member, who escalates it again.
    expect((await click(key, 'claim', lee, leadsCard)).answer.type).toBe(7);
    expect((await click(key, 'release', lee, leadsCard)).answer.type).toBe(7);
    // The other copies follow the change just after the click is answered.
    await until(() => rowsOf(cardOf(key))[0]!.components[0]!.disabled !== true, 5000, 'the support card unclaimed again');
    expect((await click(key, 'claim', ben)).answer.type).toBe(7);
    expect((await click(key, 'escalate', ben)).answer.type).toBe(7);
    const notice = await peer.waitFor(() => peer.messagesIn(peer.channels.leads).find((m) => m.message_reference?.message_id === leadsCard.id), 10_000);
    expect(notice.content).toBe(`<@&${peer.roles.lead}> Escalated again by @ben`);
    expect(notice.mention_roles).toEqual([peer.roles.lead]);
    expect(peer.messagesIn(peer.channels.leads).filter((m) => JSON.stringify(m.components).includes(`mt:claim:${key}`))).toHaveLength(1);
  });

  it('lists the open mentions someone holds with /triage mine, privately, linked to their cards', async () => {
    const handle = await peer.runSlashCommand({ channelId: peer.channels.support, name: 'triage', subcommand: 'mine', user: cat });
    const answer = await handle.waitForCallback(3000);
    expect(answer.data?.flags).toBe(64);
    const content = String(answer.data?.content);
    expect(content).toMatch(/^\*\*You hold 1 open mention, most urgent first\*\*\n1\. P\d · /);
    expect(content).toContain('@user4 on x · yours for 0 min · resolve due <t:');
    const card = cardOf(keys[4]!)!;
    expect(content).toContain(`https://discord.com/channels/${peer.guildId}/${card.channel_id}/${card.id}`);
    const none = await (await peer.runSlashCommand({ channelId: peer.channels.support, name: 'triage', subcommand: 'mine', user: oz })).waitForCallback(3000);
    expect(none.data?.content).toBe('You hold no open mention: claim one from `/triage queue`.');
    // A resolved mention is no longer theirs to do.
    expect((await click(keys[4]!, 'resolve', cat)).answer.type).toBe(7);
    const after = await (await peer.runSlashCommand({ channelId: peer.channels.support, name: 'triage', subcommand: 'mine', user: cat })).waitForCallback(3000);
    expect(after.data?.content).toBe('You hold no open mention: claim one from `/triage queue`.');
  });
});

describe('SLA timers, against the Discord peer and Redis', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let runtime: Runtime;
  let store: MentionStore;
  let queues: Queues;
  let cardOf: (key: string, channel?: 'support' | 'leads' | 'marketing') => APIMessage | undefined;
  let start: Awaited<ReturnType<typeof setUp>>['start'];

  beforeAll(async () => {
    ({ peer, t, runtime, store, cardOf, start } = await setUp(false));
    queues = createQueues(t.redis, t.prefix);
  });
  afterAll(async () => {
    await runtime?.close();
    await queues?.close();
    await peer?.close();
    await t?.cleanup();
  });

  it('sets a claim timer when the card is posted, shown on the card as a Discord timestamp', async () => {
    const key = keys[0]!;
    const state = (await store.get(key))!;
    expect(state.due?.kind).toBe('claim');
    const timers = await slaTimersOf(queues.sla, key);
    // One timer waits at a time: the leads step is set once the reminder has fired.
    expect(timers).toHaveLength(1);
    const timer = timers[0]!;
    expect(timer).toMatchObject({ key, rev: 0, step: 'claim-remind', dueAt: state.due?.at });
    // Counted from the first post of the card (taken just before it was recorded).
    expect(Math.abs(Date.parse(timer.dueAt) - Date.parse(state.cards[0]!.postedAt!) - state.triage.route.claimWithinMinutes * 60_000)).toBeLessThan(5_000);
    expect(timer.then?.step).toBe('claim-leads');
    expect(Date.parse(timer.then!.dueAt)).toBeGreaterThan(Date.parse(timer.dueAt));
    // A timer is not a job until it is due: no delayed job waits in the queue for it.
    expect(await queues.sla.getJob(slaJobId(key, 0, 'claim-remind'))).toBeUndefined();
    expect(await queues.sla.getDelayedCount()).toBeLessThanOrEqual(1);
    const unix = Math.floor(Date.parse(state.due!.at) / 1000);
    expect(statusOf(cardOf(key))).toContain(`⏱️ Claim due <t:${unix}:R>`);
  });

  it('fires a reminder in the card thread once, from a new worker after a restart, and shows the card overdue', async () => {
    const key = keys[1]!;
    await runtime.close();
    // Time passes while the service is down: the timer is due now; the new worker's sweep finds it.
    expect(await makeSlaTimersDue(queues.sla, key)).toBe(1);
    runtime = await start(['notify', 'bot']);
    const card = cardOf(key)!;
    // In the card's thread (a thread started from a message has its id), opened for it.
    const reminder = await peer.waitFor(() => peer.messagesIn(card.id).find((m) => m.content.startsWith('⏰')), 10_000);
    expect(peer.thread(card.id)?.parent_id).toBe(card.channel_id);
    expect(reminder.content).toMatch(/^⏰ This mention has waited \d+ min and nobody has claimed it yet \(claim was due <t:\d+:R>\)\. Can someone take it\?$/);
    expect(reminder.mentions).toEqual([]);
    expect(await t.redis.exists(`${t.prefix}:mention:${key}:sla:0:claim-remind`)).toBe(1);
    await until(() => statusOf(cardOf(key)).includes('⏰ **Claim overdue**'), 5000, 'the card showing it overdue');
    expect((await store.get(key))?.due).toMatchObject({ kind: 'claim', overdue: true });
    // The same step again (a second job, a retry) does nothing more.
    const again = await queues.sla.add('claim-remind', { key, rev: 0, step: 'claim-remind', dueAt: new Date().toISOString(), since: new Date().toISOString() });
    await until(async () => (await queues.sla.getJob(again.id!)) === undefined, 5000, 'the second job done');
    expect(peer.messagesIn(card.id).filter((m) => m.content.startsWith('⏰'))).toHaveLength(1);
    // The channel stays a list of cards.
    expect(peer.messagesIn(card.channel_id).filter((m) => m.message_reference?.message_id === card.id)).toHaveLength(0);
  });

  it('cancels the claim timers when the mention is claimed and sets the resolve ones, which nudge the holder', async () => {
    const key = keys[2]!;
    const card = cardOf(key)!;
    const claim = await peer.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:claim:${key}`, user: ann });
    expect((await claim.waitForCallback(3000)).type).toBe(7);
    // The claim timer of the state before is left to find the state moved on; the resolve one waits.
    const nudge = (await slaTimersOf(queues.sla, key)).find((timer) => timer.rev === 1);
    expect(nudge).toMatchObject({ key, rev: 1, step: 'resolve-nudge', then: { step: 'resolve-leads' } });
    const state = (await store.get(key))!;
    expect(state.due).toMatchObject({ kind: 'resolve', at: nudge!.dueAt });
    expect(statusOf(cardOf(key))).toContain('⏱️ Resolve due <t:');

    await makeSlaTimersDue(queues.sla, key);
    await sweepDueSlaTimers(queues.sla, new Date());
    // In the card's thread (a thread started from a message has its id), opened for it.
    const reminder = await peer.waitFor(() => peer.messagesIn(card.id).find((m) => m.content.startsWith('⏰')), 10_000);
    expect(peer.thread(card.id)?.parent_id).toBe(card.channel_id);
    expect(reminder.content).toMatch(new RegExp(`^⏰ <@${ann.id}>, this mention has been open for \\d+ min; it was due to be resolved <t:\\d+:R>\\.`));
    expect(reminder.mentions.map((u) => u.id)).toEqual([ann.id]);
  });

  it('sends an unclaimed mention to the leads, pinging them, at its second step', async () => {
    const key = keys[3]!;
    await makeSlaTimersDue(queues.sla, key);
    await sweepDueSlaTimers(queues.sla, new Date());
    await until(async () => (await slaTimersOf(queues.sla, key)).some((timer) => timer.step === 'claim-leads'), 10_000, 'the leads step to be set by the reminder');
    await makeSlaTimersDue(queues.sla, key);
    await sweepDueSlaTimers(queues.sla, new Date());
    const leadsCard = await peer.waitFor(() => cardOf(key, 'leads') ?? peer.messagesIn(peer.channels.leads).find((m) => m.message_reference && m.content.includes('the SLA clock')), 10_000);
    expect(leadsCard.content).toMatch(new RegExp(`^<@&${peer.roles.lead}> Escalated by the SLA clock, unclaimed for \\d+ min$`));
    expect(leadsCard.mention_roles).toEqual([peer.roles.lead]);
    expect(await store.get(key)).toMatchObject({ status: 'new' });
  });

  it('does nothing when a timer fires for a state the mention has left', async () => {
    const key = keys[4]!;
    const card = cardOf(key)!;
    const resolve = await peer.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:resolve:${key}`, user: ben });
    expect((await resolve.waitForCallback(3000)).type).toBe(7);
    expect((await store.get(key))?.due).toBeUndefined();
    // A timer of the earlier state, left by a slower process.
    const stale = await queues.sla.add('claim-remind', { key, rev: 0, step: 'claim-remind', dueAt: new Date().toISOString(), since: new Date().toISOString() });
    await until(async () => (await queues.sla.getJob(stale.id!)) === undefined, 5000, 'the stale job done');
    expect(peer.messagesIn(card.channel_id).filter((m) => m.message_reference?.message_id === card.id)).toHaveLength(0);
    expect(await t.redis.exists(`${t.prefix}:mention:${key}:sla:0:claim-remind`)).toBe(0);
  });

  it('says on the card whether its author is new here or returning, with their earlier mentions', async () => {
    expect(fieldOf(cardOf(keys[0]!), 'Author')).toBe('🆕 First mention from them');
    const later = aMention({ id: '1860000000000000299', text: '@parcelly still no answer about the 502s', createdAt: '2026-11-20T12:00:00.000Z', author: mentions[0]!.author });
    const key = `x-${later.id}`;
    await store.saveTriaged(key, aTriage(later), new Date());
    await queues.notifyFor('support').add('card', { key, channelKey: 'support' }, { jobId: cardJobId(key, 'support'), priority: 5 });
    const card = await peer.waitFor(() => cardOf(key), 10_000);
    expect(fieldOf(card, 'Author')).toMatch(/^🔁 Returning: 1 earlier mention · 1 still open · last <t:\d+:R>: (angry|unhappy|neutral|happy), new in #(support|leads)$/);
    expect((await store.get(key))?.author).toMatchObject({ earlier: 1, open: 1, last: { key: keys[0], status: 'new' } });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { triage } from '../../src/core/triage.js';
import { createDiscordNotifier } from '../../src/discord/discord-notifier.js';
import { DIGEST_OPEN_ID } from '../../src/discord/digest-open.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { createQueues } from '../../src/pipeline/queues.js';
import { makeSlaTimersDue, sweepDueSlaTimers } from '../../src/pipeline/sla-worker.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aFileSourceConfig, aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

type Component = { custom_id: string; label?: string; options?: Array<{ value: string }> };
const idsOf = (m: APIMessage | undefined) => (JSON.parse(JSON.stringify(m?.components ?? [])) as Array<{ components: Component[] }>).flatMap((r) => r.components.map((c) => c.custom_id));

const ann = { id: '420000000000000001', username: 'ann' };
const lee = { id: '420000000000000003', username: 'lee' };
const oz = { id: '420000000000000004', username: 'oz' };

const at = (i: number) => new Date(Date.now() - 3_600_000 + i * 60_000).toISOString();
const post = (i: number, text: string, handle = `user${i}`, extra: Partial<ReturnType<typeof aMention>> = {}) =>
  aMention({ id: `18700000000000030${i}`, text, createdAt: at(i), url: `https://x.com/${handle}/status/18700000000000030${i}`, author: { handle, name: handle, followers: 80 }, ...extra });

const mentions = [
  post(0, '@parcelly my label page returns 502 every time, please help **now** <@&123456789012345678>'),
  post(1, '@parcelly the tracking link in my email is broken'),
  post(2, '@parcelly my parcel has been stuck in Leeds for a week'),
  post(3, '@parcelly where is my refund for the cancelled pickup?'),
  post(4, '@parcelly just wanted to say the new label printer is brilliant, thank you so much!', 'dana'),
  post(5, '@parcelly my order 4471 never arrived and support is silent', 'rae'),
];
const keys = mentions.map((m) => `x-${m.id}`);
const followUp = post(6, '@parcelly still nothing, and now the tracking page is gone too', 'rae', { inReplyTo: { id: mentions[5]!.id, handle: 'rae' } });
const otherReply = post(7, '@parcelly same problem here with order 88', 'sam', { inReplyTo: { id: mentions[5]!.id, handle: 'rae' } });

describe('card threads, notes, follow-ups, word of mouth and digests, against the Discord peer', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let runtime: Runtime;
  let store: MentionStore;
  let config: Config;
  const cardOf = (key: string, channel: 'support' | 'marketing' = 'support') =>
    peer.messagesIn(peer.channels[channel]).find((m) => idsOf(m).includes(`mt:claim:${key}`) || idsOf(m).includes(`mt:share:${key}`));

  beforeAll(async () => {
    peer = await startDiscordPeer({ roles: ['lead', 'member'], members: [{ ...ann, roles: ['member'] }, { ...lee, roles: ['lead'] }, oz] });
    t = await openTestRedis();
    const base = await loadConfig('config');
    const path = join(mkdtempSync(join(tmpdir(), 'mt-threads-')), 'mentions.jsonl');
    writeFileSync(path, `${mentions.map((m) => JSON.stringify(m)).join('\n')}\n`);
    config = {
      ...base,
      sources: [aFileSourceConfig(path)],
      discord: {
        ...base.discord,
        channels: { ...peer.channels },
        threadMessages: true,
        stacking: { fromBacklog: 5, cardsPerMessage: 1 },
        coalescing: { ...base.discord.coalescing, enabled: false },
        roles: { members: [peer.roles.member!], leads: [peer.roles.lead!] },
      },
    };
    runtime = await startRuntime({ roles: ['ingest', 'triage', 'notify', 'bot'], config, redisUrl: t.url, prefix: t.prefix, log: pino({ level: 'silent' }), discord: { token: peer.token, apiUrl: peer.apiUrl }, ingestOnce: true });
    store = createMentionStore(t.redis, { prefix: t.prefix });
    await runtime.firstIngest;
    await until(async () => (await Promise.all(keys.map(async (k) => (await store.get(k))?.cards.length))).every(Boolean), 20_000, 'every card posted');
  }, 40_000);
  afterAll(async () => {
    await runtime?.close();
    await peer?.close();
    await t?.cleanup();
  });

  const click = async (key: string, action: string, user: { id: string; username: string }, message = cardOf(key)!) => {
    const handle = await peer.clickButton({ channelId: message.channel_id, messageId: message.id, customId: `mt:${action}:${key}`, user });
    return { handle, answer: await handle.waitForCallback(3000) };
  };
  const note = async (key: string, text: string, user = ann, message = cardOf(key)!) => {
    const { answer } = await click(key, 'note', user, message);
    expect(answer).toMatchObject({ type: 9, data: { custom_id: `mt:note:${key}` } });
    const submit = await peer.submitModal({ channelId: message.channel_id, messageId: message.id, customId: `mt:note:${key}`, fields: { note: text }, user });
    await submit.waitForCallback(3000);
    return peer.waitFor(() => submit.ephemeralMessages().find((m) => m.content !== ''), 5000);
  };

  it('asks Discord for the Message Content intent only because thread messages are turned on', () => {
    const intents = Number(peer.identifies()[0]!.intents);
    expect(intents & (1 << 15)).not.toBe(0);
    expect(intents & (1 << 9)).not.toBe(0);
  });

  it('opens the card thread on the first note, under a safe name, and keeps the note in history with who and when', async () => {
    const key = keys[0]!;
    const card = cardOf(key)!;
    peer.clearRequests();
    const told = await note(key, 'Called them: it is the **proxy**, @everyone relax');
    const thread = peer.thread(card.id);
    expect(thread).toMatchObject({ parent_id: card.channel_id, type: 11 });
    expect(thread!.name).toBe('user0: parcelly my label page returns 502 every time, please help now');
    expect(peer.requestsTo('POST', new RegExp(`^/channels/${card.channel_id}/messages/${card.id}/threads$`))).toHaveLength(1);
    const [line] = peer.messagesIn(card.id);
    expect(line!.content).toBe('📝 Note by @ann:\nCalled them: it is the \\*\\*proxy\\*\\*, @\u200beveryone relax');
    expect(line!.mention_everyone).toBe(false);
    expect(told.content).toBe(`Noted in <#${card.id}> and kept in the mention’s history.`);
    const history = (await store.history(key)).filter((e) => e.action === 'note');
    expect(history).toEqual([expect.objectContaining({ userId: ann.id, userName: '@ann', detail: 'Called them: it is the **proxy**, @everyone relax' })]);
    expect(Math.abs(Date.parse(history[0]!.at) - Date.now())).toBeLessThan(10_000);
    // The channel stays a list of cards.
    expect(peer.messagesIn(card.channel_id).filter((m) => !idsOf(m).some((id) => id.startsWith('mt:claim:')))).toEqual([]);
  });

  it('reuses a thread a person already opened on the card, and writes later changes there', async () => {
    const key = keys[1]!;
    const card = cardOf(key)!;
    peer.startThread({ channelId: card.channel_id, messageId: card.id, name: 'looking into this', user: ann });
    peer.clearRequests();
    await note(key, 'Second look: the link expires after a day');
    expect(peer.requestsTo('POST', /\/threads$/)).toEqual([]);
    expect(peer.thread(card.id)!.name).toBe('looking into this');
    expect(peer.messagesIn(card.id).map((m) => m.content)).toEqual(['📝 Note by @ann:\nSecond look: the link expires after a day']);
    // The card now shows it has a thread; a claim made on it gets a line there.
    expect((await click(key, 'claim', ann)).answer.type).toBe(7);
    const claimed = await peer.waitFor(() => peer.messagesIn(card.id).find((m) => m.content.startsWith('🕘 Claimed by @ann')), 5000);
    expect(claimed.content).toMatch(/^🕘 Claimed by @ann <t:\d+:R>$/);
  });

  it('keeps what a person writes in the card thread as a note, and ignores other channels and the bot', async () => {
    const key = keys[2]!;
    const card = cardOf(key)!;
    peer.startThread({ channelId: card.channel_id, messageId: card.id, name: 'stuck parcel' });
    await until(async () => Boolean((await store.get(key))), 2000, 'state');
    peer.writeMessage({ channelId: card.id, content: 'Depot says it ships **tomorrow**', user: ann });
    peer.writeMessage({ channelId: card.channel_id, content: 'not a note: written in the channel', user: ann });
    await until(async () => (await store.history(key)).some((e) => e.action === 'note'), 5000, 'the thread message kept');
    const notes = (await store.history(key)).filter((e) => e.action === 'note');
    expect(notes).toEqual([expect.objectContaining({ userId: ann.id, userName: '@ann', detail: 'Depot says it ships **tomorrow**' })]);
    expect(JSON.stringify(await store.history(keys[3]!))).not.toContain('not a note');
  });

  it('still keeps a note when the card message was deleted in Discord, posting it in the channel instead', async () => {
    const key = keys[3]!;
    const card = cardOf(key)!;
    // The modal is opened from the card; the card is deleted before it is submitted.
    expect((await click(key, 'note', ann, card)).answer.type).toBe(9);
    peer.deleteMessage(card.channel_id, card.id);
    expect(cardOf(key)).toBeUndefined();
    const submit = await peer.submitModal({ channelId: card.channel_id, customId: `mt:note:${key}`, fields: { note: 'Refund sent by hand' }, user: ann });
    await submit.waitForCallback(3000);
    const told = await peer.waitFor(() => submit.ephemeralMessages().find((m) => m.content !== ''), 5000);
    expect(told.content).toBe(`Noted in <#${card.channel_id}> and kept in the mention’s history.`);
    expect(peer.thread(card.id)).toBeUndefined();
    expect(peer.messagesIn(card.channel_id).find((m) => m.content.startsWith('📝 Note by @ann'))?.content).toBe('📝 Note by @ann:\nRefund sent by hand');
    expect((await store.history(key)).filter((e) => e.action === 'note').map((e) => e.detail)).toEqual(['Refund sent by hand']);
  });

  it('refuses notes and word-of-mouth actions to someone off the team, politely and privately, and takes a lead’s note', async () => {
    const key = keys[4]!;
    const card = cardOf(key, 'marketing')!;
    for (const action of ['note', 'thank', 'share']) {
      const { answer } = await click(key, action, oz, card);
      expect(answer.type).toBe(4);
      expect(answer.data).toMatchObject({ flags: 64, allowed_mentions: { parse: [] } });
      expect(String(answer.data?.content)).toMatch(new RegExp(`^Sorry, only <@&${peer.roles.member}> or <@&${peer.roles.lead}> can `));
    }
    expect((await store.history(key)).filter((e) => e.action === 'note')).toEqual([]);
    // A lead is on the team too: their note goes in this card's thread.
    const told = await note(key, 'Lovely one for the newsletter', lee, card);
    expect(told.content).toBe(`Noted in <#${card.id}> and kept in the mention’s history.`);
    expect((await store.history(key)).filter((e) => e.action === 'note').map((e) => [e.userId, e.detail])).toEqual([[lee.id, 'Lovely one for the newsletter']]);
  });

  it('gives a word-of-mouth card Thank…, Share and Done in the marketing channel, while its support card keeps Claim', async () => {
    const key = keys[4]!;
    const card = cardOf(key, 'marketing')!;
    expect(idsOf(card).slice(0, 5)).toEqual(['thank', 'share', 'resolve', 'dismiss', 'note'].map((a) => `mt:${a}:${key}`));
    expect(idsOf(peer.messagesIn(peer.channels.support).find((m) => idsOf(m).includes(`mt:claim:${key}`)))).toContain(`mt:claim:${key}`);
    const share = await click(key, 'share', ann, card);
    expect(share.answer).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(String(share.answer.data?.content)).toContain('> @parcelly just wanted to say the new label printer is brilliant, thank you so much!');
    expect(String(share.answer.data?.content)).toContain(mentions[4]!.url!);
    const thank = await click(key, 'thank', ann, card);
    expect(thank.answer).toMatchObject({ type: 9, data: { custom_id: `mt:reply:${key}` } });
    expect(JSON.stringify(thank.answer.data)).toMatch(/[Tt]hank/);
    const done = await click(key, 'resolve', ann, card);
    expect(done.answer.type).toBe(7);
    expect(await store.get(key)).toMatchObject({ status: 'resolved', holder: { id: ann.id } });
    await until(() => idsOf(cardOf(key, 'marketing')).includes(`mt:reopen:${key}`), 5000, 'the closed word-of-mouth card');
  });

  it('joins a follow-up from the same author to their open card and bumps it; a reply from someone else gets its own card', async () => {
    const root = keys[5]!;
    const card = cardOf(root)!;
    await runtime.queues.ingest.add('batch', { sourceName: 'file', receivedAt: new Date().toISOString(), mentions: [followUp, otherReply] } as never);
    const followKey = `x-${followUp.id}`;
    const otherKey = `x-${otherReply.id}`;
    await until(async () => (await store.history(root)).some((e) => e.action === 'follow-up'), 15_000, 'the follow-up recorded on the card');
    await until(async () => Boolean(await store.card(otherKey, 'support')), 15_000, 'the other reply carded');
    const line = await peer.waitFor(() => peer.messagesIn(card.id).find((m) => m.content.startsWith('↪️ Follow-up from @rae')), 10_000);
    expect(line.content).toContain('still nothing, and now the tracking page is gone too');
    expect(line.content).toContain(followUp.url!);
    await until(() => (cardOf(root)?.embeds[0]?.fields ?? []).some((f) => f.name === 'Status' && f.value.includes('Follow-up by @rae')), 5000, 'the card bumped');
    const status = cardOf(root)!.embeds[0]!.fields!.find((f) => f.name === 'Status')!.value;
    expect(status).toContain('still nothing, and now the tracking page is gone too');
    expect(await store.get(followKey)).toMatchObject({ status: 'dismissed', cards: [] });
    expect(await store.card(followKey, 'support')).toBeUndefined();
    expect(peer.messagesIn(peer.channels.support).filter((m) => idsOf(m).includes(`mt:claim:${followKey}`))).toEqual([]);
    expect(await t.redis.get(`${t.prefix}:followup:${followKey}`)).toBe(root);
    // A reply to the follow-up joins the same card.
    const third = post(8, '@parcelly hello?? anyone', 'rae', { inReplyTo: { id: followUp.id, handle: 'rae' } });
    await runtime.queues.ingest.add('batch', { sourceName: 'file', receivedAt: new Date().toISOString(), mentions: [third] } as never);
    await until(async () => (await store.history(root)).filter((e) => e.action === 'follow-up').length === 2, 15_000, 'the second follow-up');
    expect(await t.redis.get(`${t.prefix}:followup:x-${third.id}`)).toBe(root);
  });

  it('opens one mention of a backlog digest as its own card and marks it on the digest', async () => {
    const quiet = [10, 11].map((i) => post(i, `saw a parcelly van near the station ${i}`));
    const states = [];
    for (const m of quiet) {
      const key = `x-${m.id}`;
      await store.saveTriaged(key, triage(m, config), new Date());
      states.push((await store.get(key))!);
    }
    const notifier = createDiscordNotifier(new REST({ api: peer.apiUrl }).setToken(peer.token), peer.channels);
    const ref = await notifier.post('support', { kind: 'digest', states, waiting: 0 }, 'digest-test');
    for (const s of states) await store.recordCard(s.key, ref, new Date(), s.triage);
    const digest = peer.message(ref.channelId, ref.messageId)!;
    const [first, second] = states.map((s) => s.key);
    const refused = await peer.clickButton({ channelId: ref.channelId, messageId: ref.messageId, customId: DIGEST_OPEN_ID, values: [second!], user: oz });
    expect((await refused.waitForCallback(3000)).type).toBe(4);
    const pick = await peer.clickButton({ channelId: ref.channelId, messageId: ref.messageId, customId: DIGEST_OPEN_ID, values: [second!], user: ann });
    expect((await pick.waitForCallback(3000)).type).toBe(6);
    const opened = await peer.waitFor(() => cardOf(second!), 5000);
    await until(async () => (await store.card(second!, 'support'))?.messageId === opened.id, 5000, 'the new card recorded');
    const marked = await peer.waitFor(() => peer.message(digest.channel_id, digest.id)!.embeds[0]!.description!.includes('📌') && peer.message(digest.channel_id, digest.id), 5000);
    const lines = marked.embeds[0]!.description!.split('\n');
    expect(lines.find((l) => l.includes(second!))).toContain(`📌 [opened as a card](https://discord.com/channels/${peer.guildId}/${opened.channel_id}/${opened.id}) by @ann`);
    expect(lines.find((l) => l.includes(first!))).not.toContain('📌');
    const options = (JSON.parse(JSON.stringify(marked.components)) as Array<{ components: Component[] }>)[0]!.components[0]!.options!.map((o) => o.value);
    expect(options).toEqual([first]);
    expect((await store.get(first!))?.cards[0]?.messageId).toBe(digest.id);
    expect((await store.history(second!)).some((e) => e.action === 'posted')).toBe(true);
  });

  it('gives stacked cards Note… and Release in the rows left, each acting on its own card', async () => {
    const stacked = [20, 21, 22].map((i) => post(i, `@parcelly label ${i} printed blank`, `stack${i}`));
    const states = [];
    for (const m of stacked) {
      const key = `x-${m.id}`;
      await store.saveTriaged(key, triage(m, config), new Date());
      states.push((await store.get(key))!);
    }
    const notifier = createDiscordNotifier(new REST({ api: peer.apiUrl }).setToken(peer.token), peer.channels);
    const ref = await notifier.postStack('support', states, 'stack-test');
    await store.recordStack(ref.messageId, states.map((s) => s.key));
    for (const s of states) await store.recordCard(s.key, ref, new Date(), s.triage);
    const message = () => peer.message(ref.channelId, ref.messageId)!;
    const rows = () => JSON.parse(JSON.stringify(message().components)) as Array<{ components: Component[] }>;
    expect(rows()).toHaveLength(4);
    expect(rows()[3]!.components.map((b) => b.label)).toEqual(['Note… @stack20', 'Note… @stack21', 'Note… @stack22']);
    const [a, b] = states.map((s) => s.key);
    expect((await click(a!, 'claim', ann, message())).answer.type).toBe(7);
    await until(() => rows()[3]!.components.some((c) => c.custom_id === `mt:release:${a}`), 5000, 'Release on the stack');
    expect(rows().flatMap((r) => r.components).length).toBeLessThanOrEqual(25);
    const told = await note(b!, 'Checked: printer driver', ann, message());
    expect(told.content).toBe(`Noted in <#${ref.messageId}> and kept in the mention’s history.`);
    expect(peer.messagesIn(ref.messageId).at(-1)!.content).toBe('📝 Note by @ann (about @stack21):\nChecked: printer driver');
    expect((await store.history(b!)).filter((e) => e.action === 'note').map((e) => e.detail)).toEqual(['Checked: printer driver']);
    expect((await click(a!, 'release', ann, message())).answer.type).toBe(7);
    expect(await store.get(a!)).toMatchObject({ status: 'new' });
    expect((await store.get(a!))?.holder).toBeUndefined();
    // The stack's thread is open: the release is written there, naming whose card it was.
    await peer.waitFor(() => peer.messagesIn(ref.messageId).find((m) => m.content.startsWith('🕘 Released by @ann (about @stack20)')), 5000);
    // A message written straight in a stack's thread cannot say whose card it is about: it asks for Note….
    peer.writeMessage({ channelId: ref.messageId, content: 'which one is this about?', user: ann });
    const hint = await peer.waitFor(() => peer.messagesIn(ref.messageId).find((m) => m.content.startsWith('This thread is shared by 3 cards')), 5000);
    expect(hint.message_reference).toBeDefined();
  });

  it('posts SLA reminders in the thread the card already has, and in the channel when the card is gone', async () => {
    const queues = createQueues(t.redis, t.prefix);
    try {
      const withThread = keys[0]!;
      const card = cardOf(withThread)!;
      await makeSlaTimersDue(queues.sla, withThread);
      await sweepDueSlaTimers(queues.sla, new Date());
      const reminder = await peer.waitFor(() => peer.messagesIn(card.id).find((m) => m.content.startsWith('⏰')), 10_000);
      expect(reminder.content).toMatch(/^⏰ This mention has waited \d+ min and nobody has claimed it yet/);
      expect(reminder.message_reference).toBeUndefined();
      // The note was first: one thread, opened once.
      expect(peer.messagesIn(card.id)[0]!.content.startsWith('📝 Note by @ann')).toBe(true);
      const gone = keys[3]!;
      const goneRef = (await store.get(gone))!.cards[0]!;
      await makeSlaTimersDue(queues.sla, gone);
      await sweepDueSlaTimers(queues.sla, new Date());
      const inChannel = await peer.waitFor(() => peer.messagesIn(goneRef.channelId).find((m) => m.content.startsWith('⏰') && m.message_reference?.message_id === goneRef.messageId), 10_000);
      expect(inChannel.content).toMatch(/nobody has claimed it yet/);
      expect(peer.thread(goneRef.messageId)).toBeUndefined();
    } finally {
      await queues.close();
    }
  });

  it('writes in the channel, under the card, when its thread was locked by a moderator', async () => {
    const key = keys[1]!;
    const card = cardOf(key)!;
    peer.lockThread(card.id);
    const before = peer.messagesIn(card.id).length;
    const told = await note(key, 'Locked thread, still noted');
    expect(told.content).toBe(`Noted in <#${card.channel_id}> and kept in the mention’s history.`);
    expect(peer.messagesIn(card.id)).toHaveLength(before);
    const inChannel = peer.messagesIn(card.channel_id).find((m) => m.content.includes('Locked thread, still noted'))!;
    expect(inChannel.message_reference?.message_id).toBe(card.id);
    expect((await store.history(key)).filter((e) => e.action === 'note').map((e) => e.detail)).toContain('Locked thread, still noted');
  });

  it('finds the thread it opened when Discord’s answer to the opening was lost, and writes there', async () => {
    const m = post(30, '@parcelly the customs form will not print', 'lost');
    const key = `x-${m.id}`;
    await store.saveTriaged(key, triage(m, config), new Date());
    const notifier = createDiscordNotifier(new REST({ api: peer.apiUrl }).setToken(peer.token), peer.channels);
    const ref = await notifier.post('support', { kind: 'card', state: (await store.get(key))! }, 'lost-answer');
    await store.recordCard(key, ref, new Date());
    peer.clearRequests();
    // The thread is opened, then the connection drops before the answer: the bot writes in it anyway.
    peer.dropResponseNext({ method: 'POST', path: /\/threads$/ });
    const told = await note(key, 'After a lost answer', ann, peer.message(ref.channelId, ref.messageId)!);
    expect(told.content).toBe(`Noted in <#${ref.messageId}> and kept in the mention’s history.`);
    expect(peer.requestsTo('POST', /\/threads$/)).toHaveLength(1);
    expect(peer.thread(ref.messageId)).toBeDefined();
    expect(peer.messagesIn(ref.messageId).map((msg) => msg.content)).toEqual(['📝 Note by @ann:\nAfter a lost answer']);
  });
});

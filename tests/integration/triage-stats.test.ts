import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Classification } from '../../src/core/classification.js';
import { replyMood } from '../../src/core/suggest-reply.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { createStatsIndex } from '../../src/store/stats-index.js';
import { startDiscordPeer, type DiscordPeer, type InteractionHandle, type RecordedRequest } from '../peers/discord/discord-peer.js';
import { aMention, aTriage } from '../support/fixtures.js';
import { pixelColours, pngSize } from '../support/png.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

const MINUTE = 60_000;
const angry: Classification = { polarity: 'negative', score: -0.6, flags: ['angry'], intent: 'bug', severity: 2, evidence: [] };
const happy: Classification = { polarity: 'positive', score: 0.7, flags: ['happy'], intent: 'praise', severity: 0, evidence: [] };
const neutral: Classification = { polarity: 'neutral', score: 0, flags: [], intent: 'question', severity: 1, evidence: [] };
const ana = { id: '400000000000000011', name: '@ana' };
const ben = { id: '400000000000000012', name: '@ben' };

type Field = { name: string; value: string };
const field = (fields: Field[] | undefined, name: string) => fields?.find((f) => f.name === name)?.value;

describe('/triage stats: the period in numbers and a chart, from the store', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let runtime: Runtime;
  let store: MentionStore;
  const base = Math.floor((Date.now() - 2 * 86_400_000) / 3_600_000) * 3_600_000;
  const at = (minutes: number) => new Date(base + minutes * MINUTE);

  /** Records a mention as triage and notify would: state, card, then the team's actions at the given minutes. */
  async function seed(key: string, source: 'x' | 'bluesky', posted: number, classification: Classification, actions: Array<[minute: number, action: 'claim' | 'resolve', actor: typeof ana]> = []) {
    const triage = aTriage(aMention({ id: key.replace(/\D/g, ''), source, createdAt: at(posted).toISOString() }), { classification });
    await store.saveTriaged(key, triage, at(posted));
    await store.recordCard(key, { channelKey: 'support', channelId: peer.channels.support, messageId: `9${key.replace(/\D/g, '')}` }, at(posted));
    for (const [minute, action, actor] of actions) expect((await store.transition(key, action, actor, at(minute))).ok).toBe(true);
    return { key, postedAt: triage.mention.createdAt };
  }

  const run = async (options?: Record<string, string>): Promise<{ handle: InteractionHandle; edit: RecordedRequest }> => {
    const before = peer.requestsTo('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/).length;
    const handle = await peer.runSlashCommand({ channelId: peer.channels.support, name: 'triage', subcommand: 'stats', user: { id: '400000000000000013', username: 'lee' }, ...(options ? { options } : {}) });
    await handle.waitForCallback(3000);
    const edit = await peer.waitFor(() => peer.requestsTo('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/)[before], 10_000);
    return { handle, edit };
  };

  beforeAll(async () => {
    peer = await startDiscordPeer();
    t = await openTestRedis();
    store = createMentionStore(t.redis, { prefix: t.prefix });
    const index = createStatsIndex(t.redis, { prefix: t.prefix });
    const seeded = [
      await seed('x-1001', 'x', 0, angry, [[10, 'claim', ana], [70, 'resolve', ana]]),
      await seed('bluesky-1002', 'bluesky', 60, angry, [[90, 'claim', ben]]),
      await seed('x-1003', 'x', 120, happy, [[170, 'claim', ana], [240, 'resolve', ana]]),
      await seed('x-1004', 'x', 180, neutral),
      // Ten days before: outside the default week.
      await seed('x-1005', 'x', -8 * 1440, happy),
    ];
    await index.record(seeded);
    const base_ = await loadConfig('config');
    const config = { ...base_, routing: { ...base_.routing, timeZone: 'UTC' }, discord: { ...base_.discord, channels: { ...peer.channels } } };
    runtime = await startRuntime({ roles: ['bot'], config, redisUrl: t.url, prefix: t.prefix, log: pino({ level: 'silent' }), discord: { token: peer.token, apiUrl: peer.apiUrl } });
  });

  afterAll(async () => {
    await runtime?.close();
    await peer?.close();
    await t?.cleanup();
  });

  it("answers at once with the queue's counts, then adds the week's numbers as the store holds them", async () => {
    const { handle } = await run();
    expect(handle.callback()?.data?.content).toBe('new: **2** · claimed: **1** · escalated: **0** · resolved: **2** · dismissed: **0**');
    const answer = handle.original()!;
    expect(answer.flags! & 64).toBe(64);
    const embed = answer.embeds[0]!;
    expect(embed.title).toBe('Mentions in the last 7d');
    expect(embed.description).toMatch(/^\*\*4\*\* posted <t:\d+:f> – <t:\d+:f>/);

    // The moods as the store's triages say, for the mentions posted in the week.
    const week = ['x-1001', 'bluesky-1002', 'x-1003', 'x-1004'];
    const states = await Promise.all(week.map((key) => store.get(key)));
    const moods = { angry: 0, unhappy: 0, neutral: 0, happy: 0 };
    for (const state of states) moods[replyMood(state!.triage.classification)] += 1;
    expect(field(embed.fields, 'Mood')).toBe(`angry: **${moods.angry}** · unhappy: **${moods.unhappy}** · neutral: **${moods.neutral}** · happy: **${moods.happy}**`);
    expect(field(embed.fields, 'Source')).toBe('x: **3**\nbluesky: **1**');
    expect(field(embed.fields, 'Intent')).toBe('bug: **2**\npraise: **1**\nquestion: **1**');

    // Claimed after 10, 30 and 50 minutes; resolved after 70 and 120, as the histories say.
    const minutesTo = async (key: string, to: string) => {
      const history = await store.history(key);
      const card = history.find((e) => e.action === 'posted')!;
      const event = history.find((e) => e.to === to);
      return event ? (Date.parse(event.at) - Date.parse(card.at)) / MINUTE : undefined;
    };
    expect(await Promise.all(week.map((key) => minutesTo(key, 'claimed')))).toEqual([10, 30, 50, undefined]);
    expect(await Promise.all(week.map((key) => minutesTo(key, 'resolved')))).toEqual([70, undefined, 120, undefined]);
    expect(field(embed.fields, 'Time to claim / resolve')).toBe('claim: median **30 min** (3 claimed)\nresolve: median **1 h 35 min** (2 resolved)\nfrom arrival (first card)');
    expect(field(embed.fields, 'Per member')).toBe('@ana: 2 claimed (median 30 min) · 2 resolved (median 1 h 35 min)\n@ben: 1 claimed (median 30 min) · 0 resolved (median –)');
    // Only the first was claimed and resolved in time; the second's 480 minutes to resolve have passed.
    expect(field(embed.fields, 'SLA')).toBe('**25%** met (1 of 4 decided) · 3 missed · 0 still open');
  });

  it('attaches the chart as a PNG upload, shown as the embed image', async () => {
    const { handle, edit } = await run();
    expect(edit.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(edit.files).toHaveLength(1);
    const [file] = edit.files;
    expect(file).toMatchObject({ field: 'files[0]', filename: 'mention-stats.png' });
    expect(file!.size).toBe(file!.data.length);
    expect(pngSize(file!.data)).toEqual({ width: 960, height: 480 });
    const answer = handle.original()!;
    expect(answer.attachments).toHaveLength(1);
    expect(answer.attachments[0]).toMatchObject({ filename: 'mention-stats.png', content_type: 'image/png' });
    expect(answer.embeds[0]?.image?.url).toBe(answer.attachments[0]!.url);

    // The bars: the moods the week has are drawn in their colours, the mood it lacks is not.
    const colours = await pixelColours(file!.data);
    expect(colours.size).toBeGreaterThan(3);
    const angryPixels = colours.get('#ed4245') ?? 0;
    const happyPixels = colours.get('#3ba55d') ?? 0;
    expect(angryPixels).toBeGreaterThan(0);
    expect(happyPixels).toBeGreaterThan(0);
    expect(colours.get('#99aab5') ?? 0).toBeGreaterThan(0);
    expect(colours.get('#faa61a') ?? 0).toBe(0);
    // Two angry mentions against one happy: twice the bar (legend keys are the same size).
    expect(angryPixels).toBeGreaterThan(1.5 * happyPixels);
  });

  it('reads the period asked for, and refuses one it cannot read', async () => {
    const month = (await run({ period: '30d' })).handle.original()!.embeds[0]!;
    expect(month.title).toBe('Mentions in the last 30d');
    expect(field(month.fields, 'Mood')).toBe('angry: **2** · unhappy: **0** · neutral: **1** · happy: **2**');
    const day = (await run({ period: '24h' })).handle.original()!.embeds[0]!;
    expect(day.description).toMatch(/^\*\*0\*\* posted/);
    expect(field(day.fields, 'Per member')).toBe('nobody claimed or resolved a mention');

    const refused = await peer.runSlashCommand({ channelId: peer.channels.support, name: 'triage', subcommand: 'stats', user: { id: '400000000000000013', username: 'lee' }, options: { period: '5 years' } });
    const answer = await refused.waitForCallback(3000);
    expect(answer.data?.content).toBe('Cannot read that period: a period is a number and a unit: 24h, 7d, 30d or 2w.');
    expect(answer.data?.flags).toBe(64);
  });
});

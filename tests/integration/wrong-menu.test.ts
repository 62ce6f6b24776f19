import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { createMentionStore, type MentionStore } from '../../src/store/mention-store.js';
import { createModelStore, type ModelStore } from '../../src/store/model-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aFileSourceConfig, aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';
import { until } from '../support/until.js';

const ann = { id: '420000000000000001', username: 'ann' };
const texts = ['@parcelly the tracking page says delivered but nothing is here', '@parcelly how do I print a return label?'];
const mentions = texts.map((text, i) => aMention({ id: `18600000000000090${i}`, text, author: { handle: `user${i}`, name: `User ${i}`, followers: 40 } }));
const keys = mentions.map((m) => `x-${m.id}`);

type Json = { type?: number; custom_id?: string; options?: Array<{ value: string }>; components?: Json[] };
const componentsOf = (m: APIMessage | undefined) => JSON.parse(JSON.stringify(m?.components ?? [])) as Json[];
const statusIn = (embeds: unknown) => ((embeds as Array<{ fields?: Array<{ name: string; value: string }> }>)[0]?.fields ?? []).find((f) => f.name === 'Status')?.value ?? '';

describe('the "Wrong?" menu on a card, against the Discord peer', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let runtime: Runtime;
  let store: MentionStore;
  let labels: ModelStore;
  const cardOf = (key: string) => Object.values(peer.channels).flatMap((c) => peer.messagesIn(c)).find((m) => JSON.stringify(m.components).includes(`mt:claim:${key}`));

  beforeAll(async () => {
    peer = await startDiscordPeer({ members: [ann] });
    t = await openTestRedis();
    const base = await loadConfig('config');
    const path = join(mkdtempSync(join(tmpdir(), 'mt-wrong-')), 'mentions.jsonl');
    writeFileSync(path, `${mentions.map((m) => JSON.stringify(m)).join('\n')}\n`);
    const config: Config = { ...base, sources: [aFileSourceConfig(path)], discord: { ...base.discord, channels: { ...peer.channels }, stacking: { fromBacklog: 5, cardsPerMessage: 1 } } };
    runtime = await startRuntime({ roles: ['ingest', 'triage', 'notify', 'bot'], config, redisUrl: t.url, prefix: t.prefix, log: pino({ level: 'silent' }), discord: { token: peer.token, apiUrl: peer.apiUrl }, ingestOnce: true });
    store = createMentionStore(t.redis, { prefix: t.prefix });
    labels = createModelStore(t.redis, { prefix: t.prefix });
    await runtime.firstIngest;
    await until(async () => (await Promise.all(keys.map(async (k) => cardOf(k) && (await store.get(k))?.cards.length))).every(Boolean), 20_000, 'every card posted');
  }, 60_000);
  afterAll(async () => {
    await runtime?.close();
    await peer?.close();
    await t?.cleanup();
  });

  it('shows a third row with a select menu of moods, spam and not for us', () => {
    const rows = componentsOf(cardOf(keys[0]!));
    expect(rows).toHaveLength(3);
    const menu = rows[2]!.components![0]!;
    expect(menu).toMatchObject({ type: 3, custom_id: `mt-wrong:${keys[0]}` });
    const values = menu.options!.map((o) => o.value);
    expect(values.slice(0, 5)).toEqual(['negative', 'neutral', 'positive', 'spam', 'not-for-us']);
    expect(values).toEqual(expect.arrayContaining(['intent:complaint', 'intent:question', 'intent:billing', 'intent:feature-request']));
    expect(values.length).toBeLessThanOrEqual(25); // Discord's limit of options in a select menu
  });

  it('records the correction with who made it and updates the card to say so', async () => {
    const card = cardOf(keys[0]!)!;
    const handle = await peer.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt-wrong:${keys[0]}`, values: ['neutral'], user: ann });
    const answer = await handle.waitForCallback(3000);
    expect(answer.type).toBe(7);
    expect(statusIn((answer.data as { embeds: unknown }).embeds)).toMatch(/Corrected by @ann .*: mood → neutral/);
    const [label] = await labels.labels();
    expect(label).toMatchObject({ key: keys[0], text: texts[0], correction: 'neutral', by: '@ann', via: 'wrong-menu' });
    expect((await store.history(keys[0]!)).some((e) => e.action === 'corrected' && e.detail === 'mood → neutral')).toBe(true);
  });

  it('records an intent correction beside the mood one, and the card says so', async () => {
    const card = cardOf(keys[0]!)!;
    const handle = await peer.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt-wrong:${keys[0]}`, values: ['intent:question'], user: ann });
    const answer = await handle.waitForCallback(3000);
    expect(statusIn((answer.data as { embeds: unknown }).embeds)).toMatch(/Corrected by @ann .*: intent → question/);
    const ofKey = (await labels.labels()).filter((l) => l.key === keys[0]).map((l) => l.correction);
    expect(ofKey).toEqual(['neutral', 'intent:question']);
  });

  it('counts a mention the team resolved as its triaged mood', async () => {
    const card = cardOf(keys[1]!)!;
    const handle = await peer.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:resolve:${keys[1]}`, user: ann });
    await handle.waitForCallback(3000);
    const mood = (await store.get(keys[1]!))!.triage.classification.polarity;
    await until(async () => (await labels.labels()).some((l) => l.key === keys[1]), 5000, 'the outcome recorded as a label');
    expect((await labels.labels()).find((l) => l.key === keys[1])).toMatchObject({ correction: mood, by: '@ann', via: 'resolved' });
  });
});

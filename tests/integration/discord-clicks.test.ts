import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startRuntime, type Runtime } from '../../src/main.js';
import { createMentionStore } from '../../src/store/mention-store.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aFileSourceConfig, aMention } from '../support/fixtures.js';
import { openTestRedis, type TestRedis } from '../support/redis.js';

/** Discord lost the answer to a click (the 3 s window passed): the state changed, so the card must show it anyway. */
describe('a click whose answer Discord no longer takes', () => {
  let peer: DiscordPeer;
  let t: TestRedis;
  let runtime: Runtime;
  const mention = aMention({ id: '1860000000000000901', text: '@parcelly where is my refund?', author: { handle: 'rae', name: 'Rae', followers: 40 } });
  const key = `x-${mention.id}`;
  const cardOf = () => peer.messagesIn(peer.channels.support).find((m) => JSON.stringify(m.components).includes(`mt:claim:${key}`));

  beforeAll(async () => {
    // Every interaction answer arrives "too late".
    peer = await startDiscordPeer({ interactionResponseTimeoutMs: 0 });
    t = await openTestRedis();
    const base = await loadConfig('config');
    const path = join(mkdtempSync(join(tmpdir(), 'mt-clicks-')), 'mentions.jsonl');
    writeFileSync(path, `${JSON.stringify(mention)}\n`);
    runtime = await startRuntime({
      roles: ['ingest', 'triage', 'notify', 'bot'],
      config: { ...base, sources: [aFileSourceConfig(path)], discord: { ...base.discord, channels: { ...peer.channels } } },
      redisUrl: t.url,
      prefix: t.prefix,
      log: pino({ level: 'silent' }),
      discord: { token: peer.token, apiUrl: peer.apiUrl },
      ingestOnce: true,
    });
    await runtime.firstIngest;
    await peer.waitFor(() => cardOf(), 20_000);
  });
  afterAll(async () => {
    await runtime?.close();
    await peer?.close();
    await t?.cleanup();
  });

  it('brings the card up to date directly when the click\'s answer fails after the state changed', async () => {
    const card = cardOf()!;
    await peer.clickButton({ channelId: card.channel_id, messageId: card.id, customId: `mt:claim:${key}`, user: { id: '400000000000000011', username: 'fay' } });
    await peer.waitFor(() => JSON.stringify(peer.message(card.channel_id, card.id)?.components).includes('Claimed by @fay'), 5000);
    expect(await createMentionStore(t.redis, { prefix: t.prefix }).get(key)).toMatchObject({ status: 'claimed', holder: { name: '@fay' } });
    expect(peer.requestsTo('PATCH', /^\/channels\/\d+\/messages\/\d+$/).length).toBeGreaterThanOrEqual(1);
  });
});

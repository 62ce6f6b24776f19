import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordNotifier } from '../../src/discord/discord-notifier.js';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { aMention, aTriage } from '../support/fixtures.js';

type Embed = { url?: string; author?: { name: string; url?: string }; fields?: Array<{ name: string; value: string }>; description?: string };

describe('the Discord notifier when Discord refuses part of a card', () => {
  let peer: DiscordPeer;
  let rest: REST;
  beforeAll(async () => {
    peer = await startDiscordPeer();
    rest = new REST({ api: peer.apiUrl, retries: 0 }).setToken(peer.token);
  });
  afterAll(async () => {
    await peer.close();
  });

  it('posts the card again without the refused link, says so on the card, and reports it', async () => {
    const simplified: string[][] = [];
    const notifier = createDiscordNotifier(rest, peer.channels, (_channel, refused) => simplified.push(refused));
    // A link Discord will not take as well formed: a mention must still get its card.
    const mention = { ...aMention({ text: 'my label printed blank' }), url: 'https://x.com/dana/status/1 2' };
    const ref = await notifier.post('support', { kind: 'card', state: { key: 'x-1', status: 'new', triage: aTriage(mention) } }, 'x-1/support');
    const posts = peer.requestsTo('POST', /^\/channels\/\d+\/messages$/);
    expect(posts).toHaveLength(2);
    const sent = (posts[1]!.body as { embeds: Embed[] }).embeds[0]!;
    expect(sent.author).toEqual({ name: expect.stringContaining('@') });
    expect(sent.description).toContain('my label printed blank');
    expect(sent.fields?.at(-1)).toEqual({ name: '⚠️ Shown simplified', value: expect.stringContaining('embeds.0.author.url') });
    expect(simplified).toEqual([['embeds.0.author.url']]);
    expect(peer.messagesIn(peer.channels.support).map((m) => m.id)).toContain(ref.messageId);
  });
});

import { DiscordAPIError, REST, Routes, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';

describe('discord peer: file uploads as Discord takes them (payload_json and files[n])', () => {
  let peer: DiscordPeer;
  let rest: REST;

  beforeAll(async () => {
    peer = await startDiscordPeer();
    rest = new REST({ api: peer.apiUrl, retries: 0 }).setToken(peer.token);
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('keeps the bytes, names each file by its attachments entry, and points attachment:// embed images at it', async () => {
    const bytes = Buffer.from([1, 2, 3, 4, 5]);
    const body = { embeds: [{ title: 'chart', image: { url: 'attachment://week.png' } }], attachments: [{ id: 0, filename: 'week.png', description: 'the week' }] };
    const message = (await rest.post(Routes.channelMessages(peer.channels.marketing), { body, files: [{ name: 'upload.bin', data: bytes, contentType: 'image/png' }] })) as APIMessage;
    const request = peer.requestsTo('POST', /^\/channels\/\d+\/messages$/).at(-1)!;
    expect(request.files).toEqual([{ field: 'files[0]', filename: 'upload.bin', contentType: 'image/png', size: 5, data: bytes }]);
    expect(message.attachments).toEqual([expect.objectContaining({ filename: 'week.png', description: 'the week', size: 5, content_type: 'image/png' })]);
    expect(message.embeds[0]?.image?.url).toBe(message.attachments[0]!.url);
  });

  it('refuses more than 10 files, and a file over the upload limit', async () => {
    const files = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x') }));
    const many = await rest.post(Routes.channelMessages(peer.channels.marketing), { body: { content: 'x' }, files }).catch((e: unknown) => e);
    expect(many).toBeInstanceOf(DiscordAPIError);
    expect((many as DiscordAPIError).code).toBe(50035);
    const big = await rest.post(Routes.channelMessages(peer.channels.marketing), { body: { content: 'x' }, files: [{ name: 'big.bin', data: Buffer.alloc(10 * 1024 * 1024 + 1) }] }).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(DiscordAPIError);
    expect((big as DiscordAPIError).status).toBe(413);
    expect(peer.messagesIn(peer.channels.marketing)).toHaveLength(1);
  });
});

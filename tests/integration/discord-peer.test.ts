import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  RESTEvents,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
  type RateLimitData,
  type TextChannel,
  Routes,
} from 'discord.js';
import { ComponentType, GatewayOpcodes, InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordPeer, type DiscordPeer } from '../peers/discord/discord-peer.js';
import { waitFor } from '../peers/discord/wait-for.js';

const MESSAGES = /^\/channels\/\d{17,19}\/messages$/;

let peer: DiscordPeer;
let client: Client;
let support: TextChannel;

/** Runs `handle` on the next interaction the client receives; resolves with that interaction. */
function handleNextInteraction(handle: (interaction: Interaction) => Promise<unknown>): Promise<Interaction> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => {
      handle(interaction).then(() => resolve(interaction), reject);
    });
  });
}

function cardComponents(mentionId: string) {
  return [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId(`claim:${mentionId}`).setLabel('Claim').setStyle(ButtonStyle.Primary),
      new ButtonBuilder().setCustomId(`reply:${mentionId}`).setLabel('Reply…').setStyle(ButtonStyle.Secondary),
      new ButtonBuilder().setCustomId(`dismiss:${mentionId}`).setLabel('Dismiss').setStyle(ButtonStyle.Danger),
    ),
  ];
}

async function postCard(mentionId: string) {
  return support.send({
    embeds: [new EmbedBuilder().setTitle(`Mention ${mentionId}`).setDescription('Your app ate my homework')],
    components: cardComponents(mentionId),
  });
}

describe('discord peer with the real discord.js client', () => {
  beforeAll(async () => {
    peer = await startDiscordPeer();
    client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: peer.apiUrl },
      allowedMentions: { parse: [] },
    });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(peer.token);
    await ready;
    support = (await client.channels.fetch(peer.channels.support)) as TextChannel;
  });

  afterAll(async () => {
    await client?.destroy();
    await peer?.close();
  });

  it('brings the client to ready with the guild, its channels and the bot member cached', () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(peer.botUser.id);
    const guild = client.guilds.cache.get(peer.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.map((channel) => channel.name).sort()).toEqual(['leads', 'marketing', 'support']);
    expect(guild?.members.cache.has(peer.botUser.id)).toBe(true);
    expect(peer.identifies()[0]?.token).toBe(peer.token);
    expect(peer.requestsTo('GET', /^\/gateway\/bot$/)[0]?.headers.authorization).toBe(`Bot ${peer.token}`);
  });

  it('records a card sent with embeds and buttons, and stores it as Discord would return it', async () => {
    const sent = await postCard('x-1');

    const [request] = peer.requestsTo('POST', MESSAGES).filter((r) => r.route.includes(peer.channels.support));
    expect(request?.body).toMatchObject({
      embeds: [{ title: 'Mention x-1', description: 'Your app ate my homework' }],
      components: [{ type: 1, components: [{ type: 2, custom_id: 'claim:x-1', label: 'Claim', style: 1 }, {}, {}] }],
      allowed_mentions: { parse: [] },
    });
    expect(sent.id).toMatch(/^\d{17,19}$/);
    expect(sent.author.id).toBe(peer.botUser.id);
    expect(peer.message(peer.channels.support, sent.id)?.embeds[0]).toMatchObject({ type: 'rich', title: 'Mention x-1' });
    expect(peer.messagesIn(peer.channels.support).map((message) => message.id)).toContain(sent.id);
  });

  it('resolves mentions through allowed_mentions: parse [] pings nobody', async () => {
    const sent = await support.send({ content: `<@${peer.defaultUser.id}> @everyone look` });
    expect(peer.message(peer.channels.support, sent.id)).toMatchObject({ mentions: [], mention_everyone: false });
    const pinged = await support.send({ content: `<@${peer.defaultUser.id}>`, allowedMentions: { users: [peer.defaultUser.id] } });
    expect(peer.message(peer.channels.support, pinged.id)?.mentions.map((user) => user.id)).toEqual([peer.defaultUser.id]);
  });

  it('records a multipart upload with its payload_json and files', async () => {
    const sent = await support.send({ content: 'raw mention', files: [{ attachment: Buffer.from('{"id":1}'), name: 'mention.json' }] });
    const request = peer.requestsTo('POST', MESSAGES).at(-1);
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(request?.body).toMatchObject({ content: 'raw mention', attachments: [{ id: '0' }] });
    expect(request?.files).toEqual([{ field: 'files[0]', filename: 'mention.json', contentType: expect.any(String), size: 8, data: Buffer.from('{"id":1}') }]);
    expect(sent.attachments.first()?.name).toBe('mention.json');
  });

  it('applies an edit to the stored message', async () => {
    const sent = await postCard('x-2');
    await sent.edit({ content: 'Claimed by @tester', components: [] });

    const edits = peer.requestsTo('PATCH', new RegExp(`/channels/\\d+/messages/${sent.id}$`));
    expect(edits).toHaveLength(1);
    const stored = peer.message(peer.channels.support, sent.id);
    expect(stored?.content).toBe('Claimed by @tester');
    expect(stored?.components).toEqual([]);
    expect(stored?.embeds[0]?.title).toBe('Mention x-2');
    expect(stored?.edited_timestamp).not.toBeNull();
  });

  it('delivers a click as a ButtonInteraction whose update() rewrites the card', async () => {
    const sent = await postCard('x-3');
    const handled = handleNextInteraction(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.update({ content: `Claimed by ${interaction.user.username}`, components: [] });
    });

    const click = await peer.clickButton({ channelId: peer.channels.support, messageId: sent.id, customId: 'claim:x-3', user: { id: '222222222222222222', username: 'dana' } });
    const interaction = await handled;

    expect(interaction.isButton() && interaction.customId).toBe('claim:x-3');
    expect(interaction.isButton() && interaction.message.id).toBe(sent.id);
    expect(interaction.inGuild() && interaction.member.user.id).toBe('222222222222222222');
    expect(await click.waitForCallback()).toMatchObject({ type: InteractionResponseType.UpdateMessage, data: { content: 'Claimed by dana' } });
    expect(peer.message(peer.channels.support, sent.id)).toMatchObject({ content: 'Claimed by dana', components: [] });
    const callback = peer.requestsTo('POST', /^\/interactions\/\d+\/[^/]+\/callback$/).at(-1);
    expect(callback?.query).toEqual({ with_response: 'false' });
    expect(callback?.headers.authorization).toBeUndefined();
  });

  it('keeps an ephemeral reply out of the channel and visible to the clicker only', async () => {
    const sent = await postCard('x-4');
    const before = peer.messagesIn(peer.channels.support).length;
    const handled = handleNextInteraction(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.reply({ content: 'Only you can see this', flags: MessageFlags.Ephemeral });
    });

    const click = await peer.clickButton({ channelId: peer.channels.support, messageId: sent.id, customId: 'dismiss:x-4' });
    await handled;

    expect(click.callback()).toMatchObject({ type: InteractionResponseType.ChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    expect(click.ephemeralMessages().map((message) => message.content)).toEqual(['Only you can see this']);
    expect(peer.messagesIn(peer.channels.support)).toHaveLength(before);
  });

  it('lets deferUpdate() then editReply() edit the clicked card through @original', async () => {
    const sent = await postCard('x-5');
    const handled = handleNextInteraction(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.deferUpdate();
      await interaction.editReply({ content: 'Resolved', components: [] });
      await interaction.followUp({ content: 'Marked resolved.', flags: MessageFlags.Ephemeral });
    });

    const click = await peer.clickButton({ channelId: peer.channels.support, messageId: sent.id, customId: 'claim:x-5' });
    await handled;

    expect(click.callback()?.type).toBe(InteractionResponseType.DeferredMessageUpdate);
    const edit = peer.requestsTo('PATCH', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/).at(-1);
    expect(edit?.body).toMatchObject({ content: 'Resolved', components: [] });
    expect(peer.message(peer.channels.support, sent.id)?.content).toBe('Resolved');
    expect(click.original()?.id).toBe(sent.id);
    expect(click.followUps().map((message) => message.content)).toEqual(['Marked resolved.']);
  });

  it('turns the first follow-up after deferReply() into the reply, as Discord does', async () => {
    const sent = await postCard('x-6');
    const handled = handleNextInteraction(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply('Draft ready');
    });

    const click = await peer.clickButton({ channelId: peer.channels.support, messageId: sent.id, customId: 'reply:x-6' });
    await handled;

    expect(click.callback()?.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(click.original()).toMatchObject({ content: 'Draft ready', flags: MessageFlags.Ephemeral });
  });

  it('records showModal() as a type 9 callback and delivers the submission to fields.getTextInputValue', async () => {
    const sent = await postCard('x-7');
    const shown = handleNextInteraction(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      const modal = new ModalBuilder()
        .setCustomId('reply-modal:x-7')
        .setTitle('Reply')
        .addLabelComponents(
          new LabelBuilder()
            .setLabel('Your reply')
            .setTextInputComponent(new TextInputBuilder().setCustomId('text').setStyle(TextInputStyle.Paragraph)),
        );
      await interaction.showModal(modal);
    });
    const click = await peer.clickButton({ channelId: peer.channels.support, messageId: sent.id, customId: 'reply:x-7' });
    await shown;
    expect(click.callback()).toMatchObject({ type: InteractionResponseType.Modal, data: { custom_id: 'reply-modal:x-7' } });

    let typed = '';
    const submitted = handleNextInteraction(async (interaction) => {
      if (!interaction.isModalSubmit() || !interaction.isFromMessage()) throw new Error('expected a modal submit from the card');
      typed = interaction.fields.getTextInputValue('text');
      await interaction.update({ content: `Replied: ${typed}`, components: [] });
    });
    const submit = await peer.submitModal({ channelId: peer.channels.support, messageId: sent.id, customId: 'reply-modal:x-7', fields: { text: 'Sorry about that!' } });
    await submitted;

    expect(submit.payload).toMatchObject({ type: InteractionType.ModalSubmit, data: { components: [{ type: ComponentType.Label }] } });
    expect(typed).toBe('Sorry about that!');
    expect(peer.message(peer.channels.support, sent.id)?.content).toBe('Replied: Sorry about that!');
  });

  it('reads a submission laid out in legacy action rows too', async () => {
    let typed = '';
    const submitted = handleNextInteraction(async (interaction) => {
      if (!interaction.isModalSubmit()) throw new Error('expected a modal submit');
      typed = interaction.fields.getTextInputValue('note');
      await interaction.reply({ content: 'noted', flags: MessageFlags.Ephemeral });
    });
    await peer.submitModal({ channelId: peer.channels.leads, customId: 'never-shown', fields: { note: 'legacy' } });
    await submitted;
    expect(typed).toBe('legacy');
  });

  it('registers commands and delivers a slash command with typed options', async () => {
    await client.application?.commands.set(
      [{ name: 'triage', description: 'Show the queue', options: [{ name: 'limit', description: 'How many', type: 4 }] }],
      peer.guildId,
    );
    const registered = peer.requestsTo('PUT', /^\/applications\/\d+\/guilds\/\d+\/commands$/);
    expect(registered[0]?.body).toMatchObject([{ name: 'triage' }]);

    let limit: number | null = null;
    let responseContent: string | undefined;
    const handled = handleNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
      limit = interaction.options.getInteger('limit');
      const response = await interaction.reply({ content: `Showing ${limit}`, flags: MessageFlags.Ephemeral, withResponse: true });
      responseContent = response.resource?.message?.content;
    });
    const command = await peer.runSlashCommand({ channelId: peer.channels.leads, name: 'triage', options: { limit: 3 } });
    await handled;

    expect(limit).toBe(3);
    expect(responseContent).toBe('Showing 3');
    expect(command.original()?.content).toBe('Showing 3');
    const [registeredCommand] = registered[0]?.response as Array<{ id: string }>;
    expect(command.payload).toMatchObject({ data: { id: registeredCommand?.id, name: 'triage', options: [{ name: 'limit', type: 4, value: 3 }] } });
  });

  it('answers a scripted 429 with Discord headers, and discord.js retries after retry_after', async () => {
    peer.rateLimitNext({ method: 'POST', path: MESSAGES, retryAfterSeconds: 0.25 });
    const limited: RateLimitData[] = [];
    const onLimit = (data: RateLimitData) => limited.push(data);
    client.rest.on(RESTEvents.RateLimited, onLimit);
    const before = peer.requestsTo('POST', MESSAGES).length;

    const sent = await support.send({ content: 'after the limit' });
    client.rest.off(RESTEvents.RateLimited, onLimit);

    const attempts = peer.requestsTo('POST', MESSAGES).slice(before);
    expect(attempts.map((attempt) => attempt.status)).toEqual([429, 200]);
    expect(attempts[0]?.responseHeaders).toMatchObject({
      'retry-after': '1',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': '0.250',
      'x-ratelimit-scope': 'user',
      'x-ratelimit-bucket': expect.stringMatching(/^[0-9a-f]{32}$/),
      'x-ratelimit-reset': expect.stringMatching(/^\d{10}\.\d{3}$/),
    });
    expect(attempts[0]?.response).toEqual({ message: 'You are being rate limited.', retry_after: 0.25, global: false });
    expect(attempts[1]?.responseHeaders['x-ratelimit-remaining']).toBe('4');
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(200);
    expect(limited[0]).toMatchObject({ method: 'POST', global: false, scope: 'user' });
    expect(peer.message(peer.channels.support, sent.id)?.content).toBe('after the limit');
  });

  it('blocks every route on a global 429 until Retry-After has passed', async () => {
    peer.rateLimitNext({ path: /^\/channels\/\d+$/, retryAfterSeconds: 0.2, global: true });
    const limited: RateLimitData[] = [];
    const onLimit = (data: RateLimitData) => limited.push(data);
    client.rest.on(RESTEvents.RateLimited, onLimit);
    const before = peer.requests.length;

    await client.rest.get(Routes.channel(peer.channels.marketing));
    client.rest.off(RESTEvents.RateLimited, onLimit);

    const [first, retry] = peer.requests.slice(before);
    expect(first?.status).toBe(429);
    expect(first?.responseHeaders).toMatchObject({ 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global', 'retry-after': '1' });
    expect(first?.response).toMatchObject({ global: true, retry_after: 0.2 });
    expect(retry?.status).toBe(200);
    // For a global limit discord.js waits the Retry-After header (whole seconds), not the body's retry_after.
    expect(retry!.at - first!.at).toBeGreaterThanOrEqual(900);
    // discord.js reports the wait it did before retrying, and labels that event scope 'user' even when global.
    expect(limited[0]).toMatchObject({ global: true });
  });

  it('rejects what Discord rejects: an oversized embed and a click on a missing button', async () => {
    // Raw JSON: EmbedBuilder would refuse it client-side before Discord (or the peer) saw it.
    const tooLong = support.send({ embeds: [{ description: 'x'.repeat(4097) }] });
    await expect(tooLong).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(tooLong).rejects.toMatchObject({ code: 50035, status: 400 });

    const sent = await postCard('x-9');
    await expect(peer.clickButton({ channelId: peer.channels.support, messageId: sent.id, customId: 'escalate:x-9' })).rejects.toThrow(
      /has no component "escalate:x-9"/,
    );
  });

  it('lets the client resume after the gateway drops, and still delivers interactions', async () => {
    peer.dropGatewayConnections(4000);
    await peer.waitFor(() => peer.gatewayPayloads().some((payload) => payload.op === GatewayOpcodes.Resume), 5000);
    const sent = await postCard('x-10');
    const handled = handleNextInteraction(async (interaction) => {
      if (interaction.isButton()) await interaction.deferUpdate();
    });
    const click = await peer.clickButton({ channelId: peer.channels.support, messageId: sent.id, customId: 'claim:x-10' });
    await handled;
    expect(click.callback()?.type).toBe(InteractionResponseType.DeferredMessageUpdate);
    expect(peer.identifies()).toHaveLength(1);
  });
});

describe("Discord's interaction response window", () => {
  it('forgets an interaction the bot answers too late, so discord.js gets Unknown interaction', async () => {
    const slowPeer = await startDiscordPeer({ interactionResponseTimeoutMs: 50 });
    const slowClient = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: slowPeer.apiUrl } });
    try {
      const ready = new Promise<void>((resolve) => slowClient.once(Events.ClientReady, () => resolve()));
      await slowClient.login(slowPeer.token);
      await ready;
      const answered = new Promise<unknown>((resolve) => {
        slowClient.once(Events.InteractionCreate, (interaction) => {
          if (!interaction.isChatInputCommand()) return;
          setTimeout(() => interaction.reply('late').then(resolve, resolve), 100);
        });
      });
      const command = await slowPeer.runSlashCommand({ channelId: slowPeer.channels.support, name: 'queue' });
      expect(await answered).toMatchObject({ code: 10062, status: 404 });
      expect(command.callback()).toBeUndefined();
    } finally {
      await slowClient.destroy();
      await slowPeer.close();
    }
  });
});

describe('shutting down', () => {
  it('leaves no sockets open after client.destroy() and peer.close()', async () => {
    // Runs after the suite above has destroyed its client and closed its peer.
    const tcpHandles = () => process.getActiveResourcesInfo().filter((kind) => kind.startsWith('TCP'));
    const ownPeer = await startDiscordPeer({ channels: { general: 'general' } });
    const ownClient = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: ownPeer.apiUrl } });
    const ready = new Promise<void>((resolve) => ownClient.once(Events.ClientReady, () => resolve()));
    await ownClient.login(ownPeer.token);
    await ready;
    expect(tcpHandles().length).toBeGreaterThan(0);

    await ownClient.destroy();
    await ownPeer.close();

    // libuv frees closed handles on a later turn of the loop.
    await expect(waitFor(() => tcpHandles().length === 0, 1000, 'every TCP handle to close')).resolves.toBe(true);
    await expect(fetch(`${ownPeer.apiUrl}/v10/gateway`)).rejects.toThrow();
  });
});

/**
 * Bot-authorised REST routes: gateway discovery, channels and messages, the bot user, the
 * guild, and application command registration.
 */
import {
  ApplicationCommandType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  RESTJSONErrorCodes,
  type APIApplicationCommand,
  type APIMessage,
} from 'discord-api-types/v10';
import { discordError, type RouteContext, type RouteDefinition, type RouteResult } from './http-server.js';
import { createMessage, editMessage } from './messages.js';
import { channelMessages, type PeerState } from './state.js';
import { validateMessageBody } from './validation.js';
import { peerThreads, refuseThreadPost } from './threads.js';

type Json = Record<string, unknown>;

/** A text channel or a thread: both take messages. */
const hasChannel = (state: PeerState, id: string) => state.channels.has(id) || peerThreads(state).has(id);

const unknownChannel = () => discordError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
const unknownMessage = () => discordError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');

/** Reads the current message, or the 404 Discord would send. */
function lookup(state: PeerState, channelId: string, messageId: string): APIMessage | RouteResult {
  if (!hasChannel(state, channelId)) return unknownChannel();
  return state.messages.get(channelId)?.get(messageId) ?? unknownMessage();
}
const isMessage = (value: APIMessage | RouteResult): value is APIMessage => 'channel_id' in value;

/** Stores a message and tells gateway sessions that asked for message events. */
export function storeMessage(state: PeerState, message: APIMessage, event: GatewayDispatchEvents): void {
  channelMessages(state, message.channel_id).set(message.id, message);
  const channel = state.channels.get(message.channel_id);
  if (channel && event === GatewayDispatchEvents.MessageCreate) channel.last_message_id = message.id;
  state.dispatch(event, { ...message, guild_id: state.guildId }, GatewayIntentBits.GuildMessages);
}

/**
 * With `enforce_nonce`, the message the same author created in the channel under the same
 * nonce while the peer still remembers it (Discord keeps nonces for a few minutes).
 */
function rememberedMessage(state: PeerState, nonceKey: string | undefined, channelId: string): APIMessage | undefined {
  const memory = state.settings.nonceMemoryMs;
  if (nonceKey === undefined || memory === undefined) return undefined;
  const remembered = state.nonces.get(nonceKey);
  if (!remembered) return undefined;
  const message = state.messages.get(channelId)?.get(remembered.messageId);
  if (Date.now() - remembered.at >= memory || !message) {
    state.nonces.delete(nonceKey);
    return undefined;
  }
  return message;
}

function createChannelMessage({ state, params, body, files }: RouteContext): RouteResult {
  const channelId = params.channelId ?? '';
  if (!hasChannel(state, channelId)) return unknownChannel();
  const invalid = validateMessageBody(body, true, files.length > 0);
  if (invalid) return { status: 400, body: invalid };
  const refused = refuseThreadPost(state, channelId);
  if (refused) return refused;
  const nonce = typeof body.nonce === 'string' || typeof body.nonce === 'number' ? String(body.nonce) : undefined;
  const nonceKey = body.enforce_nonce === true && nonce !== undefined ? `${channelId}:${state.botUser.id}:${nonce}` : undefined;
  const earlier = rememberedMessage(state, nonceKey, channelId);
  if (earlier) return { status: 200, body: earlier, nonceReplay: true };
  const message = createMessage(body, { id: state.nextId(), channelId, author: state.botUser, knownUsers: state.users, files }, state.nextId);
  storeMessage(state, message, GatewayDispatchEvents.MessageCreate);
  if (nonceKey !== undefined && state.settings.nonceMemoryMs !== undefined) state.nonces.set(nonceKey, { messageId: message.id, at: Date.now() });
  return { status: 200, body: message };
}

function editChannelMessage({ state, params, body, files }: RouteContext): RouteResult {
  const found = lookup(state, params.channelId ?? '', params.messageId ?? '');
  if (!isMessage(found)) return found;
  if (found.author.id !== state.botUser.id && Object.keys(body).some((key) => key !== 'flags')) {
    return discordError(403, RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser, 'Cannot edit a message authored by another user');
  }
  const invalid = validateMessageBody(body, false);
  if (invalid) return { status: 400, body: invalid };
  const edited = editMessage(found, body, state.users, files, state.nextId);
  storeMessage(state, edited, GatewayDispatchEvents.MessageUpdate);
  return { status: 200, body: edited };
}

function registerCommands(state: PeerState, scope: string, body: unknown): RouteResult {
  if (!Array.isArray(body)) return discordError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body');
  const previous = state.commands.get(scope) ?? [];
  // Discord keeps a command's id when it is overwritten under the same name and type.
  const commands = (body as Json[]).map((input): APIApplicationCommand => {
    const type = (input.type as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput;
    const old = previous.find((command) => command.name === input.name && command.type === type);
    return {
      default_member_permissions: null,
      description: '',
      nsfw: false,
      ...(input as Partial<APIApplicationCommand>),
      id: old?.id ?? state.nextId(),
      application_id: state.applicationId,
      version: state.nextId(),
      type,
      name: String(input.name),
      ...(scope === 'global' ? {} : { guild_id: scope }),
    };
  });
  state.commands.set(scope, commands);
  return { status: 200, body: commands };
}

/** The bot routes; `gatewayUrl` is read per request because the port is known only after listen. */
export function createBotRoutes(gatewayUrl: () => string): RouteDefinition[] {
  const sessionStartLimit = { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 };
  return [
    { method: 'GET', pattern: '/gateway', auth: 'none', handle: () => ({ status: 200, body: { url: gatewayUrl() } }) },
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: 'bot',
      handle: () => ({ status: 200, body: { url: gatewayUrl(), shards: 1, session_start_limit: sessionStartLimit } }),
    },
    { method: 'GET', pattern: '/users/@me', auth: 'bot', handle: ({ state }) => ({ status: 200, body: state.botUser }) },
    {
      method: 'GET',
      pattern: '/users/:userId',
      auth: 'bot',
      handle: ({ state, params }) => {
        const user = state.users.get(params.userId ?? '');
        return user ? { status: 200, body: user } : discordError(404, RESTJSONErrorCodes.UnknownUser, 'Unknown User');
      },
    },
    {
      method: 'GET',
      pattern: '/applications/@me',
      auth: 'bot',
      handle: ({ state }) => ({
        status: 200,
        body: { id: state.applicationId, name: state.botUser.username, description: '', bot_public: false, bot_require_code_grant: false, flags: 0, bot: state.botUser },
      }),
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId',
      auth: 'bot',
      handle: ({ state, params }) =>
        params.guildId === state.guildId
          ? { status: 200, body: { id: state.guildId, name: state.guildName, roles: state.roles, owner_id: state.botUser.id, features: [], emojis: [], stickers: [] } }
          : discordError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild'),
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId/members/:userId',
      auth: 'bot',
      handle: ({ state, params }) => {
        const member = params.guildId === state.guildId ? state.members.get(params.userId ?? '') : undefined;
        return member ? { status: 200, body: member } : discordError(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member');
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId',
      auth: 'bot',
      handle: ({ state, params }) => {
        const channel = state.channels.get(params.channelId ?? '') ?? peerThreads(state).get(params.channelId ?? '');
        return channel ? { status: 200, body: channel } : unknownChannel();
      },
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId/messages',
      auth: 'bot',
      handle: ({ state, params, query }) => {
        if (!hasChannel(state, params.channelId ?? '')) return unknownChannel();
        const limit = Math.min(Number(query.get('limit') ?? 50), 100);
        const newestFirst = [...channelMessages(state, params.channelId ?? '').values()].reverse();
        return { status: 200, body: newestFirst.slice(0, limit) };
      },
    },
    { method: 'POST', pattern: '/channels/:channelId/messages', auth: 'bot', handle: createChannelMessage },
    {
      method: 'GET',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: 'bot',
      handle: ({ state, params }) => {
        const found = lookup(state, params.channelId ?? '', params.messageId ?? '');
        return isMessage(found) ? { status: 200, body: found } : found;
      },
    },
    { method: 'PATCH', pattern: '/channels/:channelId/messages/:messageId', auth: 'bot', handle: editChannelMessage },
    {
      method: 'DELETE',
      pattern: '/channels/:channelId/messages/:messageId',
      auth: 'bot',
      handle: ({ state, params }) => {
        const found = lookup(state, params.channelId ?? '', params.messageId ?? '');
        if (!isMessage(found)) return found;
        state.messages.get(found.channel_id)?.delete(found.id);
        state.dispatch(GatewayDispatchEvents.MessageDelete, { id: found.id, channel_id: found.channel_id, guild_id: state.guildId }, GatewayIntentBits.GuildMessages);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:channelId/typing',
      auth: 'bot',
      handle: ({ state, params }) => (hasChannel(state, params.channelId ?? '') ? { status: 204 } : unknownChannel()),
    },
    {
      method: 'GET',
      pattern: '/applications/:appId/commands',
      auth: 'bot',
      handle: ({ state }) => ({ status: 200, body: state.commands.get('global') ?? [] }),
    },
    { method: 'PUT', pattern: '/applications/:appId/commands', auth: 'bot', handle: ({ state, body }) => registerCommands(state, 'global', body) },
    {
      method: 'GET',
      pattern: '/applications/:appId/guilds/:guildId/commands',
      auth: 'bot',
      handle: ({ state, params }) => ({ status: 200, body: state.commands.get(params.guildId ?? '') ?? [] }),
    },
    {
      method: 'PUT',
      pattern: '/applications/:appId/guilds/:guildId/commands',
      auth: 'bot',
      handle: ({ state, params, body }) =>
        params.guildId === state.guildId
          ? registerCommands(state, state.guildId, body)
          : discordError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access'),
    },
  ];
}

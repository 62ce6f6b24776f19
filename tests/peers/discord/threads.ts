/**
 * Threads as Discord has them for a text channel: a public thread started from a message
 * (the thread's id is the message's id), found again when one exists, and messages written
 * in it by people. Starting a thread from a message that has one answers 400 with code
 * 160004; from a deleted message, 404 Unknown Message. The starter message carries the
 * HAS_THREAD flag and the thread; sessions with the Guilds intent get THREAD_CREATE.
 * A person's message reaches the bot as MESSAGE_CREATE with the Guild Messages intent and
 * with its text only when the session has Message Content (or the bot is mentioned).
 */
import {
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  MessageFlags,
  RESTJSONErrorCodes,
  ThreadAutoArchiveDuration,
  type APIMessage,
  type APIThreadChannel,
  type APIUser,
  type MessageFlags as MessageFlagsType,
} from 'discord-api-types/v10';
import type { PeerUserInput } from './fixtures.js';
import { toApiMember, toApiUser } from './fixtures.js';
import { discordError, type RouteContext, type RouteDefinition, type RouteResult } from './http-server.js';
import { createMessage } from './messages.js';
import { channelMessages, type PeerState } from './state.js';

const unknownChannel = () => discordError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
const unknownMessage = () => discordError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
const ARCHIVE_DURATIONS: readonly number[] = [ThreadAutoArchiveDuration.OneHour, ThreadAutoArchiveDuration.OneDay, ThreadAutoArchiveDuration.ThreeDays, ThreadAutoArchiveDuration.OneWeek];

/** The threads of a peer, by id (a thread started from a message has that message's id). */
export function peerThreads(state: PeerState): Map<string, APIThreadChannel> {
  const holder = state as PeerState & { threads?: Map<string, APIThreadChannel> };
  holder.threads ??= new Map();
  return holder.threads;
}

/** Opens a thread on a stored message, as the bot's REST call or a person's click does. */
export function startThreadFromMessage(state: PeerState, channelId: string, messageId: string, body: Record<string, unknown>, owner: APIUser): RouteResult {
  const channel = state.channels.get(channelId);
  if (!channel) return unknownChannel();
  const message = state.messages.get(channelId)?.get(messageId);
  if (!message) return unknownMessage();
  const threads = peerThreads(state);
  if (threads.has(messageId)) return discordError(400, RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage, 'A thread has already been created for this message');
  const name = typeof body.name === 'string' ? body.name : '';
  if (name.length < 1 || name.length > 100 || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name)) {
    return { status: 400, body: { code: 50035, message: 'Invalid Form Body', errors: { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] } } } };
  }
  const duration = Number(body.auto_archive_duration ?? ThreadAutoArchiveDuration.OneDay);
  if (!ARCHIVE_DURATIONS.includes(duration)) return { status: 400, body: { code: 50035, message: 'Invalid Form Body', errors: { auto_archive_duration: { _errors: [{ code: 'BASE_TYPE_CHOICES', message: 'Value must be one of (60, 1440, 4320, 10080).' }] } } } };
  const thread: APIThreadChannel = {
    id: messageId,
    type: ChannelType.PublicThread,
    guild_id: state.guildId,
    parent_id: channelId,
    name,
    owner_id: owner.id,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0 as APIThreadChannel['flags'],
    thread_metadata: { archived: false, auto_archive_duration: duration as ThreadAutoArchiveDuration, archive_timestamp: new Date().toISOString(), locked: false },
  } as APIThreadChannel;
  threads.set(thread.id, thread);
  const starter: APIMessage = { ...message, flags: (Number(message.flags ?? 0) | MessageFlags.HasThread) as MessageFlagsType, thread };
  channelMessages(state, channelId).set(messageId, starter);
  state.dispatch(GatewayDispatchEvents.ThreadCreate, { ...thread, newly_created: true }, GatewayIntentBits.Guilds);
  return { status: 201, body: thread };
}

/** A person writes in a channel or thread: stored and dispatched, its text withheld from sessions without Message Content. */
export function writeAsUser(state: PeerState, channelId: string, content: string, input: PeerUserInput & { roles?: string[] }): APIMessage {
  const thread = peerThreads(state).get(channelId);
  if (!state.channels.has(channelId) && !thread) throw new Error(`discord peer: no channel or thread ${channelId}`);
  const user = { ...toApiUser(input), ...state.users.get(input.id) };
  state.users.set(user.id, user);
  const member = state.members.get(user.id) ?? toApiMember(user, input.roles ?? []);
  state.members.set(user.id, member);
  const message = createMessage({ content }, { id: state.nextId(), channelId, author: user, knownUsers: state.users }, state.nextId);
  channelMessages(state, channelId).set(message.id, message);
  if (thread) {
    thread.last_message_id = message.id;
    thread.message_count = (thread.message_count ?? 0) + 1;
    thread.total_message_sent = (thread.total_message_sent ?? 0) + 1;
    // A message in an archived (unlocked) thread brings it back.
    if (thread.thread_metadata) thread.thread_metadata.archived = false;
  }
  const mentionsBot = message.mentions.some((u) => u.id === state.botUser.id);
  const { user: _user, ...memberWithoutUser } = member;
  const event = { ...message, guild_id: state.guildId, member: memberWithoutUser };
  state.dispatch(
    GatewayDispatchEvents.MessageCreate,
    (intents: number) => ((intents & GatewayIntentBits.MessageContent) !== 0 || mentionsBot ? event : { ...event, content: '', embeds: [], attachments: [], components: [] }),
    GatewayIntentBits.GuildMessages,
  );
  return message;
}

/**
 * Discord's answer to a bot message in a thread that cannot take one: a locked thread
 * (the bot has no Manage Threads here); an archived, unlocked one is brought back.
 */
export function refuseThreadPost(state: PeerState, channelId: string): RouteResult | undefined {
  const thread = peerThreads(state).get(channelId);
  if (!thread?.thread_metadata) return undefined;
  if (thread.thread_metadata.locked) return discordError(403, RESTJSONErrorCodes.ThreadLocked, 'Thread is locked');
  thread.thread_metadata.archived = false;
  return undefined;
}

/** Bot-authorised thread routes. */
export function createThreadRoutes(): RouteDefinition[] {
  return [
    {
      method: 'POST',
      pattern: '/channels/:channelId/messages/:messageId/threads',
      auth: 'bot',
      handle: ({ state, params, body }: RouteContext) => startThreadFromMessage(state, params.channelId ?? '', params.messageId ?? '', (body ?? {}) as Record<string, unknown>, state.botUser),
    },
  ];
}

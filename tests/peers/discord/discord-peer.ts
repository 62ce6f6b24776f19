/**
 * A local Discord for integration tests: REST under `/api/v10` and a gateway on one port of
 * 127.0.0.1, spoken to by the real discord.js client.
 *
 * @example
 * const peer = await startDiscordPeer();
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: peer.apiUrl } });
 * await client.login(peer.token);
 */
import type { AddressInfo } from 'node:net';
import type { APIMessage, APIThreadChannel, APIUser, GatewayIdentifyData, GatewaySendPayload } from 'discord-api-types/v10';
import { GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import { toApiMember, toApiUser, toRole, toTextChannel, ALL_PERMISSIONS, type PeerUserInput } from './fixtures.js';
import { createFaultInjector, type FaultOptions } from './faults.js';
import { createGateway } from './gateway.js';
import { createRestServer } from './http-server.js';
import { createInteractionRoutes } from './interaction-routes.js';
import { createRateLimiter, matchesPath, type EnforcedLimit, type RateLimitRule } from './rate-limit.js';
import { createBotRoutes } from './rest-routes.js';
import { createSnowflakeGenerator } from './snowflake.js';
import type { DropResponseRule, PeerState, RecordedRequest } from './state.js';
import { waitFor } from './wait-for.js';
import { createThreadRoutes, peerThreads, startThreadFromMessage, writeAsUser } from './threads.js';
import { actAsUser, type ClickButtonInput, type InteractionHandle, type RunSlashCommandInput, type SubmitModalInput } from './user-actions.js';

export type { RecordedRequest, RecordedCallback, DropResponseRule } from './state.js';
export type { EnforcedLimit, RateLimitRule } from './rate-limit.js';
export type { Fault, FaultKind, FaultOptions } from './faults.js';
export type { InteractionHandle } from './interactions.js';
export type { ClickButtonInput, SubmitModalInput, RunSlashCommandInput } from './user-actions.js';
export type { PeerUserInput } from './fixtures.js';

/** Options for {@link startDiscordPeer}; every field has a default. */
export interface DiscordPeerOptions<C extends string> {
  /** Channel key → channel name. @defaultValue `{ support: 'support', leads: 'leads', marketing: 'marketing' }` */
  channels?: Record<C, string>;
  /** Role names to create; their ids appear in `peer.roles`. @defaultValue `['lead']` */
  roles?: string[];
  /** Users who are guild members from the start (the bot always is). @defaultValue `[]` */
  members?: Array<PeerUserInput & { roles?: string[] }>;
  /** @defaultValue `'Mention Triage Test'` */
  guildName?: string;
  /** @defaultValue `'mention-triage'` */
  botUsername?: string;
  /** Sent in HELLO. @defaultValue 41250 */
  heartbeatIntervalMs?: number;
  /** Discord drops an interaction not answered in time. @defaultValue 3000 */
  interactionResponseTimeoutMs?: number;
  /** Follow-ups and `@original` edits stop working after this. @defaultValue 900000 (15 minutes) */
  interactionTokenLifetimeMs?: number;
  /**
   * Enforce a rate limit by itself, e.g. `{}` for Discord's 5 messages per 5 s per channel
   * on `POST /channels/:id/messages`, with true `x-ratelimit-*` headers and real 429s.
   * @defaultValue none: only scripted 429s ({@link DiscordPeer.rateLimitNext}); the advertised limit is never reached
   */
  enforceRateLimit?: EnforcedLimit;
  /**
   * Random faults on bot REST calls: a share of them get a 5xx, an unasked-for 429 or a
   * reset connection (some after the request took effect), see {@link FaultOptions}.
   * Recorded requests say which fault each got (`fault`).
   * @defaultValue none
   */
  faults?: FaultOptions;
  /**
   * How long a create-message nonce sent with `enforce_nonce` is remembered: a second
   * create under it within that time returns the first message instead of a new one, as
   * Discord does for a few minutes.
   * @defaultValue none: every create makes a message, whatever its nonce
   */
  nonceMemoryMs?: number;
}

/** A running peer. Ids are real-format snowflakes. */
export interface DiscordPeer<C extends string = 'support' | 'leads' | 'marketing'> {
  /** Pass as `new Client({ rest: { api: peer.apiUrl } })`, e.g. `http://127.0.0.1:PORT/api`. */
  readonly apiUrl: string;
  /** `ws://127.0.0.1:PORT`, what `GET /gateway/bot` returns. */
  readonly gatewayUrl: string;
  /** A plausible bot token; any token is accepted and recorded. */
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly botUser: APIUser;
  /** Channel key → channel id. */
  readonly channels: Readonly<Record<C, string>>;
  /** Role name → role id (`@everyone` has the guild id). */
  readonly roles: Readonly<Record<string, string>>;
  /** The user `clickButton` and friends act as when no user is given. */
  readonly defaultUser: PeerUserInput;
  /** Every HTTP request, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Requests with this method whose route (after `/api/v10`) or full path matches. */
  requestsTo(method: string, path: RegExp): RecordedRequest[];
  /** Every gateway payload clients sent (IDENTIFY, heartbeats, RESUME…), in order. */
  gatewayPayloads(): readonly GatewaySendPayload[];
  /** IDENTIFY payloads received (token, intents, properties). */
  identifies(): GatewayIdentifyData[];
  /** A message in its current state (after edits). */
  message(channelId: string, messageId: string): APIMessage | undefined;
  /** A channel's messages, oldest first. */
  messagesIn(channelId: string): APIMessage[];
  /** Answers the next matching request(s) with Discord's 429. */
  rateLimitNext(rule: RateLimitRule): void;
  /** Lets the next matching request(s) take effect, then closes the connection without an answer. */
  dropResponseNext(rule: DropResponseRule): void;
  /** The seed of the fault draws (see {@link DiscordPeerOptions.faults}); undefined without faults. */
  readonly faultSeed: number | undefined;
  /** Clicks a button on a stored message as a user; throws if the message has no such enabled button. */
  clickButton(input: ClickButtonInput): Promise<InteractionHandle>;
  /** Submits a modal as a user, mirroring the layout of the modal the bot showed. */
  submitModal(input: SubmitModalInput): Promise<InteractionHandle>;
  /** Runs a chat-input command as a user. */
  runSlashCommand(input: RunSlashCommandInput): Promise<InteractionHandle>;
  /** A person starts a thread from a message (as "Create Thread" in Discord does); throws with Discord's error when it cannot. */
  startThread(input: { channelId: string; messageId: string; name: string; user?: PeerUserInput }): APIThreadChannel;
  /** A person writes a message in a channel or thread; the bot gets MESSAGE_CREATE (text only with Message Content). */
  writeMessage(input: { channelId: string; content: string; user?: PeerUserInput; roles?: string[] }): APIMessage;
  /** Deletes a message as a moderator would (MESSAGE_DELETE to sessions with Guild Messages); a thread started from it stays. */
  deleteMessage(channelId: string, messageId: string): void;
  /** A thread by id (a thread started from a message has the message's id). */
  thread(threadId: string): APIThreadChannel | undefined;
  /** A moderator archives and locks a thread: the bot's messages there are refused (160005). */
  lockThread(threadId: string): void;
  /** Sends any dispatch to the connected sessions; returns how many received it. */
  dispatch(event: string, data: unknown): number;
  /** Closes the client's gateway socket (code 4000 by default) so it has to RESUME. */
  dropGatewayConnections(code?: number): void;
  /** Polls `predicate` every 10 ms until it returns a truthy value. @defaultValue timeoutMs 2000 */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Forgets recorded requests (state such as messages stays). */
  clearRequests(): void;
  /** Closes sockets and the server. */
  close(): Promise<void>;
}

const DEFAULT_CHANNELS = { support: 'support', leads: 'leads', marketing: 'marketing' };

/** Starts a peer on a free port of 127.0.0.1. */
export async function startDiscordPeer<C extends string = 'support' | 'leads' | 'marketing'>(
  options: DiscordPeerOptions<C> = {},
): Promise<DiscordPeer<C>> {
  const nextId = createSnowflakeGenerator();
  const guildId = nextId();
  const applicationId = nextId();
  const botUser = toApiUser({ id: applicationId, username: options.botUsername ?? 'mention-triage', bot: true });
  const roleNames = options.roles ?? ['lead'];
  const roles = [toRole(guildId, '@everyone', ALL_PERMISSIONS, 0), ...roleNames.map((name, i) => toRole(nextId(), name, '0', i + 1))];
  const roleIds = Object.fromEntries(roles.map((role) => [role.name, role.id]));
  const channelNames = (options.channels ?? DEFAULT_CHANNELS) as Record<C, string>;
  const channelIds = {} as Record<C, string>;
  const state: PeerState = {
    nextId, applicationId, guildId, botUser, roles,
    guildName: options.guildName ?? 'Mention Triage Test',
    settings: {
      interactionResponseTimeoutMs: options.interactionResponseTimeoutMs ?? 3000,
      interactionTokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60_000,
      nonceMemoryMs: options.nonceMemoryMs,
    },
    channels: new Map(), members: new Map(), users: new Map(), messages: new Map(), requests: [],
    interactions: new Map(), commands: new Map(), rateLimiter: createRateLimiter(options.enforceRateLimit), dropResponses: [],
    faults: options.faults ? createFaultInjector(options.faults) : undefined, nonces: new Map(),
    dispatch: () => undefined,
  };
  Object.entries<string>(channelNames).forEach(([key, name], position) => {
    const channel = toTextChannel(nextId(), guildId, name, position);
    state.channels.set(channel.id, channel);
    channelIds[key as C] = channel.id;
  });
  const defaultUser: PeerUserInput = { id: nextId(), username: 'tester' };
  const addMember = (user: APIUser, roleNames: string[] = []) => {
    state.users.set(user.id, user);
    state.members.set(user.id, toApiMember(user, roleNames.map((name) => roleIds[name] ?? name)));
  };
  addMember(botUser);
  for (const member of options.members ?? []) addMember(toApiUser(member), member.roles);
  addMember(toApiUser(defaultUser));

  let port = 0;
  const gatewayUrl = () => `ws://127.0.0.1:${port}`;
  const server = createRestServer(state, [...createBotRoutes(gatewayUrl), ...createThreadRoutes(), ...createInteractionRoutes()]);
  const gateway = createGateway(server, state, { heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250, resumeUrl: gatewayUrl });
  state.dispatch = (event, data, requiredIntent) => void gateway.dispatch(event, data, requiredIntent);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const act = actAsUser(state, gateway, defaultUser);

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl: gatewayUrl(),
    token: `${Buffer.from(applicationId).toString('base64url')}.peer.${nextId()}`,
    applicationId, guildId, botUser, defaultUser,
    channels: channelIds,
    roles: roleIds,
    requests: state.requests,
    requestsTo: (method, path) =>
      state.requests.filter((request) => request.method === method.toUpperCase() && matchesPath(path, request.route, request.path)),
    gatewayPayloads: () => gateway.received,
    identifies: () =>
      gateway.received.flatMap((payload) => (payload.op === GatewayOpcodes.Identify ? [payload.d] : [])),
    message: (channelId, messageId) => state.messages.get(channelId)?.get(messageId),
    messagesIn: (channelId) => [...(state.messages.get(channelId)?.values() ?? [])],
    rateLimitNext: (rule) => state.rateLimiter.add(rule),
    dropResponseNext: (rule) => void state.dropResponses.push({ ...rule, count: rule.count ?? 1 }),
    faultSeed: state.faults?.seed,
    clickButton: act.clickButton,
    submitModal: act.submitModal,
    runSlashCommand: act.runSlashCommand,
    startThread: ({ channelId, messageId, name, user }) => {
      const owner = toApiUser(user ?? defaultUser);
      const result = startThreadFromMessage(state, channelId, messageId, { name }, owner);
      if (result.status >= 300) throw new Error(`discord peer: cannot start a thread: ${JSON.stringify(result.body)}`);
      return result.body as APIThreadChannel;
    },
    writeMessage: ({ channelId, content, user, roles }) => writeAsUser(state, channelId, content, { ...(user ?? defaultUser), ...(roles ? { roles: roles.map((name) => roleIds[name] ?? name) } : {}) }),
    deleteMessage: (channelId, messageId) => {
      if (!state.messages.get(channelId)?.delete(messageId)) throw new Error(`discord peer: no message ${messageId} in ${channelId}`);
      state.dispatch(GatewayDispatchEvents.MessageDelete, { id: messageId, channel_id: channelId, guild_id: guildId }, GatewayIntentBits.GuildMessages);
    },
    thread: (threadId) => peerThreads(state).get(threadId),
    lockThread: (threadId) => {
      const thread = peerThreads(state).get(threadId);
      if (!thread?.thread_metadata) throw new Error(`discord peer: no thread ${threadId}`);
      thread.thread_metadata = { ...thread.thread_metadata, archived: true, locked: true };
    },
    dispatch: (event, data) => gateway.dispatch(event, data),
    dropGatewayConnections: (code) => gateway.dropConnections(code),
    waitFor: (predicate, timeoutMs) => waitFor(predicate, timeoutMs),
    clearRequests: () => void state.requests.splice(0),
    async close() {
      await gateway.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * Everything the peer remembers, shared by the HTTP routes, the gateway and the public API.
 */
import type {
  APIApplicationCommand,
  APIGuildMember,
  APIMessage,
  APIRole,
  APITextChannel,
  APIUser,
  InteractionResponseType,
  InteractionType,
} from 'discord-api-types/v10';
import type { UploadedFile } from './messages.js';
import type { FaultInjector, FaultKind } from './faults.js';
import type { RateLimiter } from './rate-limit.js';
import type { SnowflakeGenerator } from './snowflake.js';

/** One HTTP request as the peer received it. */
export interface RecordedRequest {
  method: string;
  /** Decoded path without the query, e.g. `/api/v10/webhooks/1/tok/messages/@original`. */
  path: string;
  /** The same path after `/api/v10` (or `/api`), e.g. `/channels/1/messages`. */
  route: string;
  query: Record<string, string>;
  /** Lower-cased header names; `authorization` is kept as sent (`Bot <token>`). */
  headers: Record<string, string>;
  /** Parsed JSON, or the parsed `payload_json` of a multipart body; undefined when empty. */
  body: unknown;
  /** Files of a multipart body. */
  files: UploadedFile[];
  /** Status the peer answered with. */
  status: number;
  /** Headers the peer answered with (rate-limit headers, content-type). */
  responseHeaders: Record<string, string>;
  /** The JSON the peer answered with; undefined for 204. */
  response?: unknown;
  /** Epoch milliseconds when the request arrived. */
  at: number;
  /** Set when the peer did the work (e.g. stored the message) and then closed the connection without answering. */
  dropped?: true;
  /** The injected fault this request got (see `faults` of the peer's options); a `reset` has status 0. */
  fault?: FaultKind;
  /** Set when `enforce_nonce` made the peer answer with the message created earlier under the same nonce. */
  nonceReplay?: true;
}

/**
 * A scripted lost answer: the next `count` requests matching `method` and `path` take
 * effect, then their connection is closed before any response, as when a network fault
 * cuts the answer of a request Discord did process.
 */
export interface DropResponseRule {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Matched against the decoded route after `/api/v10` (e.g. `/channels/123/messages`) or the full path. */
  path: RegExp;
  /** How many matching requests lose their answer. @defaultValue 1 */
  count?: number;
}

/** An interaction callback as the bot sent it. */
export interface RecordedCallback {
  type: InteractionResponseType;
  /** The callback's `data`, if any (message body, or modal definition for type 9). */
  data?: Record<string, unknown>;
  at: number;
}

/** What the peer knows about one interaction it dispatched. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: InteractionType;
  channelId: string;
  user: APIUser;
  /** The message a component (or a modal opened from one) sits on. */
  sourceMessageId?: string;
  dispatchedAt: number;
  callback?: RecordedCallback;
  /** The id `@original` resolves to, once there is one. */
  originalMessageId?: string;
  /** Messages only the clicking user sees (ephemeral reply and follow-ups). */
  ephemeral: Map<string, APIMessage>;
  /** Ids of follow-up messages, in order. */
  followUpIds: string[];
}

/** Tunables that tests may override. */
export interface PeerSettings {
  /** How long an interaction may wait for its callback before Discord forgets it. */
  interactionResponseTimeoutMs: number;
  /** How long the interaction token stays valid for follow-ups and edits. */
  interactionTokenLifetimeMs: number;
  /** How long an `enforce_nonce` nonce is remembered; undefined: nonces are stored on messages but never de-duplicate. */
  nonceMemoryMs: number | undefined;
}

/** A nonce Discord remembers: the message first created under it. */
export interface RememberedNonce {
  messageId: string;
  at: number;
}

/** The peer's whole memory. */
export interface PeerState {
  readonly nextId: SnowflakeGenerator;
  readonly applicationId: string;
  readonly guildId: string;
  readonly guildName: string;
  readonly botUser: APIUser;
  readonly settings: PeerSettings;
  readonly channels: Map<string, APITextChannel>;
  readonly roles: APIRole[];
  readonly members: Map<string, APIGuildMember>;
  readonly users: Map<string, APIUser>;
  /** Channel id → message id → message, in creation order. */
  readonly messages: Map<string, Map<string, APIMessage>>;
  readonly requests: RecordedRequest[];
  readonly interactions: Map<string, InteractionRecord>;
  /** `global` or a guild id → registered commands. */
  readonly commands: Map<string, APIApplicationCommand[]>;
  readonly rateLimiter: RateLimiter;
  /** Pending {@link DropResponseRule}s, consumed in order. */
  readonly dropResponses: Array<DropResponseRule & { count: number }>;
  /** Random faults on bot routes, when asked for. */
  readonly faults: FaultInjector | undefined;
  /** `channel id:author id:nonce` → the message created under it (only with `nonceMemoryMs`). */
  readonly nonces: Map<string, RememberedNonce>;
  /** Sends a dispatch to every identified gateway session (set by the gateway). */
  dispatch: (event: string, data: unknown, requiredIntent?: number) => void;
}

/** The message store of a channel, created on first use. */
export function channelMessages(state: PeerState, channelId: string): Map<string, APIMessage> {
  let store = state.messages.get(channelId);
  if (!store) {
    store = new Map();
    state.messages.set(channelId, store);
  }
  return store;
}

/** Finds an interaction by its token. */
export function interactionByToken(state: PeerState, token: string): InteractionRecord | undefined {
  for (const record of state.interactions.values()) if (record.token === token) return record;
  return undefined;
}

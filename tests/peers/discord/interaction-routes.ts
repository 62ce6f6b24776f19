/**
 * Interaction responses: the callback endpoint and the interaction webhook (follow-ups and
 * `@original`). Enforces Discord's rules a bot can break: one callback per interaction, within
 * the response window; update-type callbacks only for component and modal interactions.
 */
import {
  GatewayDispatchEvents,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  RESTJSONErrorCodes,
  type APIMessage,
  type MessageFlags as MessageFlagsType,
} from 'discord-api-types/v10';
import { discordError, type RouteContext, type RouteDefinition, type RouteResult } from './http-server.js';
import { createMessage, editMessage, type UploadedFile } from './messages.js';
import { storeMessage } from './rest-routes.js';
import { interactionByToken, type InteractionRecord, type PeerState } from './state.js';
import { validateMessageBody } from './validation.js';

type Json = Record<string, unknown>;

const unknownInteraction = () => discordError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
const unknownWebhook = () => discordError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
const unknownMessage = () => discordError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
/** A callback type the interaction cannot take (update on a slash command, modal on a modal). */
const invalidType = () => discordError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body');

const isEphemeral = (flags: unknown) => (Number(flags ?? 0) & MessageFlags.Ephemeral) !== 0;

/** Creates the bot's response message for an interaction, ephemeral or in the channel. */
function respond(state: PeerState, record: InteractionRecord, body: Json, files: UploadedFile[], extraFlags = 0): APIMessage {
  const message = createMessage(
    { ...body, flags: Number(body.flags ?? 0) | extraFlags },
    {
      id: state.nextId(),
      channelId: record.channelId,
      author: state.botUser,
      knownUsers: state.users,
      files,
      extra: {
        webhook_id: state.applicationId,
        application_id: state.applicationId,
        type: record.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
        interaction_metadata: {
          id: record.id,
          type: record.type,
          user: record.user,
          authorizing_integration_owners: { 0: state.guildId },
          ...(record.sourceMessageId ? { interacted_message_id: record.sourceMessageId } : {}),
        } as APIMessage['interaction_metadata'],
      },
    },
    state.nextId,
  );
  // Loading is Discord's flag, not the client's, so it survives createMessage's filter here.
  message.flags = (Number(message.flags ?? 0) | (extraFlags & MessageFlags.Loading)) as MessageFlagsType;
  if (isEphemeral(message.flags)) record.ephemeral.set(message.id, message);
  else storeMessage(state, message, GatewayDispatchEvents.MessageCreate);
  return message;
}

function findMessage(state: PeerState, record: InteractionRecord, messageId: string): APIMessage | undefined {
  const id = messageId === '@original' ? record.originalMessageId : messageId;
  if (id === undefined) return undefined;
  return record.ephemeral.get(id) ?? state.messages.get(record.channelId)?.get(id);
}

function saveEdit(state: PeerState, record: InteractionRecord, message: APIMessage): void {
  if (record.ephemeral.has(message.id)) record.ephemeral.set(message.id, message);
  else storeMessage(state, message, GatewayDispatchEvents.MessageUpdate);
}

function handleCallback({ state, params, query, body, files }: RouteContext): RouteResult {
  const record = state.interactions.get(params.interactionId ?? '');
  if (!record || record.token !== params.token) return unknownInteraction();
  if (record.callback) return discordError(400, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged, 'Interaction has already been acknowledged.');
  if (Date.now() - record.dispatchedAt > state.settings.interactionResponseTimeoutMs) return unknownInteraction();

  const type = Number(body.type) as InteractionResponseType;
  const data = typeof body.data === 'object' && body.data !== null ? (body.data as Json) : {};
  const onMessage = record.sourceMessageId !== undefined;
  let message: APIMessage | undefined;
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const invalid = validateMessageBody(data, true, files.length > 0);
      if (invalid) return { status: 400, body: invalid };
      message = respond(state, record, data, files);
      break;
    }
    case InteractionResponseType.DeferredChannelMessageWithSource:
      message = respond(state, record, { flags: Number(data.flags ?? 0) & MessageFlags.Ephemeral }, [], MessageFlags.Loading);
      break;
    case InteractionResponseType.DeferredMessageUpdate:
    case InteractionResponseType.UpdateMessage: {
      if (!onMessage) return invalidType();
      const inChannel = state.messages.get(record.channelId)?.get(record.sourceMessageId ?? '');
      // A component on an ephemeral reply updates that reply, which only its user sees.
      const holder = inChannel ? undefined : [...state.interactions.values()].find((r) => r.ephemeral.has(record.sourceMessageId ?? ''));
      const source = inChannel ?? holder?.ephemeral.get(record.sourceMessageId ?? '');
      if (!source) return unknownMessage();
      message = source;
      if (type === InteractionResponseType.UpdateMessage) {
        const invalid = validateMessageBody(data, false);
        if (invalid) return { status: 400, body: invalid };
        message = editMessage(source, data, state.users, files, state.nextId);
        if (holder) holder.ephemeral.set(message.id, message);
        else storeMessage(state, message, GatewayDispatchEvents.MessageUpdate);
      }
      if (holder) record.ephemeral.set(message.id, message);
      break;
    }
    case InteractionResponseType.Modal:
      if (record.type === InteractionType.ModalSubmit) return invalidType();
      break;
    default:
      return discordError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body');
  }
  record.callback = { type, data: body.data === undefined ? undefined : data, at: Date.now() };
  if (message) record.originalMessageId = message.id;
  if (query.get('with_response') !== 'true') return { status: 204 };
  return {
    status: 200,
    body: {
      interaction: {
        id: record.id,
        type: record.type,
        ...(message
          ? {
              response_message_id: message.id,
              response_message_loading: (Number(message.flags ?? 0) & MessageFlags.Loading) !== 0,
              response_message_ephemeral: isEphemeral(message.flags),
            }
          : {}),
      },
      resource: { type, ...(message && type !== InteractionResponseType.DeferredMessageUpdate ? { message } : {}) },
    },
  };
}

/** The interaction behind a webhook token, or the error Discord would give. */
function webhookInteraction(state: PeerState, params: Record<string, string>): InteractionRecord | RouteResult {
  const record = interactionByToken(state, params.token ?? '');
  if (!record || params.appId !== state.applicationId) return unknownWebhook();
  if (Date.now() - record.dispatchedAt > state.settings.interactionTokenLifetimeMs) {
    return discordError(401, RESTJSONErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
  }
  if (!record.callback) return unknownWebhook();
  return record;
}
const isRecord = (value: InteractionRecord | RouteResult): value is InteractionRecord => 'token' in value;

function handleFollowUp({ state, params, query, body, files }: RouteContext): RouteResult {
  const record = webhookInteraction(state, params);
  if (!isRecord(record)) return record;
  const invalid = validateMessageBody(body, true, files.length > 0);
  if (invalid) return { status: 400, body: invalid };
  const original = findMessage(state, record, '@original');
  let message: APIMessage;
  if (original && (Number(original.flags ?? 0) & MessageFlags.Loading) !== 0) {
    // Discord turns the first follow-up after a deferred reply into that reply, keeping its visibility.
    message = editMessage(original, body, state.users, files, state.nextId);
    message.flags = (Number(message.flags ?? 0) & ~MessageFlags.Loading) as MessageFlagsType;
    saveEdit(state, record, message);
  } else {
    message = respond(state, record, body, files);
  }
  record.followUpIds.push(message.id);
  return query.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 };
}

function handleWebhookMessage(context: RouteContext, method: 'GET' | 'PATCH' | 'DELETE'): RouteResult {
  const { state, params, body, files } = context;
  const record = webhookInteraction(state, params);
  if (!isRecord(record)) return record;
  const message = findMessage(state, record, params.messageId ?? '');
  if (!message) return unknownMessage();
  if (method === 'GET') return { status: 200, body: message };
  if (method === 'DELETE') {
    if (!record.ephemeral.delete(message.id)) {
      state.messages.get(message.channel_id)?.delete(message.id);
      state.dispatch(GatewayDispatchEvents.MessageDelete, { id: message.id, channel_id: message.channel_id, guild_id: state.guildId });
    }
    return { status: 204 };
  }
  const invalid = validateMessageBody(body, false);
  if (invalid) return { status: 400, body: invalid };
  const edited = editMessage(message, body, state.users, files, state.nextId);
  edited.flags = (Number(edited.flags ?? 0) & ~MessageFlags.Loading) as MessageFlagsType;
  saveEdit(state, record, edited);
  return { status: 200, body: edited };
}

/** The interaction routes; none needs bot authorization, as on Discord. */
export function createInteractionRoutes(): RouteDefinition[] {
  return [
    { method: 'POST', pattern: '/interactions/:interactionId/:token/callback', auth: 'none', handle: handleCallback },
    { method: 'POST', pattern: '/webhooks/:appId/:token', auth: 'none', handle: handleFollowUp },
    ...(['GET', 'PATCH', 'DELETE'] as const).map(
      (method): RouteDefinition => ({
        method,
        pattern: '/webhooks/:appId/:token/messages/:messageId',
        auth: 'none',
        handle: (context) => handleWebhookMessage(context, method),
      }),
    ),
  ];
}

/**
 * Acting as a user: builds INTERACTION_CREATE payloads (button click, modal submit, slash
 * command) the way Discord sends them to a bot in a guild, and the handle a test uses to watch
 * the bot's response.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandOption,
  type APIMessage,
  type APIModalSubmissionComponent,
  type APIUser,
} from 'discord-api-types/v10';
import { ALL_PERMISSIONS, toApiMember, toApiUser, type PeerUserInput } from './fixtures.js';
import type { InteractionRecord, PeerState, RecordedCallback } from './state.js';
import { waitFor } from './wait-for.js';

type Json = Record<string, unknown>;

/** What a test can observe about one interaction it started. */
export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** The INTERACTION_CREATE payload as dispatched. */
  readonly payload: Json;
  /** Resolves with the bot's callback (type + data); rejects after `timeoutMs`. @defaultValue 2000 */
  waitForCallback(timeoutMs?: number): Promise<RecordedCallback>;
  /** The callback, if the bot has answered. */
  callback(): RecordedCallback | undefined;
  /** The current `@original` response (for update-type callbacks, the clicked message). */
  original(): APIMessage | undefined;
  /** Follow-up messages in the order sent, in their current state. */
  followUps(): APIMessage[];
  /** Messages only the user sees (ephemeral reply, ephemeral follow-ups). */
  ephemeralMessages(): APIMessage[];
}

/** Registers (or refreshes) the acting user as a guild member and returns it as Discord would send it. */
function memberFor(state: PeerState, input: PeerUserInput, roles: string[] | undefined) {
  const user: APIUser = { ...toApiUser(input), ...state.users.get(input.id), username: input.username };
  state.users.set(user.id, user);
  const existing = state.members.get(user.id);
  const member = { ...(existing ?? toApiMember(user)), user, roles: roles ?? existing?.roles ?? [], ...(input.nick !== undefined ? { nick: input.nick } : {}) };
  state.members.set(user.id, member);
  return { user, member: { ...member, permissions: ALL_PERMISSIONS } };
}

/** Creates the record and the common part of every guild interaction. */
export function baseInteraction(
  state: PeerState,
  type: InteractionType,
  channelId: string,
  userInput: PeerUserInput,
  roles: string[] | undefined,
  sourceMessageId?: string,
): { record: InteractionRecord; payload: Json } {
  const channel = state.channels.get(channelId);
  if (!channel) throw new Error(`discord peer: unknown channel ${channelId} (known: ${[...state.channels.keys()].join(', ')})`);
  const { user, member } = memberFor(state, userInput, roles);
  const id = state.nextId();
  const token = `aW50ZXJhY3Rpb246${id}${Buffer.from(state.nextId()).toString('base64url')}`;
  const record: InteractionRecord = {
    id, token, type, channelId, user, sourceMessageId, dispatchedAt: Date.now(), ephemeral: new Map(), followUpIds: [],
  };
  state.interactions.set(id, record);
  const payload: Json = {
    id,
    application_id: state.applicationId,
    type,
    token,
    version: 1,
    guild_id: state.guildId,
    guild: { id: state.guildId, locale: 'en-US', features: [] },
    channel_id: channelId,
    channel: { ...channel, permissions: ALL_PERMISSIONS },
    member,
    app_permissions: ALL_PERMISSIONS,
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { 0: state.guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
  return { record, payload };
}

/** Finds a component by custom id anywhere in a message's component tree. */
export function findComponent(components: unknown, customId: string): Json | undefined {
  if (!Array.isArray(components)) return undefined;
  for (const node of components as Json[]) {
    if (node.custom_id === customId) return node;
    const nested = findComponent(node.components, customId) ?? findComponent(node.accessory ? [node.accessory] : [], customId);
    if (nested) return nested;
  }
  return undefined;
}

/** Lists the custom ids in a component tree, for error messages. */
export function customIds(components: unknown): string[] {
  if (!Array.isArray(components)) return [];
  return (components as Json[]).flatMap((node) => [
    ...(typeof node.custom_id === 'string' ? [node.custom_id] : []),
    ...customIds(node.components),
  ]);
}

/**
 * Builds the modal submission, mirroring the layout of the modal the bot showed (labels or
 * action rows); with no modal shown, uses action rows, which discord.js 14.28 reads too.
 */
export function modalComponents(shown: Json | undefined, fields: Record<string, string>): APIModalSubmissionComponent[] {
  const textInput = (customId: string, id: number) => ({ type: ComponentType.TextInput as const, id, custom_id: customId, value: fields[customId] ?? '' });
  if (!shown || !Array.isArray(shown.components)) {
    return Object.keys(fields).map((customId, i) => ({ type: ComponentType.ActionRow, id: i * 2 + 1, components: [textInput(customId, i * 2 + 2)] }));
  }
  const known = customIds(shown.components).concat(
    (shown.components as Json[]).flatMap((node) => (node.component && typeof (node.component as Json).custom_id === 'string' ? [String((node.component as Json).custom_id)] : [])),
  );
  const unknown = Object.keys(fields).filter((customId) => !known.includes(customId));
  if (unknown.length > 0) throw new Error(`discord peer: the modal shown has no input ${unknown.join(', ')} (inputs: ${known.join(', ')})`);
  let nextId = 1;
  return (shown.components as Json[]).map((node): APIModalSubmissionComponent => {
    const id = typeof node.id === 'number' ? node.id : nextId;
    nextId = id + 1;
    if (node.type === ComponentType.Label && node.component) {
      const inner = node.component as Json;
      const innerId = typeof inner.id === 'number' ? inner.id : nextId++;
      return { type: ComponentType.Label, id, component: textInput(String(inner.custom_id), innerId) };
    }
    if (node.type === ComponentType.ActionRow && Array.isArray(node.components)) {
      const inputs = (node.components as Json[]).map((input) => textInput(String(input.custom_id), typeof input.id === 'number' ? input.id : nextId++));
      return { type: ComponentType.ActionRow, id, components: inputs };
    }
    return { type: ComponentType.TextDisplay, id };
  });
}

/** The modal definition of the most recent type-9 callback with this custom id. */
export function shownModal(state: PeerState, customId: string): Json | undefined {
  const shown = [...state.interactions.values()]
    .map((record) => record.callback)
    .filter((callback): callback is RecordedCallback => callback?.type === InteractionResponseType.Modal && callback.data?.custom_id === customId);
  return shown.at(-1)?.data;
}

/** Turns `{ name: value }` into typed options, using the registered command's option types when known. */
export function commandOptions(
  definitions: APIApplicationCommandOption[] | undefined,
  options: Record<string, string | number | boolean>,
): APIApplicationCommandInteractionDataBasicOption[] {
  return Object.entries(options).map(([name, value]) => {
    const declared = definitions?.find((option) => option.name === name)?.type;
    const inferred =
      typeof value === 'boolean' ? ApplicationCommandOptionType.Boolean
      : typeof value === 'number' ? (Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number)
      : ApplicationCommandOptionType.String;
    return { name, type: declared ?? inferred, value } as APIApplicationCommandInteractionDataBasicOption;
  });
}

/** The slash command data, with the registered id when the bot registered the command. */
export function commandData(state: PeerState, name: string, options: Record<string, string | number | boolean>, subcommand?: string): Json {
  const registered = [...(state.commands.get(state.guildId) ?? []), ...(state.commands.get('global') ?? [])].find(
    (command) => command.name === name && command.type === ApplicationCommandType.ChatInput,
  );
  const subDefinition = subcommand ? registered?.options?.find((o) => o.name === subcommand && o.type === ApplicationCommandOptionType.Subcommand) : undefined;
  const basic = commandOptions(subcommand ? (subDefinition && 'options' in subDefinition ? subDefinition.options : undefined) : registered?.options, options);
  const resolvedOptions = subcommand ? [{ type: ApplicationCommandOptionType.Subcommand, name: subcommand, ...(basic.length > 0 ? { options: basic } : {}) }] : basic;
  return {
    id: registered?.id ?? state.nextId(),
    name,
    type: ApplicationCommandType.ChatInput,
    ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}),
    ...(resolvedOptions.length > 0 ? { options: resolvedOptions } : {}),
  };
}

/** The handle for an interaction the peer dispatched. */
export function createHandle(state: PeerState, record: InteractionRecord, payload: Json): InteractionHandle {
  const current = (id: string) => record.ephemeral.get(id) ?? state.messages.get(record.channelId)?.get(id);
  return {
    id: record.id,
    token: record.token,
    payload,
    waitForCallback: (timeoutMs = 2000) => waitFor(() => record.callback, timeoutMs, `the callback to interaction ${record.id}`),
    callback: () => record.callback,
    original: () => (record.originalMessageId ? current(record.originalMessageId) : undefined),
    followUps: () => record.followUpIds.map(current).filter((message): message is APIMessage => message !== undefined),
    ephemeralMessages: () => [...record.ephemeral.values()],
  };
}

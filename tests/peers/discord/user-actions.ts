/**
 * What a test does as a Discord user: click a button, submit a modal, run a slash command.
 * Each sends INTERACTION_CREATE over the gateway and returns a handle on the bot's response.
 */
import { ComponentType, GatewayDispatchEvents, InteractionType } from 'discord-api-types/v10';
import type { PeerUserInput } from './fixtures.js';
import type { Gateway } from './gateway.js';
import {
  baseInteraction,
  commandData,
  createHandle,
  customIds,
  findComponent,
  modalComponents,
  shownModal,
  type InteractionHandle,
} from './interactions.js';
import type { PeerState } from './state.js';
import { waitFor } from './wait-for.js';

export type { InteractionHandle } from './interactions.js';

/** Who acts; defaults to the peer's `defaultUser`. `roles` are role names or ids. */
interface Actor {
  user?: PeerUserInput;
  roles?: string[];
}

/** A click on a button (or a choice in a select menu, with `values`) of a stored message. */
export interface ClickButtonInput extends Actor {
  channelId: string;
  messageId: string;
  customId: string;
  /** For select menus: the chosen values. */
  values?: string[];
}

/** A modal submission; `messageId` when the modal was opened from a component on that message. */
export interface SubmitModalInput extends Actor {
  channelId: string;
  messageId?: string;
  customId: string;
  /** Text input custom id → typed value. */
  fields: Record<string, string>;
}

/** A chat-input command; option types come from the registered command when it exists. */
export interface RunSlashCommandInput extends Actor {
  channelId: string;
  name: string;
  /** The subcommand to run (its options are then `options`). */
  subcommand?: string;
  options?: Record<string, string | number | boolean>;
}

/** The three user actions bound to a peer. */
export function actAsUser(state: PeerState, gateway: Gateway, defaultUser: PeerUserInput) {
  const roleIds = (names: string[] | undefined) =>
    names?.map((name) => state.roles.find((role) => role.name === name)?.id ?? name);

  const send = async (record: Parameters<typeof createHandle>[1], payload: Record<string, unknown>): Promise<InteractionHandle> => {
    await waitFor(() => gateway.liveSessionCount() > 0, 5000, 'a gateway session (did the client log in?)');
    // The response window starts when the interaction is delivered.
    record.dispatchedAt = Date.now();
    gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return createHandle(state, record, payload);
  };

  // A component on an ephemeral reply can be used too, by the user who sees it.
  const ephemeralMessage = (messageId: string) => [...state.interactions.values()].map((record) => record.ephemeral.get(messageId)).find((m) => m !== undefined);
  const storedMessage = (channelId: string, messageId: string) => {
    const message = state.messages.get(channelId)?.get(messageId) ?? ephemeralMessage(messageId);
    if (!message) throw new Error(`discord peer: no message ${messageId} in channel ${channelId}`);
    return message;
  };

  return {
    async clickButton(input: ClickButtonInput): Promise<InteractionHandle> {
      const message = storedMessage(input.channelId, input.messageId);
      const component = findComponent(message.components, input.customId);
      if (!component) {
        throw new Error(`discord peer: message ${input.messageId} has no component "${input.customId}" (has: ${customIds(message.components).join(', ') || 'none'})`);
      }
      if (component.disabled === true) throw new Error(`discord peer: component "${input.customId}" is disabled; a user cannot click it`);
      const { record, payload } = baseInteraction(
        state, InteractionType.MessageComponent, input.channelId, input.user ?? defaultUser, roleIds(input.roles), message.id,
      );
      const componentType = Number(component.type) as ComponentType;
      payload.message = message;
      payload.data = {
        custom_id: input.customId,
        component_type: componentType,
        ...(componentType === ComponentType.Button ? {} : { values: input.values ?? [] }),
      };
      return send(record, payload);
    },

    async submitModal(input: SubmitModalInput): Promise<InteractionHandle> {
      const message = input.messageId === undefined ? undefined : storedMessage(input.channelId, input.messageId);
      const components = modalComponents(shownModal(state, input.customId), input.fields);
      const { record, payload } = baseInteraction(
        state, InteractionType.ModalSubmit, input.channelId, input.user ?? defaultUser, roleIds(input.roles), message?.id,
      );
      if (message) payload.message = message;
      payload.data = { custom_id: input.customId, components };
      return send(record, payload);
    },

    async runSlashCommand(input: RunSlashCommandInput): Promise<InteractionHandle> {
      const { record, payload } = baseInteraction(
        state, InteractionType.ApplicationCommand, input.channelId, input.user ?? defaultUser, roleIds(input.roles),
      );
      payload.data = commandData(state, input.name, input.options ?? {}, input.subcommand);
      return send(record, payload);
    },
  };
}

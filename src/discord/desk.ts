/**
 * Wiring of the bot's desk to the discord.js client: the gateway intents it asks for and
 * the events it listens to. Called once by the composition root.
 */
import { Events, GatewayIntentBits, type Client } from 'discord.js';
import type { createInteractionHandler } from './interactions.js';

/**
 * The gateway intents: Guilds always (cards, buttons, threads); with `threadMessages`, also
 * Guild Messages and the privileged Message Content, so what people write in a card's
 * thread is kept as a note. Message Content must then be switched on for the application
 * in the Developer Portal, or Discord refuses the connection (close code 4014).
 */
export function deskIntents(discord: { threadMessages?: boolean }): GatewayIntentBits[] {
  return discord.threadMessages ? [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] : [GatewayIntentBits.Guilds];
}

/** Listens for interactions (buttons, menus, modals, commands) and for messages in card threads. */
export function attachDesk(client: Client, handler: ReturnType<typeof createInteractionHandler>): void {
  client.on(Events.InteractionCreate, (interaction) => void handler(interaction));
  client.on(Events.MessageCreate, (message) => void handler.onMessage(message));
}

/** Channel ids the cards are posted in, whose threads are card threads. */
export function cardChannelIds(channels: Readonly<Record<string, string | null | undefined>>): ReadonlySet<string> {
  return new Set(Object.values(channels).filter((id): id is string => Boolean(id)));
}

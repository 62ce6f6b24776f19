/**
 * A card's thread on Discord: the thread started from the card's message, whose id is the
 * message's id. Opened on first use, found and reused when it exists (opened earlier, by
 * the bot or by a person), and missed gracefully when the card's message was deleted.
 * Needs the bot's Create Public Threads and Send Messages in Threads permissions.
 */
import { DiscordAPIError, RESTJSONErrorCodes, Routes, ThreadAutoArchiveDuration, type APIMessage, type REST } from 'discord.js';
import type { CardRef } from '../store/mention-store.js';
import type { CardMessage } from './card.js';

const codeOf = (error: unknown) => (error instanceof DiscordAPIError ? Number(error.code) : undefined);

/** The thread of a card's message (a thread started from a message has the message's id). */
export function threadIdOf(card: Pick<CardRef, 'messageId'>): string {
  return card.messageId;
}

/** Where a thread post went: the thread, or nowhere because the card's message is gone and had no thread. */
export type ThreadPost = { threadId: string; message: APIMessage } | { gone: true };

/**
 * Posts `body` in the card's thread: straight in when the thread exists; else opens it
 * from the card's message under `name` (another opening first counts as existing) and
 * posts. `{ gone: true }` when the card's message was deleted before any thread was.
 */
export async function postInCardThread(rest: REST, card: CardRef, body: CardMessage, name: string): Promise<ThreadPost> {
  const threadId = threadIdOf(card);
  const send = async () => ({ threadId, message: (await rest.post(Routes.channelMessages(threadId), { body })) as APIMessage });
  try {
    return await send();
  } catch (error) {
    if (codeOf(error) !== RESTJSONErrorCodes.UnknownChannel) throw error;
  }
  try {
    await rest.post(Routes.threads(card.channelId, card.messageId), { body: { name, auto_archive_duration: ThreadAutoArchiveDuration.OneWeek } });
  } catch (error) {
    const code = codeOf(error);
    if (code === RESTJSONErrorCodes.UnknownMessage) return { gone: true };
    if (code !== RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) throw error;
  }
  return send();
}

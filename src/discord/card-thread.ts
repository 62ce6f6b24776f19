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

/**
 * Where a thread post went: the thread, or nowhere because there is no thread to write in
 * (`gone`: the card's message was deleted before any thread was; `closed`: the thread is
 * locked; `refused`: the bot may not open threads there, or the channel has too many).
 */
export type ThreadPost = { threadId: string; message: APIMessage } | { unavailable: 'gone' | 'closed' | 'refused' };

/** Answers to a post in the thread that mean "not here", whatever a retry does. */
const THREAD_CLOSED = new Set<number>([RESTJSONErrorCodes.ThreadLocked, RESTJSONErrorCodes.InvalidActionOnArchivedThread]);
/** Answers to opening a thread that mean "not here": no permission, or the channel's limit of active threads. */
const THREAD_REFUSED = new Set<number>([RESTJSONErrorCodes.MissingPermissions, RESTJSONErrorCodes.MissingAccess, RESTJSONErrorCodes.MaximumActiveThreads]);

/**
 * Posts `body` in the card's thread: straight in when the thread exists; else opens it
 * from the card's message under `name` (another opening first counts as existing) and
 * posts. When there is no thread to write in, says why, so the caller can post in the
 * channel instead.
 */
export async function postInCardThread(rest: REST, card: CardRef, body: CardMessage, name: string): Promise<ThreadPost> {
  const threadId = threadIdOf(card);
  const send = async (): Promise<ThreadPost> => {
    try {
      return { threadId, message: (await rest.post(Routes.channelMessages(threadId), { body })) as APIMessage };
    } catch (error) {
      const code = codeOf(error) ?? 0;
      if (THREAD_CLOSED.has(code)) return { unavailable: 'closed' };
      // No Send Messages in Threads there.
      if (code === RESTJSONErrorCodes.MissingPermissions || code === RESTJSONErrorCodes.MissingAccess) return { unavailable: 'refused' };
      throw error;
    }
  };
  try {
    return await send();
  } catch (error) {
    if (codeOf(error) !== RESTJSONErrorCodes.UnknownChannel) throw error;
  }
  try {
    await rest.post(Routes.threads(card.channelId, card.messageId), { body: { name, auto_archive_duration: ThreadAutoArchiveDuration.OneWeek } });
  } catch (error) {
    // No answer at all (a dropped connection): the thread may have been opened all the same.
    if (codeOf(error) === undefined && !(error instanceof DiscordAPIError)) return send().catch(() => Promise.reject(error));
    const code = codeOf(error) ?? 0;
    if (code === RESTJSONErrorCodes.UnknownMessage) return { unavailable: 'gone' };
    if (THREAD_REFUSED.has(code)) return { unavailable: 'refused' };
    if (code !== RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) throw error;
  }
  return send();
}

import { createHash } from 'node:crypto';
import { DiscordAPIError, Routes, type REST, type APIMessage } from 'discord.js';
import { UnrecoverableError } from 'bullmq';
import type { Notifier } from '../pipeline/notifier.js';
import type { CardRef } from '../store/mention-store.js';
import type { CardMessage } from './card.js';

/** Discord answers these when retrying cannot help (unknown channel, missing access, bad body). */
const PERMANENT_CODES = new Set([10003, 10008, 50001, 50013, 50035]);

function failPermanently(error: unknown, what: string): never | void {
  if (error instanceof DiscordAPIError && (PERMANENT_CODES.has(Number(error.code)) || error.status === 400 || error.status === 403 || error.status === 404)) {
    throw new UnrecoverableError(`${what}: Discord said ${error.status} ${error.message}`);
  }
}

/** Discord's nonce is at most 25 characters: a short digest of the mention and channel. */
export function cardNonce(seed: string): string {
  return createHash('sha256').update(seed).digest('base64url').slice(0, 25);
}

/** The exact body of the card's create-message request: the card plus its de-duplicating nonce. */
export function cardRequestBody(card: CardMessage, nonceSeed: string): CardMessage {
  return { ...card, nonce: cardNonce(nonceSeed), enforce_nonce: true };
}

/**
 * Posts cards with Discord's REST API. Rate limits (429) are waited out by the REST
 * client; the nonce with `enforce_nonce` makes Discord return the first message
 * instead of creating a second one when a post is retried.
 */
export function createDiscordNotifier(rest: REST, channels: Readonly<Record<string, string | null | undefined>>): Notifier {
  return {
    accepts: (channelKey) => Boolean(channels[channelKey]),
    async post(channelKey, card: CardMessage, nonce) {
      const channelId = channels[channelKey];
      if (!channelId) throw new UnrecoverableError(`channel "${channelKey}" has no Discord channel id in config (discord.channels.${channelKey})`);
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), {
          body: cardRequestBody(card, nonce),
        })) as APIMessage;
        return { channelKey, channelId, messageId: message.id };
      } catch (error) {
        failPermanently(error, `posting to #${channelKey} (${channelId})`);
        throw error;
      }
    },
    async edit(ref: CardRef, card: CardMessage) {
      try {
        await rest.patch(Routes.channelMessage(ref.channelId, ref.messageId), { body: card });
      } catch (error) {
        failPermanently(error, `editing card ${ref.messageId} in #${ref.channelKey}`);
        throw error;
      }
    },
  };
}

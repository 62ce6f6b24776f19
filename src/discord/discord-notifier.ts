import { createHash } from 'node:crypto';
import { DiscordAPIError, Routes, type REST, type APIMessage } from 'discord.js';
import { UnrecoverableError } from 'bullmq';
import { buttonId } from '../core/card-actions.js';
import type { CardRef } from '../store/mention-store.js';
import { StackRefusedError, type Notifier } from '../pipeline/notifier.js';
import { renderCard, renderNotice, type CardMessage } from './card.js';
import { renderStack } from './card-stack.js';
import { isRefusedBody, refusedPaths, simplerCards } from './card-fallback.js';
import { postInCardThread } from './card-thread.js';
import { marketingDigestMessage } from './marketing-digest-card.js';
import { DIGEST_OPEN_ID } from './digest-open.js';

/** Called when Discord refused a card and a simpler one was sent in its place. */
export type OnSimplified = (channelKey: string, refused: string[]) => void;

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

/** A new card pings the role its routing rule names (`pingRole`), and nobody else. */
export function withRulePing(card: CardMessage, roleIds: ReadonlyArray<string | undefined>): CardMessage {
  const roles = [...new Set(roleIds.filter((id): id is string => Boolean(id)))];
  if (roles.length === 0) return card;
  return { ...card, content: roles.map((id) => `<@&${id}>`).join(' '), allowed_mentions: { parse: [], roles } };
}

/** How many of a channel's latest messages are searched for a card whose post answer was lost (Discord's maximum is 100). */
export const RECONCILE_LOOKBACK = 50;

/** Whether a message carries the buttons of this mention's card. */
function isCardOf(message: APIMessage, claimId: string): boolean {
  const seen = (node: unknown): boolean => {
    if (typeof node !== 'object' || node === null) return false;
    const { custom_id: id, components } = node as { custom_id?: unknown; components?: unknown };
    return id === claimId || (Array.isArray(components) && components.some(seen));
  };
  return (message.components ?? []).some(seen);
}

/** Whether a message is a backlog digest listing any of `keys` (its "Open as card" menu names each). */
function isDigestOf(message: APIMessage, keys: ReadonlySet<string>): boolean {
  const lists = (node: unknown): boolean => {
    if (typeof node !== 'object' || node === null) return false;
    const { custom_id: id, options, components } = node as { custom_id?: unknown; options?: unknown; components?: unknown };
    if (id === DIGEST_OPEN_ID && Array.isArray(options) && options.some((o) => keys.has(String((o as { value?: unknown }).value)))) return true;
    return Array.isArray(components) && components.some(lists);
  };
  return (message.components ?? []).some(lists);
}

/**
 * Posts cards with Discord's REST API, rendered here from the mention's state. Rate limits
 * (429) are waited out by the REST client, per route bucket, within its global limit; the
 * nonce with `enforce_nonce` makes Discord return the first message instead of creating a
 * second one when a post is retried while Discord remembers the nonce, and `findCard`
 * covers the time after.
 */
export function createDiscordNotifier(rest: REST, channels: Readonly<Record<string, string | null | undefined>>, onSimplified?: OnSimplified): Notifier {
  /** Sends `body`; when Discord refuses the body itself, sends plainer versions of it instead. */
  async function sendWithFallback<T>(send: (body: CardMessage) => Promise<T>, card: CardMessage, channelKey: string): Promise<T> {
    try {
      return await send(card);
    } catch (error) {
      if (!isRefusedBody(error)) throw error;
      const refused = refusedPaths(error);
      let last: unknown = error;
      for (const simpler of simplerCards(card, refused)) {
        try {
          const result = await send(simpler);
          onSimplified?.(channelKey, refused);
          return result;
        } catch (again) {
          if (!isRefusedBody(again)) throw again;
          last = again;
        }
      }
      throw last;
    }
  }

  /** The channel's latest messages, where a post whose answer was lost is looked for. */
  async function recentMessages(channelKey: string, channelId: string): Promise<APIMessage[]> {
    try {
      return (await rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit: String(RECONCILE_LOOKBACK) }) })) as APIMessage[];
    } catch (error) {
      failPermanently(error, `reading the recent messages of #${channelKey} (${channelId})`);
      throw error;
    }
  }

  const notifier: Notifier = {
    accepts: (channelKey) => Boolean(channels[channelKey]),
    async post(channelKey, notice, nonce) {
      const card = notice.kind === 'card' ? withRulePing(renderNotice(notice, channelKey), [notice.state.triage.route.pingRoleId]) : renderNotice(notice, channelKey);
      const channelId = channels[channelKey];
      if (!channelId) throw new UnrecoverableError(`channel "${channelKey}" has no Discord channel id in config (discord.channels.${channelKey})`);
      try {
        const message = (await sendWithFallback((body) => rest.post(Routes.channelMessages(channelId), { body: cardRequestBody(body, nonce) }), card, channelKey)) as APIMessage;
        return { channelKey, channelId, messageId: message.id };
      } catch (error) {
        failPermanently(error, `posting to #${channelKey} (${channelId})`);
        throw error;
      }
    },
    async postStack(channelKey, states, nonce) {
      const channelId = channels[channelKey];
      if (!channelId) throw new UnrecoverableError(`channel "${channelKey}" has no Discord channel id in config (discord.channels.${channelKey})`);
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), { body: cardRequestBody(withRulePing(renderStack(states, channelKey), states.map((state) => state.triage.route.pingRoleId)), nonce) })) as APIMessage;
        return { channelKey, channelId, messageId: message.id };
      } catch (error) {
        // Discord refused part of the stack: the caller posts each card alone (each with its own fallback).
        if (isRefusedBody(error)) throw new StackRefusedError(refusedPaths(error));
        failPermanently(error, `posting ${states.length} cards to #${channelKey} (${channelId})`);
        throw error;
      }
    },
    async edit(ref: CardRef, state, stack) {
      const card = stack && stack.length > 1 ? renderStack(stack, ref.channelKey) : renderCard(state, ref.channelKey);
      try {
        await sendWithFallback((body) => rest.patch(Routes.channelMessage(ref.channelId, ref.messageId), { body }), card, ref.channelKey);
      } catch (error) {
        failPermanently(error, `editing card ${ref.messageId} in #${ref.channelKey}`);
        throw error;
      }
    },
    async postInThread(card, notice, nonce, threadName) {
      // In the thread the notice needs no reply reference: the thread is the card's.
      const { message_reference: _reference, ...body } = renderNotice(notice, card.channelKey);
      try {
        const posted = await postInCardThread(rest, card, cardRequestBody(body, nonce), threadName);
        if ('threadId' in posted) return { channelKey: card.channelKey, channelId: posted.threadId, messageId: posted.message.id };
      } catch (error) {
        failPermanently(error, `posting in the thread of card ${card.messageId} in #${card.channelKey}`);
        throw error;
      }
      // No thread to write in (the card deleted before one was opened, the thread locked, no
      // permission to open one): the channel still hears of it, under the card.
      return notifier.post(card.channelKey, notice, nonce);
    },
    async postMarketingDigest(channelKey, digest, nonce) {
      const channelId = channels[channelKey];
      if (!channelId) throw new UnrecoverableError(`channel "${channelKey}" has no Discord channel id in config (discord.channels.${channelKey})`);
      const { body, files } = await marketingDigestMessage(digest);
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), { body: { ...body, nonce: cardNonce(nonce), enforce_nonce: true }, files })) as APIMessage;
        return { channelKey, channelId, messageId: message.id };
      } catch (error) {
        failPermanently(error, `posting the marketing digest to #${channelKey} (${channelId})`);
        throw error;
      }
    },
    async findDigest(channelKey, keys) {
      const channelId = channels[channelKey];
      if (!channelId || keys.length === 0) return undefined;
      const wanted = new Set(keys);
      const found = (await recentMessages(channelKey, channelId)).find((message) => isDigestOf(message, wanted));
      return found ? { channelKey, channelId, messageId: found.id } : undefined;
    },
    async findCard(channelKey, key) {
      const channelId = channels[channelKey];
      if (!channelId) return undefined;
      const claimId = buttonId('claim', key);
      const shareId = buttonId('share', key);
      // A word-of-mouth card has Share where other cards have Claim.
      const found = (await recentMessages(channelKey, channelId)).find((message) => isCardOf(message, claimId) || isCardOf(message, shareId));
      return found ? { channelKey, channelId, messageId: found.id } : undefined;
    },
  };
  return notifier;
}

/**
 * Small pieces every card interaction handler shares: who clicked (as the card names
 * them, with their role ids), the shapes of the interactions, and safe message text.
 */
import type { ButtonInteraction, ModalMessageModalSubmitInteraction, ModalSubmitInteraction, StringSelectMenuInteraction, UserSelectMenuInteraction } from 'discord.js';
import type { Actor } from '../core/card-actions.js';
import type { Mention } from '../core/mention.js';
import { PLATFORM_LIMITS, replyLength } from '../core/platform-limits.js';
import type { MentionState } from '../store/mention-store.js';
import type { CardMessage } from './card.js';

/** A click on a card, or a modal opened from one: what can update the card it came from. */
export type CardInteraction = ButtonInteraction | ModalMessageModalSubmitInteraction;

/** Anything the bot may answer privately. */
export type RepliableInteraction = ButtonInteraction | ModalSubmitInteraction | UserSelectMenuInteraction | StringSelectMenuInteraction;

export const MISSING = { ok: false, reason: 'missing' } as const;

/** Discord's limit for a message's content. */
export const DISCORD_MESSAGE_MAX = 2000;

/** A link longer than this is left out of an echo (it could push it past the limit). */
export const LINK_MAX = 300;

/** Role ids from a raw API member (an array) or a cached one (a role manager). */
export function roleIdList(roles: unknown): string[] {
  if (Array.isArray(roles)) return roles.filter((r): r is string => typeof r === 'string');
  const cache = (roles as { cache?: Map<string, unknown> } | undefined)?.cache;
  return cache ? [...cache.keys()] : [];
}

/** The clicker's role ids. */
export function roleIdsOf(interaction: RepliableInteraction): string[] {
  return roleIdList((interaction.member as { roles?: unknown } | null)?.roles);
}

/** Who acted, named as the card shows them: the server nickname first. */
export function actorOf(interaction: Pick<RepliableInteraction, 'member' | 'user'>): Actor {
  // A cached GuildMember has `nickname`; a raw API member has `nick`.
  const member = interaction.member as { nickname?: unknown; nick?: unknown } | null;
  const nick = [member?.nickname, member?.nick].find((n): n is string => typeof n === 'string' && n.trim() !== '');
  return { id: interaction.user.id, name: `@${nick ?? interaction.user.globalName ?? interaction.user.username}` };
}

/** A rendered card as discord.js message options. */
export function messageOptions(card: CardMessage) {
  return { embeds: card.embeds ?? [], components: card.components ?? [] } as const;
}

/** Content cut to Discord's limit (a last resort: callers keep the reply text inside it). */
export function fitMessage(content: string): string {
  return content.length <= DISCORD_MESSAGE_MAX ? content : `${content.slice(0, DISCORD_MESSAGE_MAX - 1)}…`;
}

/** Text in a code block it cannot close, ready to copy. */
export function fenced(text: string): string {
  return `\`\`\`\n${text.replace(/```/g, '`\u200b``')}\n\`\`\``;
}

/**
 * The reply's length as its platform counts it, when over the limit. On Mastodon the
 * author's handle leads the status (the replier adds it when missing) and counts too.
 */
export function overLimit(mention: Mention, text: string): { length: number; limit: number } | undefined {
  const handle = `@${mention.author.handle}`;
  const posted = mention.source === 'mastodon' && !text.includes(handle) ? `${handle} ${text}` : text;
  const length = replyLength(mention.source, posted);
  const limit = PLATFORM_LIMITS[mention.source];
  return length > limit ? { length, limit } : undefined;
}

/** The channel key of the card on this message, from the mention's recorded cards. */
export function channelKeyOf(state: Pick<MentionState, 'cards'>, messageId: string): string | undefined {
  return state.cards.find((card) => card.messageId === messageId)?.channelKey;
}

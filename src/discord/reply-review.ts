/**
 * The reply coach in the Reply modal's flow: a submitted reply the coach has something
 * to say about (a `warn` or `block` hint) is held, and its writer sees the hints privately
 * with "Send anyway" (not offered for a `block`) and "Edit" (the modal again, with their
 * text). The held text is kept in the mention's history, so either button finds it on any
 * bot process, and the history shows what the coach said.
 */
import {
  ButtonStyle,
  ComponentType,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type ButtonInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Actor } from '../core/card-actions.js';
import type { Classification } from '../core/classification.js';
import { plainForDiscord } from '../core/display-text.js';
import type { Mention } from '../core/mention.js';
import { coachReply, needsReview, type ReplyHint } from '../core/reply-coach.js';
import type { MentionStore } from '../store/mention-store.js';

/** The modal's text input. */
export const REPLY_INPUT = 'reply';
/** Longest reply the modal takes: its echo, with the link, must fit one 2,000-character message. */
export const REPLY_MAX = 1500;
/** The history action that records a held reply; its detail is `{"text", "hints"}`. */
export const HELD_ACTION = 'reply-held';

const REVIEW_ID = /^mt:review-(send|edit):([A-Za-z0-9._-]{1,80})$/;
export type ReviewChoice = 'send' | 'edit';

/** The custom id of a review button: `mt:review-<send|edit>:<mention key>` (≤ 100 chars). */
export function reviewButtonId(choice: ReviewChoice, key: string): string {
  return `mt:review-${choice}:${key}`;
}

/** Reads a review button's custom id; undefined when it is not one. */
export function parseReviewButton(customId: string): { choice: ReviewChoice; key: string } | undefined {
  const match = REVIEW_ID.exec(customId);
  return match ? { choice: match[1] as ReviewChoice, key: match[2] as string } : undefined;
}

/** The Reply modal, holding `text`. */
export function replyModal(key: string, handle: string, text: string): ModalBuilder {
  const input = new TextInputBuilder().setCustomId(REPLY_INPUT).setStyle(TextInputStyle.Paragraph).setRequired(true).setMaxLength(REPLY_MAX).setValue(text.slice(0, REPLY_MAX));
  return new ModalBuilder()
    .setCustomId(`mt:reply:${key}`)
    .setTitle(plainForDiscord(`Reply to @${handle}`, 45) || 'Reply')
    .addLabelComponents(new LabelBuilder().setLabel('Your reply (edit it: make it yours)').setTextInputComponent(input));
}

const MARK: Record<ReplyHint['severity'], string> = { block: '⛔', warn: '⚠️', info: 'ℹ️' };

/** One line a hint: its mark, its message and the words that triggered it, shown literally. */
export function hintLines(hints: readonly ReplyHint[]): string[] {
  return hints.map((h) => {
    const words = h.words.length ? ` (${h.words.slice(0, 5).map((w) => `\`${w.replace(/`/g, 'ʹ').slice(0, 40)}\``).join(', ')})` : '';
    return `${MARK[h.severity]} ${h.message}${words}`;
  });
}

/** The private message that holds a reply: the hints, the text, and the buttons. */
export function reviewMessage(key: string, hints: readonly ReplyHint[], text: string): { content: string; components: APIActionRowComponent<APIButtonComponentWithCustomId>[] } {
  const blocked = hints.some((h) => h.severity === 'block');
  const head = blocked ? '**Not sent: fix this first.**' : '**Not sent yet: a second look before it goes out.**';
  const body = `\`\`\`\n${text.replace(/```/g, '`\u200b``')}\n\`\`\``;
  let lines = hintLines(hints);
  // The text must survive Discord's 2,000 characters: the hints give way first.
  while (lines.length > 1 && `${head}\n${lines.join('\n')}\nYour reply:\n${body}`.length > 2000) lines = lines.slice(0, -1);
  const button = (choice: ReviewChoice, label: string, style: APIButtonComponentWithCustomId['style']) => ({ type: ComponentType.Button as const, custom_id: reviewButtonId(choice, key), label, style });
  return {
    content: `${head}\n${lines.join('\n')}\nYour reply:\n${body}`.slice(0, 2000),
    components: [{ type: ComponentType.ActionRow, components: [...(blocked ? [] : [button('send', 'Send anyway', ButtonStyle.Danger)]), button('edit', 'Edit', ButtonStyle.Primary)] }],
  };
}

/** Sends a reply the writer chose to send after seeing the hints (the normal path, past the coach). */
export type SendReviewed = (interaction: ButtonInteraction, key: string, text: string) => Promise<void>;

export interface ReplyReviewDeps {
  store: Pick<MentionStore, 'appendHistory' | 'history' | 'get'>;
  log: Logger;
  now?: () => Date;
}

/** The coach's place in the Reply flow: `hold` after submit, `onClick` for the two buttons. */
export function createReplyReview(deps: ReplyReviewDeps) {
  const { store, log, now = () => new Date() } = deps;

  /** The text this person's last held reply to `key` had, if any. */
  async function heldText(key: string, userId: string): Promise<string | undefined> {
    const held = (await store.history(key)).filter((e) => e.action === HELD_ACTION && e.userId === userId).at(-1);
    if (!held?.detail) return undefined;
    try {
      const { text } = JSON.parse(held.detail) as { text?: unknown };
      return typeof text === 'string' ? text : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    /**
     * Holds `text` when the coach has a `warn` or `block` hint for it: records it and shows
     * the hints with the buttons in the (deferred, private) answer. True when held.
     */
    async hold(interaction: ModalSubmitInteraction, reply: { key: string; text: string; mention: Mention; classification: Classification; actor: Actor }): Promise<boolean> {
      const hints = coachReply(reply.text, reply.mention, reply.classification);
      if (!needsReview(hints)) return false;
      const codes = hints.filter((h) => h.severity !== 'info').map((h) => h.code);
      await store.appendHistory(reply.key, { action: HELD_ACTION, at: now().toISOString(), userId: reply.actor.id, userName: reply.actor.name, detail: JSON.stringify({ text: reply.text, hints: codes }) });
      log.info({ key: reply.key, userId: reply.actor.id, hints: codes }, 'reply held for a second look');
      await interaction.editReply({ ...reviewMessage(reply.key, hints, reply.text), allowedMentions: { parse: [] } });
      return true;
    },

    /** "Edit" opens the modal again with the held text; "Send anyway" sends it through `send`. */
    async onClick(interaction: ButtonInteraction, click: { choice: ReviewChoice; key: string }, send: SendReviewed): Promise<void> {
      const text = await heldText(click.key, interaction.user.id);
      if (text === undefined) {
        await interaction.reply({ content: 'That draft is no longer here: open Reply… on the card again.', flags: MessageFlags.Ephemeral });
        return;
      }
      if (click.choice === 'edit') {
        const handle = (await store.get(click.key))?.triage.mention.author.handle ?? '';
        await interaction.showModal(replyModal(click.key, handle, text));
        return;
      }
      // The button may belong to an earlier draft than the one held now: what is sent is
      // checked again, and a draft the coach blocks is never sent.
      const state = await store.get(click.key);
      const hints = state ? coachReply(text, state.triage.mention, state.triage.classification) : [];
      if (hints.some((h) => h.severity === 'block')) {
        await interaction.reply({ ...reviewMessage(click.key, hints, text), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
        return;
      }
      await interaction.update({ content: `Sending…\n\`\`\`\n${text.replace(/```/g, '`\u200b``')}\n\`\`\``.slice(0, 2000), components: [] });
      await send(interaction, click.key, text);
    },
  };
}

/** The hints a pasted reply gets, as note lines (nothing is held where nothing is sent). */
export function coachNotes(text: string, mention: Mention, classification: Classification): string {
  const hints = coachReply(text, mention, classification).filter((h) => h.severity !== 'info' && h.code !== 'too-long');
  return hints.length ? `\nBefore you post it:\n${hintLines(hints).join('\n')}` : '';
}

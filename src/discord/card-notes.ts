/**
 * Internal notes on a card, kept in the mention's history with who and when and shown in
 * the card's thread: written in the Note… modal, or straight in the thread (read only
 * when the bot has the Message Content intent, see `discord.threadMessages`). State
 * changes made on a card whose thread is open get a line there too.
 */
import { LabelBuilder, MessageFlags, ModalBuilder, TextInputBuilder, TextInputStyle, type ButtonInteraction, type Message, type ModalSubmitInteraction } from 'discord.js';
import type { Logger } from 'pino';
import { buttonId, describeRefusal, type Actor } from '../core/card-actions.js';
import { plainForDiscord } from '../core/display-text.js';
import { postUnderCard } from '../pipeline/card-thread-post.js';
import type { Notifier, ThreadLine } from '../pipeline/notifier.js';
import type { CardRef, MentionState, MentionStore } from '../store/mention-store.js';
import { stackKeys } from './card-stack.js';
import { MISSING } from './interaction-kit.js';

/** The text input of the Note… modal. */
export const NOTE_INPUT = 'note';
/** Longest note kept (a thread line shows the start of a longer one written in the thread). */
const NOTE_MAX = 1500;
/** Threads whose cards are remembered, so a busy thread does not fetch its first message each time. */
const THREAD_CACHE_MAX = 500;

export interface CardNotesDeps {
  store: Pick<MentionStore, 'get' | 'appendHistory' | 'stackOf'>;
  notifier: Pick<Notifier, 'post' | 'postInThread'>;
  log: Logger;
  now: () => Date;
  /** Discord channel ids the cards are posted in: only their threads are card threads. */
  cardChannelIds: ReadonlySet<string>;
}

/** The Note… modal: one paragraph, kept in history and posted in the card's thread. */
export function noteModal(key: string, handle: string): ModalBuilder {
  const input = new TextInputBuilder().setCustomId(NOTE_INPUT).setStyle(TextInputStyle.Paragraph).setRequired(true).setMinLength(1).setMaxLength(NOTE_MAX).setPlaceholder('What the team should know: checked the order, called them, waiting on billing…');
  return new ModalBuilder()
    .setCustomId(buttonId('note', key))
    .setTitle(plainForDiscord(`Note on @${handle}`, 45))
    .addLabelComponents(new LabelBuilder().setLabel('Note (internal: the customer never sees it)').setTextInputComponent(input));
}

/** The card a note or line about this mention goes to: the one clicked, else the one in its routed channel, else its first. */
export function cardFor(state: MentionState, messageId?: string): CardRef | undefined {
  return state.cards.find((c) => c.messageId === messageId) ?? state.cards.find((c) => c.channelKey === state.triage.route.channel) ?? state.cards[0];
}

/** How a Discord user is named in history: the server nickname first. */
function authorName(message: Message): string {
  const nick = message.member?.nickname;
  return `@${nick && nick.trim() ? nick : (message.author.globalName ?? message.author.username)}`;
}

export function createCardNotes(deps: CardNotesDeps) {
  const { store, notifier, log, now, cardChannelIds } = deps;
  const threadKeys = new Map<string, string[]>();
  let warnedNoContent = false;

  /** The handle to name when the card shares its message (and so its thread) with others. */
  async function aboutIfStacked(card: CardRef, state: MentionState): Promise<string | undefined> {
    const keys = await store.stackOf(card.messageId);
    return keys && keys.length > 1 ? state.triage.mention.author.handle : undefined;
  }

  async function onNoteButton(interaction: ButtonInteraction, key: string): Promise<void> {
    const state = await store.get(key);
    if (!state) return void (await interaction.reply({ content: describeRefusal('note', MISSING), flags: MessageFlags.Ephemeral }));
    await interaction.showModal(noteModal(key, state.triage.mention.author.handle));
  }

  async function onNoteSubmitted(interaction: ModalSubmitInteraction, key: string, actor: Actor): Promise<void> {
    const text = interaction.fields.getTextInputValue(NOTE_INPUT).trim();
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const state = await store.get(key);
    if (!state) return void (await interaction.editReply({ content: describeRefusal('note', MISSING) }));
    if (!text) return void (await interaction.editReply({ content: 'The note was empty: nothing was kept.' }));
    await store.appendHistory(key, { action: 'note', at: now().toISOString(), userId: actor.id, userName: actor.name, detail: text.slice(0, NOTE_MAX) });
    const card = cardFor(state, interaction.message?.id);
    if (!card) return void (await interaction.editReply({ content: 'Kept in the mention’s history (it has no card to open a thread on).' }));
    try {
      const about = await aboutIfStacked(card, state);
      const line: ThreadLine = { what: 'note', by: actor, text, ...(about ? { about } : {}) };
      const posted = await postUnderCard(notifier, card, state, { kind: 'thread-line', card, line }, `note/${key}/${interaction.id}`);
      await interaction.editReply({ content: `Noted in <#${posted.channelId}> and kept in the mention’s history.` });
    } catch (error) {
      log.warn({ key, err: (error as Error).message }, 'note kept; could not post it in the card thread');
      await interaction.editReply({ content: 'Kept in the mention’s history; the card’s thread could not be written to just now.' });
    }
  }

  /** The mention keys of a card thread, from its first message (the card), remembered for the next message. */
  async function keysOfThread(message: Message): Promise<string[]> {
    const thread = message.channel;
    if (!thread.isThread() || !thread.parentId || !cardChannelIds.has(thread.parentId)) return [];
    const known = threadKeys.get(thread.id);
    if (known) return known;
    const stacked = await store.stackOf(thread.id);
    const starter = stacked ? undefined : await thread.fetchStarterMessage().catch(() => null);
    const keys = stacked ?? (starter ? stackKeys(starter) : []);
    if (threadKeys.size >= THREAD_CACHE_MAX) threadKeys.delete(threadKeys.keys().next().value as string);
    threadKeys.set(thread.id, keys);
    return keys;
  }

  /** A person wrote in a card's thread: kept as a note in the mention's history. */
  async function onThreadMessage(message: Message): Promise<void> {
    if (message.author.bot || message.system || message.webhookId) return;
    const keys = await keysOfThread(message);
    if (keys.length === 0) return;
    const text = message.content.trim();
    if (!text) {
      // Discord leaves the text out without the Message Content intent; attachments alone are no note either.
      if (!warnedNoContent && message.attachments.size === 0) log.warn({ threadId: message.channelId }, 'a message in a card thread arrived without its text: turn on the Message Content intent to keep thread messages as notes');
      warnedNoContent = true;
      return;
    }
    if (keys.length > 1) {
      await message.reply({ content: `This thread is shared by ${keys.length} cards: use Note… on the card the note is about, so it is kept with the right mention.`, allowedMentions: { parse: [], repliedUser: false } });
      return;
    }
    const key = keys[0]!;
    await store.appendHistory(key, { action: 'note', at: message.createdAt.toISOString(), userId: message.author.id, userName: authorName(message), detail: text.slice(0, NOTE_MAX) });
    log.info({ key, userId: message.author.id }, 'thread message kept as a note');
  }

  /** A state change on a card whose thread is open gets a line there (a thread is never opened for it). */
  async function lineInOpenThread(card: CardRef, state: MentionState, line: Extract<ThreadLine, { what: 'history' }>): Promise<void> {
    if (!notifier.postInThread) return;
    const about = await aboutIfStacked(card, state);
    await postUnderCard(notifier, card, state, { kind: 'thread-line', card, line: { ...line, ...(about ? { about } : {}) } }, `line/${state.key}/${state.rev}/${line.action}`);
  }

  return { onNoteButton, onNoteSubmitted, onThreadMessage, lineInOpenThread };
}

/**
 * Replies from a card: the Reply… modal opened with a draft, then the text claimed, checked
 * and sent through the platform (or handed back ready to paste), with the reply coach's
 * review in between.
 */
import { MessageFlags, type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { Logger } from 'pino';
import { describeRefusal, type Actor } from '../core/card-actions.js';
import { safeForDiscord } from '../core/display-text.js';
import type { Mention, Platform } from '../core/mention.js';
import type { SuggestedReply, TriageResult } from '../core/triage-result.js';
import type { Replier, SentReply } from '../sources/replier.js';
import type { MentionState, MentionStore } from '../store/mention-store.js';
import { actorOf, DISCORD_MESSAGE_MAX, fenced, fitMessage, LINK_MAX, MISSING, overLimit } from './interaction-kit.js';
import { coachNotes, createReplyReview, REPLY_INPUT, replyModal } from './reply-review.js';

export interface ReplyDeliveryDeps {
  store: MentionStore;
  log: Logger;
  now: () => Date;
  /** Reply senders per platform; a platform without one gets its reply back ready to paste. */
  repliers: ReadonlyMap<Platform, Replier>;
  /** The draft the Reply modal opens with, made again at that moment. @defaultValue the draft made at triage */
  redraft?: (triage: TriageResult) => Promise<SuggestedReply>;
  /** Brings every copy of the mention's card up to date. */
  refreshCards: (state: MentionState) => Promise<void>;
  /** Moves the SLA timers after a claim made by writing a reply. */
  retime: (state: MentionState) => Promise<MentionState>;
}

export function createReplyDelivery(deps: ReplyDeliveryDeps) {
  const { store, log, now, repliers, redraft, refreshCards, retime } = deps;

  async function openReplyModal(interaction: ButtonInteraction, key: string, actor: Actor): Promise<void> {
    const state = await store.get(key);
    if (!state) return void (await interaction.reply({ content: describeRefusal('reply', MISSING), flags: MessageFlags.Ephemeral }));
    if (state.holder && state.holder.id !== actor.id) {
      await interaction.reply({ content: describeRefusal('reply', { ok: false, reason: 'held-by-other', status: state.status, holder: state.holder }), flags: MessageFlags.Ephemeral });
      return;
    }
    // Drafted again now when it can be (an incident may have been resolved since triage); Discord waits 3 s at most.
    const draft = redraft ? await redraft(state.triage).catch(() => state.triage.reply) : state.triage.reply;
    await interaction.showModal(replyModal(key, state.triage.mention.author.handle, draft.text));
  }

  /**
   * Sends through the platform, then records and says so. Only the send decides "sent" or
   * "not sent": a failure after the platform took the reply is logged, never reported as
   * "not sent" (that would invite a second public reply).
   */
  async function sendReply(interaction: ModalSubmitInteraction | ButtonInteraction, key: string, mention: Mention, replier: Replier, text: string, actor: Actor): Promise<void> {
    let sent: SentReply;
    try {
      sent = await replier.reply(mention, text);
    } catch (error) {
      const reason = (error as Error).message;
      log.warn({ key, platform: mention.source, err: reason }, 'reply not sent');
      await interaction.editReply({ content: `Not sent: ${reason.slice(0, 300)}\nYour text, so it is not lost:\n${fenced(text)}` }).catch((e: Error) => log.warn({ key, err: e.message }, 'could not tell the writer the reply was not sent'));
      await store.appendHistory(key, { action: 'reply-failed', at: now().toISOString(), userId: actor.id, userName: actor.name, detail: reason.slice(0, 500) }).catch(() => undefined);
      return;
    }
    log.info({ key, platform: mention.source, replyId: sent.id, userId: actor.id }, 'reply sent');
    await store
      .recordSentReply(key, { id: sent.id, ...(sent.url ? { url: sent.url } : {}), by: actor, at: now().toISOString() }, text)
      .catch((e: Error) => log.error({ key, replyId: sent.id, err: e.message }, 'reply sent but not recorded'));
    const link = sent.url && sent.url.length <= LINK_MAX ? `: ${sent.url}` : '.';
    await interaction.editReply({ content: `Sent on ${mention.source}${link}\nResolve the card when the customer is helped.` }).catch((e: Error) => log.warn({ key, err: e.message }, 'reply sent; could not say so in Discord'));
    const after = await store.get(key).catch(() => undefined);
    if (after) await refreshCards(after);
  }

  async function onReplySubmitted(interaction: ModalSubmitInteraction, key: string): Promise<void> {
    const text = interaction.fields.getTextInputValue(REPLY_INPUT).trim();
    // Acknowledge at once: Redis and the platform may take longer than Discord's 3 s.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await deliverReply(interaction, key, text);
  }

  /**
   * Claims, checks and sends a reply (or hands it back to paste). A reply submitted from the
   * modal that the coach has something to say about is held first; one sent from the
   * review's "Send anyway" (a button interaction) is past that.
   */
  async function deliverReply(interaction: ModalSubmitInteraction | ButtonInteraction, key: string, text: string): Promise<void> {
    const actor = actorOf(interaction);
    const answer = (content: string) => interaction.editReply({ content: fitMessage(content) });
    const handBack = (why: string) => answer(`${why}\nYour text, so it is not lost:\n${fenced(text)}`);
    // Writing the reply takes the mention, so nobody else answers the same person.
    const claimed = await store.transition(key, 'claim', actor, now());
    if (!claimed.ok && claimed.reason !== 'wrong-status') {
      // Someone else took it while the modal was open: hand the text back, not lose it.
      await handBack(describeRefusal('reply', claimed));
      return;
    }
    const state = await store.get(key);
    // A claim made here shows on every copy of the card, whatever happens next.
    if (state && claimed.ok) await refreshCards(await retime(state));
    const mention = state?.triage.mention;
    const replier = mention ? repliers.get(mention.source) : undefined;
    const check = mention && replier ? replier.check(mention) : undefined;
    if (state && mention && replier && check?.ok) {
      // Only the holder of an open mention sends, once: a resolved or dismissed mention,
      // or one already answered from here, gets the text back instead.
      const why =
        state.status !== 'claimed' || state.holder?.id !== actor.id
          ? `This mention is ${state.status}${state.holder ? ` (by ${safeForDiscord(state.holder.name, 80)})` : ''}: nothing was sent.`
          : state.sent
            ? `${safeForDiscord(state.sent.by.name, 80)} already sent a reply${state.sent.url && state.sent.url.length <= LINK_MAX ? ` (${state.sent.url})` : ''}: nothing was sent. Write follow-ups on the platform.`
            : undefined;
      const over = overLimit(mention, text);
      const tooLong = over ? `Too long for ${mention.source}: ${over.length} of ${over.limit} characters as it counts them. Nothing was sent; shorten it and send again.` : undefined;
      if (why ?? tooLong) return void (await handBack((why ?? tooLong)!));
      if (interaction.isModalSubmit() && (await review.hold(interaction, { key, text, mention, classification: state.triage.classification, actor }))) return;
      if (!(await store.beginSend(key))) return void (await handBack('A reply to this mention is being sent right now: nothing more was sent.'));
      try {
        await sendReply(interaction, key, mention, replier, text, actor);
      } finally {
        await store.endSend(key).catch(() => undefined);
      }
      return;
    }
    await store.appendHistory(key, { action: 'reply-drafted', at: now().toISOString(), userId: actor.id, userName: actor.name, detail: text });
    const url = mention?.url;
    const where = url && url.length <= LINK_MAX ? ` under ${url}` : '';
    const why = check && !check.ok ? `${check.reason.slice(0, 300)}\n` : '';
    const tooLong = mention ? overLimit(mention, text) : undefined;
    const over = tooLong ? `\nNote: ${tooLong.length} of ${tooLong.limit} characters as ${mention!.source} counts them: shorten it before posting.` : '';
    const notes = mention && state ? coachNotes(text, mention, state.triage.classification) : '';
    const full = `${why}Your reply, ready to paste${where}:\n${fenced(text)}${over}${notes}\nResolve the card once it is sent.`;
    // Past Discord's 2,000 characters the reply itself must survive: the extras go first.
    await answer(full.length <= DISCORD_MESSAGE_MAX ? full : `Your reply, ready to paste:\n${fenced(text)}${over}`);
  }

  const review = createReplyReview({ store, log, now });
  return { openReplyModal, onReplySubmitted, deliverReply, review };
}

import {
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ButtonInteraction,
  type Interaction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import { describeRefusal, ESCALATION_CHANNEL, parseButtonId, type Actor, type CardAction } from '../core/card-actions.js';
import type { Mention, Platform } from '../core/mention.js';
import { PLATFORM_LIMITS, replyLength } from '../core/platform-limits.js';
import type { Notifier } from '../pipeline/notifier.js';
import type { Replier, SentReply } from '../sources/replier.js';
import { cardJobId, ESCALATION_PRIORITY, type Queues } from '../pipeline/queues.js';
import type { MentionState, MentionStore } from '../store/mention-store.js';
import { plainForDiscord, safeForDiscord } from '../core/display-text.js';
import { renderCard, type CardMessage } from './card.js';
import { renderStack, stackKeys } from './card-stack.js';
import { createCommandHandler } from './commands.js';

export interface InteractionDeps {
  store: MentionStore;
  notifier: Notifier;
  queues: Pick<Queues, 'notifyFor'>;
  log: Logger;
  /**
   * Reply senders per platform, for those whose write credentials are configured; a
   * platform without one gets its reply back ready to copy and paste. @defaultValue none
   */
  repliers?: ReadonlyMap<Platform, Replier>;
  /** How long a click may wait for Redis before it is acknowledged first and answered after. @defaultValue 1500 ms */
  deferAfterMs?: number;
  /** Channel key that receives escalated mentions. @defaultValue `leads` */
  escalationChannel?: string;
  now?: () => Date;
}

const REPLY_INPUT = 'reply';
const MISSING = { ok: false, reason: 'missing' } as const;
/** Longest reply the modal takes: its echo, with the link, must fit one 2,000-character message. */
const REPLY_MAX = 1500;
/** Discord's limit for a message's content. */
const DISCORD_MESSAGE_MAX = 2000;

/** Content cut to Discord's limit (a last resort: callers keep the reply text inside it). */
function fitMessage(content: string): string {
  return content.length <= DISCORD_MESSAGE_MAX ? content : `${content.slice(0, DISCORD_MESSAGE_MAX - 1)}…`;
}

/**
 * The reply's length as its platform counts it, when over the limit. On Mastodon the
 * author's handle leads the status (the replier adds it when missing) and counts too.
 */
function overLimit(mention: Mention, text: string): { length: number; limit: number } | undefined {
  const handle = `@${mention.author.handle}`;
  const posted = mention.source === 'mastodon' && !text.includes(handle) ? `${handle} ${text}` : text;
  const length = replyLength(mention.source, posted);
  const limit = PLATFORM_LIMITS[mention.source];
  return length > limit ? { length, limit } : undefined;
}

/** A link longer than this is left out of the echo (it could push it past the limit). */
const LINK_MAX = 300;

/** The reply in a code block it cannot close, ready to copy. */
function fenced(text: string): string {
  return `\`\`\`\n${text.replace(/```/g, '`\u200b``')}\n\`\`\``;
}

function actorOf(interaction: ButtonInteraction | ModalSubmitInteraction): Actor {
  // A cached GuildMember has `nickname`; a raw API member has `nick`.
  const member = interaction.member as { nickname?: unknown; nick?: unknown } | null;
  const nick = [member?.nickname, member?.nick].find((n): n is string => typeof n === 'string' && n.trim() !== '');
  return { id: interaction.user.id, name: `@${nick ?? interaction.user.globalName ?? interaction.user.username}` };
}

function messageOptions(card: CardMessage) {
  return { embeds: card.embeds ?? [], components: card.components ?? [] } as const;
}

/**
 * Handles the card's buttons and the reply modal. `parse` (is it ours, which action,
 * which mention) is `parseButtonId`; this runs the effect: one atomic state change in
 * Redis, then the card is updated in place (Discord's 3-second window is met by the
 * update itself) and the mention's other cards are refreshed.
 */
export function createInteractionHandler(deps: InteractionDeps) {
  const { store, notifier, queues, log, escalationChannel = ESCALATION_CHANNEL, now = () => new Date(), repliers = new Map(), deferAfterMs = 1500 } = deps;

  /** The cards of a stacked message in order, `state` among them; undefined for a message of one card. */
  async function stackWith(state: MentionState, keys: readonly string[] | undefined): Promise<MentionState[] | undefined> {
    if (!keys || keys.length < 2 || !keys.includes(state.key)) return undefined;
    const states = await Promise.all(keys.map((k) => (k === state.key ? state : store.get(k))));
    // A card whose mention is gone (expired) leaves the stack; the rest keep their buttons.
    return states.filter((s): s is MentionState => s !== undefined);
  }

  async function refreshOtherCards(state: MentionState, exceptMessageId: string): Promise<void> {
    await Promise.all(
      state.cards
        .filter((ref) => ref.messageId !== exceptMessageId)
        .map(async (ref) => {
          try {
            await notifier.edit(ref, state, await stackWith(state, await store.stackOf(ref.messageId)));
          } catch (error) {
            log.warn({ key: state.key, messageId: ref.messageId, err: (error as Error).message }, 'could not refresh a card');
          }
        }),
    );
  }

  // Through the notify queue, so a failed post is retried and, in the end, dead-lettered.
  async function escalate(state: MentionState, actor: Actor): Promise<void> {
    await queues.notifyFor(escalationChannel).add(
      'card',
      { key: state.key, channelKey: escalationChannel, escalatedBy: actor.name, priority: ESCALATION_PRIORITY },
      { jobId: cardJobId(state.key, escalationChannel), priority: ESCALATION_PRIORITY },
    );
  }

  async function onButton(interaction: ButtonInteraction, action: CardAction, key: string): Promise<void> {
    const actor = actorOf(interaction);
    const jobLog = log.child({ key, action, userId: actor.id });
    if (action === 'reply') return openReplyModal(interaction, key, actor);
    const work = (async () => {
      const outcome = await store.transition(key, action, actor, now());
      return { outcome, state: outcome.ok ? await store.get(key) : undefined };
    })();
    // Redis is usually quick; when it is not (just restarted, failing over), acknowledge
    // within Discord's 3 seconds and give the answer once it is known.
    const deferred = await Promise.race([work.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), deferAfterMs).unref())]);
    if (deferred) await interaction.deferUpdate().catch((error: Error) => jobLog.warn({ err: error.message }, 'could not acknowledge the click'));
    const { outcome, state } = await work;
    const tell = (content: string) =>
      (deferred ? interaction.followUp({ content, flags: MessageFlags.Ephemeral }) : interaction.reply({ content, flags: MessageFlags.Ephemeral })).catch((error: Error) =>
        jobLog.warn({ err: error.message }, 'could not answer the click'),
      );
    if (!outcome.ok) {
      jobLog.info({ reason: outcome.reason }, 'card action refused');
      await tell(describeRefusal(action, outcome));
      return;
    }
    if (!state) return void (await tell(describeRefusal(action, MISSING)));
    // A card in a stack is shown again with the others of its message, each as it is now.
    const stack = await stackWith(state, stackKeys(interaction.message));
    const card = messageOptions(stack && stack.length > 1 ? renderStack(stack) : renderCard(state));
    let refreshedAll = false;
    try {
      await (deferred ? interaction.editReply(card) : interaction.update(card));
    } catch (error) {
      // The state changed even though Discord lost (or refused) the answer: acknowledge the
      // click if it still can be, and bring every copy of the card up to date directly
      // (the notifier simplifies a card Discord refuses).
      jobLog.warn({ err: (error as Error).message }, 'answering the click failed; updating the card directly');
      if (!deferred) await interaction.deferUpdate().catch(() => undefined);
      await refreshOtherCards(state, '');
      refreshedAll = true;
    }
    jobLog.info({ status: state.status }, 'card action done');
    if (action === 'escalate') await escalate(state, actor);
    if (!refreshedAll) await refreshOtherCards(state, interaction.message.id);
  }

  async function openReplyModal(interaction: ButtonInteraction, key: string, actor: Actor): Promise<void> {
    const state = await store.get(key);
    if (!state) return void (await interaction.reply({ content: describeRefusal('reply', MISSING), flags: MessageFlags.Ephemeral }));
    if (state.holder && state.holder.id !== actor.id) {
      await interaction.reply({ content: describeRefusal('reply', { ok: false, reason: 'held-by-other', status: state.status, holder: state.holder }), flags: MessageFlags.Ephemeral });
      return;
    }
    const handle = state.triage.mention.author.handle;
    const input = new TextInputBuilder()
      .setCustomId(REPLY_INPUT)
      .setStyle(TextInputStyle.Paragraph)
      .setRequired(true)
      .setMaxLength(REPLY_MAX)
      .setValue(state.triage.reply.text.slice(0, REPLY_MAX));
    const modal = new ModalBuilder()
      .setCustomId(`mt:reply:${key}`)
      .setTitle(plainForDiscord(`Reply to @${handle}`, 45) || 'Reply')
      .addLabelComponents(new LabelBuilder().setLabel('Your reply (edit it: make it yours)').setTextInputComponent(input));
    await interaction.showModal(modal);
  }

  /**
   * Sends through the platform, then records and says so. Only the send decides "sent" or
   * "not sent": a failure after the platform took the reply is logged, never reported as
   * "not sent" (that would invite a second public reply).
   */
  async function sendReply(interaction: ModalSubmitInteraction, key: string, mention: Mention, replier: Replier, text: string, actor: Actor): Promise<void> {
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
    if (after) await refreshOtherCards(after, '');
  }

  async function onReplySubmitted(interaction: ModalSubmitInteraction, key: string): Promise<void> {
    const actor = actorOf(interaction);
    const text = interaction.fields.getTextInputValue(REPLY_INPUT).trim();
    // Acknowledge at once: Redis and the platform may take longer than Discord's 3 s.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
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
    if (state && claimed.ok) await refreshOtherCards(state, '');
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
    const full = `${why}Your reply, ready to paste${where}:\n${fenced(text)}${over}\nResolve the card once it is sent.`;
    // Past Discord's 2,000 characters the reply itself must survive: the extras go first.
    await answer(full.length <= DISCORD_MESSAGE_MAX ? full : `Your reply, ready to paste:\n${fenced(text)}${over}`);
  }

  const onCommand = createCommandHandler({ store, now });

  return async function handle(interaction: Interaction): Promise<void> {
    if (interaction.isChatInputCommand()) {
      await onCommand(interaction).catch((error: Error) => log.error({ command: interaction.commandName, err: error.message }, 'command failed'));
      return;
    }
    if (!interaction.isButton() && !interaction.isModalSubmit()) return;
    const parsed = parseButtonId(interaction.customId);
    if (!parsed) return;
    try {
      if (interaction.isModalSubmit()) {
        if (parsed.action === 'reply') await onReplySubmitted(interaction, parsed.key);
        return;
      }
      await onButton(interaction, parsed.action, parsed.key);
    } catch (error) {
      log.error({ key: parsed.key, action: parsed.action, err: (error as Error).message }, 'interaction failed');
      if (!interaction.replied && !interaction.deferred) {
        await interaction.reply({ content: 'Something went wrong; please try again.', flags: MessageFlags.Ephemeral }).catch(() => undefined);
      }
    }
  };
}

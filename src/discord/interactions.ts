import {
  ActionRowBuilder,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  UserSelectMenuBuilder,
  type ButtonInteraction,
  type Interaction,
  type Message,
  type ModalSubmitInteraction,
  type UserSelectMenuInteraction,
} from 'discord.js';
import type { Logger } from 'pino';
import { buttonId, describeRefusal, ESCALATION_CHANNEL, parseButtonId, type Actor, type CardAction, type StateAction } from '../core/card-actions.js';
import { describeWhoMay, mayAct, standingOf, type TeamRoles } from '../core/card-permissions.js';
import type { SlaTimers } from '../pipeline/sla-worker.js';
import type { Platform } from '../core/mention.js';
import type { Notifier } from '../pipeline/notifier.js';
import type { Replier } from '../sources/replier.js';
import { cardJobId, ESCALATION_PRIORITY, type Queues } from '../pipeline/queues.js';
import type { MentionState, MentionStore, TransitionOptions } from '../store/mention-store.js';
import { safeForDiscord } from '../core/display-text.js';
import { renderCard } from './card.js';
import { renderStack, stackKeys } from './card-stack.js';
import { createCommandHandler, type CommandDeps } from './commands.js';
import { onCorrection, outcomeLabel, parseCorrection } from './corrections.js';
import { parseReviewButton } from './reply-review.js';
import { createReplyDelivery } from './reply-delivery.js';
import { actorOf, channelKeyOf, messageOptions, MISSING, roleIdList, roleIdsOf, type CardInteraction, type RepliableInteraction } from './interaction-kit.js';
import { cardFor, createCardNotes } from './card-notes.js';
import { createWordOfMouth } from './word-of-mouth.js';
import { createDigestOpen, DIGEST_OPEN_ID } from './digest-open.js';
import type { IncidentStore } from '../store/incident-store.js';
import type { ModelStore } from '../store/model-store.js';
import type { SuggestedReply, TriageResult } from '../core/triage-result.js';
import type { TriagePolicy } from '../core/triage.js';

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
  /** Who may do what (`discord.roles`). @defaultValue none configured: everyone may do everything */
  roles?: TeamRoles;
  /** Moves the SLA timers after each state change. @defaultValue no timers */
  sla?: Pick<SlaTimers, 'set'>;
  /** Where `/triage incident` keeps the incident outage drafts speak to. @defaultValue none: the subcommand says it is not set up */
  incidents?: IncidentStore;
  /** The draft the Reply modal opens with, made again at that moment. @defaultValue the draft made at triage */
  redraft?: (triage: TriageResult) => Promise<SuggestedReply>;
  /** Where the "Wrong?" menu's corrections and confirmed outcomes are kept as labels for the word model. @defaultValue none: no labels kept */
  labels?: Pick<ModelStore, 'addLabel'>;
  /** The triage policy in force, for `/triage explain`. @defaultValue none: the subcommand says it is not set up */
  policy?: () => Promise<TriagePolicy>;
  /** What `/triage stats` reads for a period (see stats-command.ts). Absent: it answers the counts by status only. */
  stats?: CommandDeps['stats'];
  /** Discord channel ids the cards are posted in: messages in their threads are kept as notes. @defaultValue none: no thread message is read */
  cardChannelIds?: ReadonlySet<string>;
  now?: () => Date;
}

const NO_ROLES: TeamRoles = { members: [], leads: [] };
const DISMISS_REASON = 'reason';

/** Dismiss asks why, so the history (and the card) says it. */
function dismissModal(key: string): ModalBuilder {
  const input = new TextInputBuilder()
    .setCustomId(DISMISS_REASON)
    .setStyle(TextInputStyle.Short)
    .setRequired(true)
    .setMinLength(2)
    .setMaxLength(200)
    .setPlaceholder('Spam, not about us, answered elsewhere, duplicate…');
  return new ModalBuilder()
    .setCustomId(buttonId('dismiss', key))
    .setTitle('Dismiss this mention')
    .addLabelComponents(new LabelBuilder().setLabel('Why? (shown on the card, kept in history)').setTextInputComponent(input));
}

/**
 * Handles the card's buttons and the reply modal. `parse` (is it ours, which action,
 * which mention) is `parseButtonId`; this runs the effect: one atomic state change in
 * Redis, then the card is updated in place (Discord's 3-second window is met by the
 * update itself) and the mention's other cards are refreshed.
 */
export function createInteractionHandler(deps: InteractionDeps) {
  const { store, notifier, queues, log, escalationChannel = ESCALATION_CHANNEL, now = () => new Date(), repliers = new Map(), deferAfterMs = 1500, roles = NO_ROLES, sla } = deps;

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
  // One job per escalation (the state change count is in its id): the leads hear of each.
  async function escalate(state: MentionState, actor: Actor): Promise<void> {
    await queues.notifyFor(escalationChannel).add(
      'card',
      { key: state.key, channelKey: escalationChannel, escalatedBy: actor.name, priority: ESCALATION_PRIORITY },
      { jobId: `${cardJobId(state.key, escalationChannel)}-r${state.rev}`, priority: ESCALATION_PRIORITY },
    );
  }

  /** Timers follow every state change; a failure to set them never undoes the change. */
  async function retime(state: MentionState): Promise<MentionState> {
    if (!sla) return state;
    try {
      return await sla.set(state);
    } catch (error) {
      log.error({ key: state.key, err: (error as Error).message }, 'could not set the SLA timers');
      return state;
    }
  }

  /** Says privately who may do it, when the clicker may not; true when they may. */
  async function permitted(interaction: RepliableInteraction, action: CardAction): Promise<boolean> {
    // Releasing someone else's claim is a lead's: the store refuses it to anyone else.
    if (mayAct(action, standingOf(roleIdsOf(interaction), roles), true)) return true;
    log.info({ action, userId: interaction.user.id }, 'card action refused: not allowed by role');
    await interaction.reply({ content: describeWhoMay(action, roles, true), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    return false;
  }

  /**
   * One state change from a click on a card (or a modal opened from it): applied atomically,
   * the timers moved, then the clicked card updated in place and the other copies refreshed.
   */
  async function changeState(interaction: CardInteraction, action: StateAction, key: string, options: TransitionOptions = {}): Promise<void> {
    const actor = actorOf(interaction);
    const jobLog = log.child({ key, action, userId: actor.id });
    const work = (async () => {
      const outcome = await store.transition(key, action, actor, now(), options);
      const state = outcome.ok ? await store.get(key) : undefined;
      return { outcome, state: state && (await retime(state)) };
    })();
    // Redis is usually quick; when it is not (just restarted, failing over), acknowledge
    // within Discord's 3 seconds and give the answer once it is known.
    const deferred = await Promise.race([work.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), deferAfterMs).unref())]);
    if (deferred) await interaction.deferUpdate().catch((error: Error) => jobLog.warn({ err: error.message }, 'could not acknowledge the click'));
    const { outcome, state } = await work;
    const tell = (content: string) =>
      (deferred ? interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } }) : interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } })).catch(
        (error: Error) => jobLog.warn({ err: error.message }, 'could not answer the click'),
      );
    if (!outcome.ok) {
      jobLog.info({ reason: outcome.reason }, 'card action refused');
      const othersClaim = action === 'release' && outcome.reason === 'held-by-other';
      await tell(othersClaim ? describeWhoMay('release', roles, false) : describeRefusal(action, outcome));
      return;
    }
    if (!state) return void (await tell(describeRefusal(action, MISSING)));
    // A card in a stack is shown again with the others of its message, each as it is now.
    const stack = await stackWith(state, stackKeys(interaction.message));
    const channelKey = channelKeyOf(state, interaction.message.id);
    const card = messageOptions(stack && stack.length > 1 ? renderStack(stack, channelKey) : renderCard(state, channelKey));
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
    await recordOutcome(state, action, actor, options.detail).catch((error: Error) => jobLog.warn({ err: error.message }, 'could not record the outcome as a label'));
    if (action === 'escalate') await escalate(state, actor);
    if (!refreshedAll) await refreshOtherCards(state, interaction.message.id);
    await lineInThread(interaction.message, state, action, actor, options).catch((error: Error) => jobLog.warn({ err: error.message }, 'could not write the change in the card thread'));
  }

  /** A change made on a card whose thread is open is written there too. */
  async function lineInThread(message: Pick<Message, 'id' | 'hasThread'>, state: MentionState, action: StateAction, actor: Actor, options: TransitionOptions): Promise<void> {
    const card = message.hasThread ? cardFor(state, message.id) : undefined;
    if (!card || card.messageId !== message.id) return;
    await notes.lineInOpenThread(card, state, { what: 'history', action, at: now().toISOString(), by: actor.name, ...(options.target ? { target: options.target.name } : {}), ...(options.detail ? { detail: options.detail } : {}) });
  }

  /** A resolved mention, or one dismissed as spam, becomes a label for the word model. */
  async function recordOutcome(state: MentionState, action: StateAction, actor: Actor, detail?: string): Promise<void> {
    const correction = deps.labels && outcomeLabel(action, state, detail);
    if (!correction) return;
    await deps.labels?.addLabel({ key: state.key, text: state.triage.mention.text, correction, by: actor.name, via: action === 'resolve' ? 'resolved' : 'dismissed', at: now().toISOString() });
  }

  async function onButton(interaction: ButtonInteraction, action: CardAction, key: string): Promise<void> {
    if (!(await permitted(interaction, action))) return;
    if (action === 'reply') return replies.openReplyModal(interaction, key, actorOf(interaction));
    if (action === 'note') return notes.onNoteButton(interaction, key);
    if (action === 'thank') return wordOfMouth.onThank(interaction, key, actorOf(interaction));
    if (action === 'share') return wordOfMouth.onShare(interaction, key);
    if (action === 'open') return;
    if (action === 'dismiss') return void (await interaction.showModal(dismissModal(key)));
    if (action === 'reassign') return pickAssignee(interaction, key);
    const lead = standingOf(roleIdsOf(interaction), roles) === 'lead';
    await changeState(interaction, action, key, action === 'release' && lead ? { overrideHolder: true } : {});
  }

  /** A lead picks whom the mention goes to: a user menu, privately. */
  async function pickAssignee(interaction: ButtonInteraction, key: string): Promise<void> {
    const menu = new UserSelectMenuBuilder().setCustomId(buttonId('reassign', key)).setPlaceholder('Give this mention to…').setMinValues(1).setMaxValues(1);
    await interaction.reply({
      content: 'Who should take this mention? They will hold it from now on.',
      components: [new ActionRowBuilder<UserSelectMenuBuilder>().addComponents(menu)],
      flags: MessageFlags.Ephemeral,
    });
  }

  /** The person picked in the user menu, named as the card will show them, with their role ids. */
  async function pickedMember(interaction: UserSelectMenuInteraction): Promise<{ actor: Actor; roleIds: string[] } | undefined> {
    const id = interaction.values[0];
    if (!id) return undefined;
    const resolved = interaction.members.get(id) as { nick?: string | null; nickname?: string | null; roles?: unknown } | undefined;
    const fetched = resolved ? undefined : await interaction.guild?.members.fetch(id).catch(() => undefined);
    const member = (resolved ?? fetched) as { nick?: string | null; nickname?: string | null; roles?: unknown } | undefined;
    const user = interaction.users.get(id) ?? fetched?.user;
    const nick = [member?.nickname, member?.nick].find((n): n is string => typeof n === 'string' && n.trim() !== '');
    return { actor: { id, name: `@${nick ?? user?.globalName ?? user?.username ?? id}` }, roleIds: roleIdList(member?.roles) };
  }

  async function onAssigneePicked(interaction: UserSelectMenuInteraction, key: string): Promise<void> {
    if (!(await permitted(interaction, 'reassign'))) return;
    const picked = await pickedMember(interaction);
    const answer = (content: string) => interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    if (!picked) return void (await answer('Pick someone to give the mention to.'));
    const name = safeForDiscord(picked.actor.name, 80);
    if (standingOf(picked.roleIds, roles) === 'outsider') return void (await answer(`${name} is not on the team: ${describeWhoMay('claim', roles, true).replace(/^Sorry, only /, 'only ')}`));
    const outcome = await store.transition(key, 'reassign', actorOf(interaction), now(), { target: picked.actor });
    if (!outcome.ok) return void (await answer(describeRefusal('reassign', outcome)));
    const state = await store.get(key);
    await answer(`Given to ${name}: the card says so.`);
    if (!state) return;
    await refreshOtherCards(await retime(state), '');
    // The new holder hears of it under the card, pinged by name.
    const card = state.cards.find((c) => c.channelKey === state.triage.route.channel) ?? state.cards[0];
    if (card) {
      await notifier
        .post(card.channelKey, { kind: 'assigned', card, to: picked.actor, by: actorOf(interaction) }, `assigned/${key}/${state.rev}`)
        .catch((error: Error) => log.warn({ key, err: error.message }, 'could not tell the new holder'));
    }
  }

  async function onDismissSubmitted(interaction: ModalSubmitInteraction, key: string): Promise<void> {
    if (!(await permitted(interaction, 'dismiss'))) return;
    const reason = interaction.fields.getTextInputValue(DISMISS_REASON).trim();
    if (!interaction.isFromMessage()) return void (await interaction.reply({ content: 'Dismiss from the card itself.', flags: MessageFlags.Ephemeral }));
    await changeState(interaction, 'dismiss', key, reason ? { detail: reason } : {});
  }

  const replies = createReplyDelivery({ store, log, now, repliers, ...(deps.redraft ? { redraft: deps.redraft } : {}), refreshCards: (state) => refreshOtherCards(state, ''), retime });
  const notes = createCardNotes({ store, notifier, log, now, cardChannelIds: deps.cardChannelIds ?? new Set() });
  const wordOfMouth = createWordOfMouth({ store });
  const onDigestOpen = createDigestOpen({ store, notifier, ...(sla ? { sla } : {}), log, now });
  const onCommand = createCommandHandler({ store, now, roles, ...(deps.incidents ? { incidents: deps.incidents } : {}), ...(deps.policy ? { policy: deps.policy } : {}), ...(deps.stats ? { stats: deps.stats } : {}) });

  /** A message written in a card's thread, kept as a note (discord.js `messageCreate`). */
  const onMessage = (message: Message): Promise<void> =>
    notes.onThreadMessage(message).catch((error: Error) => log.error({ channelId: message.channelId, err: error.message }, 'could not keep a thread message as a note'));

  return Object.assign(async function handle(interaction: Interaction): Promise<void> {
    if (interaction.isChatInputCommand()) {
      await onCommand(interaction).catch((error: Error) => log.error({ command: interaction.commandName, err: error.message }, 'command failed'));
      return;
    }
    if (interaction.isStringSelectMenu() && interaction.customId === DIGEST_OPEN_ID) {
      if (!(await permitted(interaction, 'open'))) return;
      await onDigestOpen(interaction, actorOf(interaction)).catch((error: Error) => log.error({ err: error.message }, 'opening a digest mention as a card failed'));
      return;
    }
    if (interaction.isStringSelectMenu()) {
      const correction = parseCorrection(interaction.customId, interaction.values);
      if (!correction || !deps.labels) return;
      // Teaching the model is a team member's act, like any other on the card.
      if (!(await permitted(interaction, 'claim'))) return;
      await onCorrection(interaction, correction, actorOf(interaction), { store, labels: deps.labels, render: (state) => messageOptions(renderCard(state, channelKeyOf(state, interaction.message.id))), now }).catch((error: Error) =>
        log.error({ key: correction.key, err: error.message }, 'correction failed'),
      );
      return;
    }
    if (!interaction.isButton() && !interaction.isModalSubmit() && !interaction.isUserSelectMenu()) return;
    const reviewClick = interaction.isButton() ? parseReviewButton(interaction.customId) : undefined;
    if (reviewClick && interaction.isButton()) {
      try {
        if (await permitted(interaction, 'reply')) await replies.review.onClick(interaction, reviewClick, replies.deliverReply);
      } catch (error) {
        log.error({ key: reviewClick.key, err: (error as Error).message }, 'reply review failed');
        if (!interaction.replied && !interaction.deferred) await interaction.reply({ content: 'Something went wrong; please try again.', flags: MessageFlags.Ephemeral }).catch(() => undefined);
      }
      return;
    }
    const parsed = parseButtonId(interaction.customId);
    if (!parsed) return;
    try {
      if (interaction.isModalSubmit()) {
        if (parsed.action === 'reply' && (await permitted(interaction, 'reply'))) await replies.onReplySubmitted(interaction, parsed.key);
        if (parsed.action === 'dismiss') await onDismissSubmitted(interaction, parsed.key);
        if (parsed.action === 'note' && (await permitted(interaction, 'note'))) await notes.onNoteSubmitted(interaction, parsed.key, actorOf(interaction));
        return;
      }
      if (interaction.isUserSelectMenu()) {
        if (parsed.action === 'reassign') await onAssigneePicked(interaction, parsed.key);
        return;
      }
      await onButton(interaction, parsed.action, parsed.key);
    } catch (error) {
      log.error({ key: parsed.key, action: parsed.action, err: (error as Error).message }, 'interaction failed');
      if (!interaction.replied && !interaction.deferred) {
        await interaction.reply({ content: 'Something went wrong; please try again.', flags: MessageFlags.Ephemeral }).catch(() => undefined);
      }
    }
  }, { onMessage });
}

import {
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { MentionStatus } from '../core/card-actions.js';
import { safeForDiscord } from '../core/display-text.js';
import { formatMinutes } from '../core/sla.js';
import type { TriagePolicy } from '../core/triage.js';
import type { MentionState, MentionStore } from '../store/mention-store.js';
import { explainMessage, explainText, findMention, findMessage, notFoundMessage } from './lookup-commands.js';
import { createIncidentCommand, incidentSubcommand, type IncidentCommandDeps } from './incident-command.js';
import { answerStats, type StatsCommandDeps } from './stats-command.js';

/** The bot's slash commands, as registered with Discord. */
export const TRIAGE_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = new SlashCommandBuilder()
  .setName('triage')
  .setDescription('Mentions waiting for the team')
  .addSubcommand((c) =>
    c
      .setName('queue')
      .setDescription('Unclaimed mentions: overdue first, then by priority')
      .addIntegerOption((o) => o.setName('limit').setDescription('How many (default 10)').setMinValue(1).setMaxValue(25)),
  )
  .addSubcommand((c) =>
    c
      .setName('stats')
      .setDescription('Counts by mood, intent, source; times to claim and resolve; SLA; per member; with a chart')
      .addStringOption((o) => o.setName('period').setDescription('How far back: 24h, 7d, 30d (default 7d)').setMaxLength(10)),
  )
  .addSubcommand((c) =>
    c
      .setName('mine')
      .setDescription('The open mentions you hold, most urgent first')
      .addIntegerOption((o) => o.setName('limit').setDescription('How many (default 10)').setMinValue(1).setMaxValue(25)),
  )
  .addSubcommand((c) =>
    c
      .setName('find')
      .setDescription("One mention by its post's link or its key: status, holder, mood, rule, its card")
      .addStringOption((o) => o.setName('link').setDescription('The post link, or the mention key (x-1834…) or platform id').setRequired(true).setMaxLength(500)),
  )
  .addSubcommand((c) =>
    c
      .setName('explain')
      .setDescription('How a mention with this text would be judged and routed, rule by rule')
      .addStringOption((o) => o.setName('text').setDescription("The mention's text").setRequired(true).setMaxLength(1000)),
  )
  .addSubcommand(incidentSubcommand)
  .toJSON();

/** Every slash command the bot answers, as registered with Discord (at start, or by `commands register`). */
export const SLASH_COMMANDS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [TRIAGE_COMMAND];

export { formatMinutes };

/**
 * Minutes left to claim a mention (negative once overdue): to the SLA timer's claim time
 * when one runs (business hours, a release), else from the post.
 */
export function claimMinutesLeft(state: MentionState, now: Date): number {
  const dueAt = state.due?.kind === 'claim' ? Date.parse(state.due.at) : Number.NaN;
  if (Number.isFinite(dueAt)) return (dueAt - now.getTime()) / 60_000;
  return state.triage.route.claimWithinMinutes - (now.getTime() - Date.parse(state.triage.mention.createdAt)) / 60_000;
}

/**
 * The queue's order: overdue mentions first, then the rest, each part in the store's order
 * (priority, then oldest). Stable, so equal mentions keep their place.
 */
export function orderQueue(states: readonly MentionState[], now: Date): MentionState[] {
  const overdue = states.filter((s) => claimMinutesLeft(s, now) < 0);
  return [...overdue, ...states.filter((s) => !overdue.includes(s))];
}

/** One line of the queue: priority, age against the claim SLA, who and what, and a link to the card. */
export function queueLine(state: MentionState, guildId: string | null, now: Date): string {
  const { mention, route, classification } = state.triage;
  const age = (now.getTime() - Date.parse(mention.createdAt)) / 60_000;
  const left = claimMinutesLeft(state, now);
  const sla = left >= 0 ? `${formatMinutes(left)} left to claim` : `**claim overdue by ${formatMinutes(-left)}**`;
  const card = state.cards.find((c) => c.channelKey === route.channel) ?? state.cards[0];
  const link = card && guildId ? ` · [card](https://discord.com/channels/${guildId}/${card.channelId}/${card.messageId})` : '';
  const who = safeForDiscord(`@${mention.author.handle}`, 60);
  return `P${route.priority} · ${classification.intent} · ${who} on ${mention.source} · ${formatMinutes(age)} ago · ${sla}${link}`;
}

/** One line of `/triage mine`: priority, who and what, since when it is held, its resolve time, a link to the card. */
export function mineLine(state: MentionState, guildId: string | null, now: Date): string {
  const { mention, route, classification } = state.triage;
  const card = state.cards.find((c) => c.channelKey === route.channel) ?? state.cards[0];
  const link = card && guildId ? ` · [card](https://discord.com/channels/${guildId}/${card.channelId}/${card.messageId})` : '';
  const who = safeForDiscord(`@${mention.author.handle}`, 60);
  const held = state.lastAction ? ` · yours for ${formatMinutes((now.getTime() - Date.parse(state.lastAction.at)) / 60_000)}` : '';
  const dueAt = state.due?.kind === 'resolve' ? Date.parse(state.due.at) : Number.NaN;
  const due = Number.isFinite(dueAt) ? (dueAt <= now.getTime() ? ' · **resolve overdue**' : ` · resolve due <t:${Math.floor(dueAt / 1000)}:R>`) : '';
  return `P${route.priority} · ${classification.intent} · ${who} on ${mention.source}${held}${due}${link}`;
}

/** What a list message says: its header for n lines, and what it says when empty. */
export interface ListWords {
  header(n: number): string;
  empty: string;
}

const QUEUE_WORDS: ListWords = { header: (n) => `${n} unclaimed, most urgent first`, empty: 'Nothing waiting: every mention has been claimed. 🎉' };
const MINE_WORDS: ListWords = { header: (n) => `You hold ${n} open mention${n === 1 ? '' : 's'}, most urgent first`, empty: 'You hold no open mention: claim one from `/triage queue`.' };

/** The queue in one message of at most 2,000 characters: whole lines only, and how many did not fit. */
export function queueMessage(lines: string[], words: ListWords = QUEUE_WORDS): string {
  if (lines.length === 0) return words.empty;
  const header = `**${words.header(lines.length)}**`;
  let body = '';
  let shown = 0;
  // Room is kept for the closing line, so a link is never cut in half.
  for (const [i, line] of lines.entries()) {
    const next = `${body}\n${i + 1}. ${line}`;
    if (header.length + next.length > 1900) break;
    body = next;
    shown += 1;
  }
  const hidden = lines.length - shown;
  return `${header}${body}${hidden ? `\n…and ${hidden} more not shown (2,000-character limit): claim from the top, or ask for fewer` : ''}`;
}

/** How many unclaimed mentions `/triage queue` reads to find the overdue ones among them. */
const QUEUE_LOOKAHEAD = 200;

const STATUS_ORDER: MentionStatus[] = ['new', 'claimed', 'escalated', 'resolved', 'dismissed'];

/** What the command handler reads besides the store. */
export interface CommandDeps extends IncidentCommandDeps {
  store: MentionStore;
  /** The triage policy in force, read at each `/triage explain`. @defaultValue none: the subcommand says it is not set up */
  policy?: () => Promise<TriagePolicy>;
  /** What `/triage stats` reads for a period. @defaultValue none: it answers the counts by status only */
  stats?: Omit<StatsCommandDeps, 'now'>;
  now?: () => Date;
}

/** Answers the `/triage` subcommands, privately to the person who asked. */
export function createCommandHandler(deps: CommandDeps) {
  const { store, now = () => new Date() } = deps;
  const onIncident = createIncidentCommand(deps);
  return async (interaction: ChatInputCommandInteraction): Promise<void> => {
    if (interaction.commandName !== TRIAGE_COMMAND.name) return;
    const sub = interaction.options.getSubcommand();
    if (sub === 'incident') return onIncident(interaction);
    if (sub === 'find') {
      const reference = interaction.options.getString('link', true);
      const state = await findMention(store, reference);
      await interaction.reply({ content: state ? findMessage(state, interaction.guildId) : notFoundMessage(reference), flags: MessageFlags.Ephemeral });
      return;
    }
    if (sub === 'explain') {
      const text = interaction.options.getString('text', true);
      const content = deps.policy ? explainMessage(text, explainText(text, await deps.policy(), now())) : 'Explaining is not set up on this bot.';
      await interaction.reply({ content, flags: MessageFlags.Ephemeral });
      return;
    }
    if (sub === 'stats') {
      const statusLine = async () => {
        const counts = await store.counts();
        return STATUS_ORDER.map((s) => `${s}: **${counts[s]}**`).join(' · ');
      };
      if (deps.stats) return answerStats(interaction, { ...deps.stats, now }, statusLine);
      await interaction.reply({ content: await statusLine(), flags: MessageFlags.Ephemeral });
      return;
    }
    const limit = interaction.options.getInteger('limit') ?? 10;
    if (sub === 'mine') {
      const held = await store.heldBy(interaction.user.id, limit);
      const at = now();
      await interaction.reply({ content: queueMessage(held.map((s) => mineLine(s, interaction.guildId, at)), MINE_WORDS), flags: MessageFlags.Ephemeral });
      return;
    }
    // An overdue mention of a lower priority may sit past the first `limit`: read further.
    const at = now();
    const states = orderQueue(await store.unclaimed(QUEUE_LOOKAHEAD), at).slice(0, limit);
    await interaction.reply({ content: queueMessage(states.map((s) => queueLine(s, interaction.guildId, at))), flags: MessageFlags.Ephemeral });
  };
}

import {
  MessageFlags,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { MentionStatus } from '../core/card-actions.js';
import { safeForDiscord } from '../core/display-text.js';
import type { MentionState, MentionStore } from '../store/mention-store.js';

/** The bot's slash commands, as registered with Discord. */
export const TRIAGE_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = new SlashCommandBuilder()
  .setName('triage')
  .setDescription('Mentions waiting for the team')
  .addSubcommand((c) =>
    c
      .setName('queue')
      .setDescription('Unclaimed mentions, most urgent first')
      .addIntegerOption((o) => o.setName('limit').setDescription('How many (default 10)').setMinValue(1).setMaxValue(25)),
  )
  .addSubcommand((c) => c.setName('stats').setDescription('How many mentions are new, claimed, escalated, resolved, dismissed'))
  .toJSON();

/** "12 min", "3 h 5 min", "2 d". */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  return `${Math.floor(m / 1440)} d`;
}

/** One line of the queue: priority, age against the claim SLA, who and what, and a link to the card. */
export function queueLine(state: MentionState, guildId: string | null, now: Date): string {
  const { mention, route, classification } = state.triage;
  const age = (now.getTime() - Date.parse(mention.createdAt)) / 60_000;
  const left = route.claimWithinMinutes - age;
  const sla = left >= 0 ? `${formatMinutes(left)} left to claim` : `**claim overdue by ${formatMinutes(-left)}**`;
  const card = state.cards.find((c) => c.channelKey === route.channel) ?? state.cards[0];
  const link = card && guildId ? ` · [card](https://discord.com/channels/${guildId}/${card.channelId}/${card.messageId})` : '';
  const who = safeForDiscord(`@${mention.author.handle}`, 60);
  return `P${route.priority} · ${classification.intent} · ${who} on ${mention.source} · ${formatMinutes(age)} ago · ${sla}${link}`;
}

/** The queue in one message of at most 2,000 characters: whole lines only, and how many did not fit. */
export function queueMessage(lines: string[]): string {
  if (lines.length === 0) return 'Nothing waiting: every mention has been claimed. 🎉';
  const header = `**${lines.length} unclaimed, most urgent first**`;
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

const STATUS_ORDER: MentionStatus[] = ['new', 'claimed', 'escalated', 'resolved', 'dismissed'];

/** Answers `/triage queue` and `/triage stats`, privately to the person who asked. */
export function createCommandHandler(deps: { store: MentionStore; now?: () => Date }) {
  const { store, now = () => new Date() } = deps;
  return async (interaction: ChatInputCommandInteraction): Promise<void> => {
    if (interaction.commandName !== TRIAGE_COMMAND.name) return;
    const sub = interaction.options.getSubcommand();
    if (sub === 'stats') {
      const counts = await store.counts();
      const content = STATUS_ORDER.map((s) => `${s}: **${counts[s]}**`).join(' · ');
      await interaction.reply({ content, flags: MessageFlags.Ephemeral });
      return;
    }
    const limit = interaction.options.getInteger('limit') ?? 10;
    const states = await store.unclaimed(limit);
    const at = now();
    await interaction.reply({ content: queueMessage(states.map((s) => queueLine(s, interaction.guildId, at))), flags: MessageFlags.Ephemeral });
  };
}

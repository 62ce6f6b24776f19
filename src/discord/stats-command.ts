/**
 * `/triage stats [period]`: the team's numbers over a period (counts by mood, intent and
 * source, median times to claim and resolve, the SLA hit rate, each member's part) as one
 * embed within Discord's limits, with a chart of the volume by mood attached.
 */
import { MessageFlags, type APIEmbed, type ChatInputCommandInteraction } from 'discord.js';
import { safeForDiscord } from '../core/display-text.js';
import type { ReportSettings } from '../core/report-row.js';
import { formatMinutes } from '../core/sla.js';
import { parseStatsPeriod, STATS_MOODS, summariseStats, type StatsPeriod, type TeamStats } from '../core/stats.js';
import type { MentionStore } from '../store/mention-store.js';
import { readStatsEntries, type StatsIndex } from '../store/stats-index.js';
import { renderMoodChart } from './charts.js';

/** What the stats read from the configuration in force. */
export interface StatsSettings extends ReportSettings {
  /** The team's time zone: days and hours of the chart. */
  timeZone: string;
  /** The longest period that can be asked for, in days (how long the index keeps mentions). */
  maxDays: number;
}

/** What `/triage stats` reads. */
export interface StatsCommandDeps {
  index: Pick<StatsIndex, 'keysBetween' | 'histories'>;
  /** The plain store: stats read each mention's recorded triage, never a reply draft (drafting each would be wasted work). */
  store: Pick<MentionStore, 'get'>;
  settings: () => StatsSettings;
  now?: () => Date;
}

/** The file name of the chart attached to the answer. */
export const STATS_CHART_FILE = 'mention-stats.png';

/** Discord's limit on one embed field's value. */
const FIELD_MAX = 1024;

/** The stats of the mentions posted in the period up to `now`, read through the index. */
export async function computeStats(deps: StatsCommandDeps, period: StatsPeriod, now: Date): Promise<TeamStats> {
  const settings = deps.settings();
  const from = new Date(now.getTime() - period.ms);
  const keys = await deps.index.keysBetween(from, now);
  const entries = await readStatsEntries(deps.store, deps.index, keys, settings, now);
  return summariseStats(entries, { from, to: now }, settings.timeZone);
}

/** Lines joined while they fit `max` characters, then how many did not ("…and 3 more"). */
export function fitLines(lines: readonly string[], max: number = FIELD_MAX, empty = 'none'): string {
  if (lines.length === 0) return empty;
  const reserve = `\n…and ${lines.length} more`.length;
  let out = '';
  let shown = 0;
  for (const line of lines) {
    const next = shown ? `${out}\n${line}` : line;
    const last = shown === lines.length - 1;
    if (next.length + (last ? 0 : reserve) > max) break;
    out = next;
    shown += 1;
  }
  const hidden = lines.length - shown;
  if (hidden === 0) return out;
  return shown ? `${out}\n…and ${hidden} more` : `…${hidden} not shown`;
}

const minutes = (value: number | undefined) => (value === undefined ? '–' : formatMinutes(value));
const percent = (part: number, whole: number) => (whole ? `${Math.round((100 * part) / whole)}%` : '–');

/** The answer's embed: every value made safe and cut to Discord's field limits; the chart as its image. */
export function statsEmbed(stats: TeamStats, period: StatsPeriod, timeZone: string, withChart: boolean): APIEmbed {
  const from = Math.floor(Date.parse(stats.from) / 1000);
  const to = Math.floor(Date.parse(stats.to) / 1000);
  const decided = stats.sla.met + stats.sla.missed;
  const counts = (list: TeamStats['byIntent']) => list.map((c) => `${safeForDiscord(c.name, 60)}: **${c.count}**`);
  const members = stats.members.map(
    (m) =>
      `${safeForDiscord(m.name, 80)}: ${m.claimed} claimed (median ${minutes(m.claimMedianMinutes)}) · ${m.resolved} resolved (median ${minutes(m.resolveMedianMinutes)})`,
  );
  return {
    title: `Mentions in the last ${period.label}`,
    description: `**${stats.total}** posted <t:${from}:f> – <t:${to}:f> · days and hours in ${safeForDiscord(timeZone, 60)}`,
    fields: [
      { name: 'Mood', value: STATS_MOODS.map((mood) => `${mood}: **${stats.byMood[mood]}**`).join(' · '), inline: false },
      { name: 'Intent', value: fitLines(counts(stats.byIntent), 400), inline: true },
      { name: 'Source', value: fitLines(counts(stats.bySource), 400), inline: true },
      {
        name: 'Time to claim / resolve',
        value: `claim: median **${minutes(stats.claimMedianMinutes)}** (${stats.claimed} claimed)\nresolve: median **${minutes(stats.resolveMedianMinutes)}** (${stats.resolved} resolved)\nfrom arrival (first card)`,
        inline: false,
      },
      {
        name: 'SLA',
        value: `**${percent(stats.sla.met, decided)}** met (${stats.sla.met} of ${decided} decided) · ${stats.sla.missed} missed · ${stats.sla.pending} still open`,
        inline: false,
      },
      { name: 'Per member', value: fitLines(members, FIELD_MAX, 'nobody claimed or resolved a mention'), inline: false },
    ],
    ...(withChart ? { image: { url: `attachment://${STATS_CHART_FILE}` } } : {}),
    footer: { text: withChart ? `Chart: mentions by mood per ${stats.series.unit}` : 'The chart could not be drawn on this machine' },
  };
}

/**
 * Answers `/triage stats`, privately: at once with `content` (the queue's counts by
 * status), then the same message is edited to carry the period's embed and its chart
 * (reading a month of mentions and drawing may take longer than Discord's 3 seconds).
 */
export async function answerStats(interaction: ChatInputCommandInteraction, deps: StatsCommandDeps, content: () => Promise<string>): Promise<void> {
  const settings = deps.settings();
  const period = parseStatsPeriod(interaction.options.getString('period'), settings.maxDays);
  if ('error' in period) {
    await interaction.reply({ content: `Cannot read that period: ${period.error}.`, flags: MessageFlags.Ephemeral });
    return;
  }
  const text = await content();
  await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
  const now = (deps.now ?? (() => new Date()))();
  const stats = await computeStats(deps, period, now).catch(async (error: Error) => {
    await interaction.editReply({ content: `${text}\nThe stats of the last ${period.label} could not be read; please try again.` }).catch(() => undefined);
    throw error;
  });
  const chart = await renderMoodChart(stats.series, `Mentions by mood, last ${period.label} (${settings.timeZone})`).catch(() => undefined);
  await interaction.editReply({
    content: text,
    embeds: [statsEmbed(stats, period, settings.timeZone, chart !== undefined)],
    files: chart ? [{ attachment: chart, name: STATS_CHART_FILE, description: `Mentions by mood per ${stats.series.unit}, last ${period.label}` }] : [],
  });
}

/** The stats settings of a configuration: SLA times, the team's time zone, the index's retention. */
export function statsSettingsOf(config: { sla: ReportSettings; routing: { timeZone: string }; retention: { closedDays: number } }): StatsSettings {
  return {
    resolveWithinMinutes: config.sla.resolveWithinMinutes,
    ...(config.sla.businessHours ? { businessHours: config.sla.businessHours } : {}),
    timeZone: config.routing.timeZone,
    maxDays: Math.max(1, Math.floor(config.retention.closedDays)),
  };
}

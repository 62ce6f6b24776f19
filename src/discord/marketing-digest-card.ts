/**
 * The marketing digest as a Discord message (one embed, the week's chart attached as its
 * image) and as terminal text. Whole lines only, every text made safe, within Discord's
 * embed limits (description 4,096, field 1,024, 6,000 in all).
 */
import type { APIEmbed } from 'discord.js';
import { safeForDiscord, safeForTerminal } from '../core/display-text.js';
import { formatChange, type DigestEntry, type MarketingDigest } from '../core/marketing-digest.js';
import { STATS_MOODS } from '../core/stats.js';
import { axisLabel, renderMoodChart } from './charts.js';
import { formatCount, isLinkable, maskedLink } from './format.js';
import { fitLines } from './stats-command.js';

/** The file name of the week's chart attached to the digest. */
export const DIGEST_CHART_FILE = 'marketing-week.png';

/** Room for the top mentions in the embed's description. */
const TOP_MAX = 3000;
const TEXT_MAX = 140;

/** One top mention: who, where, reach, the start of the text, a link to the post. */
function topLine(entry: DigestEntry, rank: number): string {
  const who = `**@${safeForDiscord(entry.handle, 60)}** on ${safeForDiscord(entry.source, 30)} (${formatCount(entry.reach)})`;
  const text = safeForDiscord(entry.text.replace(/\s+/g, ' '), TEXT_MAX) || '*(no text)*';
  const link = isLinkable(entry.url) && entry.url.length <= 500 ? ` · ${maskedLink('post', entry.url)}` : '';
  return `${rank}. ${who}: ${text}${link}`;
}

/** `4 (+2)`: a count and its change from the day before. */
const versus = (count: number, previous: number) => `**${count}** (${formatChange(count, previous)})`;

/** The digest's embed; `withChart` shows the attached week chart as its image. */
export function marketingDigestEmbed(digest: MarketingDigest, withChart: boolean): APIEmbed {
  const to = Math.floor(Date.parse(digest.to) / 1000);
  const { happy } = digest;
  const head = `**${happy.count}** happy mentions (${formatChange(happy.count, happy.previous)} on the day before), reach **${formatCount(happy.reach)}** (${formatCount(happy.previousReach)} the day before) · the 24 hours to <t:${to}:f>`;
  const top = fitLines(digest.top.map((entry, i) => topLine(entry, i + 1)), TOP_MAX, '*No happy mention in these 24 hours.*');
  return {
    title: `Word of mouth · ${digest.day}`,
    description: `${head}\n\n${top}`,
    fields: [
      { name: 'By mood (vs the day before)', value: STATS_MOODS.map((mood) => `${mood}: ${versus(digest.byMood[mood].count, digest.byMood[mood].previous)}`).join('\n'), inline: true },
      { name: 'By source (vs the day before)', value: fitLines(digest.bySource.map((s) => `${safeForDiscord(s.name, 40)}: ${versus(s.count, s.previous)}`), 600), inline: true },
      { name: 'All mentions', value: versus(digest.total.count, digest.total.previous), inline: true },
    ],
    ...(withChart ? { image: { url: `attachment://${DIGEST_CHART_FILE}` } } : {}),
    footer: { text: withChart ? `The week's mentions by mood per day (${digest.timeZone})` : `The week's chart could not be drawn (${digest.timeZone})` },
  };
}

/** The digest for a terminal: the same numbers, the week as a table instead of a chart. */
export function marketingDigestText(digest: MarketingDigest): string {
  const { happy } = digest;
  const lines = [
    `Word of mouth · ${digest.day} (${digest.timeZone}): the 24 hours to ${digest.to}`,
    `${happy.count} happy mentions (${formatChange(happy.count, happy.previous)} on the day before), reach ${formatCount(happy.reach)} (${formatCount(happy.previousReach)} the day before)`,
    ...digest.top.map((e, i) => `  ${i + 1}. @${safeForTerminal(e.handle, 60)} on ${e.source} (${formatCount(e.reach)}): ${safeForTerminal(e.text.replace(/\s+/g, ' '), TEXT_MAX)}${e.url ? ` ${safeForTerminal(e.url, 300)}` : ''}`),
    `By mood: ${STATS_MOODS.map((m) => `${m} ${digest.byMood[m].count} (${formatChange(digest.byMood[m].count, digest.byMood[m].previous)})`).join(' · ')}`,
    `By source: ${digest.bySource.map((s) => `${safeForTerminal(s.name, 40)} ${s.count} (${formatChange(s.count, s.previous)})`).join(' · ') || 'none'}`,
    `The week by day (no chart in the terminal; Discord gets it as an image):`,
    ...digest.week.labels.map((label, i) => `  ${axisLabel(label, 'day')}  ${STATS_MOODS.map((m) => `${m} ${digest.week.counts[m][i] ?? 0}`).join(' · ')}`),
  ];
  return lines.join('\n');
}

/** A create-message body with the chart as its file, as the REST client sends it (multipart). */
export interface DigestMessage {
  body: { embeds: APIEmbed[]; attachments: Array<{ id: number; filename: string; description: string }>; allowed_mentions: { parse: [] } };
  files: Array<{ name: string; data: Buffer; contentType: string }>;
}

/** The digest's message: the embed and, when the chart could be drawn, the PNG it shows. */
export async function marketingDigestMessage(digest: MarketingDigest): Promise<DigestMessage> {
  const chart = await renderMoodChart(digest.week, `Mentions by mood, the week to ${digest.day}`).catch(() => undefined);
  return {
    body: {
      embeds: [marketingDigestEmbed(digest, chart !== undefined)],
      attachments: chart ? [{ id: 0, filename: DIGEST_CHART_FILE, description: `Mentions by mood per day, the week to ${digest.day}` }] : [],
      allowed_mentions: { parse: [] },
    },
    files: chart ? [{ name: DIGEST_CHART_FILE, data: chart, contentType: 'image/png' }] : [],
  };
}

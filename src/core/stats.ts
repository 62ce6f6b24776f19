/**
 * The team's numbers over a period: counts by mood, intent and source, how fast mentions
 * were claimed and resolved, the SLA hit rate, the same per member, and the volume by mood
 * per hour or day for a chart. Pure: the rows come from the store, the words from Discord.
 */
import { reportRow, type ReportEvent, type ReportRow, type ReportSettings, type ReportSource } from './report-row.js';
import { replyMood, type ReplyMood } from './suggest-reply.js';

/** The moods counted, in the order charts stack them (bottom first). */
export const STATS_MOODS: readonly ReplyMood[] = ['angry', 'unhappy', 'neutral', 'happy'];

/** One mention as the stats read it: its report row, its mood and when it arrived. */
export interface StatsEntry {
  row: ReportRow;
  mood: ReplyMood;
  /** Ms since the epoch: its first card, else its triage (the SLA clocks start here). */
  arrivedAt: number;
  /** Ms since the epoch it was posted (clamped to its arrival when the post claims a later time). */
  postedAt: number;
}

/** A mention's state and history as a stats entry (the report's row, plus mood and arrival). */
export function statsEntry(state: ReportSource, history: readonly ReportEvent[], settings: ReportSettings, now: Date): StatsEntry {
  const row = reportRow(state, history, settings, now);
  const posted = state.cards.map((c) => Date.parse(c.postedAt ?? '')).filter(Number.isFinite);
  const triaged = Date.parse(state.triagedAt);
  const arrivedAt = posted.length ? Math.min(...posted) : Number.isFinite(triaged) ? triaged : now.getTime();
  const postedAt = Date.parse(row.postedAt);
  return { row, mood: replyMood(state.triage.classification), arrivedAt, postedAt: Number.isFinite(postedAt) ? Math.min(postedAt, arrivedAt) : arrivedAt };
}

/** A period back from now: `24h`, `7d`, `2w`. */
export interface StatsPeriod {
  /** As given, normalised (`7d`). */
  label: string;
  ms: number;
}

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** The period `/triage stats` reads when none is given. */
export const DEFAULT_STATS_PERIOD = '7d';

/**
 * `24h`, `7d`, `2w` as a period of at least an hour and at most `maxDays` days; a reason
 * when it is not one.
 */
export function parseStatsPeriod(text: string | null | undefined, maxDays: number): StatsPeriod | { error: string } {
  const given = (text ?? DEFAULT_STATS_PERIOD).trim().toLowerCase();
  const match = /^(\d{1,4})\s*([hdw])$/.exec(given);
  if (!match) return { error: 'a period is a number and a unit: 24h, 7d, 30d or 2w' };
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms < UNIT_MS.h) return { error: 'a period is at least 1h' };
  if (ms > maxDays * UNIT_MS.d) return { error: `a period is at most ${maxDays}d (how long closed mentions are kept)` };
  return { label: `${match[1]}${match[2]}`, ms };
}

/** The middle value (mean of the two middle ones for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One member's part: by the name the store recorded with their actions. */
export interface MemberStats {
  name: string;
  claimed: number;
  resolved: number;
  /** Median minutes from arrival to their claim. */
  claimMedianMinutes?: number;
  /** Median minutes from arrival to their resolve. */
  resolveMedianMinutes?: number;
}

/** Volume per bucket (hour or day, in the team's time zone), by mood. */
export interface MoodSeries {
  unit: 'hour' | 'day';
  /** Bucket labels, oldest first: `2026-12-03` or `2026-12-03 14:00`. */
  labels: string[];
  counts: Record<ReplyMood, number[]>;
}

/** Everything `/triage stats` answers. */
export interface TeamStats {
  from: string;
  to: string;
  total: number;
  byMood: Record<ReplyMood, number>;
  /** Most first, then by name. */
  byIntent: Array<{ name: string; count: number }>;
  bySource: Array<{ name: string; count: number }>;
  claimed: number;
  resolved: number;
  claimMedianMinutes?: number;
  resolveMedianMinutes?: number;
  /** Mentions whose SLA was met, missed, or is still open to either. */
  sla: { met: number; missed: number; pending: number };
  /** Most claims first, then resolves, then name. */
  members: MemberStats[];
  series: MoodSeries;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local `YYYY-MM-DD` (and `HH:00` for hours) of an instant in a zone. */
export function localBucket(at: number, unit: 'hour' | 'day', timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  return unit === 'day' ? day : `${day} ${parts.hour}:00`;
}

/** The local buckets from `from` to `to`, oldest first (walked by the hour, so DST never skips or repeats a day). */
export function bucketLabels(from: number, to: number, unit: 'hour' | 'day', timeZone: string): string[] {
  const labels: string[] = [];
  const hour = UNIT_MS.h;
  for (let at = Math.floor(from / hour) * hour; at < to; at += hour) {
    const label = localBucket(Math.max(at, from), unit, timeZone);
    if (labels.at(-1) !== label) labels.push(label);
  }
  if (labels.length === 0) labels.push(localBucket(from, unit, timeZone));
  return labels;
}

/** Counts of names, most first, ties by name. */
export function countBy(values: readonly string[]): Array<{ name: string; count: number }> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

function emptyMoods<T>(make: () => T): Record<ReplyMood, T> {
  return { angry: make(), unhappy: make(), neutral: make(), happy: make() };
}

/** Volume by mood per bucket over `from`..`to`: by default hours for two days or less, else days. */
export function moodSeries(
  entries: ReadonlyArray<Pick<StatsEntry, 'postedAt' | 'mood'>>,
  from: number,
  to: number,
  timeZone: string,
  unit: 'hour' | 'day' = to - from <= 2 * UNIT_MS.d ? 'hour' : 'day',
): MoodSeries {
  const labels = bucketLabels(from, to, unit, timeZone);
  const index = new Map(labels.map((label, i) => [label, i]));
  const counts = emptyMoods(() => labels.map(() => 0));
  for (const entry of entries) {
    const i = index.get(localBucket(entry.postedAt, unit, timeZone));
    if (i !== undefined) counts[entry.mood][i]! += 1;
  }
  return { unit, labels, counts };
}

const minutesBetween = (from: number, to: string) => Math.max(0, (Date.parse(to) - from) / 60_000);

/**
 * The stats of the mentions posted in `from`..`to` (entries outside are left out). Times
 * to claim and resolve run from each mention's arrival; the SLA counts are the report's
 * `slaMet` of each mention.
 */
export function summariseStats(entries: readonly StatsEntry[], period: { from: Date; to: Date }, timeZone: string): TeamStats {
  const from = period.from.getTime();
  const to = period.to.getTime();
  const inPeriod = entries.filter((e) => e.postedAt >= from && e.postedAt <= to);
  const byMood = emptyMoods(() => 0);
  for (const e of inPeriod) byMood[e.mood] += 1;
  const claims = inPeriod.filter((e) => e.row.claimedAt);
  const resolves = inPeriod.filter((e) => e.row.resolvedAt);
  const names = [...new Set([...claims.map((e) => e.row.claimedBy), ...resolves.map((e) => e.row.resolvedBy)])];
  const members = names.map((name): MemberStats => {
    const own = claims.filter((e) => e.row.claimedBy === name);
    const closed = resolves.filter((e) => e.row.resolvedBy === name);
    const claimMedian = median(own.map((e) => minutesBetween(e.arrivedAt, e.row.claimedAt)));
    const resolveMedian = median(closed.map((e) => minutesBetween(e.arrivedAt, e.row.resolvedAt)));
    return {
      name,
      claimed: own.length,
      resolved: closed.length,
      ...(claimMedian !== undefined ? { claimMedianMinutes: claimMedian } : {}),
      ...(resolveMedian !== undefined ? { resolveMedianMinutes: resolveMedian } : {}),
    };
  });
  members.sort((a, b) => b.claimed - a.claimed || b.resolved - a.resolved || a.name.localeCompare(b.name));
  const claimMedian = median(claims.map((e) => minutesBetween(e.arrivedAt, e.row.claimedAt)));
  const resolveMedian = median(resolves.map((e) => minutesBetween(e.arrivedAt, e.row.resolvedAt)));
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    total: inPeriod.length,
    byMood,
    byIntent: countBy(inPeriod.map((e) => e.row.intent)),
    bySource: countBy(inPeriod.map((e) => e.row.source)),
    claimed: claims.length,
    resolved: resolves.length,
    ...(claimMedian !== undefined ? { claimMedianMinutes: claimMedian } : {}),
    ...(resolveMedian !== undefined ? { resolveMedianMinutes: resolveMedian } : {}),
    sla: {
      met: inPeriod.filter((e) => e.row.slaMet === 'yes').length,
      missed: inPeriod.filter((e) => e.row.slaMet === 'no').length,
      pending: inPeriod.filter((e) => e.row.slaMet === 'pending').length,
    },
    members,
    series: moodSeries(inPeriod, from, to, timeZone),
  };
}

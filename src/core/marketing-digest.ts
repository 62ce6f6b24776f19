/**
 * The marketing digest of one day: the happy mentions with the most reach (word of mouth),
 * counts by source and mood against the day before, and the week's volume by mood. Pure:
 * the pipeline reads the mentions, the Discord side draws it.
 */
import { minuteOfDay, zonedInstant } from './sla.js';
import { countBy, localBucket, moodSeries, STATS_MOODS, type MoodSeries } from './stats.js';
import type { ReplyMood } from './suggest-reply.js';

const DAY_MS = 86_400_000;

/** A mention as the digest reads it (from its stored triage). */
export interface DigestEntry {
  key: string;
  /** Ms since the epoch it was posted. */
  postedAt: number;
  mood: ReplyMood;
  source: string;
  reach: number;
  handle: string;
  text: string;
  url?: string;
  /** False for a mention never to be shown as word of mouth (spam, an impostor, one a rule suppressed); it still counts. @defaultValue true */
  listable?: boolean;
}

/** A count today and the day before. */
export interface DayOverDay {
  count: number;
  previous: number;
}

/** One digest, as posted. */
export interface MarketingDigest {
  /** The local date of the run in the digest's time zone (`2026-12-03`): one digest per day key. */
  day: string;
  timeZone: string;
  /** The 24 hours covered, ending at the run. */
  from: string;
  to: string;
  /** Happy mentions of those hours that may be shown, most reach first (ties: oldest first). */
  top: DigestEntry[];
  /** Happy mentions and their summed reach, against the day before. */
  happy: DayOverDay & { reach: number; previousReach: number };
  bySource: Array<{ name: string } & DayOverDay>;
  byMood: Record<ReplyMood, DayOverDay>;
  /** Seven local days: the run's day so far and the six before it. */
  week: MoodSeries;
  total: DayOverDay;
}

/** Local midnight, `daysBack` days before the local day of `at`. */
function localMidnight(at: Date, daysBack: number, timeZone: string): number {
  const [year, month, day] = localBucket(at.getTime(), 'day', timeZone).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day - daysBack));
  return zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), 0, timeZone).getTime();
}

/** The volume by mood per local day over the run's day so far and the six days before it. */
function weekSeries(entries: readonly DigestEntry[], runAt: Date, timeZone: string): MoodSeries {
  const from = localMidnight(runAt, 6, timeZone);
  const to = runAt.getTime();
  return moodSeries(entries.filter((e) => e.postedAt >= from && e.postedAt < to), from, to, timeZone, 'day');
}

/**
 * The digest of the 24 hours before `runAt`, compared with the 24 hours before those.
 * Entries outside the week are left out; `top` happy mentions are kept.
 */
export function buildMarketingDigest(entries: readonly DigestEntry[], runAt: Date, options: { timeZone: string; top: number }): MarketingDigest {
  const to = runAt.getTime();
  const from = to - DAY_MS;
  const before = from - DAY_MS;
  const today = entries.filter((e) => e.postedAt >= from && e.postedAt < to);
  const yesterday = entries.filter((e) => e.postedAt >= before && e.postedAt < from);
  const happyToday = today.filter((e) => e.mood === 'happy');
  const happyBefore = yesterday.filter((e) => e.mood === 'happy');
  const sum = (list: readonly DigestEntry[]) => list.reduce((total, e) => total + Math.max(0, e.reach), 0);
  const previousBySource = new Map(countBy(yesterday.map((e) => e.source)).map((c) => [c.name, c.count]));
  const bySource = countBy(today.map((e) => e.source)).map((c) => ({ name: c.name, count: c.count, previous: previousBySource.get(c.name) ?? 0 }));
  for (const [name, previous] of previousBySource) if (!bySource.some((s) => s.name === name)) bySource.push({ name, count: 0, previous });
  const byMood = Object.fromEntries(
    STATS_MOODS.map((mood) => [mood, { count: today.filter((e) => e.mood === mood).length, previous: yesterday.filter((e) => e.mood === mood).length }]),
  ) as Record<ReplyMood, DayOverDay>;
  return {
    day: localBucket(to, 'day', options.timeZone),
    timeZone: options.timeZone,
    from: new Date(from).toISOString(),
    to: runAt.toISOString(),
    top: happyToday.filter((e) => e.listable !== false).sort((a, b) => b.reach - a.reach || a.postedAt - b.postedAt || a.key.localeCompare(b.key)).slice(0, options.top),
    happy: { count: happyToday.length, previous: happyBefore.length, reach: sum(happyToday), previousReach: sum(happyBefore) },
    bySource,
    byMood,
    week: weekSeries(entries, runAt, options.timeZone),
    total: { count: today.length, previous: yesterday.length },
  };
}

/** `+3`, `−2`, `±0`: a change as the digest writes it. */
export function formatChange(count: number, previous: number): string {
  const change = count - previous;
  return change > 0 ? `+${change}` : change < 0 ? `−${-change}` : '±0';
}

/**
 * The first instant after `now` at which the wall clock in `timeZone` reads `at` (HH:MM):
 * today's time if it is still ahead, else tomorrow's (a time skipped by a DST change is
 * taken as the instant just after it).
 */
export function nextRunAt(now: Date, at: string, timeZone: string): Date {
  const [year, month, day] = localBucket(now.getTime(), 'day', timeZone).split('-').map(Number) as [number, number, number];
  for (let ahead = 0; ahead <= 2; ahead++) {
    const date = new Date(Date.UTC(year, month - 1, day + ahead));
    const run = zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), minuteOfDay(at), timeZone);
    if (run.getTime() > now.getTime()) return run;
  }
  throw new Error(`marketing digest: no run time found after ${now.toISOString()} for ${at} in ${timeZone}`);
}

/**
 * SLA due times: when a mention should be claimed or resolved, counting only the team's
 * business minutes when it has business hours, and the steps a timer takes once a time
 * passes (a reminder, then the leads). Pure; time zones through `Intl`.
 */
import type { MentionStatus } from './card-actions.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When the team works, in its own time zone. */
export interface BusinessHours {
  /** IANA zone, e.g. `Europe/London`. */
  timeZone: string;
  /** Working days. */
  days: readonly Weekday[];
  /** Start of the working day, `HH:MM` local time. */
  from: string;
  /** End of the working day, `HH:MM` local time (after `from`). */
  to: string;
}

const MINUTE = 60_000;

/** `"09:30"` → 570. */
export function minuteOfDay(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  /** Minutes since local midnight, with the seconds as a fraction. */
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(at: Date, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: String(parts.weekday).toLowerCase().slice(0, 3) as Weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute) + Number(parts.second) / 60,
  };
}

/** The zone's offset from UTC at an instant, in ms (London in summer: +3,600,000). */
function offsetAt(at: number, timeZone: string): number {
  const t = localTime(new Date(at), timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, 0, 0, 0) + Math.round(t.minute * 60) * 1000;
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a local wall time happens in a zone. A time skipped by a DST change
 * (01:30 on the spring-forward night in London) is taken as the instant just after it.
 */
export function zonedInstant(year: number, month: number, day: number, minuteOfTheDay: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day) + minuteOfTheDay * MINUTE;
  // Two passes settle the offset on either side of a change.
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  return new Date(guess);
}

/** The local calendar day after `t` (its date parts), independent of DST. */
function nextDay(t: LocalTime): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(t.year, t.month - 1, t.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * `minutes` after `start`, counting only business minutes when `hours` is given (a
 * complaint on Saturday night with 30 minutes to claim is due at 09:30 on Monday).
 * Without business hours, plain minutes.
 */
export function addBusinessMinutes(start: Date, minutes: number, hours?: BusinessHours): Date {
  if (!hours || minutes <= 0) return new Date(start.getTime() + Math.max(0, minutes) * MINUTE);
  const from = minuteOfDay(hours.from);
  const to = minuteOfDay(hours.to);
  let left = minutes;
  let at = start.getTime();
  // A year of days at most: the schema refuses an empty week, so this ends long before.
  for (let guard = 0; guard < 400; guard++) {
    const t = localTime(new Date(at), hours.timeZone);
    if (hours.days.includes(t.weekday) && t.minute < to) {
      const opensAt = t.minute < from ? zonedInstant(t.year, t.month, t.day, from, hours.timeZone).getTime() : at;
      const closesAt = zonedInstant(t.year, t.month, t.day, to, hours.timeZone).getTime();
      const room = (closesAt - opensAt) / MINUTE;
      if (left <= room) return new Date(opensAt + left * MINUTE);
      left -= room;
    }
    const next = nextDay(t);
    at = zonedInstant(next.year, next.month, next.day, 0, hours.timeZone).getTime();
  }
  throw new Error('business hours: no working minute found within a year (are any days configured?)');
}

/** "12 min", "3 h 5 min", "2 d". */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
  return `${Math.floor(m / 1440)} d`;
}

/** A timer's step: the reminder when a time passes, then the leads. */
export const SLA_STEPS = ['claim-remind', 'claim-leads', 'resolve-nudge', 'resolve-leads'] as const;
export type SlaStep = (typeof SLA_STEPS)[number];

/** What the card shows: the next time that matters, and whether it has passed. */
export interface SlaDue {
  kind: 'claim' | 'resolve';
  at: string;
  overdue?: boolean;
}

/** A timer to set: which step, when, and the time its wait is counted from. */
export interface SlaTimer {
  step: SlaStep;
  dueAt: Date;
  /** When the wait began: arrival, a release, a reopen. */
  since: Date;
}

export interface SlaPlanInput {
  status: MentionStatus;
  /** Since when nobody holds it (unclaimed statuses): arrival, or its last release, escalation or reopen. */
  waitingSince: Date;
  /** Since when it is open: arrival, or its last reopen. */
  openSince: Date;
  claimWithinMinutes: number;
  resolveWithinMinutes: number;
  businessHours?: BusinessHours;
}

/**
 * The timers a mention's state calls for. Unclaimed (`new`, `escalated`): a reminder at the
 * claim time, the leads one claim window later. Claimed: the holder nudged at the resolve
 * time, the leads one claim window later. Closed: none. Each time counts business minutes.
 */
export function planSla(input: SlaPlanInput): { due?: SlaDue; timers: SlaTimer[] } {
  const { status, businessHours: hours } = input;
  const after = (start: Date, minutes: number) => addBusinessMinutes(start, minutes, hours);
  if (status === 'new' || status === 'escalated') {
    const due = after(input.waitingSince, input.claimWithinMinutes);
    const since = input.waitingSince;
    return {
      due: { kind: 'claim', at: due.toISOString() },
      timers: [
        { step: 'claim-remind', dueAt: due, since },
        { step: 'claim-leads', dueAt: after(due, input.claimWithinMinutes), since },
      ],
    };
  }
  if (status === 'claimed') {
    const due = after(input.openSince, input.resolveWithinMinutes);
    const since = input.openSince;
    return {
      due: { kind: 'resolve', at: due.toISOString() },
      timers: [
        { step: 'resolve-nudge', dueAt: due, since },
        { step: 'resolve-leads', dueAt: after(due, input.claimWithinMinutes), since },
      ],
    };
  }
  return { timers: [] };
}

/** The statuses in which a step still applies when its timer fires. */
export function stepApplies(step: SlaStep, status: MentionStatus): boolean {
  return step.startsWith('claim') ? status === 'new' || status === 'escalated' : status === 'claimed';
}

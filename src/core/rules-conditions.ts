/**
 * The conditions of a routing rule and how each is checked against a mention. Pure: the
 * time of day is the mention's own (when it was written), read in the team's time zone.
 * Each check can also say, in words, why it does not hold (`rules explain`).
 */
import type { Intent, MoodFlag, Polarity } from './classification.js';
import type { Platform } from './mention.js';
import type { RouteInput } from './route.js';
import { minuteOfDay, type Weekday } from './sla.js';

/** Whole words or phrases, case-insensitive; spaces in a phrase match any whitespace. */
export interface WordsCondition {
  /** At least one of these. */
  any?: readonly string[];
  /** Every one of these. */
  all?: readonly string[];
  /** None of these. */
  none?: readonly string[];
}

/** Inclusive bounds; either may be left out. */
export interface RangeCondition {
  min?: number;
  max?: number;
}

/** `HH:MM` to `HH:MM` in the team's time zone, `from` included, `to` excluded; wraps past midnight when `to` < `from`. */
export interface TimeOfDayCondition {
  from: string;
  to: string;
}

/** Conditions of a rule; all given conditions must hold, each list means "any of". */
export interface RoutingCondition {
  intent?: readonly Intent[];
  /** Any of these mood flags. */
  flags?: readonly MoodFlag[];
  polarity?: readonly Polarity[];
  /** Severity at least this. Kept for older configs: `severity: {min}` says the same. */
  minSeverity?: number;
  severity?: RangeCondition;
  /** Reach (followers) at least this. Kept for older configs: `reach: {min}` says the same. */
  minReach?: number;
  reach?: RangeCondition;
  /** The platform the mention came from. */
  platform?: readonly Platform[];
  /** Any of these words or phrases. Kept for older configs: `words: {any}` says the same. */
  keywords?: readonly string[];
  words?: WordsCondition;
  /** Any of these regular expressions finds a match in the text (case-insensitive, Unicode). */
  regex?: readonly string[];
  /** Written (true) or not written (false) by one of the brand's own accounts. */
  fromBrand?: boolean;
  /** Whether someone should answer; a classification that does not say counts as true. */
  needsReply?: boolean;
  /** The text's language (ISO 639-1, or `und` when it cannot be told, which is also what a classification without one counts as). */
  language?: readonly string[];
  /** Whether the platform marks the author as verified; fails when the platform does not say. */
  verified?: boolean;
  /** true: the author mentioned the brand before; false: first time. Fails while that is unknown. */
  returningAuthor?: boolean;
  /** Whether the author looks like an impostor posing as the brand. */
  impostor?: boolean;
  timeOfDay?: TimeOfDayCondition;
  /** Any of these days, in the team's time zone. */
  weekday?: readonly Weekday[];
}

/** What the checks need besides the mention. */
export interface ConditionContext {
  /** IANA time zone of the team, e.g. `Europe/London`. */
  timeZone: string;
}

interface Check {
  holds(input: RouteInput, context: ConditionContext): boolean;
  /** Why it does not hold, for a person reading a trace. */
  why(input: RouteInput, context: ConditionContext): string;
}

type CheckFactory<K extends keyof RoutingCondition> = (value: NonNullable<RoutingCondition[K]>) => Check;

const list = (values: readonly unknown[]): string => values.join(', ');

function oneOf<T>(name: string, read: (input: RouteInput) => T, wanted: readonly T[]): Check {
  return {
    holds: (input) => wanted.includes(read(input)),
    why: (input) => `${name}: ${String(read(input))}, not one of ${list(wanted)}`,
  };
}

function isFlag(name: string, read: (input: RouteInput) => boolean | undefined, wanted: boolean): Check {
  return {
    holds: (input) => read(input) === wanted,
    why: (input) => `${name}: wanted ${wanted}, is ${read(input) ?? 'unknown'}`,
  };
}

function inRange(name: string, read: (input: RouteInput) => number, range: RangeCondition): Check {
  const shown = range.min !== undefined && range.max !== undefined ? `${range.min}–${range.max}` : range.min !== undefined ? `at least ${range.min}` : `at most ${range.max}`;
  return {
    holds: (input) => {
      const value = read(input);
      return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
    },
    why: (input) => `${name}: ${read(input)}, not ${shown}`,
  };
}

/** Primary language subtag, lower case: `pt-BR` → `pt`. */
function primaryLanguage(code: string): string {
  return code.toLowerCase().split('-')[0] ?? code;
}

const text = (input: RouteInput) => input.mention.text;

const CHECKS: { [K in keyof Required<RoutingCondition>]: CheckFactory<K> } = {
  intent: (wanted) => oneOf('intent', (i) => i.classification.intent, wanted),
  flags: (wanted) => ({
    holds: (input) => wanted.some((f) => input.classification.flags.includes(f)),
    why: (input) => `flags: has ${list(input.classification.flags) || 'none'}, wanted any of ${list(wanted)}`,
  }),
  polarity: (wanted) => oneOf('polarity', (i) => i.classification.polarity, wanted),
  minSeverity: (min) => inRange('minSeverity', (i) => i.classification.severity, { min }),
  severity: (range) => inRange('severity', (i) => i.classification.severity, range),
  minReach: (min) => inRange('minReach', (i) => i.reach, { min }),
  reach: (range) => inRange('reach', (i) => i.reach, range),
  platform: (wanted) => oneOf('platform', (i) => i.mention.source, wanted),
  keywords: (any) => wordsCheck('keywords', { any }),
  words: (words) => wordsCheck('words', words),
  regex: (patterns) => ({
    holds: (input) => patterns.some((p) => compiledRegex(p).test(text(input))),
    why: () => `regex: none of ${patterns.map((p) => `/${p}/`).join(', ')} found`,
  }),
  fromBrand: (wanted) => isFlag('fromBrand', (i) => i.fromBrand ?? false, wanted),
  needsReply: (wanted) => isFlag('needsReply', (i) => i.classification.needsReply ?? true, wanted),
  language: (wanted) => {
    const codes = wanted.map(primaryLanguage);
    const read = (input: RouteInput) => primaryLanguage(input.classification.language ?? 'und');
    return { holds: (input) => codes.includes(read(input)), why: (input) => `language: ${read(input)}, not one of ${list(codes)}` };
  },
  verified: (wanted) => isFlag('verified', (i) => i.mention.author.verified, wanted),
  returningAuthor: (wanted) => isFlag('returningAuthor', (i) => i.authorSeenBefore, wanted),
  impostor: (wanted) => isFlag('impostor', (i) => i.classification.impostor !== undefined, wanted),
  timeOfDay: (span) => {
    const from = minuteOfDay(span.from);
    const to = minuteOfDay(span.to);
    return {
      holds: (input, { timeZone }) => {
        const now = localTime(input.mention.createdAt, timeZone)?.minutes;
        if (now === undefined) return false;
        return from <= to ? now >= from && now < to : now >= from || now < to;
      },
      why: (input, { timeZone }) => `timeOfDay: written at ${localTime(input.mention.createdAt, timeZone)?.clock ?? 'an unknown time'} ${timeZone}, not ${span.from}–${span.to}`,
    };
  },
  weekday: (wanted) => ({
    holds: (input, { timeZone }) => {
      const day = localTime(input.mention.createdAt, timeZone)?.weekday;
      return day !== undefined && wanted.includes(day);
    },
    why: (input, { timeZone }) => `weekday: written on ${localTime(input.mention.createdAt, timeZone)?.weekday ?? 'an unknown day'} ${timeZone}, not ${list(wanted)}`,
  }),
};

function wordsCheck(name: string, words: WordsCondition): Check {
  const { any, all, none } = words;
  return {
    holds: (input) =>
      (!any || any.some((w) => containsPhrase(text(input), w))) &&
      (!all || all.every((w) => containsPhrase(text(input), w))) &&
      (!none || !none.some((w) => containsPhrase(text(input), w))),
    why: (input) => {
      const t = text(input);
      if (any && !any.some((w) => containsPhrase(t, w))) return `${name}: none of ${list(any)} in the text`;
      const missing = all?.filter((w) => !containsPhrase(t, w)) ?? [];
      if (missing.length) return `${name}: ${list(missing)} not in the text (all wanted)`;
      return `${name}: ${list(none?.filter((w) => containsPhrase(t, w)) ?? [])} in the text (none wanted)`;
    },
  };
}

const checkCache = new WeakMap<RoutingCondition, Array<[keyof RoutingCondition, Check]>>();

function checksOf(when: RoutingCondition): Array<[keyof RoutingCondition, Check]> {
  let checks = checkCache.get(when);
  if (!checks) {
    checks = (Object.keys(CHECKS) as Array<keyof RoutingCondition>).flatMap((key) => {
      const value = when[key];
      if (value === undefined) return [];
      return [[key, (CHECKS[key] as CheckFactory<typeof key>)(value as never)] as [keyof RoutingCondition, Check]];
    });
    checkCache.set(when, checks);
  }
  return checks;
}

/** Whether every condition given in `when` holds for the mention. */
export function matches(when: RoutingCondition, input: RouteInput, context: ConditionContext): boolean {
  return checksOf(when).every(([, check]) => check.holds(input, context));
}

/** Every condition of `when` that does not hold, each said in words (`intent: bug, not one of outage`); empty when the rule matches. */
export function failedConditions(when: RoutingCondition, input: RouteInput, context: ConditionContext): string[] {
  return checksOf(when).flatMap(([, check]) => (check.holds(input, context) ? [] : [check.why(input, context)]));
}

const phraseCache = new Map<string, RegExp>();

/** Case-insensitive whole-word (or whole-phrase) search; spaces match any whitespace. */
export function containsPhrase(haystack: string, phrase: string): boolean {
  let re = phraseCache.get(phrase);
  if (!re) {
    const body = phrase
      .trim()
      .split(/\s+/)
      .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+');
    re = new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'iu');
    phraseCache.set(phrase, re);
  }
  return re.test(haystack);
}

const regexCache = new Map<string, RegExp>();

/** A rule's regular expression as it is run: case-insensitive and Unicode-aware. Throws a SyntaxError when it is not one. */
export function compiledRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'iu');
    regexCache.set(pattern, re);
  }
  return re;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time and weekday of an ISO instant in `timeZone`; undefined for an unreadable instant. */
export function localTime(iso: string, timeZone: string): { minutes: number; clock: string; weekday: Weekday } | undefined {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return undefined;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const clock = `${parts.hour}:${parts.minute}`;
  return { minutes: minuteOfDay(clock), clock, weekday: String(parts.weekday).toLowerCase().slice(0, 3) as Weekday };
}

/** Whether `timeZone` is one this runtime knows (an IANA name such as `Europe/Berlin`, or `UTC`). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

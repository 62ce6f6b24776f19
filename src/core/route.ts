/**
 * Routing: which channel sees a mention, how urgent it is and how soon it should be
 * claimed, decided by the leads' ordered rules (first match wins). Pure.
 */
import type { Classification, Intent, MoodFlag, Polarity, Severity } from './classification.js';
import type { Mention, Platform } from './mention.js';
import type { Route } from './triage-result.js';

/** Conditions of a rule; all given conditions must hold, each list means "any of". */
export interface RoutingCondition {
  intent?: readonly Intent[];
  flags?: readonly MoodFlag[];
  polarity?: readonly Polarity[];
  /** Severity at least this. */
  minSeverity?: number;
  /** Reach (followers) at least this. */
  minReach?: number;
  platform?: readonly Platform[];
  /** Words or phrases found in the text, case-insensitive, as whole words. */
  keywords?: readonly string[];
  /** Written (true) or not written (false) by one of the brand's own accounts. */
  fromBrand?: boolean;
}

export interface RoutingRule {
  /** Shown on the card as the rule that fired. */
  name: string;
  /** Empty or absent matches every mention. */
  when?: RoutingCondition;
  /** Channel key, e.g. `support`. */
  channel: string;
  /** 0 most urgent … 4 least; derived from the mention when absent. */
  priority?: number;
  /** Extra channel keys that also receive the card. */
  alsoTo?: readonly string[];
}

export interface RoutingPolicy {
  /** Channel key used when no rule matches. */
  defaultChannel: string;
  rules: readonly RoutingRule[];
  /**
   * Reach from which a derived priority is raised one step.
   * @defaultValue 10000
   */
  highReach?: number;
}

/** Minutes per severity (0–3). */
export type MinutesBySeverity = Readonly<Record<Severity, number>>;

export interface SlaPolicy {
  claimWithinMinutes: MinutesBySeverity;
  resolveWithinMinutes: MinutesBySeverity;
}

export interface RouteInput {
  mention: Mention;
  classification: Classification;
  /** Estimated audience (followers, for now). */
  reach: number;
  /** Written by one of the brand's own accounts. @defaultValue false */
  fromBrand?: boolean;
}

const DEFAULT_HIGH_REACH = 10_000;
const LOWEST_PRIORITY = 4;

/** Decide where a mention goes: the first matching rule, or `default`. */
export function route(input: RouteInput, policy: RoutingPolicy, sla: SlaPolicy): Route {
  const rule = policy.rules.find((r) => matches(r.when ?? {}, input));
  const channel = rule?.channel ?? policy.defaultChannel;
  const alsoTo = [...new Set(rule?.alsoTo ?? [])].filter((key) => key !== channel);
  return {
    channel,
    rule: rule?.name ?? 'default',
    priority: rule?.priority ?? derivePriority(input, policy.highReach ?? DEFAULT_HIGH_REACH),
    alsoTo,
    claimWithinMinutes: sla.claimWithinMinutes[input.classification.severity],
  };
}

/** Whether every condition given in `when` holds for the mention. */
export function matches(when: RoutingCondition, input: RouteInput): boolean {
  const { mention, classification: c, reach } = input;
  if (when.intent && !when.intent.includes(c.intent)) return false;
  if (when.flags && !when.flags.some((f) => c.flags.includes(f))) return false;
  if (when.polarity && !when.polarity.includes(c.polarity)) return false;
  if (when.minSeverity !== undefined && c.severity < when.minSeverity) return false;
  if (when.minReach !== undefined && reach < when.minReach) return false;
  if (when.platform && !when.platform.includes(mention.source)) return false;
  if (when.keywords && !when.keywords.some((k) => containsPhrase(mention.text, k))) return false;
  if (when.fromBrand !== undefined && when.fromBrand !== (input.fromBrand ?? false)) return false;
  return true;
}

/**
 * Priority when the rule sets none: angry or severe first, happy and other last, and
 * one step more urgent for a large audience (a public complaint there costs more).
 */
export function derivePriority(input: RouteInput, highReach: number = DEFAULT_HIGH_REACH): number {
  const c = input.classification;
  let priority: number;
  if (c.flags.includes('angry') || c.severity >= 3) priority = 0;
  else if (c.severity === 2) priority = 1;
  else if (c.severity === 1 || c.polarity === 'negative') priority = 2;
  else if (c.intent === 'other' && !c.flags.includes('happy')) priority = LOWEST_PRIORITY;
  else priority = 3;
  if (input.reach >= highReach) priority -= 1;
  return Math.max(0, Math.min(LOWEST_PRIORITY, priority));
}

const phraseCache = new Map<string, RegExp>();

/** Case-insensitive whole-word (or whole-phrase) search; spaces match any whitespace. */
export function containsPhrase(text: string, phrase: string): boolean {
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
  return re.test(text);
}

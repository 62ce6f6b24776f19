/**
 * Routing: which channels see a mention, how urgent it is, who is pinged, which tags it
 * carries and how soon it should be claimed and resolved, decided by the leads' ordered
 * rules. The first matching rule decides, unless it says `continue`: then later matching
 * rules add to it. Pure.
 */
import type { Classification, Severity } from './classification.js';
import type { Mention } from './mention.js';
import { failedConditions, matches, type RoutingCondition } from './rules-conditions.js';
import type { Route } from './triage-result.js';

export type { RoutingCondition } from './rules-conditions.js';

/** Minutes overriding the SLA for the mentions a rule takes; either may be left out. */
export interface SlaOverride {
  claimWithinMinutes?: number;
  resolveWithinMinutes?: number;
}

export interface RoutingRule {
  /** Shown on the card as the rule that fired. */
  name: string;
  /** Empty or absent matches every mention. */
  when?: RoutingCondition;
  /**
   * Channel key, e.g. `support`. The first rule that fires with a channel decides the
   * card's channel; a later one's channel is added like `alsoTo`. Absent: the default channel.
   */
  channel?: string;
  /** 0 most urgent … 4 least; the first rule that fires with one wins; derived from the mention when none does. */
  priority?: number;
  /** Extra channel keys that also receive the card. */
  alsoTo?: readonly string[];
  /** Discord role id pinged when the card is posted; the first rule that fires with one wins. */
  pingRole?: string | null;
  /** Labels shown on the card; every rule that fires adds its own. */
  tags?: readonly string[];
  /** Minutes to claim and to resolve instead of the SLA's; the first rule that fires with each wins. */
  sla?: SlaOverride;
  /** Do not post a card: the mention is recorded, with this reason, and listed by `suppressed`. */
  suppress?: string;
  /** Go on to the later rules after this one fires. @defaultValue false */
  continue?: boolean;
}

export interface RoutingPolicy {
  /** Channel key used when no rule that fires names one. */
  defaultChannel: string;
  rules: readonly RoutingRule[];
  /**
   * Reach from which a derived priority is raised one step.
   * @defaultValue 10000
   */
  highReach?: number;
  /**
   * IANA time zone of the team, for `timeOfDay` and `weekday`.
   * @defaultValue `UTC`
   */
  timeZone?: string;
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
  /**
   * Whether the author mentioned the brand before. Absent means unknown, and then a rule's
   * `returningAuthor` condition (either way) does not hold. Triage has no store to ask;
   * the pipeline may fill it.
   */
  authorSeenBefore?: boolean;
}

/** How one rule fared for a mention: fired, skipped (with the conditions that failed), or never tried. */
export type RuleTrace =
  | { rule: string; outcome: 'fired'; continues: boolean }
  | { rule: string; outcome: 'skipped'; failed: string[] }
  | { rule: string; outcome: 'not reached'; after: string };

/** Reach from which a derived priority is raised one step, when `highReach` is not set. */
export const DEFAULT_HIGH_REACH = 10_000;
const LOWEST_PRIORITY = 4;

/** Decide where a mention goes; see {@link RoutingRule} for how rules combine. */
export function route(input: RouteInput, policy: RoutingPolicy, sla: SlaPolicy): Route {
  return decide(input, policy, sla).route;
}

/** The route, and how every rule fared on the way to it (for `rules explain`). */
export function explainRoute(input: RouteInput, policy: RoutingPolicy, sla: SlaPolicy): { route: Route; trace: RuleTrace[] } {
  return decide(input, policy, sla, true);
}

function decide(input: RouteInput, policy: RoutingPolicy, sla: SlaPolicy, explain = false): { route: Route; trace: RuleTrace[] } {
  const context = { timeZone: policy.timeZone ?? 'UTC' };
  const fired: RoutingRule[] = [];
  const trace: RuleTrace[] = [];
  let stoppedBy: string | undefined;
  for (const rule of policy.rules) {
    if (stoppedBy !== undefined) {
      if (!explain) break;
      trace.push({ rule: rule.name, outcome: 'not reached', after: stoppedBy });
      continue;
    }
    const when = rule.when ?? {};
    if (!matches(when, input, context)) {
      if (explain) trace.push({ rule: rule.name, outcome: 'skipped', failed: failedConditions(when, input, context) });
      continue;
    }
    fired.push(rule);
    if (explain) trace.push({ rule: rule.name, outcome: 'fired', continues: rule.continue === true });
    if (!rule.continue) stoppedBy = rule.name;
  }
  return { route: combine(fired, input, policy, sla), trace };
}

/** The route the fired rules make together: first channel, priority, ping and SLA win; channels and tags add up. */
function combine(fired: readonly RoutingRule[], input: RouteInput, policy: RoutingPolicy, sla: SlaPolicy): Route {
  const first = <T>(read: (rule: RoutingRule) => T | null | undefined): T | undefined => {
    for (const rule of fired) {
      const value = read(rule);
      if (value !== undefined && value !== null) return value;
    }
    return undefined;
  };
  const channel = first((r) => r.channel) ?? policy.defaultChannel;
  const alsoTo = [...new Set(fired.flatMap((r) => [...(r.channel ? [r.channel] : []), ...(r.alsoTo ?? [])]))].filter((key) => key !== channel);
  const severity = input.classification.severity;
  const pingRoleId = first((r) => r.pingRole);
  const suppressing = fired.find((r) => r.suppress !== undefined);
  return {
    channel,
    rule: fired[0]?.name ?? 'default',
    rules: fired.map((r) => r.name),
    priority: first((r) => r.priority) ?? derivePriority(input, policy.highReach ?? DEFAULT_HIGH_REACH),
    alsoTo,
    claimWithinMinutes: first((r) => r.sla?.claimWithinMinutes) ?? sla.claimWithinMinutes[severity],
    resolveWithinMinutes: first((r) => r.sla?.resolveWithinMinutes) ?? sla.resolveWithinMinutes[severity],
    tags: [...new Set(fired.flatMap((r) => r.tags ?? []))],
    ...(pingRoleId ? { pingRoleId } : {}),
    ...(suppressing ? { suppressed: { reason: suppressing.suppress!, rule: suppressing.name } } : {}),
  };
}

/**
 * Priority when no rule sets one: angry or severe first, happy and other last, spam
 * lowest of all; one step more urgent when the author may be leaving (churn risk) and
 * for a large audience (a public complaint there costs more).
 */
export function derivePriority(input: RouteInput, highReach: number = DEFAULT_HIGH_REACH): number {
  const c = input.classification;
  if (c.intent === 'spam') return LOWEST_PRIORITY;
  let priority: number;
  if (c.flags.includes('angry') || c.severity >= 3) priority = 0;
  else if (c.severity === 2) priority = 1;
  else if (c.severity === 1 || c.polarity === 'negative') priority = 2;
  else if (c.intent === 'other' && !c.flags.includes('happy')) priority = LOWEST_PRIORITY;
  else priority = 3;
  if (c.flags.includes('churn-risk')) priority -= 1;
  if (input.reach >= highReach) priority -= 1;
  return Math.max(0, Math.min(LOWEST_PRIORITY, priority));
}

/**
 * What a set of routing rules does to a batch of mentions, for leads to check before they
 * trust a change: how many mentions each rule takes (with a few to look at), what no rule
 * took, and which mentions two configs send differently. Pure.
 */
import type { Mention } from './mention.js';
import type { Route } from './triage-result.js';

/** A mention shown as an example: its key and the start of its text. */
export interface RuleSample {
  key: string;
  text: string;
}

export interface RuleTally {
  rule: string;
  /** Mentions for which the rule fired. */
  takes: number;
  samples: RuleSample[];
}

export interface RulesReport {
  mentions: number;
  /** Every rule of the config, in order, also those that took nothing. */
  rules: RuleTally[];
  /** Mentions no rule fired for (they went to the default channel). */
  unmatched: { count: number; samples: RuleSample[] };
  /** Mentions a rule suppressed. */
  suppressed: number;
}

/** The parts of a route a change is judged by. */
export interface RouteOutcome {
  channels: string[];
  priority: number;
  suppressed?: { reason: string; rule: string };
  rules: string[];
}

/** A mention two configs route differently; `before` is the config compared against. */
export interface RouteChange extends RuleSample {
  changed: Array<'channel' | 'priority' | 'suppression'>;
  before: RouteOutcome;
  after: RouteOutcome;
}

const SAMPLE_TEXT = 120;

function sampleOf(key: string, mention: Mention): RuleSample {
  const text = mention.text.replace(/\s+/g, ' ').trim();
  return { key, text: text.length > SAMPLE_TEXT ? `${text.slice(0, SAMPLE_TEXT - 1)}…` : text };
}

/** Counts, rule by rule, the mentions given to `add`; `report` can be read at any time. */
export function createRulesTally(ruleNames: readonly string[], samplesPerRule: number) {
  const tallies = new Map(ruleNames.map((rule) => [rule, { rule, takes: 0, samples: [] as RuleSample[] }]));
  const unmatched = { count: 0, samples: [] as RuleSample[] };
  let mentions = 0;
  let suppressed = 0;
  const keep = (samples: RuleSample[], key: string, mention: Mention) => {
    if (samples.length < samplesPerRule) samples.push(sampleOf(key, mention));
  };
  return {
    add(key: string, mention: Mention, route: Route): void {
      mentions += 1;
      if (route.suppressed) suppressed += 1;
      const fired = route.rules ?? (route.rule === 'default' ? [] : [route.rule]);
      if (fired.length === 0) {
        unmatched.count += 1;
        keep(unmatched.samples, key, mention);
      }
      for (const rule of fired) {
        const tally = tallies.get(rule);
        if (!tally) continue;
        tally.takes += 1;
        keep(tally.samples, key, mention);
      }
    },
    report(): RulesReport {
      return { mentions, rules: [...tallies.values()], unmatched, suppressed };
    },
  };
}

/** The outcome of a route as a change is judged: its channels (main first), priority and suppression. */
export function outcomeOf(route: Route): RouteOutcome {
  return {
    channels: [route.channel, ...[...route.alsoTo].sort()],
    priority: route.priority,
    ...(route.suppressed ? { suppressed: route.suppressed } : {}),
    rules: route.rules ?? (route.rule === 'default' ? [] : [route.rule]),
  };
}

/** How `after` differs from `before` in channel, priority or suppression; undefined when it does not. */
export function routeChange(key: string, mention: Mention, before: Route, after: Route): RouteChange | undefined {
  const was = outcomeOf(before);
  const is = outcomeOf(after);
  const changed: RouteChange['changed'] = [];
  if (was.channels.join(' ') !== is.channels.join(' ')) changed.push('channel');
  if (was.priority !== is.priority) changed.push('priority');
  if (Boolean(was.suppressed) !== Boolean(is.suppressed)) changed.push('suppression');
  return changed.length ? { ...sampleOf(key, mention), changed, before: was, after: is } : undefined;
}

/** `#support (+ #marketing) · priority 2`, or `suppressed (spam: "bot network")`. */
export function describeOutcome(outcome: RouteOutcome): string {
  if (outcome.suppressed) return `suppressed by ${outcome.suppressed.rule} ("${outcome.suppressed.reason}")`;
  const [main, ...also] = outcome.channels;
  return `#${main}${also.length ? ` (+ ${also.map((c) => `#${c}`).join(', ')})` : ''} · priority ${outcome.priority}`;
}

import { cleanText } from '../core/display-text.js';
import type { Mention, Platform } from '../core/mention.js';
import { parseMention } from '../core/parse-mention.js';
import { explainRoute, type RuleTrace } from '../core/route.js';
import { isFromBrand, triage, type TriagePolicy } from '../core/triage.js';
import type { Classification } from '../core/classification.js';
import type { Route } from '../core/triage-result.js';
import { describeOutcome, outcomeOf } from '../core/rules-report.js';
import { writeLine } from './io.js';

/** The mention to explain cannot be read: the argument is JSON but not a mention. */
export class ExplainInputError extends Error {
  override readonly name = 'ExplainInputError';
}

export interface ExplainOptions {
  /** A mention's text, or a whole mention as JSON. */
  input: string;
  policy: TriagePolicy;
  output: NodeJS.WritableStream;
  json: boolean;
  /** For a text: the platform, the author's followers and when it was written. */
  platform?: Platform;
  followers?: number;
  at?: Date;
  /** Whether the author mentioned the brand before; unknown when absent. */
  authorSeenBefore?: boolean;
}

export interface Explanation {
  classification: Classification;
  route: Route;
  trace: RuleTrace[];
}

/** The mention `rules explain` looks at: the JSON given, or a text with the options' platform, reach and time. */
export function mentionToExplain(options: Pick<ExplainOptions, 'input' | 'platform' | 'followers' | 'at'>): Mention {
  const trimmed = options.input.trim();
  if (trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new ExplainInputError(`rules explain: the argument starts with "{" but is not JSON (${(error as Error).message})`);
    }
    const parsed = parseMention(value);
    if (!parsed.ok) throw new ExplainInputError(`rules explain: not a mention: ${parsed.reason}`);
    return parsed.mention;
  }
  return {
    source: options.platform ?? 'x',
    id: 'explain',
    text: options.input,
    createdAt: (options.at ?? new Date()).toISOString(),
    author: { handle: 'someone', name: 'someone', followers: options.followers ?? 0 },
  };
}

/** How `policy` judges and routes `mention`, with the trace of every rule. Pure. */
export function explainMention(mention: Mention, policy: TriagePolicy, authorSeenBefore?: boolean): Explanation {
  // The same input triage gives routing: the cleaned text, the brand's own posts told apart.
  const { classification, reach } = triage(mention, policy);
  const input = {
    mention: { ...mention, text: cleanText(mention.text) },
    classification,
    reach,
    fromBrand: isFromBrand(mention, policy.brand),
    ...(authorSeenBefore !== undefined ? { authorSeenBefore } : {}),
  };
  const { route, trace } = explainRoute(input, policy.routing, policy.sla);
  return { classification, route, trace };
}

/**
 * `rules explain`: how the config judges and routes one mention, and the trace of every
 * rule: fired, skipped with each condition that failed, or not reached.
 */
export async function explainRules(options: ExplainOptions): Promise<Explanation> {
  const { policy, output } = options;
  const explanation = explainMention(mentionToExplain(options), policy, options.authorSeenBefore);
  if (options.json) {
    await writeLine(output, JSON.stringify(explanation));
    return explanation;
  }
  for (const line of formatExplanation(explanation)) await writeLine(output, line);
  return explanation;
}

/** The explanation as lines for a person. */
export function formatExplanation({ classification: c, route, trace }: Explanation): string[] {
  const judged = [
    `${c.polarity} (${c.score.toFixed(2)})`,
    c.flags.length ? c.flags.join(', ') : 'no flags',
    c.intent,
    `severity ${c.severity}`,
    `language ${c.language ?? 'und'}`,
    c.needsReply === false ? 'no reply needed' : 'needs a reply',
    ...(c.impostor ? [`impostor: ${c.impostor}`] : []),
  ];
  const lines = [`judged:  ${judged.join(' · ')}`];
  lines.push(`routed:  ${describeOutcome(outcomeOf(route))} · claim within ${route.claimWithinMinutes} min · resolve within ${route.resolveWithinMinutes} min${route.tags?.length ? ` · tags ${route.tags.join(', ')}` : ''}${route.pingRoleId ? ` · pings role ${route.pingRoleId}` : ''}`);
  lines.push('');
  for (const step of trace) {
    if (step.outcome === 'fired') lines.push(`✓ ${step.rule}: fired${step.continues ? ', continues' : ''}`);
    else if (step.outcome === 'skipped') lines.push(`✗ ${step.rule}: ${step.failed.join('; ')}`);
    else lines.push(`· ${step.rule}: not reached (${step.after} fired and stops)`);
  }
  if (!trace.some((s) => s.outcome === 'fired')) lines.push(`no rule fired: #${route.channel} (defaultChannel)`);
  return lines;
}

import { mentionKey } from '../core/mention-key.js';
import { parseMentionLine } from '../core/parse-mention.js';
import { createRulesTally, describeOutcome, routeChange, type RouteChange, type RulesReport } from '../core/rules-report.js';
import { triage, type TriagePolicy } from '../core/triage.js';
import { readLines } from '../sources/json-lines.js';
import { writeLine } from './io.js';

export interface RulesTestOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  errors: NodeJS.WritableStream;
  /** The config being tried. */
  policy: TriagePolicy;
  /** The config it is compared with (`--against`): every mention routed differently is listed. */
  against?: TriagePolicy;
  /** Example mentions shown per rule. */
  samples: number;
  /** One JSON document instead of text. */
  json: boolean;
}

export interface RulesTestResult {
  report: RulesReport;
  changes?: RouteChange[];
  malformed: number;
}

/**
 * `rules test`: triages every mention of a JSON-lines file with the config (nothing is
 * stored or posted) and prints, per rule, how many mentions it takes with a few
 * examples, what no rule took, and with `against`, every mention whose channel,
 * priority or suppression differs between the two configs.
 */
export async function testRules(options: RulesTestOptions): Promise<RulesTestResult> {
  const { input, output, errors, policy, against } = options;
  const tally = createRulesTally(policy.routing.rules.map((r) => r.name), options.samples);
  const changes: RouteChange[] = [];
  let malformed = 0;
  for await (const { lineNo, line } of readLines(input)) {
    const parsed = parseMentionLine(line);
    if (!parsed.ok) {
      malformed += 1;
      await writeLine(errors, `line ${lineNo}: ${parsed.reason}`);
      continue;
    }
    const key = mentionKey(parsed.mention);
    const now = triage(parsed.mention, policy);
    tally.add(key, parsed.mention, now.route);
    if (against) {
      const change = routeChange(key, parsed.mention, triage(parsed.mention, against).route, now.route);
      if (change) changes.push(change);
    }
  }
  const report = tally.report();
  const result: RulesTestResult = { report, malformed, ...(against ? { changes } : {}) };
  if (options.json) await writeLine(output, JSON.stringify({ ...report, ...(against ? { changes } : {}), malformed }));
  else for (const line of formatReport(result, policy.routing.defaultChannel)) await writeLine(output, line);
  return result;
}

function quoted(sample: { key: string; text: string }): string {
  return `    ${sample.key}  "${sample.text}"`;
}

/** The report as lines for a person: rules in order, then the unmatched, then the changes. */
export function formatReport(result: RulesTestResult, defaultChannel: string): string[] {
  const { report, changes } = result;
  const width = Math.max(4, ...report.rules.map((r) => r.rule.length));
  const lines = [`${report.mentions} mentions, ${report.suppressed} suppressed${result.malformed ? `, ${result.malformed} malformed lines skipped` : ''}`, ''];
  lines.push(`${'rule'.padEnd(width)}  takes`);
  for (const rule of report.rules) {
    lines.push(`${rule.rule.padEnd(width)}  ${String(rule.takes).padStart(5)}`);
    lines.push(...rule.samples.map(quoted));
  }
  lines.push('', `no rule matched (to #${defaultChannel}): ${report.unmatched.count}`, ...report.unmatched.samples.map(quoted));
  if (changes) {
    lines.push('', `routed differently from --against: ${changes.length}`);
    for (const change of changes) {
      lines.push(`  ${change.key}  "${change.text}"`, `    ${describeOutcome(change.before)}  →  ${describeOutcome(change.after)}  (${change.changed.join(', ')}; rules ${change.before.rules.join('+') || 'none'} → ${change.after.rules.join('+') || 'none'})`);
    }
  }
  return lines;
}

/**
 * Triage-set benchmark: the real triage pass over the team-written, labelled mentions in
 * `tests/fixtures/triage-set/`, field by field, beside the targets the triage is held to.
 *
 *   npm run bench:triage [-- --show-misses [dev]]
 *
 * Each line is a mention as the service ingests it, plus the `brand` it was written for
 * and its `labels` (see the folder's README). Triage runs with the repository's `config/`
 * and the line's brand in place of the configured one. Prints, for `dev` and `holdout`
 * separately, each measure with its counts, its target and whether it is met. Misses are
 * listed only when asked, and only the dev file's: the holdout is for reporting, never for
 * tuning, so its misses are never printed. A field the classifier does not give yet counts as
 * predicted false (`und` for the language). Asserts nothing. Last line:
 * `triage-set holdout angry_p <x> angry_r <x> ... met <n>/<m>`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load-config.js';
import type { Config } from '../src/config/schema.js';
import type { Classification } from '../src/core/classification.js';
import type { Mention } from '../src/core/mention.js';
import { parseMention } from '../src/core/parse-mention.js';
import { triage, type TriagePolicy } from '../src/core/triage.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SET_DIR = join(ROOT, 'tests', 'fixtures', 'triage-set');
const SPLITS = ['dev', 'holdout'] as const;
type Split = (typeof SPLITS)[number];

const POLARITIES = ['negative', 'neutral', 'positive'];
const INTENTS = ['complaint', 'outage', 'billing', 'bug', 'question', 'praise', 'feature-request', 'spam', 'other'];

/** What a line says the triage should find (the README defines each field). */
interface Labels {
  polarity: string;
  angry: boolean;
  happy: boolean;
  churnRisk: boolean;
  intent: string;
  impostor: boolean;
  language: string;
  needsReply: boolean;
}

interface Brand {
  name: string;
  names: string[];
  handles: string[];
}

interface Row {
  where: string;
  mention: Mention;
  brand: Brand;
  labels: Labels;
}

function fail(message: string): never {
  console.error(`bench:triage: ${message}`);
  process.exit(2);
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function brandOf(value: unknown, where: string): Brand {
  const b = value as Partial<Brand> | null;
  if (!b || typeof b.name !== 'string' || !isStrings(b.names) || !b.names.length || !isStrings(b.handles)) {
    fail(`${where}: brand: expected {name, names: [..], handles: [..]}`);
  }
  return { name: b.name, names: b.names, handles: b.handles };
}

function labelsOf(value: unknown, where: string): Labels {
  const l = (value ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (!POLARITIES.includes(l.polarity as string)) problems.push(`polarity (${POLARITIES.join(' | ')})`);
  if (!INTENTS.includes(l.intent as string)) problems.push(`intent (${INTENTS.join(' | ')})`);
  if (typeof l.language !== 'string' || !/^[a-z]{2}$/.test(l.language)) problems.push('language (ISO 639-1)');
  for (const flag of ['angry', 'happy', 'churnRisk', 'impostor', 'needsReply']) if (typeof l[flag] !== 'boolean') problems.push(`${flag} (boolean)`);
  if (problems.length) fail(`${where}: labels: expected ${problems.join(', ')}`);
  return l as unknown as Labels;
}

function readSplit(split: Split): Row[] {
  const file = join(SET_DIR, `${split}.jsonl`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    fail(`cannot read ${file}`);
  }
  const rows: Row[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${split}.jsonl:${i + 1}`;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      fail(`${where}: not JSON`);
    }
    const parsed = parseMention(value);
    if (!parsed.ok) fail(`${where}: ${parsed.reason}`);
    rows.push({ where, mention: parsed.mention, brand: brandOf(value.brand, where), labels: labelsOf(value.labels, where) });
  });
  if (!rows.length) fail(`${file} has no mentions`);
  return rows;
}

/**
 * The labels' fields as the classifier gives them today, read defensively: its output is
 * growing, and a field it does not give yet counts as false (`und` for the language).
 */
function predictedOf(c: Classification): Labels {
  const out = c as unknown as Record<string, unknown>;
  const flags = Array.isArray(out.flags) ? (out.flags as unknown[]) : [];
  const language = typeof out.language === 'string' && out.language ? out.language.toLowerCase().split('-')[0]! : 'und';
  return {
    polarity: String(out.polarity),
    angry: flags.includes('angry'),
    happy: flags.includes('happy'),
    churnRisk: flags.includes('churn-risk'),
    intent: String(out.intent),
    impostor: typeof out.impostor === 'string' ? out.impostor.length > 0 : out.impostor === true,
    language,
    needsReply: out.needsReply === true,
  };
}

interface Judged {
  row: Row;
  predicted: Labels;
}

interface Measure {
  key: string;
  name: string;
  /** Correct and counted: precision is hits over predicted, recall hits over labelled, accuracy right over all. */
  hits: number;
  of: number;
  target?: number;
}

function precision(key: string, name: string, judged: Judged[], truth: (l: Labels) => boolean, target?: number): Measure {
  const predicted = judged.filter((j) => truth(j.predicted));
  return { key, name, hits: predicted.filter((j) => truth(j.row.labels)).length, of: predicted.length, ...(target !== undefined ? { target } : {}) };
}

function recall(key: string, name: string, judged: Judged[], truth: (l: Labels) => boolean, target?: number): Measure {
  const labelled = judged.filter((j) => truth(j.row.labels));
  return { key, name, hits: labelled.filter((j) => truth(j.predicted)).length, of: labelled.length, ...(target !== undefined ? { target } : {}) };
}

function accuracy(key: string, name: string, judged: Judged[], same: (label: Labels, predicted: Labels) => boolean, target?: number): Measure {
  return { key, name, hits: judged.filter((j) => same(j.row.labels, j.predicted)).length, of: judged.length, ...(target !== undefined ? { target } : {}) };
}

const isSpam = (l: Labels) => l.intent === 'spam';

/** Every measure, with the targets set for the triage (none where none was set). */
function measures(judged: Judged[]): Measure[] {
  const nonEnglish = judged.filter((j) => j.row.labels.language !== 'en');
  return [
    precision('angry_p', 'angry precision', judged, (l) => l.angry, 0.8),
    recall('angry_r', 'angry recall', judged, (l) => l.angry, 0.8),
    precision('happy_p', 'happy precision', judged, (l) => l.happy, 0.75),
    recall('happy_r', 'happy recall', judged, (l) => l.happy, 0.75),
    precision('spam_p', 'spam precision', judged, isSpam, 0.9),
    recall('spam_r', 'spam recall', judged, isSpam, 0.8),
    precision('churn_p', 'churn-risk precision', judged, (l) => l.churnRisk),
    recall('churn_r', 'churn-risk recall', judged, (l) => l.churnRisk, 0.8),
    precision('impostor_p', 'impostor precision', judged, (l) => l.impostor),
    recall('impostor_r', 'impostor recall', judged, (l) => l.impostor),
    accuracy('intent', 'intent accuracy', judged, (l, p) => l.intent === p.intent, 0.8),
    accuracy('language', 'language accuracy', judged, (l, p) => l.language === p.language, 0.95),
    accuracy('reply', 'needsReply accuracy', judged, (l, p) => l.needsReply === p.needsReply),
    accuracy('polarity', 'polarity accuracy', judged, (l, p) => l.polarity === p.polarity),
    accuracy('polarity_nonen', 'polarity accuracy, non-English', nonEnglish, (l, p) => l.polarity === p.polarity, 0.7),
  ];
}

const valueOf = (m: Measure): number => (m.of ? m.hits / m.of : Number.NaN);
const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
/** A measure with nothing to count (no predictions for a precision) has not met its target. */
const met = (m: Measure): boolean | undefined => (m.target === undefined ? undefined : Number.isFinite(valueOf(m)) && valueOf(m) >= m.target);

function printTable(split: Split, rows: Row[], list: Measure[], judged: Judged[]): void {
  const brands = new Set(rows.map((r) => r.brand.name)).size;
  const nonEnglish = rows.filter((r) => r.labels.language !== 'en').length;
  console.log(`\n${split}: ${rows.length} mentions, ${brands} brands, ${nonEnglish} not in English`);
  const width = Math.max(...list.map((m) => m.name.length));
  for (const m of list) {
    const verdict = met(m);
    const target = m.target === undefined ? '' : `≥ ${m.target.toFixed(2)}`;
    const mark = verdict === undefined ? '' : verdict ? 'met' : 'missed';
    console.log(`  ${m.name.padEnd(width)}  ${fmt(valueOf(m)).padStart(4)}  ${`(${m.hits}/${m.of})`.padEnd(11)}  ${target.padEnd(6)}  ${mark}`);
  }
  const byIntent = INTENTS.map((intent) => {
    const labelled = judged.filter((j) => j.row.labels.intent === intent);
    return `${intent} ${fmt(labelled.filter((j) => j.predicted.intent === intent).length / labelled.length)}`;
  });
  console.log(`  intent recall by label: ${byIntent.join(', ')}`);
}

const FIELDS: Array<keyof Labels> = ['polarity', 'angry', 'happy', 'churnRisk', 'intent', 'impostor', 'language', 'needsReply'];

function printMisses(split: Split, judged: Judged[]): void {
  const missed = judged.filter((j) => FIELDS.some((f) => j.row.labels[f] !== j.predicted[f]));
  console.log(`\n${split} misses: ${missed.length} of ${judged.length} mentions have a field wrong (label → triage)`);
  for (const { row, predicted } of missed) {
    const wrong = FIELDS.filter((f) => row.labels[f] !== predicted[f]).map((f) => `${f} ${String(row.labels[f])} → ${String(predicted[f])}`);
    const text = row.mention.text.replace(/\s+/g, ' ');
    console.log(`  ${row.where} [${row.mention.source} @${row.mention.author.handle}, ${row.brand.name}] ${wrong.join('; ')}\n      ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`);
  }
}

function missesWanted(): Split[] {
  const args = process.argv.slice(2);
  const i = args.indexOf('--show-misses');
  if (i >= 0 && ['holdout', 'all'].includes(args[i + 1] ?? '')) fail('the holdout is for reporting only: its misses are never listed (use --show-misses dev)');
  const unknown = args.filter((a, k) => k !== i && !(k === i + 1 && a === 'dev'));
  if (unknown.length) fail(`unknown argument "${unknown[0]}" (usage: npm run bench:triage [-- --show-misses [dev]])`);
  return i < 0 ? [] : ['dev'];
}

async function main(): Promise<void> {
  const showMisses = missesWanted();
  const config: Config = await loadConfig(join(ROOT, 'config'));
  const policies = new Map<string, TriagePolicy>();
  const policyFor = (brand: Brand): TriagePolicy => {
    let policy = policies.get(brand.name);
    if (!policy) policies.set(brand.name, (policy = { ...config, brand }));
    return policy;
  };
  console.log(`bench:triage on tests/fixtures/triage-set, Node ${process.version}`);
  const results = SPLITS.map((split) => {
    const rows = readSplit(split);
    const judged = rows.map((row) => ({ row, predicted: predictedOf(triage(row.mention, policyFor(row.brand)).classification) }));
    return { split, rows, judged, list: measures(judged) };
  });
  for (const r of results) if (showMisses.includes(r.split)) printMisses(r.split, r.judged);
  for (const r of results) printTable(r.split, r.rows, r.list, r.judged);
  console.log('');
  for (const r of results) {
    const targeted = r.list.filter((m) => m.target !== undefined);
    console.log(`triage-set ${r.split} ${r.list.map((m) => `${m.key} ${fmt(valueOf(m))}`).join(' ')} met ${targeted.filter((m) => met(m)).length}/${targeted.length}`);
  }
}

await main();

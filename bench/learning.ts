/**
 * Learning benchmark: what the team's corrections add to the rules, measured honestly.
 *
 *   npm run bench:learning -- FILE.jsonl [FILE.jsonl ...]
 *
 * Each line of a file is `{ text, label, brand? }` with label negative | neutral | positive.
 * Simulates corrections by 5-fold cross-validation: for each fold the model is trained on
 * the first N labels of the other four folds (shuffled once, fixed seed) and applied beside
 * the rules on the held-out fold, under the default model policy (so below its minimum of
 * labels the model stays off). Prints, per file and N, negR@P.90, macro-F1 and macro-recall
 * of the rules alone and of rules + model over every held-out text. Nothing learned is kept.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { BrandTerms, Classification, Polarity } from '../src/core/classification.js';
import { classify } from '../src/core/classify.js';
import { normalizeText } from '../src/core/sentiment/tokenize.js';
import { DEFAULT_MODEL_POLICY, predict, trainModel, withModel } from '../src/core/learned-model.js';
import { negativeRecallAtPrecision, ratio } from './metrics.js';

const LABELS: readonly Polarity[] = ['negative', 'neutral', 'positive'];
const FOLDS = 5;
const SIZES = [100, 250, 500, 1000, Infinity];
const SEED = 20260;

interface Row {
  text: string;
  label: Polarity;
  brand?: BrandTerms;
}

function fail(message: string): never {
  console.error(`bench:learning: ${message}`);
  process.exit(1);
}

const termsByBrand = new Map<string, BrandTerms>();
function brandTerms(brand: string): BrandTerms {
  let terms = termsByBrand.get(brand);
  if (terms === undefined) termsByBrand.set(brand, (terms = { names: [brand], handles: ['@' + brand.replace(/\s+/g, '')] }));
  return terms;
}

function loadRows(path: string): Row[] {
  if (!existsSync(path)) fail(`no such file: ${path}`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const parsed = JSON.parse(line) as { text?: unknown; label?: unknown; brand?: unknown };
      if (typeof parsed.text !== 'string' || !LABELS.includes(parsed.label as Polarity)) fail(`${path}:${i + 1}: expected "text" and "label"`);
      return { text: parsed.text, label: parsed.label as Polarity, ...(typeof parsed.brand === 'string' ? { brand: brandTerms(parsed.brand) } : {}) };
    });
}

/** A small seeded generator (mulberry32), so every run shuffles alike. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const next = random(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Figures {
  negRAtP90: number;
  macroF1: number;
  macroRecall: number;
}

function figures(verdicts: Classification[], labels: Polarity[]): Figures {
  const per = LABELS.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    verdicts.forEach((v, i) => {
      if (v.polarity === label && labels[i] === label) tp++;
      else if (v.polarity === label) fp++;
      else if (labels[i] === label) fn++;
    });
    const p = ratio(tp, tp + fp);
    const r = ratio(tp, tp + fn);
    return { r, f1: ratio(2 * p * r, p + r) };
  });
  return {
    negRAtP90: negativeRecallAtPrecision(verdicts.map((v) => v.score), labels, 0.9),
    macroF1: per.reduce((s, m) => s + m.f1, 0) / LABELS.length,
    macroRecall: per.reduce((s, m) => s + m.r, 0) / LABELS.length,
  };
}

function main(): void {
  const files = process.argv.slice(2);
  if (files.length === 0) fail('usage: npm run bench:learning -- FILE.jsonl [FILE.jsonl ...]');
  const pad = (s: string, n: number): string => s.padEnd(n);
  for (const file of files) {
    const rows = shuffled(loadRows(file), SEED);
    const rules = rows.map((r) => classify(r.text, r.brand));
    const labels = rows.map((r) => r.label);
    const fold = (i: number): number => i % FOLDS;
    console.log(`\n${file} (${rows.length} texts, ${FOLDS}-fold, model on from ${DEFAULT_MODEL_POLICY.minLabels} labels)`);
    console.log(['labels', 'negR@P.90 rules', '+model', 'macroF1 rules', '+model', 'macroR rules', '+model'].map((h, i) => pad(h, i === 0 ? 10 : 16)).join(''));
    const alone = figures(rules, labels);
    for (const size of SIZES) {
      const combined: Classification[] = new Array<Classification>(rows.length);
      let used = 0;
      for (let k = 0; k < FOLDS; k++) {
        const train = rows.filter((_, i) => fold(i) !== k).slice(0, size);
        used = train.length;
        // One brand per deployment; a set of several brands masks each text's own.
        const model = trainModel(train.map((r) => ({ text: masked(r), correction: r.label })));
        rows.forEach((r, i) => {
          if (fold(i) === k) combined[i] = withModel(rules[i]!, predict(model, masked(r)), model.labels);
        });
      }
      const withIt = figures(combined, labels);
      const cells = [size === Infinity ? `all ${used}` : String(size), alone.negRAtP90, withIt.negRAtP90, alone.macroF1, withIt.macroF1, alone.macroRecall, withIt.macroRecall];
      console.log(cells.map((c, i) => pad(typeof c === 'number' ? c.toFixed(3) : c, i === 0 ? 10 : 16)).join(''));
    }
  }
}

/** The text with its brand's names masked, as a deployment reads it with its own brand terms. */
const masked = (row: Row): string => normalizeText(row.text, row.brand);

main();

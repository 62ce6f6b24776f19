import type { BrandTerms, Classification, Polarity } from './classification.js';
import { intentOf, flagsOf, severityOf } from './sentiment/intent.js';
import type { Analysis, Hit } from './sentiment/analysis.js';
import { analyse, normalizeScore } from './sentiment/analyse.js';
import { maskBrandIn } from './sentiment/brand-mask.js';
import { normalizeText, tokenize } from './sentiment/tokenize.js';

/**
 * Word-scale totals beyond which a mention leaves neutral. Hand-set against the benchmark:
 * POSITIVE_AT sits just above one mild cue or courtesy word (1.5), which alone reads neutral.
 */
const NEGATIVE_AT = -1;
const POSITIVE_AT = 1.6;
const EVIDENCE_ITEMS = 5;

/**
 * The mood and topic pass: polarity, score, angry/happy flags, intent, severity and the
 * evidence behind them. Deterministic and in-process; the brand's own names and handles
 * are masked so they never count as words ("@united" is not "united" +1).
 *
 * @param text  The mention's text as posted.
 * @param brand The brand's names and handles; optional, handles are never scored anyway.
 */
export function classify(text: string, brand?: BrandTerms): Classification {
  let normalized = normalizeText(text);
  let lower = normalized.toLowerCase();
  // Names only: handles are never scored (see maskBrandIn).
  const masked = brand ? maskBrandIn(normalized, lower, brand, false) : null;
  if (masked !== null) ({ text: normalized, lower } = masked);
  // A new token array per text: storing new tokens into a long-lived array costs a GC
  // write barrier per store (measured slower than allocating).
  const analysis = analyse(tokenize(normalized, lower), lower);
  const polarity: Polarity =
    analysis.total <= NEGATIVE_AT ? 'negative' : analysis.total >= POSITIVE_AT ? 'positive' : 'neutral';
  const score = Math.round(normalizeScore(analysis.total) * 1000) / 1000;
  const flags = flagsOf(analysis, polarity, score);
  const intent = intentOf(analysis, polarity, normalized);
  return {
    polarity,
    score,
    flags,
    intent,
    severity: severityOf(analysis, polarity, score, flags, intent),
    evidence: evidenceOf(analysis, polarity),
  };
}

/** The cues that decided, strongest first, then the words that agree with the verdict. */
function evidenceOf(a: Analysis, polarity: Polarity): string[] {
  const sign = polarity === 'negative' ? -1 : polarity === 'positive' ? 1 : 0;
  const out: string[] = [];
  for (const cue of a.cues) {
    if (sign === 0 || Math.sign(cue.weight) === sign || cue.weight === 0) out.push(`${cue.topic}: "${cue.text}"`);
  }
  const words = agreeing;
  for (const h of a.hits) if (sign === 0 ? h.value !== 0 : Math.sign(h.value) === sign) words.push(h);
  // Strongest first, ties in text order: a stable insertion sort of a few hits.
  for (let i = 1; i < words.length; i++) {
    const h = words[i]!;
    const strength = Math.abs(h.value);
    let j = i - 1;
    for (; j >= 0 && Math.abs(words[j]!.value) < strength; j--) words[j + 1] = words[j]!;
    words[j + 1] = h;
  }
  for (const hit of words) if (!mentions(out, hit.text)) out.push(hit.text);
  if (a.leanWord !== null && sign < 0 && !mentions(out, a.leanWord)) out.push(`tone: "${a.leanWord}"`);
  if (words.length !== 0) words.length = 0;
  if (a.shouted > 0 && sign !== 0) out.push('CAPS');
  if (a.exclamations >= 2 && sign !== 0) out.push('!!');
  if (a.baffled && sign < 0) out.push('?!');
  if (out.length > EVIDENCE_ITEMS) out.length = EVIDENCE_ITEMS;
  return out;
}

// evidenceOf's scratch list, reused: classify is synchronous.
const agreeing: Hit[] = [];

/** Whether any evidence item already contains `text`. */
function mentions(items: readonly string[], text: string): boolean {
  for (let k = 0; k < items.length; k++) if (items[k]!.includes(text)) return true;
  return false;
}

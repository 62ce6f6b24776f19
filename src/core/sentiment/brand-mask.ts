import type { BrandTerms } from '../classification.js';

/**
 * Masks a brand's own names and handles so they never count as words ("@united" is not
 * "united" +1). Matching is by `indexOf` on the lowercased text with word-boundary checks,
 * not a case-insensitive regex: callers build a fresh `BrandTerms` per mention as often
 * as they reuse one, so compiled terms are cached by a string key and by the last terms seen
 * (compared by content). Terms are treated as immutable once passed in.
 */

/** What every masked name or handle becomes: a handle, which is never scored. */
const MASK = '@brand';
const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

/** Lowercase terms, longest first so "acme air" wins over "acme". */
type CompiledTerms = readonly string[];

const byKey = new Map<string, CompiledTerms>();
// The last brand seen: a caller triaging one brand's stream passes the same object each time.
let lastBrand: BrandTerms | null = null;
let lastTerms: CompiledTerms = [];
const KEY_LIMIT = 1000;

// The few brands seen most recently, by identity: a deployment watching several brands
// interleaves their mentions, and each has one terms object from the config.
const RECENT = 8;
const recentBrands: (BrandTerms | null)[] = new Array<BrandTerms | null>(RECENT).fill(null);
const recentTerms: CompiledTerms[] = new Array<CompiledTerms>(RECENT).fill([]);
let recentNext = 0;

function compile(brand: BrandTerms): CompiledTerms {
  if (brand === lastBrand) return lastTerms;
  for (let k = 0; k < RECENT; k++) {
    if (recentBrands[k] === brand) {
      lastBrand = brand;
      lastTerms = recentTerms[k]!;
      return lastTerms;
    }
  }
  const terms = compileAnew(brand);
  recentBrands[recentNext] = brand;
  recentTerms[recentNext] = terms;
  recentNext = (recentNext + 1) % RECENT;
  return terms;
}

function compileAnew(brand: BrandTerms): CompiledTerms {
  // A fresh object with the same terms as the last one (a caller building terms per mention).
  if (lastBrand !== null && sameStrings(brand.names, lastBrand.names) && sameStrings(brand.handles, lastBrand.handles)) {
    lastBrand = brand;
    return lastTerms;
  }
  // A cheap key, not a WeakMap: registering every fresh object in a WeakMap costs more
  // than joining two short arrays.
  const key = brand.names.join('\u0000') + '\u0001' + brand.handles.join('\u0000');
  let terms = byKey.get(key);
  if (terms === undefined) {
    terms = [...brand.names, ...brand.handles.map((h) => (h.startsWith('@') ? h : '@' + h))]
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t.length > 1)
      .sort((a, b) => b.length - a.length);
    if (byKey.size >= KEY_LIMIT) byKey.clear();
    byKey.set(key, terms);
  }
  lastBrand = brand;
  lastTerms = terms;
  return terms;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `\w`: ASCII letters, digits, underscore. */
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * The text with every whole-word occurrence of the brand's names and handles replaced by
 * "@brand", with a space either side only where the text has none ("Acme's" becomes
 * "@brand 's"), so that phrase cues written with single spaces ("selling @brand accounts")
 * read across it. A term is whole when no word character, "@" or "#" precedes it and no word
 * character follows it ("#unitedway" and "reunited" stay).
 */
export function maskBrand(text: string, brand: BrandTerms): string {
  return maskBrandIn(text, text.toLowerCase(), brand)?.text ?? text;
}

/**
 * `maskBrand` for a caller that already has the text lowercased: masks both forms at once,
 * or returns null when there is nothing to mask.
 *
 * @param handles Whether to mask handles too. The scorer passes false: a handle is a handle
 *   token, never scored, so masking one changes no verdict; it only cost the search and a
 *   rebuilt string for nearly every mention (profiled: about 15% of the pass).
 * @defaultValue handles `true`
 */
export function maskBrandIn(text: string, lower: string, brand: BrandTerms, handles = true): { text: string; lower: string } | null {
  const terms = compile(brand);
  // Lowercasing changed the length (a few scripts): positions would not line up, so mask nothing.
  if (terms.length === 0 || lower.length !== text.length) return null;
  let starts: number[] | null = null;
  let ends: number[] | null = null;
  for (const term of terms) {
    if (!handles && term.charCodeAt(0) === 64) continue;
    let from = 0;
    let at: number;
    while ((at = lower.indexOf(term, from)) >= 0) {
      from = at + 1;
      const end = at + term.length;
      const before = at > 0 ? lower.charCodeAt(at - 1) : 32;
      if (isWordChar(before) || before === 64 || before === 35 || (end < lower.length && isWordChar(lower.charCodeAt(end)))) continue;
      if (starts === null || ends === null) {
        starts = [];
        ends = [];
      }
      let overlaps = false;
      for (let k = 0; k < starts.length; k++) if (at < ends[k]! && end > starts[k]!) overlaps = true;
      if (overlaps) continue;
      starts.push(at);
      ends.push(end);
    }
  }
  if (starts === null || ends === null) return null;
  const order = starts.length === 1 ? [0] : starts.map((_, k) => k).sort((a, b) => starts[a]! - starts[b]!);
  let out = '';
  let outLower = '';
  let last = 0;
  for (const k of order) {
    const at = starts[k]!;
    const end = ends[k]!;
    const mask = (at > 0 && !isSpace(lower.charCodeAt(at - 1)) ? ' ' : '') + MASK + (end < lower.length && !isSpace(lower.charCodeAt(end)) ? ' ' : '');
    out += text.slice(last, at) + mask;
    outLower += lower.slice(last, at) + mask;
    last = end;
  }
  return { text: out + text.slice(last), lower: outLower + lower.slice(last) };
}

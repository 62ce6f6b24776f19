import type { BrandTerms } from './classification.js';
import { lookupWord } from './sentiment/vocabulary.js';

/**
 * Whether a text that contains the brand's name is about the brand. A search for "Nova"
 * also brings "Bossa Nova night", "#NovaScotia" and "supernova": the name inside a longer
 * word or hashtag, or inside a capitalised name whose other word is not English ("Bossa",
 * "Scotia"), is another thing's name. One handle, one whole-word use of the name
 * elsewhere, or a text that never spells the name out (a reply in a thread), is about
 * the brand.
 */

const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;

/** Whether the lowercase word is one the English vocabulary knows anything about. */
function isEnglishWord(word: string): boolean {
  const info = lookupWord(word);
  return info.valence !== undefined || info.lean !== 0 || info.cueGates !== null || info.wordCues !== null ||
    info.sequences !== null || info.negator || info.leadIn || info.degree !== 1 || info.mark === 'english';
}

/**
 * The capitalised word right before `at` (one space apart) when it is not an English word,
 * as in "Bossa Nova"; null when none. The word after is not read: it is as often the brand's
 * own product ("Nova Pro", "Nova Python SDK") as another name.
 */
function foreignNameBefore(text: string, at: number): string | null {
  if (at < 2 || text.charCodeAt(at - 1) !== 32) return null;
  let s = at - 1;
  while (s > 0 && isWordChar(text.charCodeAt(s - 1))) s--;
  if (s === at - 1 || !isUpper(text.charCodeAt(s)) || (s > 0 && text.charCodeAt(s - 1) === 64)) return null;
  const before = text.slice(s, at - 1);
  // "CSV", "API": an acronym, not a name.
  if (before.length > 1 && isUpper(before.charCodeAt(1))) return null;
  return isEnglishWord(before.toLowerCase()) ? null : before;
}

/** What `otherNameFor` searches for: the brand's handles as "@handle" and its names, lowercase. */
interface Needles {
  handles: readonly string[];
  names: readonly string[];
}

// By terms object: a deployment passes the same terms for every mention of a brand.
const needlesByBrand = new WeakMap<BrandTerms, Needles>();

function needlesOf(brand: BrandTerms): Needles {
  let needles = needlesByBrand.get(brand);
  if (needles === undefined) {
    needles = {
      handles: brand.handles.map((h) => h.toLowerCase().replace(/^@/, '')).filter((h) => h.length > 1).map((h) => '@' + h),
      names: brand.names.map((n) => n.trim().toLowerCase()).filter((n) => n.length >= 2),
    };
    needlesByBrand.set(brand, needles);
  }
  return needles;
}

/**
 * Why the brand's name in `text` names something else ("#NovaScotia": inside another word;
 * "Bossa Nova": part of another name), or null when the text is about the brand, or never
 * spells the name out.
 *
 * @param lower   `text` lowercased.
 * @param english Whether the text is English: only then is an unknown capitalised word a
 *   name ("Danke Nova" greets the brand in German).
 */
export function otherNameFor(text: string, lower: string, brand: BrandTerms, english: boolean): string | null {
  if (lower.length !== text.length) return null;
  const { handles, names } = needlesOf(brand);
  for (const handle of handles) if (lower.includes(handle)) return null;
  let other: string | null = null;
  for (const term of names) {
    let from = 0;
    let at: number;
    while ((at = lower.indexOf(term, from)) >= 0) {
      from = at + 1;
      const end = at + term.length;
      let s = at;
      while (s > 0 && (isWordChar(lower.charCodeAt(s - 1)) || lower.charCodeAt(s - 1) === 35)) s--;
      let e = end;
      while (e < lower.length && isWordChar(lower.charCodeAt(e))) e++;
      // "@nova" and "nova.com" are the brand's own.
      if (s > 0 && lower.charCodeAt(s - 1) === 64) return null;
      const tagged = s === at - 1 && lower.charCodeAt(s) === 35;
      if ((s < at && !tagged) || e > end) {
        if (lower.charCodeAt(e) === 46 && isWordChar(lower.charCodeAt(e + 1))) return null;
        other ??= `"${text.slice(s, e)}" is another word`;
        continue;
      }
      if (lower.charCodeAt(end) === 46 && isWordChar(lower.charCodeAt(end + 1))) return null;
      const before = english && !tagged ? foreignNameBefore(text, at) : null;
      if (before === null) return null;
      other ??= `"${before} ${text.slice(at, end)}" is another name`;
    }
  }
  return other;
}

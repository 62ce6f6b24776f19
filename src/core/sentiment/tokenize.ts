import type { BrandTerms } from '../classification.js';
import { maskBrand } from './brand-mask.js';

/** What a token is; only `word`, `emoji`, `emoticon`, `hashtag` and `punct` are scored. */
export type TokenKind = 'word' | 'emoji' | 'emoticon' | 'hashtag' | 'handle' | 'url' | 'number' | 'punct';

export interface Token {
  kind: TokenKind;
  /** As written (case kept: ALL CAPS is a cue). */
  raw: string;
  /** Lowercase, `#` dropped from hashtags, curly apostrophes made straight. */
  norm: string;
  /** Where `norm` starts in the normalised text (after a hashtag's "#"). */
  start: number;
}

// natural's WordTokenizer splits "don't" into "don" + "t" and drops emoji and punctuation.
// We scan the text once by character code instead of running one big alternation regex
// (which tried eight patterns at every position and cost most of the pass); each token's
// lowercase form is a slice of the text lowercased once.

const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isLetter = (c: number): boolean => isAsciiLetter(c) || (c >= 0xc0 && c <= 0x24f);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** `\w`: ASCII letters, digits and underscore. */
const isWordChar = (c: number): boolean => isAsciiLetter(c) || isDigit(c) || c === 95;
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0xfeff;
/** Emoticon eyes ":", ";", "=". */
const isEyes = (c: number): boolean => c === 58 || c === 59 || c === 61;
/** Emoticon noses "-", "o", "^", "'". */
const isNose = (c: number): boolean => c === 45 || c === 111 || c === 94 || c === 39;
/** Emoticon mouths after the eyes: `()[]dDpP/\|*$@`. */
const isMouth = (c: number): boolean =>
  c === 40 || c === 41 || c === 91 || c === 93 || c === 100 || c === 68 || c === 112 || c === 80 || c === 47 || c === 92 || c === 124 || c === 42 || c === 36 || c === 64;
/** Mouths that open a reversed emoticon ("(:", "):"). */
const isLeadMouth = (c: number): boolean => c === 40 || c === 41 || c === 91 || c === 93 || c === 92 || c === 124;
const isLowerAscii = (c: number): boolean => c >= 97 && c <= 122;
const isBmpEmoji = (c: number): boolean =>
  (c >= 0x2600 && c <= 0x27bf) || c === 0x2b50 || c === 0x2b06 || c === 0x2934 || c === 0x2935 || c === 0x3030 || c === 0x303d;

/** Time units a number may carry: "2hrs", "45mins", "4pm", "3rd". */
const NUMBER_UNITS = new Set(['st', 'nd', 'rd', 'th', 'am', 'pm', 'h', 'hr', 'hrs', 'hour', 'hours', 'm', 'min', 'mins', 'minute', 'minutes', 'd', 'day', 'days']);

/** End of an emoticon starting at `i`, or -1. */
function emoticonEnd(s: string, i: number, n: number): number {
  const c = s.charCodeAt(i);
  if (c === 60 /* < */) {
    let j = i + 1;
    if (s.charCodeAt(j) === 47 /* / */) j++;
    if (s.charCodeAt(j) !== 51 /* 3 */) return -1;
    while (j < n && s.charCodeAt(j) === 51) j++;
    return j;
  }
  if (isEyes(c)) {
    let j = i + 1;
    if (isNose(s.charCodeAt(j))) j++;
    const mouth = j;
    while (j < n && isMouth(s.charCodeAt(j))) j++;
    // Give back mouth characters until no lowercase letter follows (":dallas" is no emoticon).
    while (j > mouth && isLowerAscii(s.charCodeAt(j))) j--;
    return j > mouth ? j : -1;
  }
  if (isLeadMouth(c)) {
    let j = i + 1;
    if (isNose(s.charCodeAt(j))) j++;
    if (!isEyes(s.charCodeAt(j))) return -1;
    j++;
    return j < n && isWordChar(s.charCodeAt(j)) ? -1 : j;
  }
  if ((c === 94 || c === 45) && s.charCodeAt(i + 1) === 95 && s.charCodeAt(i + 2) === c) return i + 3; // ^_^ -_-
  return -1;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" };

/**
 * Text as our cues read it: HTML entities decoded, apostrophes straightened, the brand's
 * names masked, and a word cut short by a trailing "…" dropped (platforms truncate long
 * posts mid-word, and "disappoi…" must not count as anything).
 */
export function normalizeText(text: string, brand?: BrandTerms): string {
  let t = text.includes('&') ? text.replace(/&(?:amp|lt|gt|quot|#39|apos);/g, (e) => ENTITIES[e] ?? e) : text;
  if (t.includes('\u2019')) t = t.replace(/\u2019/g, "'");
  if (t.includes('\u2026')) t = t.replace(/(?:^|\s)[^\s]*[A-Za-z]\u2026\s*$/, ' \u2026');
  // "can't recommend them enough" praises; natural negation would flip it.
  if (t.includes('enough')) t = t.replace(/\b(can)(?:'t|not|t) ((?:recommend|thank|praise)\b(?:\s+\S+){0,3}\s+enough)\b/gi, '$1 $2');
  if (brand) t = maskBrand(t, brand);
  return t;
}

/** Splits normalised text into typed tokens; `lower` is the same text lowercased, if at hand. */
export function tokenize(normalized: string, lower = normalized.toLowerCase()): Token[] {
  const tokens: Token[] = [];
  scan(normalized, lower, tokens);
  return tokens;
}

/** Scans the text, appending its tokens to `tokens`. */
function scan(normalized: string, lower: string, tokens: Token[]): void {
  // Lowercasing can change the length of a few scripts' letters: then slice nothing.
  const aligned = lower.length === normalized.length;
  const s = normalized;
  const n = s.length;
  // `lower` stands for the text's lowercase form only when aligned; `push` slices both.
  const low = aligned ? lower : null;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 128 && isSpace(c)) {
      i++;
      continue;
    }
    let j: number;
    if (isLetter(c)) {
      // URLs first: "http://…", "https://…", "www.…". The second letter is checked here
      // because words starting "h" or "w" are common and urlEnd costs two string searches.
      if (((c === 104 && s.charCodeAt(i + 1) === 116) || (c === 119 && s.charCodeAt(i + 1) === 119)) && (j = urlEnd(s, i, n)) > 0) {
        push(tokens, s, low, 'url', i, j);
        i = j;
        continue;
      }
      // Whether lowercasing could change the word (an ASCII capital or any non-ASCII letter),
      // noted while it is read: the token's forms then need no second look at its letters.
      let capital = c <= 90 || c >= 128;
      j = i + 1;
      for (let d; j < n && isLetter((d = s.charCodeAt(j))); j++) if (d <= 90 || d >= 128) capital = true;
      // Contractions: "don't", "y'all'd".
      while (s.charCodeAt(j) === 39 && isAsciiLetter(s.charCodeAt(j + 1))) {
        if (s.charCodeAt(j + 1) <= 90) capital = true;
        j += 2;
        for (let d; j < n && isAsciiLetter((d = s.charCodeAt(j))); j++) if (d <= 90) capital = true;
      }
      if (low !== null && !capital) {
        const norm = low.slice(i, j);
        tokens.push({ kind: 'word', raw: norm, norm, start: i });
      } else push(tokens, s, low, 'word', i, j);
      i = j;
    } else if (isDigit(c)) {
      j = i + 1;
      while (j < n && isDigit(s.charCodeAt(j))) j++;
      while ((s.charCodeAt(j) === 46 || s.charCodeAt(j) === 58 || s.charCodeAt(j) === 44) && isDigit(s.charCodeAt(j + 1))) {
        j += 2;
        while (j < n && isDigit(s.charCodeAt(j))) j++;
      }
      if (isAsciiLetter(s.charCodeAt(j))) {
        let k = j + 1;
        while (k < n && isAsciiLetter(s.charCodeAt(k))) k++;
        if (NUMBER_UNITS.has((aligned ? lower : s.toLowerCase()).slice(j, k))) j = k;
      }
      push(tokens, s, low, 'number', i, j);
      i = j;
    } else if (c === 64 /* @ */ || c === 35 /* # */) {
      j = i + 1;
      while (j < n && isWordChar(s.charCodeAt(j))) j++;
      if (j > i + 1) push(tokens, s, low, c === 64 ? 'handle' : 'hashtag', i, j, c === 64 ? i : i + 1);
      i = j;
    } else if ((j = emoticonEnd(s, i, n)) > 0) {
      push(tokens, s, low, 'emoticon', i, j);
      i = j;
    } else if (c === 33 || c === 63) {
      j = i + 1;
      while (s.charCodeAt(j) === 33 || s.charCodeAt(j) === 63) j++;
      push(tokens, s, low, 'punct', i, j);
      i = j;
    } else if (c === 46 || c === 44 || c === 59 || c === 58 || c === 0x2026) {
      j = i + 1;
      if (c === 46) while (s.charCodeAt(j) === 46) j++;
      push(tokens, s, low, 'punct', i, j);
      i = j;
    } else if (c >= 0xd83c && c <= 0xd83e && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        push(tokens, s, low, 'emoji', i, i + 2);
        i += 2;
      } else i++;
    } else {
      if (isBmpEmoji(c)) push(tokens, s, low, 'emoji', i, i + 1);
      i++;
    }
  }
}

/** Appends the token `s[start, end)`; its lowercase form starts at `normStart` (after a hashtag's "#"). */
function push(tokens: Token[], s: string, lower: string | null, kind: TokenKind, start: number, end: number, normStart = start): void {
  let norm: string;
  let raw: string;
  if (lower !== null) {
    norm = lower.slice(normStart, end);
    // A token without capitals is its own lowercase form: one string, not two.
    raw = normStart === start && !hasCapital(s, start, end) ? norm : s.slice(start, end);
  } else {
    raw = s.slice(start, end);
    norm = raw.slice(normStart - start).toLowerCase();
  }
  // A new token, never one reused from an earlier text: storing new strings into long-lived
  // objects costs a GC write barrier per store, more than the allocation (measured).
  tokens.push({ kind, raw, norm, start: normStart });
}

/** Whether `s[start, end)` has a character lowercasing could change (ASCII capitals, or any non-ASCII). */
function hasCapital(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 128) return true;
  }
  return false;
}

/** End of a URL starting at `i` ("http://", "https://", "www."), or -1. */
function urlEnd(s: string, i: number, n: number): number {
  let j: number;
  if (s.startsWith('http', i)) {
    j = i + 4;
    if (s.charCodeAt(j) === 115 /* s */) j++;
    if (!s.startsWith('://', j)) return -1;
    j += 3;
    if (j >= n || isSpace(s.charCodeAt(j))) return -1;
  } else if (s.startsWith('www.', i)) {
    j = i + 4;
    if (j >= n || isSpace(s.charCodeAt(j))) return -1;
  } else return -1;
  while (j < n && !isSpace(s.charCodeAt(j))) j++;
  return j;
}

/**
 * Near-duplicate fingerprints: which mentions say the same thing (reposts, "RT @a: …",
 * quotes that add a few words, one text posted by many accounts) so they can share one
 * card with a counter. Pure and fast (it runs on every mention); node built-ins only.
 *
 * How it decides:
 *
 * 1. The text is reduced to its comparable words: lowercase, accents folded, and with
 *    URLs, @handles (Mastodon's `@user@instance` too), HTML entities, emoji, punctuation,
 *    any word holding a digit (order and tracking ids, counters like `#123`, times), a
 *    leading or embedded `RT`, a closing `via`, and the run of hashtags at the end removed;
 *    hashtags inside the sentence keep their word.
 * 2. Texts with fewer than {@link SignatureOptions.minContentWords} content words (words that
 *    are not in a small list of function words) get no signature: "is the app down?" from
 *    thirty people is thirty customers, each with their own problem, not one post repeated.
 * 3. `exact` is a 64-bit hash of the comparable words in order: equal for reposts and for
 *    copies that differ only in what step 1 removes.
 * 4. `bands` are locality-sensitive keys over the set of word pairs (2-shingles), only for
 *    texts with at least {@link SignatureOptions.minBandWords} comparable words: each band
 *    hashes the pairs with its own seed and keys on the `rows` smallest values (a bottom-k
 *    MinHash sketch). Two texts whose pair sets have a Jaccard index `s` share a band with
 *    probability about `1 − (1 − s^rows)^bands`, a little less for short texts: with the
 *    defaults (12 bands of 5) 0.99 at s = 0.8 (one word changed in a 20-word post, a few
 *    words added by a quote, the end cut off by a repost), 0.89 at 0.7, 0.32 at 0.5, 0.03
 *    at 0.3, and about 1 in 8,000 at 0.1, which is where two different complaints sharing a
 *    stock phrase ("been on hold for an hour") stay. Fewer values per band would find
 *    more near misses but also join different people, which a busy hour makes likely: a
 *    hundred such posts are five thousand pairs.
 *
 * Coalescing never merges what the team must answer separately: a group card shows a
 * counter and the authors with the most reach, and every mention in it keeps its own
 * state (claim, reply, resolve).
 */
import type { Mention } from './mention.js';

/** A mention's near-duplicate fingerprint; see the module comment. */
export interface DuplicateSignature {
  /** Equal for texts with the same comparable words in the same order. `e.` + 16 hex digits. */
  exact: string;
  /**
   * Band keys (`b<band>.` + 16 hex digits); a near duplicate shares at least one
   * with high probability. Empty for texts too short to judge by overlap.
   */
  bands: string[];
}

/** Thresholds of {@link duplicateSignature}. */
export interface SignatureOptions {
  /**
   * Fewer content words than this: no signature. Short posts are too alike by chance
   * ("still no refund", "app down again?") to be called copies of each other.
   * @defaultValue 4
   */
  minContentWords?: number;
  /**
   * Fewer comparable words than this: `exact` only, no bands. Below it a single changed
   * word moves most word pairs, and short posts from different people share too many.
   * @defaultValue 8
   */
  minBandWords?: number;
  /** Band keys per text: more bands, more near duplicates found (and more keys to store). @defaultValue 12 */
  bands?: number;
  /** Hash values each band key is made of: more, fewer chance meetings and fewer near misses found. @defaultValue 5 */
  rows?: number;
}

const DEFAULTS: Required<SignatureOptions> = { minContentWords: 4, minBandWords: 8, bands: 12, rows: 5 };

/**
 * Function words that do not count towards {@link SignatureOptions.minContentWords}
 * (they still take part in the fingerprint). Negations are not here: "not working" and
 * "working" are different posts.
 */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if so to of in on at by for from with as into about than then ' +
    'i me my mine we us our you your he him his she her it its they them their this that these those ' +
    'is am are was were be been being do does did have has had will would can could shall should may might must ' +
    'im ive youre thats theres whats ' +
    'just also too very really still again yet now here there what when where who why how ' +
    'all any some more most up out off over please pls thanks thank hi hey ok okay oh lol'
  ).split(' '),
);

// One scan by character code, as the tokenizer does: regular expressions with Unicode
// classes, run once per step, cost several times the whole pass.

const isAsciiLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
/** Letters, digits and marks outside ASCII (`é`, `ß`, `ж`, `一`, fullwidth and "bold" letters). */
const WIDE_WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const WIDE_DIGIT = /\p{N}/u;
const MARKS = /\p{M}+/gu;
/** Characters a handle may hold after its `@` (Mastodon's `user@instance.social` included). */
const isHandleChar = (c: number): boolean => isAsciiLetter(c) || isDigit(c) || c === 95 || c === 46 || c === 64 || c === 45;
/** Characters of a bare domain (`bit.ly`, `t.co`) before its path. */
const isHostChar = (c: number): boolean => isAsciiLetter(c) || isDigit(c) || c === 46 || c === 45;
const isApostrophe = (c: number): boolean => c === 39 || c === 0x2019;

/** Length of the word character at `i` (2 for a surrogate pair), or 0 when it is none. */
function wordCharAt(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (c < 128) return isAsciiLetter(c) || isDigit(c) || c === 95 ? 1 : 0;
  if (c >= 0xd800 && c <= 0xdbff) return WIDE_WORD_CHAR.test(s.slice(i, i + 2)) ? 2 : 0;
  return WIDE_WORD_CHAR.test(s[i]!) ? 1 : 0;
}

/** End of a URL starting at `i`, or -1: `http://`, `https://`, `www.`, or a bare domain followed by a path. */
function urlEnd(s: string, i: number, n: number): number {
  let j = -1;
  if (s.startsWith('http://', i) || s.startsWith('https://', i) || s.startsWith('www.', i)) j = i + 4;
  else {
    let k = i;
    let dot = false;
    while (k < n && isHostChar(s.charCodeAt(k))) {
      if (s.charCodeAt(k) === 46) dot = true;
      k++;
    }
    if (dot && s.charCodeAt(k) === 47 && s.charCodeAt(k - 1) !== 46) j = k;
  }
  if (j < 0) return -1;
  while (j < n && !isSpace(s.charCodeAt(j))) j++;
  return j;
}

/** End of an HTML entity (`&amp;`, `&#39;`, `&#x1F4E6;`) starting at `i`, or -1. */
function entityEnd(s: string, i: number, n: number): number {
  const limit = Math.min(n, i + 12);
  for (let j = i + 1; j < limit; j++) {
    const c = s.charCodeAt(j);
    if (c === 59) return j > i + 1 ? j + 1 : -1;
    if (!(isAsciiLetter(c) || isDigit(c) || c === 35)) return -1;
  }
  return -1;
}

/** A word's comparable form: accents folded, apostrophes gone; `undefined` when it holds a digit. */
function comparable(word: string, wide: boolean, apostrophe: boolean): string | undefined {
  let w = word;
  if (apostrophe) w = w.replace(/['\u2019]/g, '');
  if (wide) {
    if (WIDE_DIGIT.test(w)) return undefined;
    w = w.normalize('NFKD').replace(MARKS, '');
    // Compatibility forms may bring digits ("①" is "1") or capitals ("𝐁" is "B").
    if (/[0-9]/.test(w)) return undefined;
    w = w.toLowerCase();
  }
  return w || undefined;
}

/**
 * The words a signature is built from, in order (see step 1 of the module comment).
 * Also the word list for spike summaries.
 */
export function comparableWords(text: string): string[] {
  const s = text.toLowerCase();
  const n = s.length;
  const words: string[] = [];
  // Where the closing run of hashtags starts in `words`; -1 while the last word is not one.
  let tagsFrom = -1;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 64 /* @ */) {
      i++;
      while (i < n && isHandleChar(s.charCodeAt(i))) i++;
      continue;
    }
    if (c === 38 /* & */) {
      const end = entityEnd(s, i, n);
      i = end > 0 ? end : i + 1;
      continue;
    }
    const tag = c === 35 /* # */;
    const from = tag ? i + 1 : i;
    let step = wordCharAt(s, from);
    if (step === 0) {
      i = from + (tag ? 0 : 1);
      continue;
    }
    if (!tag && isAsciiLetter(c)) {
      const end = urlEnd(s, i, n);
      if (end > 0) {
        i = end;
        continue;
      }
    }
    let j = from;
    let digit = false;
    let wide = false;
    let apostrophe = false;
    while (step > 0) {
      const d = s.charCodeAt(j);
      if (d >= 128) wide = true;
      else if (isDigit(d)) digit = true;
      j += step;
      step = wordCharAt(s, j);
      if (step === 0 && isApostrophe(s.charCodeAt(j)) && (step = wordCharAt(s, j + 1)) > 0) {
        apostrophe = true;
        j += 1;
      }
    }
    i = j;
    if (digit) continue;
    const word = comparable(s.slice(from, j), wide, apostrophe);
    if (word === undefined || word === 'rt') continue;
    if (tag) {
      if (tagsFrom < 0) tagsFrom = words.length;
    } else tagsFrom = -1;
    words.push(word);
  }
  // The hashtags closing a post are tags, not text: "… #fail #parcelly #123" go.
  if (tagsFrom >= 0) words.length = tagsFrom;
  if (words[words.length - 1] === 'via') words.pop();
  return words;
}

/** Whether a word counts towards the minimum length of a signed text. */
export function isContentWord(word: string): boolean {
  return word.length > 1 && !FUNCTION_WORDS.has(word);
}

/** MurmurHash3's 32-bit finaliser: every input bit moves every output bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Two independent 32-bit hashes of each word (FNV-1a over UTF-16 code units from two
 * offsets, finished with {@link mix}), in one pass: `out[2i]` and `out[2i + 1]`.
 */
function hashWords(words: readonly string[]): Int32Array {
  const out = new Int32Array(words.length * 2);
  for (let w = 0; w < words.length; w++) {
    const word = words[w]!;
    let a = 0x811c9dc5;
    let b = 0x050c5d1f;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193);
    }
    out[2 * w] = mix(a);
    out[2 * w + 1] = mix(b ^ 0x5bd1e995);
  }
  return out;
}

/** Two hex digits for each byte value. */
const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * Eight hex digits of a 32-bit value, from a table: V8 formats numbers outside its small
 * integers (above 2^30) on a slow path that cost more than all the hashing, whatever the base.
 */
function hex(n: number): string {
  return BYTE_HEX[(n >>> 24) & 255]! + BYTE_HEX[(n >>> 16) & 255]! + BYTE_HEX[(n >>> 8) & 255]! + BYTE_HEX[n & 255]!;
}

/** One seed per band, fixed so every process computes the same keys. */
function bandSeeds(count: number): Int32Array {
  const seeds = new Int32Array(count);
  for (let i = 0; i < count; i++) seeds[i] = mix(0x9e3779b9 + Math.imul(i + 1, 0x7f4a7c15));
  return seeds;
}

let seedCache = bandSeeds(DEFAULTS.bands);

/** `exact`: the word hashes folded in order, two lanes for 64 bits. */
function exactKey(hashes: Int32Array): string {
  let h1 = 0x3c6ef372;
  let h2 = 0x510e527f;
  for (let i = 0; i < hashes.length; i += 2) {
    h1 = mix(Math.imul(h1, 0x2c1b3c6d) ^ hashes[i]!);
    h2 = mix(Math.imul(h2, 0x297a2d39) ^ hashes[i + 1]!);
  }
  return `e.${hex(mix(h1 ^ hashes.length))}${hex(h2)}`;
}

/**
 * One key per band: the `rows` smallest values of the band's hash over the word pairs
 * (a bottom-k sketch), hashed together. Two texts get the same key when the `rows`
 * smallest of all their pairs are pairs they share, which happens with probability
 * about `s^rows` for a Jaccard index `s`: the selectivity of `rows` independent MinHash
 * values, for one hash per pair and band instead of `rows`. Values stay signed 32-bit integers (their order is as good a
 * random order as the unsigned one), which keeps the loop in integer registers.
 */
function bandKeys(hashes: Int32Array, bands: number, rows: number): string[] {
  if (seedCache.length < bands) seedCache = bandSeeds(bands);
  const pairCount = hashes.length / 2 - 1;
  const pairs = new Int32Array(pairCount);
  for (let i = 0; i < pairCount; i++) pairs[i] = mix(Math.imul(hashes[2 * i]!, 0x2c1b3c6d) ^ hashes[2 * i + 2]!);
  const bottom = new Int32Array(rows);
  const keys: string[] = new Array(bands);
  for (let b = 0; b < bands; b++) {
    const seed = seedCache[b]!;
    let kept = 0;
    for (let i = 0; i < pairCount; i++) {
      const h = mix(pairs[i]! ^ seed);
      if (kept === rows && h >= bottom[rows - 1]!) continue;
      // A pair that comes back ("very very very") counts once: the sketch is of a set.
      let repeated = false;
      for (let k = 0; k < kept && !repeated; k++) repeated = bottom[k] === h;
      if (repeated) continue;
      // Insertion into the sorted few, the largest dropped when they are full.
      let j = kept < rows ? kept++ : rows - 1;
      while (j > 0 && bottom[j - 1]! > h) {
        bottom[j] = bottom[j - 1]!;
        j--;
      }
      bottom[j] = h;
    }
    let h1 = 0x2545f491 ^ b;
    let h2 = 0x6a09e667 ^ b;
    for (let r = 0; r < kept; r++) {
      h1 = mix(Math.imul(h1, 31) ^ bottom[r]!);
      h2 = mix(Math.imul(h2, 37) + bottom[r]!);
    }
    keys[b] = `b${b}.${hex(h1)}${hex(h2)}`;
  }
  return keys;
}

/**
 * The near-duplicate fingerprint of a mention's text, or `undefined` when the text is too
 * short to call anything a copy of it (see {@link SignatureOptions.minContentWords}).
 */
export function duplicateSignature(mention: Pick<Mention, 'text'>, options: SignatureOptions = {}): DuplicateSignature | undefined {
  const { minContentWords, minBandWords, bands, rows } = { ...DEFAULTS, ...options };
  const words = comparableWords(mention.text);
  let content = 0;
  for (const word of words) if (isContentWord(word)) content++;
  if (content < minContentWords) return undefined;
  const hashes = hashWords(words);
  return { exact: exactKey(hashes), bands: words.length >= minBandWords ? bandKeys(hashes, bands, rows) : [] };
}

/** Every key of a signature, `exact` first: what a group store looks a mention up by. */
export function signatureKeys(signature: DuplicateSignature): string[] {
  return [signature.exact, ...signature.bands];
}

import type { BrandTerms } from '../classification.js';

/** What a token is; only `word`, `emoji`, `emoticon`, `hashtag` and `punct` are scored. */
export type TokenKind = 'word' | 'emoji' | 'emoticon' | 'hashtag' | 'handle' | 'url' | 'number' | 'punct';

export interface Token {
  kind: TokenKind;
  /** As written (case kept: ALL CAPS is a cue). */
  raw: string;
  /** Lowercase, `#` dropped from hashtags, curly apostrophes made straight. */
  norm: string;
}

// natural's WordTokenizer splits "don't" into "don" + "t" and drops emoji and punctuation,
// and its RegexpTokenizer is only `text.match(pattern)`: we run a tweet-aware pattern with
// `exec` ourselves, so each token's lowercase form is a slice of the text lowercased once.
const TOKEN_PATTERN = new RegExp(
  [
    String.raw`https?:\/\/\S+|www\.\S+`,
    String.raw`@\w+`,
    String.raw`#\w+`,
    // Western emoticons, eyes first or mouth first, plus hearts.
    String.raw`(?:<\/?3+)|(?:[:;=][\-o^']?[()\[\]dDpP\/\\|*$@]+)(?![a-z])|(?:[()\[\]\\|][\-o^']?[:;=])(?!\w)|\^_\^|-_-`,
    String.raw`[A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)*`,
    String.raw`\d+(?:[.:,]\d+)*(?:st|nd|rd|th|am|pm|hours?|hrs?|h|minutes?|mins?|m|days?|d)?(?![A-Za-z])`,
    // Emoji as surrogate pairs or BMP symbols: the `u` flag would make the whole match slower.
    String.raw`[\uD83C-\uD83E][\uDC00-\uDFFF]|[\u2600-\u27BF\u2B50\u2B06\u2934\u2935\u3030\u303D]`,
    String.raw`[!?]+|\.{2,}|\u2026|[.,;:]`,
  ].join('|'),
  'g',
);

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" };

function kindOf(raw: string): TokenKind {
  const c = raw.charCodeAt(0);
  if (raw.startsWith('http') && raw.includes('/')) return 'url';
  if (raw.startsWith('www.')) return 'url';
  if (c === 64 /* @ */) return 'handle';
  if (c === 35 /* # */) return raw.length > 1 ? 'hashtag' : 'punct';
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f)) return 'word';
  if (c >= 48 && c <= 57) return 'number';
  if (c === 33 || c === 63 || c === 46 || c === 44 || c === 59 || c === 0x2026) return 'punct';
  if (c === 58 /* : */) return raw.length === 1 ? 'punct' : 'emoticon';
  return c >= 0x2600 ? 'emoji' : 'emoticon';
}

/**
 * Text as our cues read it: HTML entities decoded, apostrophes straightened, the brand's
 * names masked, and a word cut short by a trailing "…" dropped (platforms truncate long
 * posts mid-word, and "disappoi…" must not count as anything).
 */
export function normalizeText(text: string, brand?: BrandTerms): string {
  let t = text.includes('&') ? text.replace(/&(?:amp|lt|gt|quot|#39|apos);/g, (e) => ENTITIES[e] ?? e) : text;
  if (t.includes('\u2019')) t = t.replace(/\u2019/g, "'");
  t = t.replace(/(?:^|\s)[^\s]*[A-Za-z]\u2026\s*$/, ' \u2026');
  // "can't recommend them enough" praises; natural negation would flip it.
  if (t.includes('enough')) t = t.replace(/\b(can)(?:'t|not|t) ((?:recommend|thank|praise)\b(?:\s+\S+){0,3}\s+enough)\b/gi, '$1 $2');
  if (brand) t = maskBrand(t, brand);
  return t;
}

interface BrandMatcher {
  /** Lowercase terms: the regex runs only when one occurs, which is cheaper than running it. */
  terms: string[];
  pattern: RegExp | null;
}

const brandMatchers = new Map<string, BrandMatcher>();
// Callers pass the same BrandTerms object for every mention of a brand: skip building the key.
const brandMatchersByObject = new WeakMap<BrandTerms, BrandMatcher>();

function brandMatcher(brand: BrandTerms): BrandMatcher {
  const known = brandMatchersByObject.get(brand);
  if (known) return known;
  const key = brand.names.join('\u0000') + '\u0001' + brand.handles.join('\u0000');
  let matcher = brandMatchers.get(key);
  if (matcher === undefined) {
    const terms = [...brand.names, ...brand.handles.map((h) => (h.startsWith('@') ? h : '@' + h))]
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t.length > 1)
      .sort((a, b) => b.length - a.length);
    const escaped = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const pattern = terms.length ? new RegExp(`(?<![\\w@#])(?:${escaped.join('|')})(?!\\w)`, 'gi') : null;
    matcher = { terms, pattern };
    if (brandMatchers.size > 1000) brandMatchers.clear();
    brandMatchers.set(key, matcher);
  }
  brandMatchersByObject.set(brand, matcher);
  return matcher;
}

function maskBrand(text: string, brand: BrandTerms): string {
  const { terms, pattern } = brandMatcher(brand);
  if (!pattern) return text;
  const lower = text.toLowerCase();
  return terms.some((t) => lower.includes(t)) ? text.replace(pattern, ' @brand ') : text;
}

/** Splits normalised text into typed tokens; `lower` is the same text lowercased, if at hand. */
export function tokenize(normalized: string, lower = normalized.toLowerCase()): Token[] {
  // Lowercasing can change the length of a few scripts' letters: then slice nothing.
  const aligned = lower.length === normalized.length;
  const tokens: Token[] = [];
  TOKEN_PATTERN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_PATTERN.exec(normalized)) !== null) {
    const raw = m[0];
    const kind = kindOf(raw);
    const start = kind === 'hashtag' ? m.index + 1 : m.index;
    const norm = aligned ? lower.slice(start, m.index + raw.length) : raw.slice(start - m.index).toLowerCase();
    tokens.push({ kind, raw, norm });
  }
  return tokens;
}

/**
 * How long a reply may be on each platform, and how each platform counts. A suggested
 * reply is cut to fit before a human sees it, so the send never fails on length.
 */
import type { Platform } from './mention.js';

/** Maximum reply length per platform, in that platform's own units. */
export const PLATFORM_LIMITS: Readonly<Record<Platform, number>> = {
  x: 280,
  bluesky: 300,
  mastodon: 500,
  hackernews: 2000,
  reddit: 2000,
  rss: 2000,
  file: 2000,
};

/** Platforms where a reply starts with `@handle `, which counts against the limit. */
export const HANDLE_PREFIXED: ReadonlySet<Platform> = new Set<Platform>(['x', 'bluesky', 'mastodon']);

// X weighs most Latin, punctuation and common symbols 1 and everything else (CJK,
// emoji...) 2. See twitter-text's configuration v3 ranges.
const X_LIGHT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];

/**
 * Length of `text` as `platform` counts it: X weighs characters (light 1, heavy 2),
 * Bluesky counts graphemes, the others count code points.
 */
export function replyLength(platform: Platform, text: string): number {
  if (platform === 'x') {
    let weight = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      weight += X_LIGHT_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? 1 : 2;
    }
    return weight;
  }
  if (platform === 'bluesky') {
    let graphemes = 0;
    for (const _ of graphemeSegmenter.segment(text)) graphemes += 1;
    return graphemes;
  }
  return [...text].length;
}

const graphemeSegmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

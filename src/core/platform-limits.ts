/**
 * How long a reply may be on each platform, and how each platform counts. A suggested
 * reply is cut to fit before a human sees it, and an edited one is checked again, so the
 * send never fails on length.
 */
import { createRequire } from 'node:module';
import type { Platform } from './mention.js';

let twitterText: typeof import('twitter-text') | undefined;

/**
 * X's own counting library (twitter-text with its polyfills: a tenth of a second to load,
 * for X replies only). Loaded on first use; the roles that draft replies load it at start.
 */
export function loadXCounting(): typeof import('twitter-text') {
  return (twitterText ??= createRequire(import.meta.url)('twitter-text') as typeof import('twitter-text'));
}

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

/** Mastodon counts every link as this many characters, however long it is. */
export const MASTODON_URL_LENGTH = 23;

// Mastodon's own counting: a link is 23 characters, a mention counts its local part only
// (`@wren@mastodon.social` as `@wren`), then graphemes are counted.
const MASTODON_URL = /https?:\/\/[^\s<>"']+/gu;
const MASTODON_MENTION = /@([\p{L}\p{N}_.-]+)@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;

/**
 * Length of `text` as `platform` counts it: X with its own library (weighted: most Latin
 * 1, CJK and emoji 2, every link 23), Bluesky in graphemes, Mastodon in graphemes with
 * each link as 23, the others in code points.
 */
export function replyLength(platform: Platform, text: string): number {
  switch (platform) {
    case 'x':
      return loadXCounting().parseTweet(text).weightedLength;
    case 'bluesky':
      return graphemeCount(text);
    case 'mastodon':
      return graphemeCount(text.replace(MASTODON_URL, 'x'.repeat(MASTODON_URL_LENGTH)).replace(MASTODON_MENTION, '@$1'));
    default:
      return [...text].length;
  }
}

// Made on first use: the first segmenter of a process loads ICU's break rules (~10 ms at start).
let graphemeSegmenter: Intl.Segmenter | undefined;

function graphemeCount(text: string): number {
  let graphemes = 0;
  for (const _ of (graphemeSegmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(text)) graphemes += 1;
  return graphemes;
}

/** Platforms with private messages (X and Bluesky DMs, Mastodon direct posts, Reddit messages). */
export const PRIVATE_MESSAGES: ReadonlySet<Platform> = new Set<Platform>(['x', 'bluesky', 'mastodon', 'reddit']);

/**
 * The reply as the platform will count it: on Mastodon the author's handle leads the
 * status (the replier adds it when the text does not address them) and counts too.
 */
export function postedReply(platform: Platform, handle: string, text: string): string {
  const lead = `@${handle.replace(/^@+/, '')}`;
  return platform === 'mastodon' && !text.toLowerCase().includes(lead.toLowerCase()) ? `${lead} ${text}` : text;
}

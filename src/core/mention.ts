/**
 * The mention model: one public post that names the brand, as every source produces it
 * and every later stage reads it. Plain data, safe to put on a queue as JSON.
 */

/** Platforms a mention can come from. `file` is a replay of recorded mentions. */
export const PLATFORMS = ['x', 'bluesky', 'mastodon', 'hackernews', 'reddit', 'rss', 'file'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface Author {
  /** The author's handle on the platform, without a leading `@`. */
  handle: string;
  /** Display name; defaults to the handle. */
  name: string;
  /** Follower count, the base of reach. 0 when the platform does not say. */
  followers: number;
}

export interface Mention {
  source: Platform;
  /** The platform's own id for the post (a tweet id, an AT URI, a status id...). */
  id: string;
  text: string;
  /** Link to the post, when the platform has one. */
  url?: string;
  /** ISO-8601 time the post was written. */
  createdAt: string;
  author: Author;
}

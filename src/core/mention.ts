/**
 * The mention model: one public post that names the brand, as every source produces it
 * and every later stage reads it. Plain data, safe to put on a queue as JSON.
 */

/** Platforms a mention can come from. `file` is a replay of recorded mentions. */
export const PLATFORMS = ['x', 'bluesky', 'mastodon', 'hackernews', 'reddit', 'rss', 'file'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface Author {
  /**
   * The author's handle on the platform, without a leading `@`, exactly as the platform
   * writes it (`wren@mastodon.social` on Mastodon, `wren.bsky.social` on Bluesky).
   */
  handle: string;
  /** Display name; defaults to the handle. */
  name: string;
  /** Follower count, the base of reach. 0 when the platform does not say. */
  followers: number;
  /** The platform's own id for the account (an X user id, a DID...), when it gives one. */
  id?: string;
  /** Whether the platform marks the account as verified. Absent when it does not say. */
  verified?: boolean;
}

/** The post a mention answers, when it is a reply. */
export interface InReplyTo {
  /** The platform's id of the parent post. */
  id: string;
  /** Handle of the parent post's author, when known. */
  handle?: string;
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
  /** Language the platform reports for the post (BCP 47, e.g. `en`, `pt-BR`). */
  language?: string;
  /** Links in the post (expanded where the platform gives the expanded form). */
  links?: string[];
  /** The post this one replies to. */
  inReplyTo?: InReplyTo;
  /**
   * Whether the post addresses the brand's own account (an @mention, a reply to it, a
   * quote of it): on X only such posts may be answered through the API.
   */
  addressesBrand?: boolean;
  /** Where it was said, shown with the text: a Hacker News story title, a feed's title, a subreddit. */
  context?: string;
  /**
   * Platform details a reply needs and the model has no field for (Bluesky: `cid`,
   * `rootUri`, `rootCid`; Mastodon: `instance`). Strings only, at most 8 entries.
   */
  replyRef?: Record<string, string>;
}

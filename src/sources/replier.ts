import type { Mention, Platform } from '../core/mention.js';

/** What the platform gave back for a reply it accepted. */
export interface SentReply {
  /** The platform's id of the new post. */
  id: string;
  /** Link to it, when the platform has one. */
  url?: string;
}

/** Whether a mention can be answered through the API, and if not, why (shown to the team). */
export type ReplyCheck = { ok: true } | { ok: false; reason: string };

/**
 * Sends a reply the team wrote, on one platform, with the brand account's write
 * credentials. Exists only when those credentials are configured; without one the
 * Reply modal stays copy-and-paste.
 */
export interface Replier {
  readonly platform: Platform;
  /** Whether this mention may be answered through the API (X: only posts that address the brand). */
  check(mention: Mention): ReplyCheck;
  /**
   * Posts `text` as a reply to the mention.
   * @throws ReplyRefusedError when the platform refuses it (the reason is for the writer)
   */
  reply(mention: Mention, text: string): Promise<SentReply>;
}

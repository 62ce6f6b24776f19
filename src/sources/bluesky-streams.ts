/**
 * The two ways the poll finds posts, each paged with its own cursor: the brand account's
 * mention, reply and quote notifications, and `searchPosts` for one query. The client
 * checks every response against the lexicons and throws for the whole page when one
 * item is off; such a page is read item by item instead, so one bad post view becomes a
 * reject and the rest go on.
 */
import { AppBskyFeedDefs, AppBskyNotificationListNotifications, XRPCError } from '@atproto/api';
import type { BlueskyCursor, StreamState } from './bluesky-cursor.js';
import { sortAtOf, type PostLike } from './bluesky-map.js';
import type { BlueskySession } from './bluesky-session.js';

/** Posts per page: the most searchPosts and listNotifications return. */
export const PAGE_SIZE = 100;
/** Notification reasons that are someone addressing the brand. */
export const NOTIFICATION_REASONS = ['mention', 'reply', 'quote'];

/** An item of a page that is not a valid view, with the validator's reason. */
export interface InvalidItem {
  item: unknown;
  reason: string;
}

/** One page of a stream. */
export interface StreamPage {
  posts: PostLike[];
  invalid: InvalidItem[];
  cursor: string | undefined;
}

/** A stream the read walks: the notifications, or one search query. */
export interface Stream {
  /** For rejects and logs: `notifications` or `search "parcelly"`. */
  label: string;
  /** Whether its posts address the brand by how they were found. */
  notified: boolean;
  /** The key its pages are sorted by (newest first), which ends a walk at the floor. */
  orderOf(post: PostLike): string;
  get(cursor: BlueskyCursor): StreamState;
  set(cursor: BlueskyCursor, state: StreamState): void;
  /** One page from `pageCursor` (undefined: the newest), reaching down to `floor` (ISO). */
  fetch(session: BlueskySession, pageCursor: string | undefined, floor: string): Promise<StreamPage>;
}

type Validator = (value: unknown) => { success: true } | { success: false; error: Error };

/** The items of a page the client refused as a whole (already decoded as lex values), each checked on its own. */
function salvage<T>(error: unknown, list: string, validate: Validator): { valid: T[]; invalid: InvalidItem[]; cursor: string | undefined } {
  // XRPCInvalidResponseError (not exported by @atproto/api): status 2, with the body it refused.
  const body = error instanceof XRPCError && error.status === 2 && 'responseBody' in error ? (error.responseBody as Record<string, unknown> | undefined) : undefined;
  const items = body?.[list];
  if (!Array.isArray(items)) throw error;
  const valid: T[] = [];
  const invalid: InvalidItem[] = [];
  for (const item of items) {
    const checked = validate(item);
    if (checked.success) valid.push(item as T);
    else invalid.push({ item, reason: `${list === 'posts' ? 'post view' : 'notification'} does not match the lexicon: ${checked.error.message}` });
  }
  return { valid, invalid, cursor: typeof body?.cursor === 'string' ? body.cursor : undefined };
}

/** `app.bsky.feed.searchPosts` for `q`, newest first, down to `since` = the floor. */
export function searchStream(q: string): Stream {
  return {
    label: `search "${q}"`,
    notified: false,
    orderOf: sortAtOf,
    get: (c) => c.queries[q] ?? {},
    set: (c, s) => {
      c.queries[q] = s;
    },
    async fetch(session, pageCursor, floor) {
      try {
        const { data } = await session.call(`searchPosts "${q}"`, (agent) =>
          agent.app.bsky.feed.searchPosts({ q, sort: 'latest', since: floor, limit: PAGE_SIZE, ...(pageCursor ? { cursor: pageCursor } : {}) }),
        );
        return { posts: data.posts, invalid: [], cursor: data.cursor };
      } catch (error) {
        const { valid, invalid, cursor } = salvage<AppBskyFeedDefs.PostView>(error, 'posts', AppBskyFeedDefs.validatePostView as Validator);
        return { posts: valid, invalid, cursor };
      }
    },
  };
}

function postOf(n: AppBskyNotificationListNotifications.Notification): PostLike {
  // A notification carries the post's record and author: it is the post, minus counts.
  return { uri: n.uri, cid: n.cid, author: n.author, record: n.record, indexedAt: n.indexedAt };
}

/** `app.bsky.notification.listNotifications` of the brand account: mentions, replies, quotes. */
export const notificationStream: Stream = {
  label: 'notifications',
  notified: true,
  // The AppView sorts notifications by their own indexedAt, whatever the post's createdAt says.
  orderOf: (post) => post.indexedAt,
  get: (c) => c.notifications ?? {},
  set: (c, s) => {
    c.notifications = s;
  },
  async fetch(session, pageCursor) {
    let notifications: AppBskyNotificationListNotifications.Notification[];
    let invalid: InvalidItem[] = [];
    let cursor: string | undefined;
    try {
      const { data } = await session.call('listNotifications', (agent) =>
        agent.app.bsky.notification.listNotifications({ reasons: NOTIFICATION_REASONS, limit: PAGE_SIZE, ...(pageCursor ? { cursor: pageCursor } : {}) }),
      );
      ({ notifications, cursor } = data);
    } catch (error) {
      const salvaged = salvage<AppBskyNotificationListNotifications.Notification>(error, 'notifications', AppBskyNotificationListNotifications.validateNotification as Validator);
      ({ valid: notifications, invalid, cursor } = salvaged);
    }
    return { posts: notifications.filter((n) => NOTIFICATION_REASONS.includes(n.reason)).map(postOf), invalid, cursor };
  },
};

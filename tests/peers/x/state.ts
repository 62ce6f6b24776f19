/**
 * What the X peer remembers: users, posts, stream rules and connections, rate-limit
 * windows, scripted faults, the bill, and every request received.
 */
import type { ServerResponse } from 'node:http';

export interface PeerUser {
  id: string;
  username: string;
  name: string;
  followers: number;
  verified: boolean;
  /** `blue`, `business`, `government` or `none`. */
  verifiedType: string;
}

export type ReferenceType = 'replied_to' | 'quoted' | 'retweeted';

export interface PeerPost {
  id: string;
  /** Unescaped text; rendered with X's `&amp;` `&lt;` `&gt;` escaping, cut at 280 with `note_tweet`. */
  text: string;
  authorId: string;
  createdAt: string;
  lang: string;
  conversationId: string;
  inReplyToUserId?: string;
  referenced: Array<{ type: ReferenceType; id: string }>;
  urls: string[];
  /** Applied to the rendered JSON before sending, to serve malformed posts. */
  corrupt?: (json: Record<string, unknown>) => unknown;
  /** Leave the author out of `includes.users`. */
  hideAuthor?: boolean;
}

/** One HTTP request as the peer received it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/2/tweets/search/recent`. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON body, undefined when empty. */
  body: unknown;
  status: number;
  response?: unknown;
  at: number;
}

/** Endpoint families, each with its own rate-limit window and fault queue. */
export type RouteKey = 'search' | 'mentions' | 'user' | 'rules' | 'stream' | 'post' | 'usage';

export interface Fault {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  times: number;
}

export interface RateWindow {
  limit: number;
  remaining: number;
  /** Unix seconds. */
  reset: number;
}

export interface StreamRule {
  id: string;
  value: string;
  tag?: string;
}

export interface StreamConnection {
  res: ServerResponse;
  query: URLSearchParams;
}

export interface OAuthKeys {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
}

/** Billed reads, deduplicated per UTC day the way X says it bills. */
export interface PeerBill {
  postReads: number;
  ownedReads: number;
  userReads: number;
}

export interface PeerState {
  bearerToken: string;
  oauth: OAuthKeys;
  /** The account that owns the app (its mentions timeline is owned reads; replies are posted as it). */
  owner: PeerUser;
  now: () => Date;
  users: Map<string, PeerUser>;
  posts: Map<string, PeerPost>;
  rules: StreamRule[];
  streams: Set<StreamConnection>;
  streamConnects: number;
  keepAliveMs: number;
  /** Page tokens handed out: token → id the next page starts below. */
  tokens: Map<string, { below: string; route: RouteKey }>;
  faults: Map<RouteKey, Fault[]>;
  windows: Map<RouteKey, RateWindow>;
  limits: Record<RouteKey, number>;
  requests: RecordedRequest[];
  bill: PeerBill;
  billedToday: { day: string; posts: Set<string>; users: Set<string> };
  /** Posts created through `POST /2/tweets`, in order. */
  sent: PeerPost[];
  nextId(at?: Date): string;
}

const X_EPOCH = 1288834974657n;

/** Snowflake ids whose time part is the post's time, so id order is time order. */
export function createIdGenerator(): (at?: Date) => string {
  let sequence = 0n;
  let last = 0n;
  return (at = new Date()) => {
    let id = (BigInt(at.getTime()) - X_EPOCH) << 22n;
    id += sequence++ % 4096n;
    if (id <= last) id = last + 1n;
    last = id;
    return id.toString();
  };
}

/** Bills what one answer returned: posts (owned when from the owner's mentions) and users. */
export function billRead(state: PeerState, postIds: string[], userIds: string[], owned: boolean): void {
  const day = state.now().toISOString().slice(0, 10);
  if (state.billedToday.day !== day) state.billedToday = { day, posts: new Set(), users: new Set() };
  for (const id of postIds) {
    if (state.billedToday.posts.has(id)) continue;
    state.billedToday.posts.add(id);
    if (owned) state.bill.ownedReads++;
    else state.bill.postReads++;
  }
  for (const id of userIds) {
    if (state.billedToday.users.has(id)) continue;
    state.billedToday.users.add(id);
    state.bill.userReads++;
  }
}

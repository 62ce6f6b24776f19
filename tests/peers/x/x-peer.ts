/**
 * A local X API v2 for integration tests, on plain http at 127.0.0.1, spoken to by the real
 * twitter-api-v2 client (the source rewrites its URLs onto `peer.apiUrl`).
 *
 * @example
 * const peer = await startXPeer();
 * peer.addUser({ username: 'dana', followers: 1200 });
 * peer.addPost({ author: 'dana', text: '@parcelly my labels print blank' });
 * // source config: { apiUrl: peer.apiUrl }, secret X_BEARER_TOKEN = peer.bearerToken
 */
import type { AddressInfo } from 'node:net';
import { faultOf, type FaultKind } from './problems.js';
import { createXServer } from './http-server.js';
import { createReadRoutes } from './read-routes.js';
import { createStreamRoutes, dropStreams, keepAlive, pushToStreams } from './stream-routes.js';
import { createWriteRoutes } from './write-routes.js';
import { createIdGenerator, type OAuthKeys, type PeerBill, type PeerPost, type PeerState, type PeerUser, type RateWindow, type RecordedRequest, type RouteKey } from './state.js';

export type { PeerPost, PeerUser, RecordedRequest, RouteKey, StreamRule } from './state.js';
export type { FaultKind } from './problems.js';
export { problems } from './problems.js';

export interface XPeerOptions {
  /** The owner of the app: the brand account. @defaultValue `{ username: 'parcelly', name: 'Parcelly' }` */
  owner?: Partial<Omit<PeerUser, 'id'>>;
  /** @defaultValue a random-looking fixed token */
  bearerToken?: string;
  oauth?: OAuthKeys;
  /** Requests per 15-minute window, per endpoint family. @defaultValue X's app limits (search 450, mentions 450…) */
  limits?: Partial<Record<RouteKey, number>>;
  /** Interval of `\r\n` keep-alives on the stream. @defaultValue 20 000 ms */
  keepAliveMs?: number;
  /** The peer's clock (post times, windows, billing days). @defaultValue system clock */
  now?: () => Date;
}

export interface AddUserInput {
  username: string;
  name?: string;
  followers?: number;
  verified?: boolean;
  /** @defaultValue `'blue'` when verified, else `'none'` */
  verifiedType?: string;
}

export interface AddPostInput {
  /** Username of an added user (added on the fly when unknown). */
  author: string;
  text: string;
  /** @defaultValue a minute before now */
  createdAt?: Date;
  /** @defaultValue `'en'` */
  lang?: string;
  replyTo?: string;
  quote?: string;
  retweetOf?: string;
  urls?: string[];
  corrupt?: PeerPost['corrupt'];
  hideAuthor?: boolean;
}

export interface XPeer {
  /** `http://127.0.0.1:PORT`, the source's `apiUrl`. */
  readonly apiUrl: string;
  readonly bearerToken: string;
  readonly oauth: OAuthKeys;
  readonly owner: PeerUser;
  readonly requests: readonly RecordedRequest[];
  /** Requests with this method whose path matches. */
  requestsTo(method: string, path: RegExp): RecordedRequest[];
  addUser(input: AddUserInput): PeerUser;
  /** Adds a post, with an id whose time part is its `createdAt`. */
  addPost(input: AddPostInput): PeerPost;
  /** Adds `count` posts by distinct new authors; returns them oldest first. */
  addPosts(count: number, make: (i: number) => Omit<AddPostInput, 'author'> & { author?: string }): PeerPost[];
  /** Posts created with `POST /2/tweets`. */
  sent(): PeerPost[];
  rules(): Array<{ id: string; value: string; tag?: string }>;
  /** Adds a rule as another tool of the same app would. */
  addRule(value: string, tag?: string): void;
  /** Adds a post and writes it to the stream connections whose rules match; returns how many got it. */
  streamPost(input: AddPostInput): { post: PeerPost; delivered: number };
  /** A bare `\r\n` keep-alive to every connection now. */
  streamKeepAlive(): void;
  /** Cuts the stream connections. */
  dropStream(): void;
  /** Stream connections open now, and made so far. */
  streamConnections(): { open: number; made: number };
  /** Answers the next `times` requests of `route` with a scripted fault. */
  fail(route: RouteKey, kind: FaultKind, options?: { times?: number; resetAt?: number }): void;
  /** Sets an endpoint's current window (e.g. one request left). */
  setWindow(route: RouteKey, window: Partial<RateWindow>): void;
  /** What X would bill so far (deduplicated per UTC day). */
  bill(): PeerBill & { usd: number };
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  clearRequests(): void;
  close(): Promise<void>;
}

const DEFAULT_LIMITS: Record<RouteKey, number> = { search: 450, mentions: 450, user: 300, rules: 450, stream: 50, post: 100, usage: 50 };

/** Starts a peer on a free port of 127.0.0.1. */
export async function startXPeer(options: XPeerOptions = {}): Promise<XPeer> {
  const now = options.now ?? (() => new Date());
  const nextId = createIdGenerator();
  const ownerInput = { username: 'parcelly', name: 'Parcelly', followers: 5400, verified: true, verifiedType: 'business', ...options.owner };
  const owner: PeerUser = { id: nextId(new Date(Date.UTC(2015, 0, 1))), ...ownerInput };
  const state: PeerState = {
    bearerToken: options.bearerToken ?? 'AAAAAAAAAAAAAAAAAAAAAPeerBearerToken0000',
    oauth: options.oauth ?? { appKey: 'peer-app-key', appSecret: 'peer-app-secret', accessToken: `${owner.id}-peer-access-token`, accessSecret: 'peer-access-secret' },
    owner,
    now,
    users: new Map([[owner.id, owner]]),
    posts: new Map(),
    rules: [],
    streams: new Set(),
    streamConnects: 0,
    keepAliveMs: options.keepAliveMs ?? 20_000,
    tokens: new Map(),
    faults: new Map(),
    windows: new Map(),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    requests: [],
    bill: { postReads: 0, ownedReads: 0, userReads: 0 },
    billedToday: { day: '', posts: new Set(), users: new Set() },
    sent: [],
    nextId,
  };
  const server = createXServer(state, [...createReadRoutes(), ...createStreamRoutes(), ...createWriteRoutes()]);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const addUser = (input: AddUserInput): PeerUser => {
    const existing = [...state.users.values()].find((u) => u.username.toLowerCase() === input.username.toLowerCase());
    if (existing) return existing;
    const verified = input.verified ?? false;
    const user: PeerUser = {
      id: nextId(new Date(Date.UTC(2018, 0, 1))),
      username: input.username,
      name: input.name ?? input.username,
      followers: input.followers ?? 100,
      verified,
      verifiedType: input.verifiedType ?? (verified ? 'blue' : 'none'),
    };
    state.users.set(user.id, user);
    return user;
  };
  const addPost = (input: AddPostInput): PeerPost => {
    const author = addUser({ username: input.author });
    const createdAt = input.createdAt ?? new Date(now().getTime() - 60_000);
    const id = nextId(createdAt);
    const parent = input.replyTo ? state.posts.get(input.replyTo) : undefined;
    const referenced: PeerPost['referenced'] = [
      ...(input.replyTo ? [{ type: 'replied_to' as const, id: input.replyTo }] : []),
      ...(input.quote ? [{ type: 'quoted' as const, id: input.quote }] : []),
      ...(input.retweetOf ? [{ type: 'retweeted' as const, id: input.retweetOf }] : []),
    ];
    const post: PeerPost = {
      id,
      text: input.text,
      authorId: author.id,
      createdAt: createdAt.toISOString(),
      lang: input.lang ?? 'en',
      conversationId: parent?.conversationId ?? id,
      referenced,
      urls: input.urls ?? [],
      ...(parent ? { inReplyToUserId: parent.authorId } : {}),
      ...(input.corrupt ? { corrupt: input.corrupt } : {}),
      ...(input.hideAuthor ? { hideAuthor: true } : {}),
    };
    state.posts.set(id, post);
    return post;
  };

  return {
    apiUrl: `http://127.0.0.1:${port}`,
    bearerToken: state.bearerToken,
    oauth: state.oauth,
    owner,
    requests: state.requests,
    requestsTo: (method, path) => state.requests.filter((r) => r.method === method.toUpperCase() && path.test(r.path)),
    addUser,
    addPost,
    addPosts(count, make) {
      return Array.from({ length: count }, (_, i) => {
        const input = make(i);
        return addPost({ ...input, author: input.author ?? `fan_${i}`, createdAt: input.createdAt ?? new Date(now().getTime() - (count - i) * 1000) });
      });
    },
    sent: () => [...state.sent],
    rules: () => state.rules.map((r) => ({ ...r })),
    addRule(value, tag) {
      state.rules.push({ id: nextId(), value, ...(tag !== undefined ? { tag } : {}) });
    },
    streamPost(input) {
      const post = addPost({ ...input, createdAt: input.createdAt ?? now() });
      return { post, delivered: pushToStreams(state, post) };
    },
    streamKeepAlive: () => keepAlive(state),
    dropStream: () => dropStreams(state),
    streamConnections: () => ({ open: state.streams.size, made: state.streamConnects }),
    fail(route, kind, { times = 1, resetAt = Math.floor(now().getTime() / 1000) + 900 } = {}) {
      const queue = state.faults.get(route) ?? [];
      queue.push(faultOf(kind, times, resetAt));
      state.faults.set(route, queue);
    },
    setWindow(route, window) {
      const reset = Math.floor(now().getTime() / 1000) + 900;
      const current = state.windows.get(route) ?? { limit: state.limits[route], remaining: state.limits[route], reset };
      state.windows.set(route, { ...current, ...window });
    },
    bill: () => ({ ...state.bill, usd: (state.bill.postReads * 5000 + state.bill.ownedReads * 1000 + state.bill.userReads * 10_000) / 1e6 }),
    async waitFor(predicate, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = predicate();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`x peer: condition not met within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    clearRequests() {
      state.requests.length = 0;
    },
    async close() {
      dropStreams(state);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

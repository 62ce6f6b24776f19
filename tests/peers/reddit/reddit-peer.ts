/**
 * A local Reddit for integration tests, on two ports of 127.0.0.1 like Reddit's two hosts:
 * the auth host (`POST /api/v1/access_token`) and the OAuth API host (`GET /search`,
 * `GET /r/:subs/search`, `GET /message/mentions`) serving Listing / Thing JSON newest
 * first with `limit` (≤ 100) and `after`, checking bearer tokens and User-Agent, sending
 * `x-ratelimit-used/remaining/reset` and answering 429 once the window is spent, and 403
 * `{"reason": "private"}` for private subreddits. Tests add posts (also ones search lists
 * late, after younger ones) and mentions, inject failures and read the request log.
 *
 * @example
 * const peer = await startRedditPeer();
 * peer.addPost({ subreddit: 'shipping', author: 'dana', title: 'Parcelly lost it', createdUtc: 1_800_000_000 });
 * // source config: { apiUrl: peer.apiUrl, authUrl: peer.authUrl }, secrets from peer.app / peer.account
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkBearer, issueToken, type Account, type App, type OAuthAnswer, type OAuthState } from './oauth.js';
import { escapeLegacy, toMention, toPost, type MentionInput, type PostInput, type Thing } from './things.js';

/** One request as the peer received it. */
export interface RecordedRequest {
  /** Which of Reddit's hosts it reached. */
  host: 'auth' | 'api';
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  status: number;
  responseHeaders: Record<string, string>;
  at: number;
}

/** A scripted answer for the next API request(s) whose path matches. */
export interface InjectedResponse {
  path?: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RedditPeerOptions {
  /** @defaultValue one app, `peer-client-id` / `peer-client-secret` */
  apps?: App[];
  /** @defaultValue one account, `parcelly` / `hunter2` */
  accounts?: Account[];
  /** `expires_in` of issued tokens. @defaultValue 86400 */
  tokenLifetimeSeconds?: number;
  /** Requests per window per app. @defaultValue 1000 per 600 s (Reddit's 100 a minute, averaged over ten) */
  rateLimit?: { limit: number; windowSeconds: number };
}

export interface RedditPeer {
  /** Pass as the source's `authUrl`. */
  readonly authUrl: string;
  /** Pass as the source's `apiUrl`. */
  readonly apiUrl: string;
  readonly app: App;
  readonly account: Account;
  /** Every request to either host, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  tokenRequests(): RecordedRequest[];
  apiRequests(): RecordedRequest[];
  /** Adds a submission; returns its fullname (`t3_…`). */
  addPost(input: PostInput): string;
  /** Adds a username mention to an account's inbox; returns its fullname (`t1_…`). */
  addMention(input: MentionInput): string;
  /** Takes a post out of every listing (as when its author deletes it and search drops it). */
  dropPost(fullname: string): void;
  /** Lets search find a post added with `indexed: false`, at its own `created_utc`: behind younger posts already served. */
  index(fullname: string): void;
  /** Makes a subreddit private (or public again): searches restricted to it answer 403. */
  setPrivate(subreddit: string, isPrivate?: boolean): void;
  /** Adds a child exactly as given to every search listing (or the mentions listing), placed by `createdUtc`. */
  addRawChild(where: 'search' | 'mentions', child: unknown, createdUtc: number): void;
  /** Answers the next `count` API requests (matching `path`) with this instead. */
  failNext(response: InjectedResponse, count?: number): void;
  /** Makes every token issued so far invalid (the next API call gets 401). */
  revokeTokens(): void;
  /** While true, the API answers 401 to every token, even fresh ones. */
  refuseAllTokens(refuse: boolean): void;
  /** Starts a new rate-limit window now, as if the reset had passed. */
  resetRateLimits(): void;
  clearRequests(): void;
  close(): Promise<void>;
}

interface Listed {
  thing: unknown;
  sortKey: number;
  name: string;
  /** Words searched for; undefined: in every search. */
  text?: string;
  subreddit?: string;
  to?: string;
  /** Added but not indexed by search yet. */
  unindexed?: boolean;
}

/** Reddit's VBoolean: '', 'off' and anything starting with f or n are false. */
const truthy = (v: string | null) => v !== null && v !== '' && v.toLowerCase() !== 'off' && !/^[fn]/i.test(v);

/** Starts the peer on two free ports of 127.0.0.1. */
export async function startRedditPeer(options: RedditPeerOptions = {}): Promise<RedditPeer> {
  const oauth: OAuthState = {
    apps: options.apps ?? [{ clientId: 'peer-client-id', clientSecret: 'peer-client-secret' }],
    accounts: options.accounts ?? [{ username: 'parcelly', password: 'hunter2' }],
    tokens: new Map(),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 86_400,
  };
  const rate = options.rateLimit ?? { limit: 1000, windowSeconds: 600 };
  const windows = new Map<string, { startedAt: number; used: number }>();
  const posts: Listed[] = [];
  const mentions: Listed[] = [];
  const requests: RecordedRequest[] = [];
  const injected: InjectedResponse[] = [];
  let refuseAll = false;
  const privateSubs = new Set<string>();
  let nextId = 1_600_000_000;
  const newId = () => (nextId++).toString(36);

  const rateHeaders = (clientId: string): { headers: Record<string, string>; spent: boolean } => {
    const now = Date.now();
    let window = windows.get(clientId);
    if (!window || now >= window.startedAt + rate.windowSeconds * 1000) windows.set(clientId, (window = { startedAt: now, used: 0 }));
    const spent = window.used >= rate.limit;
    if (!spent) window.used++;
    const reset = Math.max(1, Math.ceil((window.startedAt + rate.windowSeconds * 1000 - now) / 1000));
    return {
      spent,
      headers: { 'x-ratelimit-used': String(window.used), 'x-ratelimit-remaining': (rate.limit - window.used).toFixed(1), 'x-ratelimit-reset': String(reset) },
    };
  };

  const listing = (items: Listed[], query: URLSearchParams): unknown => {
    const sorted = [...items].sort((a, b) => b.sortKey - a.sortKey || (b.name < a.name ? -1 : 1));
    const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 25) || 25));
    const after = query.get('after');
    const start = after ? sorted.findIndex((i) => i.name === after) + 1 : 0;
    const page = after && start === 0 ? [] : sorted.slice(start, start + limit);
    const more = page.length > 0 && start + limit < sorted.length;
    const raw = query.get('raw_json') === '1';
    const children = page.map((i) => (raw || !isThing(i.thing) ? i.thing : escapeLegacy(i.thing)));
    return { kind: 'Listing', data: { after: more ? page.at(-1)!.name : null, dist: children.length, modhash: '', geo_filter: '', children, before: null } };
  };

  const search = (query: URLSearchParams, subs: string[] | undefined): unknown => {
    const words = (query.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const found = posts.filter(
      (p) =>
        !p.unindexed &&
        (p.text === undefined || words.every((w) => p.text!.includes(w))) &&
        (!subs || p.subreddit === undefined || subs.includes(p.subreddit.toLowerCase())),
    );
    return listing(found, query);
  };

  const api = (path: string, query: URLSearchParams, username: string | undefined): OAuthAnswer => {
    if (path === '/search' || /^\/r\/[^/]+\/search$/.test(path)) {
      if (!query.get('q')) return { status: 400, body: { message: 'Bad Request', error: 400 } };
      const named = path.startsWith('/r/') ? path.split('/')[2]!.toLowerCase().split('+') : [];
      if (named.some((sub) => privateSubs.has(sub))) return { status: 403, body: { reason: 'private', message: 'Forbidden', error: 403 } };
      const subs = named.length && truthy(query.get('restrict_sr')) ? named : undefined;
      return { status: 200, body: search(query, subs) };
    }
    if (path === '/message/mentions') {
      if (!username) return { status: 403, body: { message: 'Forbidden', error: 403 } };
      return { status: 200, body: listing(mentions.filter((m) => m.to === undefined || m.to === username.toLowerCase()), query) };
    }
    return { status: 404, body: { message: 'Not Found', error: 404 } };
  };

  const handle = async (host: 'auth' | 'api', req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const recorded: RecordedRequest = {
      host, method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers,
      body: Buffer.concat(chunks).toString('utf8'), status: 0, responseHeaders: {}, at: Date.now(),
    };
    requests.push(recorded);
    const reply = (answer: OAuthAnswer) => {
      recorded.status = answer.status;
      recorded.responseHeaders = { ...answer.headers, 'content-type': 'application/json; charset=UTF-8' };
      res.writeHead(answer.status, recorded.responseHeaders).end(JSON.stringify(answer.body));
    };
    // Reddit throttles requests without a descriptive User-Agent.
    if (!headers['user-agent'] || /^(node|undici|python-requests\/|curl\/)/i.test(headers['user-agent'])) {
      return reply({ status: 429, body: { message: 'Too Many Requests', error: 429 } });
    }
    if (host === 'auth') {
      if (url.pathname !== '/api/v1/access_token') return reply({ status: 404, body: { message: 'Not Found', error: 404 } });
      if (recorded.method !== 'POST') return reply({ status: 405, body: { message: 'Method Not Allowed', error: 405 } });
      return reply(issueToken(oauth, headers.authorization, new URLSearchParams(recorded.body)));
    }
    const token = checkBearer(oauth, headers.authorization);
    if ('status' in token) return reply(token);
    if (refuseAll) return reply({ status: 401, body: { message: 'Unauthorized', error: 401 }, headers: { 'www-authenticate': 'Bearer realm="reddit", error="invalid_token"' } });
    const limits = rateHeaders(token.clientId);
    if (limits.spent) return reply({ status: 429, body: { message: 'Too Many Requests', error: 429 }, headers: limits.headers });
    const scripted = injected.findIndex((i) => !i.path || i.path.test(url.pathname));
    if (scripted >= 0) {
      const [i] = injected.splice(scripted, 1);
      return reply({ status: i!.status, body: i!.body ?? { message: `HTTP ${i!.status}`, error: i!.status }, headers: { ...limits.headers, ...i!.headers } });
    }
    if (recorded.method !== 'GET') return reply({ status: 405, body: { message: 'Method Not Allowed', error: 405 }, headers: limits.headers });
    const answer = api(url.pathname, url.searchParams, token.username);
    reply({ ...answer, headers: { ...limits.headers, ...answer.headers } });
  };

  const listen = async (host: 'auth' | 'api') => {
    const server = createServer((req, res) => {
      handle(host, req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  const auth = await listen('auth');
  const apiHost = await listen('api');

  return {
    authUrl: auth.url,
    apiUrl: apiHost.url,
    app: oauth.apps[0]!,
    account: oauth.accounts[0]!,
    requests,
    tokenRequests: () => requests.filter((r) => r.host === 'auth'),
    apiRequests: () => requests.filter((r) => r.host === 'api'),
    addPost(input) {
      const thing = toPost(newId(), input);
      const d = thing.data;
      posts.push({
        thing, sortKey: input.createdUtc, name: String(d.name), text: `${input.title} ${input.selftext ?? ''}`.toLowerCase(), subreddit: input.subreddit.toLowerCase(),
        ...(input.indexed === false ? { unindexed: true } : {}),
      });
      return String(d.name);
    },
    addMention(input) {
      const to = input.to ?? oauth.accounts[0]!.username;
      const thing = toMention(newId(), { ...input, to }, newId());
      mentions.push({ thing, sortKey: input.createdUtc, name: String(thing.data.name), to: to.toLowerCase() });
      return String(thing.data.name);
    },
    index(fullname) {
      const post = posts.find((p) => p.name === fullname && p.unindexed);
      if (!post) throw new Error(`reddit peer: ${fullname} is not waiting to be indexed`);
      delete post.unindexed;
    },
    setPrivate(subreddit, isPrivate = true) {
      if (isPrivate) privateSubs.add(subreddit.toLowerCase());
      else privateSubs.delete(subreddit.toLowerCase());
    },
    dropPost(fullname) {
      const at = posts.findIndex((p) => p.name === fullname);
      if (at >= 0) posts.splice(at, 1);
    },
    addRawChild(where, child, createdUtc) {
      (where === 'search' ? posts : mentions).push({ thing: child, sortKey: createdUtc, name: `raw_${newId()}` });
    },
    failNext(response, count = 1) {
      for (let i = 0; i < count; i++) injected.push(response);
    },
    revokeTokens() {
      for (const token of oauth.tokens.values()) token.revoked = true;
    },
    refuseAllTokens: (refuse) => void (refuseAll = refuse),
    resetRateLimits: () => windows.clear(),
    clearRequests: () => void requests.splice(0),
    async close() {
      for (const { server } of [auth, apiHost]) {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
    },
  };
}

function isThing(value: unknown): value is Thing {
  return typeof value === 'object' && value !== null && typeof (value as Thing).data === 'object' && (value as Thing).data !== null;
}

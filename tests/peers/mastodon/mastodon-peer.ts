/**
 * A local Mastodon instance for integration tests, spoken to by the real masto client over
 * HTTP on 127.0.0.1: mention notifications, hashtag timelines, posting statuses, the
 * instance description. Tests post statuses as local or remote accounts, script failures,
 * and read every request the peer received.
 *
 * @example
 * const peer = await startMastodonPeer();
 * peer.post({ author: 'ana@other.example', text: 'my parcel is late', tags: ['parcelly'] });
 * const client = createRestAPIClient({ url: peer.url, accessToken: peer.token });
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  accountJson,
  cardJson,
  createIdGenerator,
  escapeHtml,
  hashtagHtml,
  mentionHtml,
  splitHandle,
  type AccountJson,
  type NotificationJson,
  type StatusJson,
} from './entities.js';
import { handleRequest, plainTextToHtml, type FailureRule, type PeerState, type RecordedRequest } from './routes.js';

export type { RecordedRequest, FailureRule } from './routes.js';
export type { AccountJson, StatusJson, NotificationJson } from './entities.js';

/** Options for {@link startMastodonPeer}; every field has a default. */
export interface MastodonPeerOptions {
  /** The instance's account domain (`LOCAL_DOMAIN`), what `/api/v2/instance` answers. @defaultValue `'social.test'` */
  domain?: string;
  /** Username of the local account the token belongs to (the brand). @defaultValue `'parcelly'` */
  owner?: string;
  /** Tokens accepted, with their scopes. @defaultValue `{ 'peer-token': ['read', 'write'] }` */
  tokens?: Record<string, string[]>;
  /** Requests allowed per 5-minute window before a real 429. @defaultValue 300 */
  rateLimit?: number;
  /** Hashtag timelines need a read token (timeline previews turned off). @defaultValue `false` */
  tagsNeedToken?: boolean;
  /** The peer's clock. @defaultValue the system clock */
  now?: () => Date;
}

/** A status a test puts on the instance (federated in, or posted locally). */
export interface PostInput {
  /** `user` (a local account) or `user@domain` (remote). */
  author: string;
  /** Plain text, made into Mastodon's HTML with the mentions first and the hashtags last. */
  text?: string;
  /** The `content` HTML verbatim, instead of `text` (mentions and tags still fill their lists). */
  html?: string;
  tags?: string[];
  /** Handles mentioned; mentioning the owner (the brand) makes a mention notification. */
  mentions?: string[];
  /** @defaultValue the peer's now */
  createdAt?: Date | string;
  spoilerText?: string;
  /** @defaultValue `'en'` */
  language?: string | null;
  /** @defaultValue `'public'` */
  visibility?: StatusJson['visibility'];
  inReplyTo?: StatusJson;
  card?: { url: string; title?: string };
  /** @defaultValue the status's page on its home instance */
  url?: string | null;
  /** Overrides for the author's account, applied when it is first seen. */
  account?: Partial<AccountJson>;
  /** Changes the JSON each time it is served (to make it malformed, or wrap it as a reblog). */
  mangle?: (json: StatusJson) => unknown;
}

/** A running peer. */
export interface MastodonPeer {
  /** `http://127.0.0.1:PORT`, the instance URL to give masto. */
  readonly url: string;
  /** A token with `read write` scopes, owned by {@link MastodonPeer.owner}. */
  readonly token: string;
  readonly domain: string;
  /** The local account the token belongs to. */
  readonly owner: AccountJson;
  /** Every request, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Requests with this method whose path matches. */
  requestsTo(method: string, path: RegExp): RecordedRequest[];
  /** Forgets the request log. */
  clearRequests(): void;
  /** The account for a handle, created on first use. */
  account(handle: string, overrides?: Partial<AccountJson>): AccountJson;
  /** Puts a status on the instance (and a mention notification if it mentions the owner). */
  post(input: PostInput): StatusJson;
  /** Answers the next matching request(s) with this failure (429 with Mastodon's rate-limit headers). */
  failNext(rule: FailureRule): void;
  /** Statuses posted through `POST /api/v1/statuses`, oldest first. */
  posted(): StatusJson[];
  close(): Promise<void>;
}

/** Starts a peer on 127.0.0.1 with a free port. */
export async function startMastodonPeer(options: MastodonPeerOptions = {}): Promise<MastodonPeer> {
  const { domain = 'social.test', owner: ownerName = 'parcelly', rateLimit = 300, tagsNeedToken = false, now = () => new Date() } = options;
  const tokens = options.tokens ?? { 'peer-token': ['read', 'write'] };
  const token = Object.keys(tokens)[0] ?? 'peer-token';
  const nextId = createIdGenerator();
  const accounts = new Map<string, AccountJson>();
  const mangles = new WeakMap<StatusJson, (json: StatusJson) => unknown>();
  const postedIds: string[] = [];
  const byIdempotencyKey = new Map<string, StatusJson>();
  let remoteSequence = 100_000;

  const account = (handle: string, overrides: Partial<AccountJson> = {}): AccountJson => {
    const { username, domain: home } = splitHandle(handle, domain);
    const key = `${username}@${home}`.toLowerCase();
    let found = accounts.get(key);
    if (!found) {
      found = accountJson(String(109_000_000_000_000_000n + BigInt(accounts.size + 1)), `${username}@${home}`, domain, overrides);
      accounts.set(key, found);
    }
    return found;
  };
  const owner = account(ownerName);

  const state: PeerState = {
    origin: '',
    domain,
    tokens,
    rateLimit,
    tagsNeedToken,
    statuses: [],
    notifications: [],
    requests: [],
    failures: [],
    window: { start: 0, count: 0 },
    now,
    serve: (status) => {
      const mangle = mangles.get(status);
      return mangle ? mangle(structuredClone(status)) : status;
    },
    createStatus: ({ text, inReplyTo, visibility, idempotencyKey }) => {
      const earlier = idempotencyKey ? byIdempotencyKey.get(idempotencyKey) : undefined;
      if (earlier) return earlier;
      const mentioned = [...text.matchAll(/(?<![\w@])@([\w]+(?:@[\w.-]+\w)?)/g)].map((m) => m[1]!);
      let html = plainTextToHtml(text);
      for (const handle of mentioned) html = html.replace(`@${escapeHtml(handle)}`, mentionHtml(account(handle)));
      const status = put({ author: ownerName, html, mentions: mentioned, visibility, ...(inReplyTo ? { inReplyTo } : {}) });
      status.text = text;
      postedIds.push(status.id);
      if (idempotencyKey) byIdempotencyKey.set(idempotencyKey, status);
      return status;
    },
  };

  function put(input: PostInput): StatusJson {
    const author = account(input.author, input.account);
    const createdAt = input.createdAt ? new Date(input.createdAt) : now();
    const id = nextId(createdAt);
    const { username, domain: home } = splitHandle(input.author, domain);
    const local = home === domain;
    const originId = local ? id : String(remoteSequence++);
    const tags = (input.tags ?? []).map((t) => t.replace(/^#/, ''));
    const mentions = (input.mentions ?? []).map((h) => account(h));
    const content =
      input.html ??
      `<p>${[...mentions.map((m) => mentionHtml(m)), escapeHtml(input.text ?? ''), ...tags.map((t) => hashtagHtml(t, home))].filter(Boolean).join(' ')}</p>`;
    const status: StatusJson = {
      id,
      uri: `https://${home}/users/${username}/statuses/${originId}`,
      url: input.url === undefined ? `https://${home}/@${username}/${originId}` : input.url,
      created_at: createdAt.toISOString(),
      edited_at: null,
      account: author,
      content,
      visibility: input.visibility ?? 'public',
      sensitive: Boolean(input.spoilerText),
      spoiler_text: input.spoilerText ?? '',
      media_attachments: [],
      application: local ? { name: 'Web', website: null } : null,
      mentions: mentions.map((m) => ({ id: m.id, username: m.username, url: m.url, acct: m.acct })),
      tags: tags.map((t) => ({ name: t.toLowerCase(), url: `https://${domain}/tags/${encodeURIComponent(t.toLowerCase())}` })),
      emojis: [],
      reblogs_count: 0,
      favourites_count: 0,
      replies_count: 0,
      in_reply_to_id: input.inReplyTo?.id ?? null,
      in_reply_to_account_id: input.inReplyTo?.account.id ?? null,
      reblog: null,
      poll: null,
      card: input.card ? cardJson(input.card.url, input.card.title ?? '') : null,
      language: input.language === undefined ? 'en' : input.language,
      text: null,
      favourited: false,
      reblogged: false,
      muted: false,
      bookmarked: false,
      pinned: false,
      filtered: [],
    };
    if (input.mangle) mangles.set(status, input.mangle);
    state.statuses.push(status);
    if (mentions.some((m) => m.id === owner.id) && author.id !== owner.id) {
      const notificationId = nextId(createdAt);
      const notification: NotificationJson = {
        id: notificationId,
        type: 'mention',
        group_key: `ungrouped-${notificationId}`,
        created_at: createdAt.toISOString(),
        account: author,
        status,
      };
      state.notifications.push(notification);
    }
    return status;
  }

  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `peer error: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.origin = `http://127.0.0.1:${port}`;

  return {
    url: state.origin,
    token,
    domain,
    owner,
    requests: state.requests,
    requestsTo: (method, path) => state.requests.filter((r) => r.method === method.toUpperCase() && path.test(r.path)),
    clearRequests: () => void state.requests.splice(0),
    account,
    post: put,
    failNext: (rule) => void state.failures.push({ ...rule, left: rule.times ?? 1 }),
    posted: () => postedIds.map((id) => state.statuses.find((s) => s.id === id)!),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A local Bluesky for integration tests: the XRPC methods of a PDS and the AppView
 * (sessions, search, notifications, profiles, createRecord) and a Jetstream WebSocket,
 * on one port of 127.0.0.1, spoken to by the real `@atproto/api` client.
 *
 * @example
 * const peer = await startBlueskyPeer();
 * const dana = peer.addAccount({ handle: 'dana.bsky.social', followers: 1200 });
 * await peer.addPost({ author: dana, text: 'parcelly ate my label' });
 * const agent = new AtpAgent({ service: peer.url });
 */
import type { AddressInfo } from 'node:net';
import { createXrpcServer, type XrpcMethod } from './http-server.js';
import { aDid, aTid, cidOf } from './ids.js';
import { createJetstream, type JetstreamCommitEvent, type PeerJetstream } from './jetstream.js';
import type { PeerAccount, PeerNotification, PeerPost, PeerState, RecordedRequest, ScriptedFault } from './state.js';
import { createXrpcMethods } from './xrpc-routes.js';

export type { PeerAccount, PeerPost, RecordedRequest, ScriptedFault } from './state.js';
export type { JetstreamEvent, JetstreamConnection } from './jetstream.js';
export { linkFacet, mentionFacet, refTo } from './fixtures.js';

export interface BlueskyPeerOptions {
  /** @defaultValue `'parcelly.bsky.social'` */
  brandHandle?: string;
  /** The brand account's app password. @defaultValue `'abcd-efgh-ijkl-mnop'` */
  appPassword?: string;
}

/** A post to put in the index; `record` replaces the whole record (to store a malformed one). */
export interface PostInput {
  author: PeerAccount;
  text?: string;
  facets?: Record<string, unknown>[];
  reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } };
  embed?: Record<string, unknown>;
  langs?: string[];
  /** @defaultValue `indexedAt` */
  createdAt?: string;
  /** @defaultValue now */
  indexedAt?: string;
  record?: Record<string, unknown>;
}

export interface BlueskyPeer {
  /** The XRPC service URL: `service` for the client. */
  readonly url: string;
  /** The Jetstream endpoint, `ws://…/subscribe`. */
  readonly jetstreamUrl: string;
  readonly brand: PeerAccount;
  readonly state: PeerState;
  readonly jetstream: PeerJetstream;
  readonly requests: RecordedRequest[];
  /** Requests to one method, in order. */
  requestsTo(nsid: string): RecordedRequest[];
  /** Successful logins (createSession) so far. */
  logins(): number;
  addAccount(input: Omit<PeerAccount, 'did' | 'followers'> & { did?: string; followers?: number }): PeerAccount;
  addPost(input: PostInput): Promise<PeerPost>;
  /** Gives the brand account a notification about `post`. */
  notify(post: PeerPost, reason: PeerNotification['reason'], reasonSubject?: string): void;
  /** Emits a Jetstream `create` commit for a new post (also indexed for search). */
  publish(input: PostInput & { timeUs?: number }): Promise<{ post: PeerPost; event: JetstreamCommitEvent }>;
  /** Marks every access token issued so far expired: the next call answers 400 ExpiredToken. */
  expireAccessTokens(): void;
  /** Revokes every session: refreshes fail too, only a new login helps. */
  revokeSessions(): void;
  /** Answers the next call of `nsid` with this error. */
  failNext(nsid: string, fault: ScriptedFault): void;
  /** Answers the next call of `nsid` with a 429 and the PDS's rate-limit headers. */
  rateLimitNext(nsid: string, resetAt: Date, policy?: { limit: number; windowSeconds: number }): void;
  close(): Promise<void>;
}

/** Starts the peer on a free port of 127.0.0.1. */
export async function startBlueskyPeer(options: BlueskyPeerOptions = {}): Promise<BlueskyPeer> {
  const brand: PeerAccount = { did: aDid(), handle: options.brandHandle ?? 'parcelly.bsky.social', displayName: 'Parcelly', followers: 5400, appPassword: options.appPassword ?? 'abcd-efgh-ijkl-mnop' };
  const state: PeerState = {
    url: '',
    accounts: new Map([[brand.did, brand]]),
    brand,
    posts: [],
    notifications: [],
    accessTokens: new Map(),
    refreshTokens: new Map(),
    loginAttempts: [],
    logins: 0,
    faults: new Map(),
    requests: [],
  };
  const methods: XrpcMethod[] = createXrpcMethods();
  const server = createXrpcServer(state, methods);
  const jetstream = createJetstream(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;

  const failNext = (nsid: string, fault: ScriptedFault) => {
    const queue = state.faults.get(nsid) ?? [];
    queue.push(fault);
    state.faults.set(nsid, queue);
  };
  let lastTimeUs = 0;
  const buildPost = async (input: PostInput, indexedAt: string): Promise<PeerPost> => {
    const createdAt = input.createdAt ?? indexedAt;
    const record = input.record ?? {
      $type: 'app.bsky.feed.post',
      text: input.text ?? '',
      ...(input.facets ? { facets: input.facets } : {}),
      ...(input.reply ? { reply: input.reply } : {}),
      ...(input.embed ? { embed: input.embed } : {}),
      ...(input.langs ? { langs: input.langs } : {}),
      createdAt,
    };
    const rkey = aTid(Date.parse(createdAt) * 1000);
    const sortAt = Date.parse(createdAt) < Date.parse(indexedAt) ? new Date(createdAt).toISOString() : indexedAt;
    return { uri: `at://${input.author.did}/app.bsky.feed.post/${rkey}`, cid: await cidOf(record), rkey, authorDid: input.author.did, record, indexedAt, sortAt };
  };

  return {
    url: state.url,
    jetstreamUrl: `ws://127.0.0.1:${port}/subscribe`,
    brand,
    state,
    jetstream,
    requests: state.requests,
    requestsTo: (nsid) => state.requests.filter((r) => r.nsid === nsid),
    logins: () => state.logins,
    addAccount(input) {
      const account: PeerAccount = { ...input, did: input.did ?? aDid(), followers: input.followers ?? 0 };
      state.accounts.set(account.did, account);
      return account;
    },
    async addPost(input) {
      const post = await buildPost(input, input.indexedAt ?? new Date().toISOString());
      state.posts.push(post);
      return post;
    },
    notify(post, reason, reasonSubject) {
      state.notifications.push({ post, reason, ...(reasonSubject ? { reasonSubject } : {}), indexedAt: post.indexedAt });
    },
    async publish(input) {
      const timeUs = Math.max(input.timeUs ?? Date.now() * 1000, lastTimeUs + 1);
      lastTimeUs = timeUs;
      const post = await buildPost(input, input.indexedAt ?? new Date(Math.floor(timeUs / 1000)).toISOString());
      state.posts.push(post);
      const event: JetstreamCommitEvent = {
        did: post.authorDid,
        time_us: timeUs,
        kind: 'commit',
        commit: { rev: aTid(timeUs), operation: 'create', collection: 'app.bsky.feed.post', rkey: post.rkey, record: post.record, cid: post.cid },
      };
      jetstream.emit(event);
      return { post, event };
    },
    expireAccessTokens() {
      for (const session of state.accessTokens.values()) session.expired = true;
    },
    revokeSessions() {
      state.accessTokens.clear();
      state.refreshTokens.clear();
    },
    failNext,
    rateLimitNext(nsid, resetAt, policy = { limit: 3000, windowSeconds: 300 }) {
      failNext(nsid, {
        status: 429,
        error: 'RateLimitExceeded',
        message: 'Rate Limit Exceeded',
        headers: {
          'ratelimit-limit': String(policy.limit),
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(Math.floor(resetAt.getTime() / 1000)),
          'ratelimit-policy': `${policy.limit};w=${policy.windowSeconds}`,
        },
      });
    },
    async close() {
      await jetstream.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

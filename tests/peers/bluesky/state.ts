/**
 * Everything the Bluesky peer remembers: accounts, posts, notifications, sessions, the
 * faults a test has scripted, and every request it received.
 */

/** One XRPC request as the peer received it. */
export interface RecordedRequest {
  method: string;
  /** The method's NSID, e.g. `app.bsky.feed.searchPosts`. */
  nsid: string;
  /** Query parameters; repeated ones (`actors`, `reasons`) keep every value. */
  query: Record<string, string[]>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body of a procedure; undefined for queries. */
  body: unknown;
  /** Status the peer answered with. */
  status: number;
  /** The JSON the peer answered with. */
  response?: unknown;
}

/** An account on the peer: the brand's own or a poster's. */
export interface PeerAccount {
  did: string;
  handle: string;
  displayName?: string;
  followers: number;
  /** Shown as `verification.verifiedStatus: 'valid'`. */
  verified?: boolean;
  /** Only the brand account can log in. */
  appPassword?: string;
}

/** A post in the peer's index. `record` is kept as given, so a test can store a malformed one. */
export interface PeerPost {
  uri: string;
  cid: string;
  rkey: string;
  authorDid: string;
  record: Record<string, unknown>;
  /** When the peer "indexed" it (ISO). */
  indexedAt: string;
  /** The earlier of `record.createdAt` and `indexedAt`: what search sorts and filters on. */
  sortAt: string;
}

/** A notification for the brand account. */
export interface PeerNotification {
  post: PeerPost;
  reason: 'mention' | 'reply' | 'quote' | 'like' | 'repost' | 'follow';
  reasonSubject?: string;
  indexedAt: string;
}

/** An XRPC error the test wants answered to the next call of a method. */
export interface ScriptedFault {
  status: number;
  error: string;
  message: string;
  headers?: Record<string, string>;
}

export interface SessionTokens {
  did: string;
  /** Access tokens answer 400 ExpiredToken once expired. */
  expired: boolean;
}

export interface PeerState {
  url: string;
  accounts: Map<string, PeerAccount>;
  brand: PeerAccount;
  posts: PeerPost[];
  notifications: PeerNotification[];
  accessTokens: Map<string, SessionTokens>;
  /** Refresh tokens still usable (a refresh rotates it: the old one is revoked). */
  refreshTokens: Map<string, SessionTokens>;
  /** Epoch ms of each successful or refused createSession, for the login rate limit. */
  loginAttempts: number[];
  /** Successful createSession calls. */
  logins: number;
  faults: Map<string, ScriptedFault[]>;
  requests: RecordedRequest[];
}

/**
 * The XRPC methods the peer answers, with the checks the real PDS and AppView make:
 * required parameters, limits from the lexicons, the login rate limit, token rotation.
 */
import { lexicons } from '@atproto/api';
import { didDocument, notificationView, postView, profileViewDetailed } from './fixtures.js';
import { xrpcError, type XrpcContext, type XrpcMethod, type XrpcResult } from './http-server.js';
import { aJwt, aTid, cidOf } from './ids.js';
import type { PeerAccount, PeerState } from './state.js';

const LOGIN_WINDOW_MS = 5 * 60_000;
const LOGINS_PER_WINDOW = 30;

function ok(body: unknown): XrpcResult {
  return { status: 200, body };
}

function sessionInfo(state: PeerState, account: PeerAccount) {
  return {
    handle: account.handle,
    did: account.did,
    didDoc: didDocument(account, state.url),
    email: `${account.handle.split('.')[0]}@example.com`,
    emailConfirmed: true,
    emailAuthFactor: false,
    active: true,
  };
}

function issueSession(state: PeerState, account: PeerAccount) {
  const accessJwt = aJwt('access', account.did);
  const refreshJwt = aJwt('refresh', account.did);
  state.accessTokens.set(accessJwt, { did: account.did, expired: false });
  state.refreshTokens.set(refreshJwt, { did: account.did, expired: false });
  return { accessJwt, refreshJwt, ...sessionInfo(state, account) };
}

/** A `limit` parameter within the lexicon's bounds, or the error the server answers. */
function limitOf(query: URLSearchParams, fallback: number, max: number): number | XrpcResult {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) return xrpcError(400, 'InvalidRequest', 'Error: limit must be an integer');
  if (n < 1) return xrpcError(400, 'InvalidRequest', 'Error: limit can not be less than 1');
  if (n > max) return xrpcError(400, 'InvalidRequest', `Error: limit can not be greater than ${max}`);
  return n;
}

function accountOf(state: PeerState, actor: string): PeerAccount | undefined {
  const lower = actor.toLowerCase();
  return state.accounts.get(actor) ?? [...state.accounts.values()].find((a) => a.handle.toLowerCase() === lower);
}

function timeParam(query: URLSearchParams, name: string): number | undefined | XrpcResult {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
  if (!Number.isFinite(at)) return xrpcError(400, 'InvalidRequest', `Error: ${name} must be a valid datetime or date`);
  return at;
}

function matches(text: string, q: string): boolean {
  const lower = text.toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => new RegExp(`(^|[^\\p{L}\\p{N}_])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}_])`, 'u').test(lower));
}

function byNewest<T extends { at: string; uri: string }>(a: T, b: T): number {
  return a.at === b.at ? (a.uri < b.uri ? 1 : -1) : a.at < b.at ? 1 : -1;
}

function searchPosts({ state, query }: XrpcContext): XrpcResult {
  const q = query.get('q');
  if (!q) return xrpcError(400, 'InvalidRequest', 'Error: Params must have the property "q"');
  const limit = limitOf(query, 25, 100);
  if (typeof limit !== 'number') return limit;
  const since = timeParam(query, 'since');
  const until = timeParam(query, 'until');
  if (typeof since === 'object') return since;
  if (typeof until === 'object') return until;
  const hits = state.posts
    .filter((p) => typeof p.record.text === 'string' && matches(p.record.text, q))
    .filter((p) => (since === undefined || Date.parse(p.sortAt) >= since) && (until === undefined || Date.parse(p.sortAt) < until))
    .map((p) => ({ post: p, at: p.sortAt, uri: p.uri }))
    // 'latest' and 'top' alike: the peer has no engagement to rank by.
    .sort(byNewest);
  const offset = Number(query.get('cursor') ?? '0');
  if (!Number.isInteger(offset) || offset < 0) return xrpcError(400, 'InvalidRequest', 'Malformed cursor');
  const page = hits.slice(offset, offset + limit);
  const next = offset + limit < hits.length ? String(offset + limit) : undefined;
  return ok({ ...(next ? { cursor: next } : {}), hitsTotal: hits.length, posts: page.map((h) => postView(h.post, state.accounts.get(h.post.authorDid)!)) });
}

function listNotifications({ state, query, session }: XrpcContext): XrpcResult {
  const limit = limitOf(query, 50, 100);
  if (typeof limit !== 'number') return limit;
  const reasons = query.getAll('reasons');
  const cursor = query.get('cursor');
  const all = state.notifications
    .filter((n) => session?.did === state.brand.did && (reasons.length === 0 || reasons.includes(n.reason)))
    .map((n) => ({ n, at: n.indexedAt, uri: n.post.uri }))
    .sort(byNewest);
  // Keyset cursor: the sort key of the last item served, as the AppView does.
  const start = cursor ? all.findIndex((x) => `${x.at}::${x.uri}` === cursor) + 1 : 0;
  if (cursor && start === 0) return xrpcError(400, 'InvalidRequest', 'Malformed cursor');
  const page = all.slice(start, start + limit);
  const last = page.at(-1);
  const more = start + limit < all.length;
  return ok({
    ...(more && last ? { cursor: `${last.at}::${last.uri}` } : {}),
    notifications: page.map(({ n }) => notificationView(n, state.accounts.get(n.post.authorDid)!)),
    seenAt: new Date(0).toISOString(),
  });
}

function getProfiles({ state, query }: XrpcContext): XrpcResult {
  const actors = query.getAll('actors');
  if (actors.length === 0) return xrpcError(400, 'InvalidRequest', 'Error: Params must have the property "actors"');
  if (actors.length > 25) return xrpcError(400, 'InvalidRequest', 'Error: actors must not have more than 25 elements');
  const profiles = actors.map((a) => accountOf(state, a)).filter((a): a is PeerAccount => a !== undefined);
  return ok({ profiles: profiles.map(profileViewDetailed) });
}

async function createRecord({ state, body, session }: XrpcContext): Promise<XrpcResult> {
  const account = session && state.accounts.get(session.did);
  if (typeof body.repo !== 'string' || typeof body.collection !== 'string' || typeof body.record !== 'object' || body.record === null) {
    return xrpcError(400, 'InvalidRequest', 'Input must have the properties "repo", "collection" and "record"');
  }
  if (!account || (body.repo !== account.did && body.repo !== account.handle)) return xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
  const record = body.record as Record<string, unknown>;
  try {
    lexicons.assertValidRecord(body.collection, record);
  } catch (error) {
    return xrpcError(400, 'InvalidRequest', `Invalid ${body.collection} record: ${(error as Error).message}`);
  }
  const rkey = typeof body.rkey === 'string' ? body.rkey : aTid();
  const uri = `at://${account.did}/${body.collection}/${rkey}`;
  const cid = await cidOf(record);
  if (body.collection === 'app.bsky.feed.post') {
    const indexedAt = new Date().toISOString();
    state.posts.push({ uri, cid, rkey, authorDid: account.did, record, indexedAt, sortAt: indexedAt });
  }
  return ok({ uri, cid, commit: { cid: await cidOf({ uri, cid }), rev: aTid() }, validationStatus: 'valid' });
}

/** Every method the peer answers. */
export function createXrpcMethods(): XrpcMethod[] {
  return [
    {
      nsid: 'com.atproto.server.createSession',
      type: 'procedure',
      auth: 'none',
      handle({ state, body }) {
        if (typeof body.identifier !== 'string' || typeof body.password !== 'string') {
          return xrpcError(400, 'InvalidRequest', 'Input must have the properties "identifier" and "password"');
        }
        const now = Date.now();
        state.loginAttempts = state.loginAttempts.filter((at) => at > now - LOGIN_WINDOW_MS);
        if (state.loginAttempts.length >= LOGINS_PER_WINDOW) {
          const reset = Math.ceil((state.loginAttempts[0]! + LOGIN_WINDOW_MS) / 1000);
          return xrpcError(429, 'RateLimitExceeded', 'Rate Limit Exceeded', {
            'ratelimit-limit': String(LOGINS_PER_WINDOW),
            'ratelimit-remaining': '0',
            'ratelimit-reset': String(reset),
            'ratelimit-policy': `${LOGINS_PER_WINDOW};w=${LOGIN_WINDOW_MS / 1000}`,
          });
        }
        state.loginAttempts.push(now);
        const account = accountOf(state, body.identifier);
        if (!account?.appPassword || account.appPassword !== body.password) return xrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password');
        state.logins += 1;
        return ok(issueSession(state, account));
      },
    },
    {
      nsid: 'com.atproto.server.refreshSession',
      type: 'procedure',
      auth: 'refresh',
      handle({ state, session, token }) {
        state.refreshTokens.delete(token!);
        return ok(issueSession(state, state.accounts.get(session!.did)!));
      },
    },
    {
      nsid: 'com.atproto.server.getSession',
      type: 'query',
      auth: 'access',
      handle({ state, session }) {
        return ok(sessionInfo(state, state.accounts.get(session!.did)!));
      },
    },
    { nsid: 'app.bsky.feed.searchPosts', type: 'query', auth: 'access', handle: searchPosts },
    { nsid: 'app.bsky.notification.listNotifications', type: 'query', auth: 'access', handle: listNotifications },
    { nsid: 'app.bsky.actor.getProfiles', type: 'query', auth: 'access', handle: getProfiles },
    { nsid: 'com.atproto.repo.createRecord', type: 'procedure', auth: 'access', handle: createRecord },
    {
      nsid: 'com.atproto.identity.resolveHandle',
      type: 'query',
      auth: 'none',
      handle({ state, query }) {
        const account = accountOf(state, query.get('handle') ?? '');
        return account ? ok({ did: account.did }) : xrpcError(400, 'InvalidRequest', 'Unable to resolve handle');
      },
    },
  ];
}

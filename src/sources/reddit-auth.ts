/**
 * Reddit's OAuth for a script app: an access token from `POST <authUrl>/api/v1/access_token`
 * (HTTP Basic with the app's client id and secret; the password grant when the account's
 * username and password are set, else client_credentials), kept in the source's key-value
 * store until shortly before it expires, and sent as a bearer token with the configured
 * User-Agent on every API call.
 */
import { createHash } from 'node:crypto';
import type { RedditSourceConfig } from '../config/source-schemas.js';
import { httpGet, parseJsonBody, SourceAuthError, SourceHttpError, type HttpResponse } from './http-get.js';
import { SourceDisabledError, SourceError } from './source-errors.js';
import type { ReadContext, SourceDeps } from './source.js';

/** Where the cached token is kept in the source's key-value store. */
const TOKEN_KEY = 'oauth-token';
/** Renew this long before Reddit's `expires_in` runs out. */
const RENEW_EARLY_SECONDS = 300;

interface Credentials {
  clientId: string;
  clientSecret: string;
  /** Set when both username and password are: the token then acts as the account. */
  login?: { username: string; password: string };
}

/** Authorised GETs against Reddit's OAuth API. */
export interface RedditApi {
  /**
   * Throws {@link SourceDisabledError} when the app's client id or secret is not set,
   * before any request is made.
   */
  requireCredentials(): void;
  /** Whether tokens act as the brand's account (needed for its mentions). */
  actsAsAccount(): boolean;
  /**
   * GETs `url` with a bearer token. When the token is refused (401) it gets a new one once
   * and tries again, then gives up with a {@link SourceDisabledError}; a 403 (the token
   * works, the listing is closed to it) is a {@link SourceHttpError} with status 403, read
   * again after a back-off.
   */
  get(url: string, context: ReadContext): Promise<HttpResponse>;
}

/** Creates the API client; nothing is read or requested until it is used. */
export function createRedditApi(config: RedditSourceConfig & { name: string }, deps: SourceDeps): RedditApi {
  const vars = config.credentials;
  const userAgent = config.userAgent;

  const credentials = (): Credentials => {
    const clientId = deps.secret(vars.clientId);
    const clientSecret = deps.secret(vars.clientSecret);
    if (!clientId || !clientSecret) {
      throw new SourceDisabledError(
        `disabled: needs an approved Reddit OAuth app (set ${vars.clientId} and ${vars.clientSecret}; new apps need Reddit's approval since late 2025)`,
      );
    }
    const username = deps.secret(vars.username);
    const password = deps.secret(vars.password);
    return { clientId, clientSecret, ...(username && password ? { login: { username, password } } : {}) };
  };

  /** Names the token by who it is for, so changed credentials never reuse an old one. */
  const tokenOwner = (c: Credentials) =>
    createHash('sha256').update(`${c.clientId}\0${c.clientSecret}\0${c.login?.username ?? ''}\0${c.login?.password ?? ''}`).digest('hex').slice(0, 16);

  async function newToken(c: Credentials, context: ReadContext): Promise<string> {
    const url = `${config.authUrl}/api/v1/access_token`;
    const response = await httpGet(url, {
      form: c.login ? { grant_type: 'password', username: c.login.username, password: c.login.password } : { grant_type: 'client_credentials' },
      headers: { authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`, 'user-agent': userAgent },
      onAuthFailure: `Reddit refused the app's client id and secret: check ${vars.clientId} and ${vars.clientSecret} (new apps need Reddit's approval since late 2025)`,
      signal: context.signal,
      fetch: deps.fetch,
      now: context.now,
    });
    const body = parseJsonBody(response, url) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (body.error !== undefined) {
      // Reddit answers a refused grant with 200 and {"error": "invalid_grant"}.
      const fix = c.login
        ? `check ${vars.username} and ${vars.password} (an account with two-factor authentication cannot use the password grant)`
        : `check ${vars.clientId} and ${vars.clientSecret}`;
      throw new SourceDisabledError(`reddit: ${url} refused the ${c.login ? 'password' : 'client_credentials'} grant (${String(body.error)}): ${fix}`);
    }
    if (typeof body.access_token !== 'string' || !body.access_token) {
      throw new SourceError(`reddit: ${url} answered without an access_token (expected {access_token, token_type, expires_in, scope})`);
    }
    const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    const keep = Math.max(1, lifetime > 2 * RENEW_EARLY_SECONDS ? lifetime - RENEW_EARLY_SECONDS : lifetime / 2);
    await context.kv.set(TOKEN_KEY, JSON.stringify({ owner: tokenOwner(c), token: body.access_token }), keep);
    context.log.debug({ expiresIn: lifetime, grant: c.login ? 'password' : 'client_credentials' }, 'reddit: new access token');
    return body.access_token;
  }

  async function cachedToken(c: Credentials, context: ReadContext): Promise<string | undefined> {
    const stored = await context.kv.get(TOKEN_KEY);
    if (!stored) return undefined;
    try {
      const { owner, token } = JSON.parse(stored) as { owner?: unknown; token?: unknown };
      return owner === tokenOwner(c) && typeof token === 'string' ? token : undefined;
    } catch {
      return undefined;
    }
  }

  /** A 403 with a token Reddit otherwise takes: this listing is closed to it, not the app refused. */
  const forbidden = (url: string, c: Credentials) => {
    const path = new URL(url).pathname;
    const why =
      path === '/message/mentions'
        ? `the inbox of ${c.login?.username ?? 'the account'} is closed to this token; check that ${vars.username} is the account the app was made for`
        : path.startsWith('/r/')
          ? `a subreddit in "subreddits" of source ${config.name} is private, quarantined or banned; take it out of sources.yaml if it stays closed`
          : `Reddit may be blocking this host or its User-Agent for a while; if it lasts, check "userAgent" of source ${config.name}`;
    return new SourceHttpError(`reddit: GET ${path} was refused (403 Forbidden) though the access token works: ${why}. Reading again after a back-off`, 403);
  };

  const call = (url: string, token: string, context: ReadContext) =>
    httpGet(url, {
      headers: { authorization: `bearer ${token}`, 'user-agent': userAgent },
      signal: context.signal,
      fetch: deps.fetch,
      now: context.now,
    });

  return {
    requireCredentials: () => void credentials(),
    actsAsAccount: () => credentials().login !== undefined,
    async get(url, context) {
      const c = credentials();
      const token = (await cachedToken(c, context)) ?? (await newToken(c, context));
      try {
        return await call(url, token, context);
      } catch (error) {
        if (!(error instanceof SourceAuthError)) throw error;
        if (error.status !== 401) throw forbidden(url, c);
        context.log.info({ path: new URL(url).pathname }, 'reddit: access token refused; getting a new one');
      }
      const fresh = await newToken(c, context);
      try {
        return await call(url, fresh, context);
      } catch (error) {
        if (!(error instanceof SourceAuthError)) throw error;
        if (error.status !== 401) throw forbidden(url, c);
        throw new SourceDisabledError(
          `${error.message}: Reddit refused a fresh access token too; check that the app of ${vars.clientId} is approved for the Data API${c.login ? ` and that ${vars.username} may use it` : ''}`,
        );
      }
    },
  };
}

/**
 * The brand account's Bluesky session, shared by the source, its listener and the reply
 * sender. Logging in is rationed by the PDS (30 per 5 minutes, 300 per day per account),
 * so the session is stored and resumed; `createSession` runs only when there is no stored
 * session or it can no longer be refreshed.
 */
import { Agent, CredentialSession, XRPCError, type AtpSessionData, type AtpSessionEvent } from '@atproto/api';
import type { Logger } from 'pino';
import type { BlueskySourceConfig } from '../config/source-schemas.js';
import { blueskyHandleOf } from './brand-terms.js';
import { SourceDisabledError, SourceError, SourceRateLimitedError } from './source-errors.js';
import type { SourceDeps, SourceKv } from './source.js';

/** The kv field holding the session JSON (`AtpSessionData`). */
export const SESSION_KEY = 'session';

const APP_PASSWORD_HELP = 'create an app password in Bluesky (Settings → Privacy and security → App passwords)';

/** Who logs in, with what; resolved from the source config and the brand. */
export interface BlueskyCredentials {
  /** The brand's handle, used as the login identifier. */
  identifier: string;
  password: string;
  /** Name of the environment variable holding the password, for messages. */
  passwordEnv: string;
}

/**
 * The handle and app password a Bluesky source signs in with.
 * @throws SourceDisabledError naming the setting or environment variable that is missing
 */
export function blueskyCredentials(config: BlueskySourceConfig & { name: string }, deps: SourceDeps): BlueskyCredentials {
  const identifier = config.handle ?? blueskyHandleOf(deps.brand);
  if (!identifier) {
    throw new SourceDisabledError(
      `${config.name}: no Bluesky handle: set \`handle\` on the source in sources.yaml, or add the brand's Bluesky handle (e.g. parcelly.bsky.social) to brand.handles in brand.yaml`,
    );
  }
  const passwordEnv = config.credentials.appPassword;
  const password = deps.secret(passwordEnv);
  if (!password) throw new SourceDisabledError(`${config.name}: ${passwordEnv} is not set: ${APP_PASSWORD_HELP} for ${identifier} and set it in ${passwordEnv}`);
  return { identifier, password, passwordEnv };
}

export interface BlueskySessionOptions {
  /** Names the session's owner in messages (the source name). */
  label: string;
  /** PDS or entryway URL. */
  service: string;
  credentials: BlueskyCredentials;
  /** Where the session is stored; without one it lives in memory only (one login per process). */
  kv: SourceKv | undefined;
  log: Logger;
  /** @defaultValue the global `fetch` */
  fetch?: typeof fetch;
  /** @defaultValue the system clock */
  now?: () => Date;
}

/** A signed-in agent and the calls made through it. */
export interface BlueskySession {
  /** Resumes the stored session or logs in, once; answers the account signed in. */
  account(): Promise<{ did: string; handle: string }>;
  /**
   * Runs `call` with the signed-in agent. An expired access token is refreshed by the
   * agent itself; when the refresh fails too, the newer session another process may have
   * stored is tried, then a fresh login, and the call is made once more.
   * @throws SourceRateLimitedError on 429, SourceDisabledError when the credentials are refused
   */
  call<T>(what: string, call: (agent: Agent) => Promise<T>): Promise<T>;
}

/** When a 429 says to come back: `ratelimit-reset` is Unix seconds. */
export function resumeAtOf(headers: Record<string, string | undefined> | undefined, now: Date): Date {
  const reset = Number(headers?.['ratelimit-reset'] ?? NaN);
  if (Number.isFinite(reset) && reset > 0) return new Date(Math.max(reset * 1000, now.getTime() + 1000));
  const retryAfter = Number(headers?.['retry-after'] ?? NaN);
  if (Number.isFinite(retryAfter)) return new Date(now.getTime() + Math.max(1, retryAfter) * 1000);
  return new Date(now.getTime() + 60_000);
}

/** Whether the error is a token the agent could not refresh (so only another session or a login helps). */
function isTokenRefused(error: unknown): error is XRPCError {
  return error instanceof XRPCError && (error.status === 401 || (error.status === 400 && ['ExpiredToken', 'InvalidToken'].includes(error.error)));
}

/**
 * What a log line may say about an error: its message only. The error object itself can
 * carry secrets (an ioredis ReplyError holds `command.args`, here the session JSON with
 * both JWTs), and a token that reached a message anyway is blanked out.
 */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/eyJ[\w-]*\.[\w-]+\.[\w-]*/g, '[jwt]');
}

function describeXrpc(error: XRPCError): string {
  return `${error.status} ${error.error}${error.message && error.message !== error.error ? `: ${error.message}` : ''}`;
}

function parseStored(json: string | undefined): AtpSessionData | undefined {
  if (!json) return undefined;
  try {
    const value = JSON.parse(json) as Partial<AtpSessionData>;
    return typeof value.accessJwt === 'string' && typeof value.refreshJwt === 'string' && typeof value.did === 'string' && typeof value.handle === 'string'
      ? (value as AtpSessionData)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the session; nothing is sent until the first call. */
export function createBlueskySession(options: BlueskySessionOptions): BlueskySession {
  const { label, credentials, kv, log } = options;
  const now = options.now ?? (() => new Date());
  let lastEvent: AtpSessionEvent | undefined;
  let writes: Promise<void> = Promise.resolve();
  const persist = (event: AtpSessionEvent, session: AtpSessionData | undefined) => {
    lastEvent = event;
    if ((event === 'create' || event === 'update') && session && kv) {
      const json = JSON.stringify(session);
      writes = writes.then(() => kv.set(SESSION_KEY, json)).catch((error: unknown) => log.warn({ err: errorMessage(error), source: label }, 'could not store the Bluesky session'));
    }
  };
  const manager = new CredentialSession(new URL(options.service), options.fetch ?? globalThis.fetch, persist);
  const agent = new Agent(manager);
  let starting: Promise<void> | undefined;

  /** Translates what a call threw into the errors the scheduler understands. */
  const translate = (error: unknown, what: string): unknown => {
    if (!(error instanceof XRPCError)) return error;
    if (error.status === 429) {
      const resumeAt = resumeAtOf(error.headers, now());
      const policy = error.headers?.['ratelimit-policy'];
      return new SourceRateLimitedError(`${label}: Bluesky ${what} rate limited (429${policy ? `, policy ${policy}` : ''}) until ${resumeAt.toISOString()}`, resumeAt);
    }
    if (error.status === 401 || error.status === 403) {
      return new SourceDisabledError(`${label}: Bluesky refused ${what} for ${credentials.identifier} (${describeXrpc(error)}): check that ${credentials.passwordEnv} holds a valid app password of that account`);
    }
    return error;
  };

  const login = async (): Promise<void> => {
    try {
      await manager.login({ identifier: credentials.identifier, password: credentials.password });
      log.info({ source: label, did: manager.did }, 'logged in to Bluesky');
    } catch (error) {
      if (error instanceof XRPCError && error.status === 429) throw translate(error, 'login');
      if (error instanceof XRPCError && [400, 401, 403].includes(error.status)) {
        const twoFactor = error.error === 'AuthFactorTokenRequired' ? ' (the account password asks for an email code; an app password does not)' : '';
        throw new SourceDisabledError(
          `${label}: Bluesky refused the login of ${credentials.identifier} (${describeXrpc(error)})${twoFactor}: ${APP_PASSWORD_HELP} and set it in ${credentials.passwordEnv}`,
        );
      }
      throw error;
    }
  };

  /** Resumes `stored` (the agent refreshes it to check it); false when it cannot be refreshed any more. */
  const resume = async (stored: AtpSessionData): Promise<boolean> => {
    try {
      await manager.resumeSession(stored);
      return true;
    } catch (error) {
      if (error instanceof XRPCError && error.status === 429) throw translate(error, 'session refresh');
      // A transient failure keeps the session: go on with it, its access token may still be good.
      if (manager.session) {
        log.warn({ err: errorMessage(error), source: label }, 'could not refresh the stored Bluesky session; using it as is');
        return true;
      }
      log.info({ source: label, reason: error instanceof XRPCError ? error.error : errorMessage(error) }, 'stored Bluesky session expired');
      return false;
    }
  };

  const storedSession = async (): Promise<AtpSessionData | undefined> => {
    const stored = parseStored(await kv?.get(SESSION_KEY));
    // A session of another account (the handle in the config changed) is of no use.
    return stored && stored.handle.toLowerCase() === credentials.identifier.toLowerCase() ? stored : undefined;
  };

  const start = async (): Promise<void> => {
    const stored = await storedSession();
    if (!(stored && (await resume(stored)))) await login();
    await writes;
  };

  const ready = async (): Promise<void> => {
    if (manager.session) return;
    starting ??= start().finally(() => {
      starting = undefined;
    });
    await starting;
  };

  /** After a refused token: a session stored since (by another process) if it still works, else a login. */
  const recover = async (failed: AtpSessionData | undefined, what: string, cause: XRPCError): Promise<void> => {
    // The agent's refresh failed for a passing reason: log in later rather than now.
    if (lastEvent === 'network-error') throw new SourceError(`${label}: Bluesky ${what}: the access token expired and refreshing it failed (${describeXrpc(cause)}); trying again later`);
    await writes;
    const stored = await storedSession();
    if (stored && stored.refreshJwt !== failed?.refreshJwt && (await resume(stored))) return;
    await login();
  };

  return {
    async account() {
      await ready();
      await writes;
      const session = manager.session!;
      return { did: session.did, handle: session.handle };
    },
    async call(what, call) {
      await ready();
      const used = manager.session;
      lastEvent = undefined;
      try {
        return await call(agent);
      } catch (error) {
        if (!isTokenRefused(error)) throw translate(error, what);
        await recover(used, what, error);
        try {
          return await call(agent);
        } catch (again) {
          throw isTokenRefused(again)
            ? new SourceDisabledError(`${label}: Bluesky refused ${what} for ${credentials.identifier} even with a fresh session (${describeXrpc(again)}): check the account and ${credentials.passwordEnv}`)
            : translate(again, what);
        }
      } finally {
        await writes;
      }
    },
  };
}

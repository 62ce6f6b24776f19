/**
 * The twitter-api-v2 client as the X source and replier use it: pointed at the configured
 * API base, with a request timeout, and its failures turned into the errors the ingest
 * scheduler understands.
 */
import http from 'node:http';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError, TwitterApi, type ITwitterApiClientPlugin, type TwitterApiTokens } from 'twitter-api-v2';
import { SourceBudgetError, SourceDisabledError, SourceError, SourceRateLimitedError } from './source-errors.js';

/** Where twitter-api-v2 sends every request; any other `apiUrl` is rewritten onto it. */
export const X_API_ORIGIN = 'https://api.x.com';

/** Fields and expansions every read asks for (search, mentions timeline, stream). */
export const X_TWEET_PARAMS = {
  expansions: 'author_id,referenced_tweets.id,referenced_tweets.id.author_id,in_reply_to_user_id,entities.mentions.username',
  // note_tweet carries the whole text of posts longer than 280 characters.
  'tweet.fields': 'created_at,lang,entities,conversation_id,referenced_tweets,in_reply_to_user_id,author_id,note_tweet',
  'user.fields': 'public_metrics,verified,verified_type,name,username',
} as const;

export interface XClientOptions {
  /** API base, e.g. `https://api.x.com` or a local peer `http://127.0.0.1:PORT`. */
  apiUrl: string;
  /** Bearer token (app-only reads) or OAuth 1.0a user-context keys (replies). */
  token: string | TwitterApiTokens;
  /** Milliseconds before a non-stream request is abandoned. @defaultValue 30 000 */
  timeoutMs?: number;
  /** Keep sockets open between requests (polling); the owner destroys `agent` on close. @defaultValue false */
  keepAlive?: boolean;
}

export interface XClient {
  api: TwitterApi;
  /** The agent for http:// bases (none for https, which uses Node's global agent). */
  agent?: http.Agent;
}

/**
 * A client for `apiUrl`. twitter-api-v2 always builds `https://api.x.com/...` URLs and
 * calls `https.request`, so another base is reached by rewriting each URL in a plugin, and
 * a plain-http base by handing it an http agent (https.request then accepts `http:`).
 */
export function createXClient(options: XClientOptions): XClient {
  const base = options.apiUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const redirect = (url: string) => (base !== X_API_ORIGIN && url.startsWith(X_API_ORIGIN) ? base + url.slice(X_API_ORIGIN.length) : url);
  const plugin: ITwitterApiClientPlugin = {
    onBeforeRequestConfig({ params }) {
      params.url = redirect(params.url);
      params.timeout ??= timeoutMs;
    },
    onBeforeStreamRequestConfig({ params }) {
      params.url = redirect(params.url);
    },
  };
  const agent = base.startsWith('http://') ? new http.Agent({ keepAlive: options.keepAlive ?? false }) : undefined;
  const settings = { plugins: [plugin], ...(agent ? { httpAgent: agent } : {}) };
  const api = typeof options.token === 'string' ? new TwitterApi(options.token, settings) : new TwitterApi(options.token, settings);
  return { api, ...(agent ? { agent } : {}) };
}

/** A problem JSON body as X sends it (`type` is `https://api.x.com/2/problems/<kind>`). */
export interface XProblem {
  title?: string;
  detail?: string;
  type?: string;
  reason?: string;
  errors?: Array<{ message?: string; detail?: string; title?: string }>;
}

/** The problem body of an X error answer, `{}` when it has none. */
export function problemOf(error: ApiResponseError): XProblem {
  return typeof error.data === 'object' && error.data !== null ? (error.data as XProblem) : {};
}

/** `usage-capped`, `credits-depleted`, `rate-limit-exceeded`… from the problem's type URL. */
export function problemKind(problem: XProblem): string {
  return (problem.type ?? '').split('/').pop() ?? '';
}

/** One line saying what X answered: `Forbidden: detail` or the first error's message. */
export function problemText(error: ApiResponseError): string {
  const p = problemOf(error);
  const first = p.errors?.[0];
  const text = [p.title, p.detail].filter(Boolean).join(': ') || first?.message || first?.detail || error.message;
  return p.reason ? `${text} (reason: ${p.reason})` : text;
}

/** The first instant of the UTC month after `now`. */
export function nextUtcMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/** When a rate-limited X endpoint opens again: its `x-rate-limit-reset`, else a minute from now. */
export function rateLimitResetOf(reset: number | undefined, now: Date): Date {
  const at = reset && Number.isFinite(reset) ? reset * 1000 : now.getTime() + 60_000;
  return new Date(Math.max(at, now.getTime() + 1000));
}

export interface XErrorContext {
  /** What was asked, for the message: `recent search "parcelly"`. */
  what: string;
  /** Environment variable holding the bearer token. */
  bearerEnv: string;
  /** The source's name in sources.yaml. */
  sourceName: string;
  now: Date;
}

/**
 * An X failure as a {@link SourceError}: the monthly usage cap and spent credits pause the
 * source ({@link SourceBudgetError}), a rate limit waits for its reset, 401/403 disable it
 * with what to fix, anything else is retried with back-off.
 */
export function toSourceError(error: unknown, context: XErrorContext): Error {
  const { what, bearerEnv, now } = context;
  if (error instanceof ApiResponseError) {
    const problem = problemOf(error);
    const kind = problemKind(problem);
    const said = problemText(error);
    if (error.code === 429 && kind === 'usage-capped') {
      const resumeAt = nextUtcMonth(now);
      return new SourceBudgetError(
        `X's usage cap for this project is reached (${said}) while asking for ${what}: reads resume on ${resumeAt.toISOString()}; to read sooner, raise the project's cap or plan in the X Developer Console.`,
        resumeAt,
      );
    }
    if (error.code === 402 || kind === 'credits-depleted') {
      const resumeAt = new Date(now.getTime() + 3_600_000);
      return new SourceBudgetError(
        `X says the project's credits are used up (${said}) while asking for ${what}: add credits (or turn on auto-recharge) in the X Developer Console; reads are tried again at ${resumeAt.toISOString()}.`,
        resumeAt,
      );
    }
    if (error.code === 429) {
      const resumeAt = rateLimitResetOf(error.rateLimit?.reset, now);
      const limit = error.rateLimit?.limit ? ` (${error.rateLimit.limit} requests per window)` : '';
      return new SourceRateLimitedError(`X rate limit reached for ${what}${limit}: reads resume at ${resumeAt.toISOString()}.`, resumeAt);
    }
    if (error.code === 401) {
      return new SourceDisabledError(
        `X refused the bearer token in ${bearerEnv}: ${said}. Put the app's current bearer token (X Developer Console → your app → Keys and tokens) in ${bearerEnv} and restart.`,
      );
    }
    if (error.code === 403) {
      return new SourceDisabledError(
        `X refused ${what} (403 ${said}): the app whose bearer token is in ${bearerEnv} must be attached to a Project whose access level includes this endpoint. Check the app's Project and access level in the X Developer Console, or turn this read off for source "${context.sourceName}" in sources.yaml.`,
      );
    }
    return new SourceError(`X answered ${error.code} to ${what}: ${said}`, { cause: error });
  }
  if (error instanceof ApiRequestError || error instanceof ApiPartialResponseError) {
    const reason = error instanceof ApiRequestError ? error.requestError.message : error.message;
    return new SourceError(`X could not be reached for ${what}: ${reason}`, { cause: error });
  }
  return error instanceof Error ? error : new SourceError(`X failed for ${what}: ${String(error)}`);
}

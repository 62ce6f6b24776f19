/**
 * Discord's rate-limit surface: plausible `x-ratelimit-*` headers on every bot response, and
 * scripted 429s with the headers and body Discord sends
 * (https://discord.com/developers/docs/topics/rate-limits).
 */
import { createHash } from 'node:crypto';
import type { RESTRateLimit } from 'discord-api-types/v10';

/** Which limit a scripted 429 reports in `x-ratelimit-scope`. */
export type RateLimitScope = 'user' | 'global' | 'shared';

/** A scripted 429: the next `count` requests matching `method` and `path` get it. */
export interface RateLimitRule {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Matched against the decoded route after `/api/v10` (e.g. `/channels/123/messages`) or the full path. */
  path: RegExp;
  /** Seconds to wait; the body carries it exactly, the `retry-after` header rounded up as Discord does. */
  retryAfterSeconds: number;
  /** A global limit: adds `x-ratelimit-global: true`, scope `global`, and no bucket headers. */
  global?: boolean;
  /** Defaults to `global` when global, else `user`. */
  scope?: RateLimitScope;
  /** How many matching requests are limited. @defaultValue 1 */
  count?: number;
  /** Optional JSON error code in the body (Discord sets one for some limits, e.g. 20028). */
  code?: number;
}

/**
 * A limit the peer enforces by itself (opt-in): at most `limit` requests per
 * `windowSeconds` on each bucket of the matching routes, a bucket being the method, the
 * route and its major parameter (the channel), as Discord counts its per-channel message
 * limit (about 5 messages per 5 s). Successful responses then carry the bucket's true
 * remaining count and reset; the request past the limit gets Discord's 429.
 */
export interface EnforcedLimit {
  /** HTTP method to match (any when omitted). @defaultValue 'POST' */
  method?: string;
  /** Matched against the route after `/api/v10`. @defaultValue `/^\/channels\/\d+\/messages$/` */
  path?: RegExp;
  /** @defaultValue 5 */
  limit?: number;
  /** @defaultValue 5 */
  windowSeconds?: number;
}

/** A 429 ready to send. */
export interface RateLimitResponse {
  headers: Record<string, string>;
  body: RESTRateLimit;
}

/** Per-route limit advertised on normal responses; never reached, so clients never wait. */
const ADVERTISED_LIMIT = 5;
const ADVERTISED_RESET_AFTER_SECONDS = 1;

/** Holds the scripted 429s and builds headers. */
export interface RateLimiter {
  /** Queues a rule; rules are consumed in the order they were added. */
  add(rule: RateLimitRule): void;
  /** Consumes one use of the first matching rule and returns the 429 to send, if any. */
  take(method: string, route: string, fullPath?: string): RateLimitResponse | undefined;
  /** Headers for a successful bot response on this route. */
  okHeaders(method: string, path: string): Record<string, string>;
  /** How many scripted 429s are still waiting to fire. */
  pending(): number;
}

/** Tests a pattern against the route and the full path (safe with `/g` patterns). */
export function matchesPath(pattern: RegExp, route: string, fullPath: string): boolean {
  return [route, fullPath].some((candidate) => {
    pattern.lastIndex = 0;
    return pattern.test(candidate);
  });
}

/** Replaces snowflakes except the top-level resource, as Discord does when naming a bucket. */
export function bucketRoute(path: string): string {
  const majorKept = path.replace(/^\/(channels|guilds|webhooks)\/(\d{17,19})/, '/$1/:major');
  return majorKept.replace(/\/\d{17,19}/g, '/:id').replace(/\/webhooks\/:major\/[^/]+/, '/webhooks/:major/:token');
}

/** A stable 32-hex bucket hash for a method and route, like Discord's opaque ids. */
export function bucketHash(method: string, path: string): string {
  return createHash('sha1').update(`${method} ${bucketRoute(path)}`).digest('hex').slice(0, 32);
}

function resetHeaders(resetAfterSeconds: number): Record<string, string> {
  const resetAt = Date.now() / 1000 + resetAfterSeconds;
  return {
    'x-ratelimit-reset': resetAt.toFixed(3),
    'x-ratelimit-reset-after': resetAfterSeconds.toFixed(3),
  };
}

interface BucketWindow {
  used: number;
  resetAt: number;
}

/** The enforced bucket a request falls in, or undefined when the limit does not cover it. */
function enforcedBucketOf(limit: Required<EnforcedLimit> | undefined, method: string, route: string): string | undefined {
  if (!limit || limit.method.toUpperCase() !== method || !matchesPath(limit.path, route, route)) return undefined;
  const major = /^\/(?:channels|guilds|webhooks)\/(\d+)/.exec(route)?.[1] ?? '';
  return `${method} ${bucketRoute(route)} ${major}`;
}

function enforcedHeaders(limit: Required<EnforcedLimit>, method: string, route: string, window: BucketWindow, now: number): Record<string, string> {
  const resetAfter = Math.max(0, (window.resetAt - now) / 1000);
  return {
    'x-ratelimit-limit': String(limit.limit),
    'x-ratelimit-remaining': String(Math.max(0, limit.limit - window.used)),
    'x-ratelimit-bucket': bucketHash(method, route),
    'x-ratelimit-reset': (window.resetAt / 1000).toFixed(3),
    'x-ratelimit-reset-after': resetAfter.toFixed(3),
  };
}

/**
 * The 429 Discord sends for a rule: `retry-after` rounded up, the exact seconds in the
 * body, bucket headers unless the limit is global.
 */
export function rateLimitResponse(rule: Omit<RateLimitRule, 'path' | 'count'>, method: string, path: string): RateLimitResponse {
  const global = rule.global ?? false;
  const scope = rule.scope ?? (global ? 'global' : 'user');
  const headers: Record<string, string> = {
    'retry-after': String(Math.ceil(rule.retryAfterSeconds)),
    'x-ratelimit-scope': scope,
  };
  if (global) {
    headers['x-ratelimit-global'] = 'true';
  } else {
    Object.assign(headers, {
      'x-ratelimit-limit': String(ADVERTISED_LIMIT),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-bucket': bucketHash(method, path),
      ...resetHeaders(rule.retryAfterSeconds),
    });
  }
  const body: RESTRateLimit = { message: 'You are being rate limited.', retry_after: rule.retryAfterSeconds, global };
  if (rule.code !== undefined) body.code = rule.code;
  return { headers, body };
}

/**
 * Creates a limiter: scripted 429s only, unless `enforced` is given (then it also keeps
 * that limit by itself, see {@link EnforcedLimit}).
 */
export function createRateLimiter(enforced?: EnforcedLimit): RateLimiter {
  const rules: Array<Required<Pick<RateLimitRule, 'count'>> & RateLimitRule> = [];
  const limit: Required<EnforcedLimit> | undefined = enforced
    ? { method: 'POST', path: /^\/channels\/\d+\/messages$/, limit: 5, windowSeconds: 5, ...enforced }
    : undefined;
  const windows = new Map<string, BucketWindow>();
  const enforce = (method: string, route: string): RateLimitResponse | undefined => {
    const key = enforcedBucketOf(limit, method, route);
    if (!limit || key === undefined) return undefined;
    const now = Date.now();
    let window = windows.get(key);
    if (!window || now >= window.resetAt) windows.set(key, (window = { used: 0, resetAt: now + limit.windowSeconds * 1000 }));
    if (window.used < limit.limit) {
      window.used += 1;
      return undefined;
    }
    const retryAfter = Math.max(0.001, (window.resetAt - now) / 1000);
    const headers = { ...enforcedHeaders(limit, method, route, window, now), 'retry-after': String(Math.ceil(retryAfter)), 'x-ratelimit-scope': 'user' };
    return { headers, body: { message: 'You are being rate limited.', retry_after: Number(retryAfter.toFixed(3)), global: false } };
  };
  return {
    add(rule) {
      rules.push({ ...rule, count: rule.count ?? 1 });
    },
    take(method, path, fullPath = path) {
      const index = rules.findIndex(
        (rule) =>
          (rule.method === undefined || rule.method.toUpperCase() === method) && matchesPath(rule.path, path, fullPath),
      );
      const rule = rules[index];
      if (!rule) return enforce(method, path);
      rule.count -= 1;
      if (rule.count <= 0) rules.splice(index, 1);
      return rateLimitResponse(rule, method, path);
    },
    okHeaders(method, path) {
      const key = enforcedBucketOf(limit, method, path);
      const window = key === undefined ? undefined : windows.get(key);
      if (limit && window) return enforcedHeaders(limit, method, path, window, Date.now());
      return {
        'x-ratelimit-limit': String(ADVERTISED_LIMIT),
        'x-ratelimit-remaining': String(ADVERTISED_LIMIT - 1),
        'x-ratelimit-bucket': bucketHash(method, path),
        ...resetHeaders(ADVERTISED_RESET_AFTER_SECONDS),
      };
    },
    pending() {
      return rules.reduce((sum, rule) => sum + rule.count, 0);
    },
  };
}

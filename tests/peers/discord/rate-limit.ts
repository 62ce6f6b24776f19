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

/** Creates an empty limiter. */
export function createRateLimiter(): RateLimiter {
  const rules: Array<Required<Pick<RateLimitRule, 'count'>> & RateLimitRule> = [];
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
      if (!rule) return undefined;
      rule.count -= 1;
      if (rule.count <= 0) rules.splice(index, 1);
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
    },
    okHeaders(method, path) {
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

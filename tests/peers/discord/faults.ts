/**
 * Random faults on bot REST calls, as a flaky network and an overloaded Discord produce
 * them: 5xx answers, 429s nobody asked for, and connections reset without an answer
 * (sometimes after the request took effect, so the answer of a stored message is lost).
 */
import { matchesPath } from './rate-limit.js';

/** What can go wrong with a request. */
export type FaultKind = '5xx' | '429' | 'reset';

/** Every fault kind, in the order the injector draws them. */
export const FAULT_KINDS: readonly FaultKind[] = ['5xx', '429', 'reset'];

/** Options of the peer's fault injection; applies to bot-authorised REST routes only. */
export interface FaultOptions {
  /** Share of matching requests that get a fault, 0..1. */
  rate: number;
  /** Faults to draw from, uniformly. @defaultValue every kind: `['5xx', '429', 'reset']` */
  kinds?: readonly FaultKind[];
  /** Seed of the draws: the same seed and the same requests give the same faults. @defaultValue a random seed */
  seed?: number;
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Matched against the route after `/api/v10` or the full path. @defaultValue every bot route */
  path?: RegExp;
  /**
   * Share of resets that come after the request took effect (the message is stored, the
   * answer lost); the others reset before anything happened. @defaultValue 0.5
   */
  resetAfterEffect?: number;
  /** Longest `retry_after` of an injected 429, in seconds (drawn from a tenth of it up). @defaultValue 1 */
  maxRetryAfterSeconds?: number;
}

/** One drawn fault. */
export type Fault =
  | { kind: '5xx'; status: 500 | 502 | 503 }
  | { kind: '429'; retryAfterSeconds: number }
  | { kind: 'reset'; afterEffect: boolean };

/** Draws faults for requests. */
export interface FaultInjector {
  /** The fault this request gets, if any. */
  draw(method: string, route: string, fullPath: string): Fault | undefined;
  /** The seed in use (to repeat a run). */
  readonly seed: number;
}

/** mulberry32: small, fast and good enough for picking faults. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const STATUSES = [500, 502, 503] as const;

/** Discord's JSON body of a 5xx. */
export function serverErrorBody(status: 500 | 502 | 503): { message: string; code: number } {
  const text = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' }[status];
  return { message: `${status}: ${text}`, code: 0 };
}

/** Creates an injector; `rate` 0 (or no kinds) never draws a fault. */
export function createFaultInjector(options: FaultOptions): FaultInjector {
  const { rate, kinds = FAULT_KINDS, resetAfterEffect = 0.5, maxRetryAfterSeconds = 1 } = options;
  if (!(rate >= 0 && rate <= 1)) throw new Error(`faults.rate: expected a share from 0 to 1, got ${rate}`);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.min(items.length - 1, Math.floor(random() * items.length))]!;
  return {
    seed,
    draw(method, route, fullPath) {
      if (options.method !== undefined && options.method.toUpperCase() !== method) return undefined;
      if (options.path && !matchesPath(options.path, route, fullPath)) return undefined;
      if (kinds.length === 0 || random() >= rate) return undefined;
      const kind = pick(kinds);
      if (kind === '5xx') return { kind, status: pick(STATUSES) };
      if (kind === '429') {
        const seconds = maxRetryAfterSeconds * (0.1 + 0.9 * random());
        return { kind, retryAfterSeconds: Number(seconds.toFixed(3)) };
      }
      return { kind, afterEffect: random() < resetAfterEffect };
    },
  };
}

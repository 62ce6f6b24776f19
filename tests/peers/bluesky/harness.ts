/**
 * What the Bluesky source tests share: the brand, a source config pointing at the peer,
 * and source deps whose only secret is the app password.
 */
import pino, { type Logger } from 'pino';
import type { BrandConfig } from '../../../src/config/schema.js';
import { blueskySourceSchema, type BlueskySourceConfig } from '../../../src/config/source-schemas.js';
import type { SourceDeps } from '../../../src/sources/source.js';
import type { BlueskyPeer } from './bluesky-peer.js';

export const BRAND: BrandConfig = { name: 'Parcelly', names: ['Parcelly'], handles: ['parcelly', 'parcelly.bsky.social'] };

/** A config as the loader would give it, pointed at the peer; `overrides` are sources.yaml keys. */
export function blueskyConfig(peer: BlueskyPeer, overrides: Record<string, unknown> = {}): BlueskySourceConfig & { name: string } {
  return { ...blueskySourceSchema.parse({ type: 'bluesky', service: peer.url, ...overrides }), name: 'bluesky' };
}

/** Deps whose environment holds `BLUESKY_APP_PASSWORD` (the peer's, unless told otherwise); silent unless given a `log`. */
export function blueskyDeps(peer: BlueskyPeer, password: string | undefined = peer.brand.appPassword, log: Logger = pino({ level: 'silent' })): SourceDeps {
  const env: Record<string, string | undefined> = { BLUESKY_APP_PASSWORD: password };
  return { brand: BRAND, secret: (name) => env[name] || undefined, log };
}

/** A logger writing into memory, down to debug level, for assertions on what was logged. */
export interface CapturedLog {
  log: Logger;
  /** Every record logged so far, parsed. */
  records(): Array<Record<string, unknown>>;
  /** Everything logged so far, as written. */
  text(): string;
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return {
    log,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => lines.join(''),
  };
}

/** An ISO time `minutes` before now. */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

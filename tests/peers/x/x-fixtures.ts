/**
 * What the X source tests share: a brand, a source config and deps pointed at a peer.
 */
import pino from 'pino';
import type { BrandConfig } from '../../../src/config/schema.js';
import { xSourceSchema, type XSourceConfig } from '../../../src/config/source-schemas.js';
import type { SourceDeps } from '../../../src/sources/source.js';
import type { XPeer } from './x-peer.js';

export const brand: BrandConfig = { name: 'Parcelly', names: ['Parcelly', 'Parcel Ly'], handles: ['parcelly', 'parcelly.app'] };

let sourceCount = 0;

/** An X source entry as the loader returns it, pointed at `peer`, with a name of its own. */
export function xConfig(peer: XPeer, overrides: Record<string, unknown> = {}): XSourceConfig & { name: string } {
  return { ...xSourceSchema.parse({ type: 'x', apiUrl: peer.apiUrl, ...overrides }), name: `x-${process.pid}-${++sourceCount}` };
}

/** Deps whose secrets are the peer's credentials, plus or minus `env`. */
export function xDeps(peer: XPeer, env: Record<string, string | undefined> = {}): SourceDeps {
  const values: Record<string, string | undefined> = {
    X_BEARER_TOKEN: peer.bearerToken,
    X_API_KEY: peer.oauth.appKey,
    X_API_SECRET: peer.oauth.appSecret,
    X_ACCESS_TOKEN: peer.oauth.accessToken,
    X_ACCESS_SECRET: peer.oauth.accessSecret,
    ...env,
  };
  return { brand, secret: (name) => values[name] || undefined, log: pino({ level: 'silent' }) };
}

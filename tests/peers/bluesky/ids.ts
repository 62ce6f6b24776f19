/**
 * Identifiers shaped as the AT Protocol writes them, so the real client's lexicon
 * validation accepts them: `did:plc:` DIDs, TIDs (record keys and revs) and CIDs.
 */
import { randomBytes } from 'node:crypto';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';

/** A random `did:plc:` DID (24 lower-case base32 characters). */
export function aDid(): string {
  const bytes = randomBytes(24);
  let id = '';
  for (const b of bytes) id += BASE32[b % 32];
  return `did:plc:${id}`;
}

let lastTidMicros = 0;

/**
 * A TID: 13 characters of sortable base32 holding microseconds since the epoch and a
 * clock id. Strictly increasing within the process, like a PDS's.
 */
export function aTid(atMicros = Date.now() * 1000): string {
  const micros = Math.max(atMicros, lastTidMicros + 1);
  lastTidMicros = micros;
  let value = (BigInt(micros) << 10n) | BigInt(Math.floor(Math.random() * 1024));
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = SORTABLE[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/** A CIDv1 (dag-cbor codec, sha-256) of the JSON of `value`: valid, if not the real hash of a CBOR block. */
export async function cidOf(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return CID.create(1, 0x71, await sha256.digest(bytes)).toString();
}

/** A token that looks like a JWT (the client never decodes it; the peer looks it up). */
export function aJwt(kind: 'access' | 'refresh', did: string): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const header = enc({ typ: kind === 'access' ? 'at+jwt' : 'refresh+jwt', alg: 'ES256K' });
  const payload = enc({ scope: kind === 'access' ? 'com.atproto.appPass' : 'com.atproto.refresh', sub: did, jti: randomBytes(8).toString('hex') });
  return `${header}.${payload}.${randomBytes(16).toString('base64url')}`;
}

import { createHash } from 'node:crypto';
import type { Mention } from './mention.js';

const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The stable key of a mention across every stage: job id, Redis state key, button ids.
 * `x-1834…` for plain ids; ids BullMQ or Discord custom ids cannot carry (`:` in AT URIs,
 * very long ids) are hashed, so the same post always gets the same key.
 */
export function mentionKey(mention: Pick<Mention, 'source' | 'id'>): string {
  if (SAFE_ID.test(mention.id)) return `${mention.source}-${mention.id}`;
  const digest = createHash('sha256').update(mention.id).digest('hex').slice(0, 24);
  return `${mention.source}-h${digest}`;
}

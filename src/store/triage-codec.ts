import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { TriageResult } from '../core/triage-result.js';

/**
 * How a mention's triage is kept in Redis: JSON, deflated with a preset dictionary of the
 * shape every triage shares (its field names and the usual values), so a retained mention
 * costs a third of its JSON. The first byte says the format, so the dictionary can change
 * one day without reading old values wrong: `{` is plain JSON (what triage first writes,
 * to keep its busy path fast, and what earlier versions wrote), 1 is this dictionary
 * (what a mention is made once its card is posted: see the mention store's `compact`).
 */
const FORMAT_DEFLATE_V1 = 1;

// Invented for the purpose: the structure of a triage result and common words of replies.
// Deflate looks back into it, most useful last. Never change it: add a new format instead.
const DICTIONARY_V1 = Buffer.from(
  [
    'hackernews reddit rss file bluesky https://bsky.app/profile/ mastodon https://mastodon.social/@ https://news.ycombinator.com/item?id= https://www.reddit.com/r/',
    '"language":"en","links":["https://"],"inReplyTo":{"id":"","handle":""},"addressesBrand":true,"context":"","replyRef":{"cid":"","rootUri":"at://did:plc:","rootCid":"","instance":""},"verified":true,"id":"',
    'Thanks so much for the kind words, we are glad it works well for you! Sorry about this, we understand how frustrating it is. Could you send us a DM with your order number or email so we can look into it right away? We are on it and will update you as soon as we know more. Please ',
    'feature-request","question","outage","billing","bug","praise","complaint","other","spam","unhappy","churn-risk","marketing","leads","support","default","happy","angry","neutral","positive","negative',
    '{"mention":{"source":"x","id":"","text":"","url":"https://x.com/","createdAt":"2026-01-01T00:00:00.000Z","author":{"handle":"","name":"","followers":0}},"classification":{"polarity":"negative","score":-0.5,"flags":["angry"],"intent":"complaint","severity":2,"evidence":["angry: \\"',
    '\\""]},"reach":0,"route":{"channel":"support","rule":"default","priority":2,"alsoTo":[],"claimWithinMinutes":60},"reply":{"text":"Hi ","template":"complaint.angry#1"}}',
  ].join(''),
);

/** A triage result as stored: a format byte and the deflated JSON. */
export function encodeTriage(triage: TriageResult): Buffer {
  const body = deflateRawSync(JSON.stringify(triage), { dictionary: DICTIONARY_V1 });
  return Buffer.concat([Buffer.of(FORMAT_DEFLATE_V1), body]);
}

/** Reads a stored triage in any format this version knows; throws on one it does not. */
export function decodeTriage(stored: Buffer | string): TriageResult {
  const bytes = typeof stored === 'string' ? Buffer.from(stored, 'utf8') : stored;
  if (bytes[0] === 0x7b) return JSON.parse(bytes.toString('utf8')) as TriageResult;
  if (bytes[0] === FORMAT_DEFLATE_V1) return JSON.parse(inflateRawSync(bytes.subarray(1), { dictionary: DICTIONARY_V1 }).toString('utf8')) as TriageResult;
  throw new Error(`stored triage has an unknown format (first byte ${bytes[0] ?? 'none'}): written by a newer version?`);
}

/**
 * The Thank draft of a word-of-mouth card: a short reply of gratitude for a happy mention,
 * for a person to edit and send. The leads' own template wins when triage drew one for a
 * happy mention; otherwise one of a few plain wordings, personalised and stable for one
 * mention. Pure.
 */
import type { TriageResult } from './triage-result.js';
import { displayName, replyMood, stableHash } from './suggest-reply.js';
import { PLATFORM_LIMITS, replyLength } from './platform-limits.js';

const WORDINGS = [
  'Thank you, {name}! This made our day. We will pass it on to the team.',
  '{name}, thank you for the kind words! It means a lot to all of us here.',
  'Thanks so much, {name}! We are really glad it worked out for you.',
  'That is lovely to hear, {name}: thank you for taking the time to tell us!',
] as const;

/** A gratitude draft for the mention: the triage draft when it answers a happy mention, else a wording of ours within the platform's limit. */
export function gratitudeDraft(triage: Pick<TriageResult, 'mention' | 'classification' | 'reply'>): string {
  const { mention, classification, reply } = triage;
  if (replyMood(classification) === 'happy' && reply.text.trim()) return reply.text;
  const name = displayName(mention.author.name, mention.author.handle);
  const wording = WORDINGS[stableHash(`${mention.source}:${mention.id}`) % WORDINGS.length]!;
  const text = wording.replace('{name}', name);
  return replyLength(mention.source, text) <= PLATFORM_LIMITS[mention.source] ? text : wording.replace('{name}, ', '').replace(', {name}', '').replace('{name}', '');
}

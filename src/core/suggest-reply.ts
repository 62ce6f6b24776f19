/**
 * The suggested reply: a draft for a human to edit and send, drawn from the leads'
 * templates by topic and mood, personalised, varied between people, stable for one
 * mention, and short enough for the platform. Pure and deterministic.
 */
import type { Classification, Intent } from './classification.js';
import type { Mention } from './mention.js';
import { HANDLE_PREFIXED, PLATFORM_LIMITS, replyLength } from './platform-limits.js';
import type { SuggestedReply } from './triage-result.js';

/** The mood a reply answers, read from the classification. */
export type ReplyMood = 'angry' | 'unhappy' | 'neutral' | 'happy';

export interface ReplyTemplate {
  /** Unique id; the reply records `id#variant`. */
  id: string;
  /** All given conditions must hold; empty or absent is a catch-all. */
  when?: { intent?: readonly Intent[]; mood?: readonly ReplyMood[] };
  /** Wordings with placeholders `{name}`, `{handle}`, `{brand}`, `{topic}`. */
  variants: readonly string[];
  /** Appended to billing and outage replies when set: the make-good offer. */
  makeGood?: string;
}

export interface ReplyTemplates {
  /** Ordered; the first matching entry wins. */
  templates: readonly ReplyTemplate[];
}

export interface SuggestReplyInput {
  mention: Mention;
  classification: Classification;
}

/** Placeholders a template may use. */
export const PLACEHOLDERS = ['name', 'handle', 'brand', 'topic'] as const;

/** What `{topic}` says for each intent. */
export const TOPIC_PHRASES: Readonly<Record<Intent, string>> = {
  complaint: 'the problem',
  outage: 'the outage',
  billing: 'the billing issue',
  bug: 'the bug',
  question: 'your question',
  praise: 'your kind words',
  'feature-request': 'your idea',
  other: 'your post',
};

const MAKE_GOOD_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['billing', 'outage']);

/** Draft a reply to `mention` from the first template entry that fits it. */
export function suggestReply(
  input: SuggestReplyInput,
  templates: ReplyTemplates,
  brand: { name: string },
): SuggestedReply {
  const { mention, classification } = input;
  const mood = replyMood(classification);
  const entry = templates.templates.find((t) => entryMatches(t, classification.intent, mood));
  if (!entry || entry.variants.length === 0) {
    // The loader refuses a templates file without a catch-all; this only guards direct callers.
    throw new Error(`no reply template matches intent "${classification.intent}" and mood "${mood}"; add a catch-all entry last`);
  }
  const variantIndex = stableHash(mention.id) % entry.variants.length;
  const values: Record<(typeof PLACEHOLDERS)[number], string> = {
    name: displayName(mention.author.name, mention.author.handle),
    handle: `@${safeHandle(mention.author.handle)}`,
    brand: stripFormatting(brand.name),
    topic: TOPIC_PHRASES[classification.intent],
  };
  let text = fill(entry.variants[variantIndex] ?? '', values);
  if (entry.makeGood && MAKE_GOOD_INTENTS.has(classification.intent)) {
    text = `${text} ${fill(entry.makeGood, values)}`;
  }
  text = defuseMassMentions(text.replace(/\s+/g, ' ').trim());
  return { text: fitToPlatform(text, mention), template: `${entry.id}#${variantIndex}` };
}

/** angry flag → angry; negative → unhappy; happy flag or positive → happy; else neutral. */
export function replyMood(c: Classification): ReplyMood {
  if (c.flags.includes('angry')) return 'angry';
  if (c.polarity === 'negative') return 'unhappy';
  if (c.flags.includes('happy') || c.polarity === 'positive') return 'happy';
  return 'neutral';
}

function entryMatches(t: ReplyTemplate, intent: Intent, mood: ReplyMood): boolean {
  if (t.when?.intent && !t.when.intent.includes(intent)) return false;
  if (t.when?.mood && !t.when.mood.includes(mood)) return false;
  return true;
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** FNV-1a, 32 bit: the same id always gives the same number, on every machine. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The first word of the display name when it reads as a name, else `@handle`. */
export function displayName(name: string, handle: string): string {
  const first = name.trim().split(/\s+/)[0] ?? '';
  const looksLikeName = /^\p{L}[\p{L}'’-]{0,23}$/u.test(first) && /\p{Ll}/u.test(first) && first.length >= 2;
  return looksLikeName ? first : `@${safeHandle(handle)}`;
}

/** Keep only characters a handle can have, so nothing can ping or format. */
function safeHandle(handle: string): string {
  return handle.replace(/^@+/, '').replace(/[^\p{L}\p{N}_.-]/gu, '') || 'there';
}

function stripFormatting(text: string): string {
  return text.replace(/[@<>*_~`|\\[\]#]/g, '');
}

/** `@everyone`/`@here` would ping a whole Discord server when the card shows the draft. */
function defuseMassMentions(text: string): string {
  return text.replace(/@(everyone|here)\b/gi, '@\u200b$1');
}

/** Cut at a sentence boundary (or, failing that, a word) so the reply fits the platform. */
function fitToPlatform(text: string, mention: Mention): string {
  const platform = mention.source;
  const prefix = HANDLE_PREFIXED.has(platform) ? `@${safeHandle(mention.author.handle)} ` : '';
  const budget = PLATFORM_LIMITS[platform] - replyLength(platform, prefix);
  const fits = (t: string): boolean => replyLength(platform, t) <= budget;
  if (fits(text)) return text;

  // A sentence ends at . ! or ? followed by a space, so "parcelly.app" stays whole.
  const sentences = text.split(/(?<=[.!?])\s+/);
  let kept = '';
  for (const sentence of sentences) {
    const next = kept ? `${kept} ${sentence}` : sentence;
    if (!fits(next)) break;
    kept = next;
  }
  if (kept) return kept;

  const words = text.split(' ');
  let cut = '';
  for (const word of words) {
    const next = cut ? `${cut} ${word}` : word;
    if (!fits(`${next}…`)) break;
    cut = next;
  }
  return `${cut.replace(/[,;:]$/, '')}…`;
}

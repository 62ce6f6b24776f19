/**
 * The suggested reply: a draft for a human to edit and send, drawn from the leads'
 * templates by topic and mood, personalised, varied between people, stable for one
 * mention, and short enough for the platform. Pure and deterministic.
 */
import type { Classification, Intent } from './classification.js';
import type { Incident, IncidentCondition } from './incident.js';
import type { Mention } from './mention.js';
import { HANDLE_PREFIXED, PLATFORM_LIMITS, replyLength } from './platform-limits.js';
import { askPhrase, detailPhrase, readDetails } from './reply-details.js';
import { DEFAULT_REPLY_LANGUAGE, LANGUAGE_PHRASES, localPrivateRoute, mentionLanguage } from './reply-languages.js';
import type { SuggestedReply } from './triage-result.js';

/** The mood a reply answers, read from the classification. */
export type ReplyMood = 'angry' | 'unhappy' | 'neutral' | 'happy';

export interface ReplyTemplate {
  /** Unique id; the reply records `id#variant`. */
  id: string;
  /** All given conditions must hold; empty or absent is a catch-all. */
  when?: { intent?: readonly Intent[]; mood?: readonly ReplyMood[]; incident?: readonly IncidentCondition[] };
  /**
   * ISO 639-1 code of the language the variants are written in; absent is English. Used
   * for mentions in that language, before the English entries.
   */
  language?: string;
  /** Wordings with the {@link PLACEHOLDERS}. */
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
  /** The incident the leads set, if any: outage drafts say what is known, or that it is fixed. */
  incident?: Incident;
}

/** Placeholders a template may use. */
export const PLACEHOLDERS = ['name', 'handle', 'brand', 'topic', 'dm', 'detail', 'ask', 'incident'] as const;

/** Placeholders whose words are English (read from the mention or the leads' incident text): not for entries in another language. */
export const ENGLISH_ONLY_PLACEHOLDERS: ReadonlySet<(typeof PLACEHOLDERS)[number]> = new Set(['detail', 'ask', 'incident'] as const);

/** Where a customer can reach the team privately when the platform has no private messages. */
export interface SupportContact {
  email?: string;
  url?: string;
}

/**
 * How to move the conversation somewhere private, as the platform allows: a verb
 * phrase a template continues with "with …" (`{dm} with your order number`). Hacker
 * News and feeds have no private messages: the support contact from brand.yaml instead.
 */
export function privateRoute(platform: Mention['source'], support: SupportContact = {}): string {
  switch (platform) {
    case 'x':
    case 'bluesky':
      return 'DM us';
    case 'mastodon':
      return 'send us a private mention';
    case 'reddit':
      return 'message us on Reddit';
    default:
      if (support.email) return `email us at ${support.email}`;
      if (support.url) return `write to us at ${support.url}`;
      return 'contact our support team';
  }
}

/** What `{topic}` says for each intent. */
export const TOPIC_PHRASES: Readonly<Record<Intent, string>> = {
  complaint: 'the problem',
  outage: 'the outage',
  billing: 'the billing issue',
  bug: 'the bug',
  question: 'your question',
  praise: 'your kind words',
  'feature-request': 'your idea',
  spam: 'your post',
  other: 'your post',
};

const MAKE_GOOD_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['billing', 'outage']);

/**
 * Draft a reply to `mention` from the first template entry that fits it: among the
 * entries in the mention's language when there are any that fit, else the English ones
 * (the reply then says which language to answer in).
 */
export function suggestReply(
  input: SuggestReplyInput,
  templates: ReplyTemplates,
  brand: { name: string; support?: SupportContact },
): SuggestedReply {
  const { mention, classification, incident } = input;
  const mood = replyMood(classification);
  const condition: Situation = { intent: classification.intent, mood, incident: incident?.state ?? 'none' };
  const language = mentionLanguage(mention, classification);
  const local = language && language !== DEFAULT_REPLY_LANGUAGE ? templates.templates.find((t) => t.language === language && entryMatches(t, condition)) : undefined;
  const entry = local ?? templates.templates.find((t) => (t.language ?? DEFAULT_REPLY_LANGUAGE) === DEFAULT_REPLY_LANGUAGE && entryMatches(t, condition));
  if (!entry || entry.variants.length === 0) {
    // The loader refuses a templates file without a catch-all; this only guards direct callers.
    throw new Error(`no reply template matches intent "${classification.intent}" and mood "${mood}"; add a catch-all entry last`);
  }
  const variantIndex = stableHash(mention.id) % entry.variants.length;
  const values = placeholderValues(input, brand, entry.language);
  let text = fill(entry.variants[variantIndex] ?? '', values);
  if (entry.makeGood && MAKE_GOOD_INTENTS.has(classification.intent)) {
    text = `${text} ${fill(entry.makeGood, values)}`;
  }
  text = defuseMassMentions(tidy(text));
  const replyIn = language && language !== DEFAULT_REPLY_LANGUAGE && !local ? { replyIn: language } : {};
  return { text: fitToPlatform(text, mention), template: `${entry.id}#${variantIndex}`, ...replyIn };
}

interface Situation {
  intent: Intent;
  mood: ReplyMood;
  incident: IncidentCondition;
}

function placeholderValues(input: SuggestReplyInput, brand: { name: string; support?: SupportContact }, language: string | undefined): Record<(typeof PLACEHOLDERS)[number], string> {
  const { mention, classification, incident } = input;
  const local = language ? LANGUAGE_PHRASES[language] : undefined;
  const topic = local ? local.topic[classification.intent] : TOPIC_PHRASES[classification.intent];
  const details = readDetails(mention.text, [brand.name]);
  return {
    name: displayName(mention.author.name, mention.author.handle),
    handle: `@${safeHandle(mention.author.handle)}`,
    brand: stripFormatting(brand.name),
    topic,
    dm: local ? localPrivateRoute(local, mention.source, brand.support ?? {}) : privateRoute(mention.source, brand.support),
    // "#48213" stays: a number after # is no hashtag and no Discord heading.
    detail: detailPhrase(details, classification.intent, topic).replace(/[@<>*_~`|\\[\]]/g, ''),
    ask: askPhrase(details, classification.intent),
    incident: incident ? stripFormatting(incident.text).replace(/[.!\s]+$/, '') : topic,
  };
}

/** One space between words, none before punctuation (an empty `{ask}` leaves "us ,"). */
function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\s+([,.;:!?])/g, '$1').trim();
}

/** angry flag → angry; negative → unhappy; happy flag or positive → happy; else neutral. */
export function replyMood(c: Classification): ReplyMood {
  if (c.flags.includes('angry')) return 'angry';
  if (c.polarity === 'negative') return 'unhappy';
  if (c.flags.includes('happy') || c.polarity === 'positive') return 'happy';
  return 'neutral';
}

function entryMatches(t: ReplyTemplate, s: Situation): boolean {
  if (t.when?.intent && !t.when.intent.includes(s.intent)) return false;
  if (t.when?.mood && !t.when.mood.includes(s.mood)) return false;
  if (t.when?.incident && !t.when.incident.includes(s.incident)) return false;
  return true;
}

/** Fills placeholders; a value that starts a sentence starts with a capital. */
function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string, offset: number) => {
    const value = values[key];
    if (value === undefined) return whole;
    const before = template.slice(0, offset).trimEnd();
    const startsSentence = before === '' || /[.!?:]$/.test(before);
    return startsSentence ? value.charAt(0).toUpperCase() + value.slice(1) : value;
  });
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

// Words that make a display name an organisation's or a channel's, not a person's.
const NOT_A_PERSON = new Set(
  ('inc llc ltd co corp company shop store studio studios team official support news daily weekly media group labs app apps hq ' +
    'club fans followers deals bot bots service services agency brand brands market supply goods threads crafts works collective customer care help desk')
    .split(' '),
);

/**
 * The first name when the display name reads as a person's ("Dana Reyes", "Mo"), else
 * `@handle`: a business ("Low Tide Threads"), a phrase, a lower-case nick ("rt") or a
 * name with digits or symbols gets the handle, exactly as the platform writes it.
 */
export function displayName(name: string, handle: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  const nameLike = (w: string) => /^\p{Lu}[\p{L}'’-]{1,23}$/u.test(w) || /^\p{Lu}\.?$/u.test(w);
  const person =
    words.length >= 1 &&
    words.length <= 3 &&
    /^\p{Lu}\p{Ll}[\p{L}'’-]{0,22}$/u.test(first) &&
    words.every(nameLike) &&
    !words.some((w) => NOT_A_PERSON.has(w.toLowerCase().replace(/[.'’]/g, '')));
  return person ? first : `@${safeHandle(handle)}`;
}

/**
 * The handle as the platform writes it (`wren`, `wren.bsky.social`, `wren@mastodon.social`),
 * keeping only characters a handle can have, so nothing can ping or format.
 */
function safeHandle(handle: string): string {
  return handle.replace(/^@+/, '').replace(/[^\p{L}\p{N}_.@-]/gu, '').replace(/@(?=.*@)/g, '') || 'there';
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

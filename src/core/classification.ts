/**
 * What the mood and topic pass says about a mention's text. Produced by `classify`
 * (src/core/classify.ts), read by routing, reply drafting and the card.
 */

export type Polarity = 'negative' | 'neutral' | 'positive';

/**
 * `angry`: strong negative or a complaint with anger or urgency. `happy`: strong praise or a
 * recommendation (word of mouth). `churn-risk`: the author says or implies they are leaving,
 * cancelling, switching to a competitor or warning others away.
 */
export type MoodFlag = 'angry' | 'happy' | 'churn-risk';

export const INTENTS = [
  'complaint',
  'outage',
  'billing',
  'bug',
  'question',
  'praise',
  'feature-request',
  'spam',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];

/** 0 none, 1 low, 2 medium, 3 high. */
export type Severity = 0 | 1 | 2 | 3;

export interface Classification {
  polarity: Polarity;
  /** −1 (most negative) .. 1 (most positive). */
  score: number;
  flags: MoodFlag[];
  intent: Intent;
  severity: Severity;
  /** The words, emoji and cues that decided, short enough for a card (a handful of items). */
  evidence: string[];
  /** ISO 639-1 code of the text's language, or `und` when it cannot be told. */
  language?: string;
  /** Whether someone should answer (false for news, passing mentions, spam, problems already fixed). */
  needsReply?: boolean;
  /** Why the author looks like an impostor posing as the brand (set only then); a security matter for the leads. */
  impostor?: string;
}

/** The brand's own names and handles: masked so that "@united" is not scored as a word. */
export interface BrandTerms {
  names: string[];
  handles: string[];
}

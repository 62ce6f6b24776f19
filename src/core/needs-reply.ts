import type { Intent, Polarity } from './classification.js';

/** What decides whether someone should answer a mention. */
export interface ReplySigns {
  intent: Intent;
  polarity: Polarity;
  /** One of the brand's own accounts wrote it. */
  fromBrand: boolean;
  /** The brand's name in it names something else ("Bossa Nova"). */
  otherName: boolean;
  /** The author says the problem is over ("fine now", "working again"). */
  fixed: boolean;
  /** A headline or announcement, or a post from a news feed. */
  news: boolean;
  /** Whether the mood was read: a post in a language without a vocabulary is left to a person. */
  judged: boolean;
}

/** Intents that report a problem: news that reports one still wants an answer. */
const PROBLEMS: ReadonlySet<Intent> = new Set(['complaint', 'outage', 'billing', 'bug']);

/**
 * Whether someone should answer: not spam, the brand's own posts, another thing's name,
 * a problem the author says is over, news that reports no problem, or a passing mention
 * that asks nothing and feels nothing (a post whose language has no vocabulary is left to
 * a person: its card says to reply in that language).
 */
export function needsReplyOf(signs: ReplySigns): boolean {
  if (signs.intent === 'spam' || signs.fromBrand || signs.otherName || signs.fixed) return false;
  if (signs.news && !(PROBLEMS.has(signs.intent) && signs.polarity === 'negative')) return false;
  return !signs.judged || !(signs.intent === 'other' && signs.polarity === 'neutral');
}

/**
 * The shape of a phrase-cue class and the two kinds of rule it is written in. A class is an
 * ordered list of rules; the text matches the class at the leftmost place any rule matches
 * (ties go to the earlier rule), exactly as one regex alternation over the text would.
 */

/** The topic a cue speaks to; intent is decided from these. */
export type CueTopic =
  | 'waiting' | 'disruption' | 'lost' | 'billing' | 'outage' | 'bug' | 'service' | 'anger'
  | 'sarcasm' | 'rhetorical' | 'help' | 'urgency' | 'praise' | 'recommend' | 'request' | 'question' | 'letdown'
  | 'unmet' | 'effort' | 'feeling' | 'glad' | 'worst' | 'best' | 'eager' | 'resolved'
  // Intent only (intent-cues.ts): weigh 0 and are never read by the mood pass.
  | 'fault' | 'widespread' | 'money' | 'plan' | 'wish' | 'howto'
  // What the mention asks of the team beyond its mood (triage-cues.ts): weigh 0, read by classify.ts.
  | 'spam' | 'churn' | 'switch' | 'fixed' | 'past' | 'news' | 'demand';

export interface CueHit {
  topic: CueTopic;
  weight: number;
  /** The matched words, for the card. */
  text: string;
  /** Where the match starts in the normalised text. */
  at: number;
}

/**
 * A one-word rule: a pattern tested against each word (or hashtag) of the text, anchored at
 * its start, once per distinct word (the result is memoised with the word), so it never runs
 * a regex on the hot path.
 */
export interface WordRule {
  kind: 'word';
  /** Anchored at the start of a lowercase word: `^(?:source)`. */
  pattern: RegExp;
}

/**
 * A phrase rule: a regex over the lowercased text, run only when the text has a word from
 * each of its gate lists (words without which the phrase cannot occur), so most texts never
 * run it. A gate word ending in `*` stands for every word it starts.
 */
export interface PhraseRule {
  kind: 'phrase';
  gates: readonly (readonly string[])[];
  pattern: RegExp;
  /**
   * Strings of which every match of `pattern` contains at least one, or null: searched for
   * before the regex runs, for rules whose gate words are common ("s", "get") but whose
   * phrase is rare ("/s", "get them.").
   */
  needs: readonly string[] | null;
}

export type CueRule = WordRule | PhraseRule;

export interface CueClass {
  topic: CueTopic;
  /** Valence added when the class matches, on the word scale (−5..5). */
  weight: number;
  rules: readonly CueRule[];
}

/** A one-word rule from a regex source with no space in it ("\\bdelay(?:ed|s)?\\b"). */
export function word(source: string): WordRule {
  if (/ |\\s/.test(source)) throw new Error(`word cue ${source}: expected one word, found a space`);
  return { kind: 'word', pattern: new RegExp(`^(?:${source})`) };
}

/**
 * A phrase rule: `gates` are space-separated word lists, all of which must be met; `source`
 * is matched against the lowercased text (no `i` flag: case-folding makes V8's matcher
 * several times slower); `needs`, when given, are strings every match contains one of.
 */
export function phrase(gates: string[], source: string, needs?: string[]): PhraseRule {
  return { kind: 'phrase', gates: gates.map((g) => g.split(' ')), pattern: new RegExp(source), needs: needs ?? null };
}

/** Whether `text` holds one of `needs` (a phrase rule's strings). */
export function holdsAny(text: string, needs: readonly string[]): boolean {
  for (let k = 0; k < needs.length; k++) if (text.includes(needs[k]!)) return true;
  return false;
}

/** Token standing for a number with a time unit ("2hrs", "45mins"), a gate of the waiting cues. */
export const DURATION_TOKEN = '#dur';

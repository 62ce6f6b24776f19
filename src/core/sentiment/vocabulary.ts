import { triggerMask } from './cues.js';
import { startsBigram, wordValence } from './lexicon.js';
import { degreeOf, isNegator, startsIdiom } from './negation.js';

/** Everything the scorer asks about one lowercase word, answered by one lookup. */
export interface WordInfo {
  /** Lexicon valence (−5..5), undefined when the word carries none. */
  valence: number | undefined;
  negator: boolean;
  /** Degree-adverb multiplier, 1 for ordinary words. */
  degree: number;
  /** Whether the word can open a scored two-word entry ("can't wait", "fed up"). */
  pairStart: boolean;
  /** Bit mask of the phrase-cue classes this word can trigger. */
  cues: number;
}

// One memo over the separate lists: each list stays readable on its own, and a word costs
// one Map lookup after its first sighting. Bounded because mentions bring an open vocabulary.
const memo = new Map<string, WordInfo>();
const MEMO_LIMIT = 200_000;

/** What the lexicon, negation and cue lists say about a lowercase word. */
export function lookupWord(word: string): WordInfo {
  let info = memo.get(word);
  if (info === undefined) {
    info = {
      valence: wordValence(word),
      negator: isNegator(word),
      degree: degreeOf(word),
      pairStart: startsIdiom(word) || startsBigram(word),
      cues: triggerMask(word),
    };
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(word, info);
  }
  return info;
}

import { type WordCue, cueGatesOf, wordCuesOf } from './cues.js';
import { bigramsOf, squeezeElongation, wordValence } from './lexicon.js';
import { type SequenceCue, laterSetsHolding, sequencesOpenedBy } from './token-cues.js';
import { degreeOf, endsNegation, idiomsOf, isContrast, isNegator } from './negation.js';
import { isLeadIn } from './enquiry.js';
import { WORD_LEANS } from './word-leans.js';
import { WordTable } from './word-table.js';
import { type LanguageMark, languageMarkOf } from '../language.js';

// Built on first use, not at import: commands that never classify do not pay for it. The
// table is learned from the corpus ahead of time (src/core/sentiment/word-lean.ts): learning
// it in the serving process would also train the JIT on the corpus's texts, and the scorer
// measured a fifth slower after it.
let leans: Map<string, number> | null = null;
function wordLeans(): Map<string, number> {
  return (leans ??= new Map(WORD_LEANS));
}

/** An emoji's lean towards negative posts, 0 when it has none. */
export function emojiLean(emoji: string): number {
  return wordLeans().get(emoji) ?? 0;
}

/** Everything the scorer asks about one lowercase word, answered by one lookup. */
export interface WordInfo {
  /** Lexicon valence (−5..5), elongations undone ("sooo baaad"); undefined when the word carries none. */
  valence: number | undefined;
  /** Valence when the word is a hashtag: its own, or that of a strong word run into it ("#neverflyingagain"). */
  tagValence: number | undefined;
  negator: boolean;
  /** "but", "however": what follows outweighs what came before. */
  contrast: boolean;
  /** Clause words ("but", "and") after which a negation does not continue. */
  endsNegation: boolean;
  /** Degree-adverb multiplier, 1 for ordinary words. */
  degree: number;
  /**
   * The scored two-word entries the word opens, second word → valence: negator idioms
   * ("can't wait"), else AFINN bigrams ("fed up"); null when it opens none.
   */
  pairs: ReadonlyMap<string, number> | null;
  /** The phrase-cue gates this word meets (src/core/sentiment/cues.ts), or null. */
  cueGates: readonly number[] | null;
  /** The same, when the word is written as a hashtag ("#fail"). */
  tagCueGates: readonly number[] | null;
  /** The one-word cue rules this word (or hashtag) satisfies, or null. */
  wordCues: readonly WordCue[] | null;
  /** The token-sequence cues the word can open (src/core/sentiment/token-cues.ts), or null. */
  sequences: readonly SequenceCue[] | null;
  /** The later slots and filler sets of those cues that hold the word (src/core/sentiment/token-cues.ts). */
  sequenceSets: readonly ReadonlySet<string>[];
  /** Whether the word leads into a sentence without deciding its form ("hi", "so"). */
  leadIn: boolean;
  /** How far the word leans towards negative posts (below 0: away from them); 0 when it does not (src/core/sentiment/word-lean.ts). */
  lean: number;
  /** Whether the word marks English or another language (src/core/language.ts). */
  mark: LanguageMark;
}

// Hashtags run words together (#neverflyingagain, #customerservicefail): look for a
// strong word inside. Team-written, general valence words only.
const HASHTAG_PARTS: [string, number][] = [
  ['fail', -2], ['suck', -3], ['worst', -3], ['hate', -3], ['never', -2], ['angry', -3], ['ugh', -2],
  ['disappoint', -3], ['rude', -3], ['delay', -2], ['cancel', -2], ['stuck', -2], ['scam', -3],
  ['love', 3], ['best', 3], ['awesome', 3], ['thank', 2], ['happy', 2], ['great', 3], ['amazing', 3],
  // Celebration and anticipation tags (round 5): #cantwait, #soexcited, #blessed, #proudmom.
  ['cantwait', 3], ['excited', 3], ['blessed', 2], ['proud', 2], ['congrat', 3], ['yay', 2],
];

/** A hashtag's valence; "#nothappy", "#notimpressed", "#nolove" negate the word they run into. */
function hashtagValence(tag: string, own: number | undefined): number | undefined {
  const negated = tag.length > 4 && (tag.startsWith('not') || tag.startsWith('no') || tag.startsWith('never'));
  if (negated) {
    const rest = tag.startsWith('not') ? tag.slice(3) : tag.startsWith('never') ? tag.slice(5) : tag.slice(2);
    const v = wordValence(rest) ?? partValence(rest);
    if (v !== undefined && v > 0) return -0.75 * v;
  }
  return own ?? partValence(tag);
}

function partValence(tag: string): number | undefined {
  for (const [part, value] of HASHTAG_PARTS) if (tag.includes(part)) return value;
  return undefined;
}

// One memo over the separate lists: each list stays readable on its own, and a word costs
// one table lookup after its first sighting. Bounded because mentions bring an open vocabulary.
const memo = new WordTable<WordInfo>(200_000);
const MEMO_WORD_LIMIT = 40;

function valenceOf(word: string): number | undefined {
  const v = wordValence(word);
  if (v !== undefined) return v;
  for (const variant of squeezeElongation(word)) {
    const s = wordValence(variant);
    if (s !== undefined) return s;
  }
  return undefined;
}

function tagGates(word: string): readonly number[] | null {
  const plain = cueGatesOf(word);
  const tagged = cueGatesOf('#' + word);
  return plain === null ? tagged : tagged === null ? plain : [...plain, ...tagged];
}

// An idiom wins over an AFINN bigram of the same two words, as `idiomValence(…) ?? bigramValence(…)` would.
function pairsOf(word: string): ReadonlyMap<string, number> | null {
  const idioms = idiomsOf(word);
  const bigrams = bigramsOf(word);
  if (idioms.length === 0 && bigrams.length === 0) return null;
  return new Map([...bigrams, ...idioms]);
}

/** Whether the vocabulary says nothing about a word: every field at its default. */
function isPlain(info: WordInfo): boolean {
  return info.valence === undefined && info.tagValence === undefined && !info.negator && !info.contrast && !info.endsNegation &&
    info.degree === 1 && info.pairs === null && info.cueGates === null && info.tagCueGates === null && info.wordCues === null &&
    info.sequences === null && info.sequenceSets.length === 0 && !info.leadIn && info.lean === 0 && info.mark === null;
}

/** The answer for every word the vocabulary says nothing about (same field order, so the same shape). */
const PLAIN: WordInfo = {
  valence: undefined, tagValence: undefined, negator: false, contrast: false, endsNegation: false, degree: 1, pairs: null, cueGates: null,
  tagCueGates: null, wordCues: null, sequences: null, sequenceSets: [], leadIn: false, lean: 0, mark: null,
};

// Words of one to three letters a-z ("to", "my", "the": nearly half of all words) are
// remembered by their letters' number in a flat array: no hashing, no string comparison.
const SHORT_WORDS: (WordInfo | undefined)[] = new Array<WordInfo | undefined>(27 * 27 * 27).fill(undefined);

/** The slot of a word of one to three letters a-z in SHORT_WORDS, or -1 for any other word. */
function shortSlot(word: string): number {
  const n = word.length;
  if (n > 3 || n === 0) return -1;
  let slot = 0;
  for (let i = 0; i < 3; i++) {
    let d = 0;
    if (i < n) {
      d = word.charCodeAt(i) - 96;
      if (d < 1 || d > 26) return -1;
    }
    slot = slot * 27 + d;
  }
  return slot;
}

/** What the lexicon, negation and cue lists say about a lowercase word. */
export function lookupWord(word: string): WordInfo {
  const short = shortSlot(word);
  if (short >= 0) {
    const known = SHORT_WORDS[short];
    if (known !== undefined) return known;
    return (SHORT_WORDS[short] = describe(word));
  }
  let info = memo.get(word);
  if (info === undefined) {
    info = describe(word);
    // A long "word" is a one-off (a run of letters, a pasted string): remembering it would
    // also keep its whole mention alive, since the runtime slices share the text's memory.
    if (word.length <= MEMO_WORD_LIMIT) memo.add(word, info);
  }
  return info;
}

/** What the vocabulary says about a word, worked out afresh. */
function describe(word: string): WordInfo {
  const valence = valenceOf(word);
  // A lexicon word has already spoken: its lean would count it twice.
  const lean = valence === undefined ? (wordLeans().get(word) ?? 0) : 0;
  const info: WordInfo = {
    valence,
    tagValence: hashtagValence(word, valence),
    negator: isNegator(word),
    contrast: isContrast(word),
    endsNegation: endsNegation(word),
    degree: degreeOf(word),
    pairs: pairsOf(word),
    cueGates: cueGatesOf(word),
    tagCueGates: tagGates(word),
    wordCues: wordCuesOf(word),
    sequences: sequencesOpenedBy(word),
    sequenceSets: laterSetsHolding(word),
    leadIn: isLeadIn(word),
    lean,
    mark: languageMarkOf(word, valence !== undefined || lean !== 0),
  };
  // Most words the vocabulary knows nothing about share one answer: one object in the
  // processor's cache instead of thousands spread through memory.
  return isPlain(info) ? PLAIN : info;
}

/**
 * Negation, intensity and contrast words. Lists written by the team from English grammar
 * (negative particles, contractions in "n't", degree adverbs) and the usual tweet spellings
 * without apostrophes ("dont", "cant").
 */
import { pairsOpenedBy } from './pairs.js';

const NEGATORS = new Set([
  'not', 'no', 'never', 'neither', 'nor', 'none', 'nobody', 'nothing', 'nowhere', 'cannot',
  'without', 'hardly', 'barely', 'aint', 'dont', 'doesnt', 'didnt', 'cant', 'couldnt', 'wont',
  'wouldnt', 'shouldnt', 'isnt', 'arent', 'wasnt', 'werent', 'havent', 'hasnt', 'hadnt',
  'mustnt', 'neednt', 'nope', 'nah',
]);

/** A negating word: "not", "never", "no", any "…n't", and apostrophe-less "dont", "cant". */
export function isNegator(word: string): boolean {
  return NEGATORS.has(word) || word.endsWith("n't");
}

/**
 * How many following scored words a negator reaches. Negation stops earlier at punctuation
 * and at "but" (see `endsNegation`); natural's flips every later word of the text.
 */
export const NEGATION_REACH = 3;

/** Words after which a negation does not continue: clause boundaries. */
export function endsNegation(word: string): boolean {
  return word === 'but' || word === 'however' || word === 'although' || word === 'though' || word === 'and';
}

/**
 * Negator + word pairs that are not negations of sentiment: "can't wait" is eagerness,
 * "no problem" and "no worries" are reassurance, "not only" adds, "can't believe" marks
 * surprise without flipping what follows; "no thanks" declines and "my bad" apologises,
 * neither judges. Value: the pair's own valence (0 = just skip).
 */
const IDIOMS: Record<string, number> = {
  "can't wait": 3, 'cant wait': 3, 'cannot wait': 3, 'no problem': 1, 'no problems': 1,
  'no worries': 1, 'no thanks': 0, 'no thank': 0, 'my bad': 0, 'not only': 0, "can't believe": 0, 'cant believe': 0, "couldn't believe": 0,
  "couldn't be": 0, 'no doubt': 1, "can't thank": 3, 'cant thank': 3, "can't beat": 2,
  'never fails': 0, "didn't disappoint": 3, "doesn't disappoint": 3, "won't disappoint": 2,
  "don't like": -2, 'dont like': -2, "didn't like": -2, "doesn't like": -2, 'not like': 0,
  'not bad': 1, 'not too bad': 1, "wouldn't recommend": -3, 'never again': -3,
};

const idioms = new Map(Object.entries(IDIOMS));
const idiomStarts = new Set(Object.keys(IDIOMS).map((k) => k.split(' ')[0]!));

/** The negator idioms a word opens, as second word → valence ("can't" → "wait" → 3); empty when none. */
export function idiomsOf(first: string): [second: string, valence: number][] {
  return pairsOpenedBy(idioms, idiomStarts, first);
}

/** Valence of a negator idiom ("can't wait" 3, "no problem" 1, "not only" 0), or undefined. */
export function idiomValence(first: string, second: string): number | undefined {
  return idiomStarts.has(first) ? idioms.get(first + ' ' + second) : undefined;
}

/** Degree adverbs: multiply the next scored word. */
const INTENSIFIERS: Record<string, number> = {
  very: 1.3, so: 1.3, really: 1.3, extremely: 1.5, absolutely: 1.5, totally: 1.4, completely: 1.4,
  utterly: 1.5, incredibly: 1.5, super: 1.4, soo: 1.4, sooo: 1.5, too: 1.2, most: 1.3, such: 1.2,
  truly: 1.3, seriously: 1.3, beyond: 1.4, ridiculously: 1.5, insanely: 1.5, highly: 1.4,
  fucking: 1.5, freaking: 1.4, damn: 1.3, pretty: 1.1, quite: 1.1, way: 1.2, even: 1.1,
  literally: 1.2, ever: 1.2, always: 1.1, just: 1.05,
};

/** Hedges: soften the next scored word. */
const DIMINISHERS: Record<string, number> = {
  slightly: 0.6, somewhat: 0.7, kinda: 0.7, sorta: 0.7, barely: 0.6, little: 0.8, bit: 0.8,
  almost: 0.7, fairly: 0.8, mostly: 0.9, partly: 0.7,
};

const degrees = new Map([...Object.entries(INTENSIFIERS), ...Object.entries(DIMINISHERS)]);

/** Multiplier a degree word puts on the next scored word (1 when it is not one). */
export function degreeOf(word: string): number {
  return degrees.get(word) ?? 1;
}

/** Contrast words: what follows outweighs what came before ("nice crew but 3 hours late"). */
export function isContrast(word: string): boolean {
  return word === 'but' || word === 'however' || word === 'yet' || word === 'although' || word === 'though';
}

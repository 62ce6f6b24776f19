import type { Polarity } from '../classification.js';
import { normalizeText, tokenize, type Token } from './tokenize.js';

/**
 * How far a word leans towards negative posts, learned ahead of time from the team-written
 * corpus in `tests/fixtures/word-lean-corpus/` (`npm run corpus:learn` writes the table to
 * word-leans.ts; the corpus is data, not shipped): naive
 * Bayes log-odds of the word in negative posts against the rest, add-one smoothed, shrunk
 * for rare words, clipped. It knows the everyday words of complaints that no lexicon
 * scores ("still", "hrs", "again", "supposed") and the words that lean away from them
 * ("sorted", "finally", "refunded"). The scorer lets it weigh only in texts where a lexicon
 * word or cue already spoke, and bounded (weigh-evidence.ts): it corroborates or tempers
 * evidence, and never makes a verdict on its own.
 */

/** A labelled example: polarity, then the post as written. */
export type Example = readonly [Polarity, string];

/** Words seen in fewer posts than this carry no lean: too rare to say anything. */
const MIN_POSTS = 3;
/** One word never leans further than this (log-odds). */
const CLIP = 2;
/** Shrinks a lean by posts / (posts + SHRINK): a word seen in 3 posts says less than one seen in 30. Hand-set. */
const SHRINK = 5;
/** Leans weaker than this are dropped: words about as common in every kind of post. Hand-set. */
const MIN_LEAN = 0.3;

/**
 * Words that never get a lean, written by the team:
 * - function words (pronouns, determiners, auxiliaries, prepositions, conjunctions,
 *   negators): complaints say "your", "been" and "not" more than praise does, but they
 *   explain nothing on a card, and negation is the scorer's job;
 * - words naming people or groups: a corpus can make "she" or "dad" lean, and no verdict
 *   may change with who a post is about.
 */
const NO_LEAN = new Set(
  (
    "a an the this that these those my your our their his her its me you we they us them i he she it " +
    "i'm you're we're they're i've you've we've they've i'd you'd we'd i'll you'll we'll it's that's " +
    "im youre were theyre ive weve dont cant wont didnt doesnt isnt wasnt " +
    "is are was were be been being am have has had do does did will would shall should can could may might must " +
    "of to in on at by for from with about into over after before since as than then so and or but if because while " +
    "there here what which who whom whose when where how why all any some every each " +
    "no not never nothing nobody none nor don't can't won't didn't doesn't isn't wasn't aren't weren't " +
    "haven't hasn't hadn't couldn't wouldn't shouldn't ain't " +
    "man men woman women guy guys girl girls boy boys lady ladies gentleman sir madam mr mrs ms miss " +
    "mum mom mam mother dad father parent parents son daughter kid kids child children baby babies " +
    "wife husband partner boyfriend girlfriend brother sister family grandma grandpa grandmother grandfather " +
    "old young elderly disabled blind deaf black white asian gay lesbian trans straight muslim christian jewish"
  ).split(' '),
);

/** The feature a token counts as: words and hashtags by their lowercase word, emoji as written; null for the rest. */
export function leanKey(tok: Token): string | null {
  if (tok.kind === 'word' || tok.kind === 'hashtag') return tok.norm;
  if (tok.kind === 'emoji') return tok.raw;
  return null;
}

/** Learns every word's lean towards negative posts from labelled posts (each word counted once per post). */
export function learnWordLeans(examples: readonly Example[]): Map<string, number> {
  const counts = new Map<string, [negative: number, rest: number]>();
  let negativePosts = 0;
  const seen = new Set<string>();
  for (const [label, text] of examples) {
    const negative = label === 'negative';
    if (negative) negativePosts++;
    seen.clear();
    for (const tok of tokenize(normalizeText(text))) {
      const key = leanKey(tok);
      if (key === null || seen.has(key) || NO_LEAN.has(key)) continue;
      seen.add(key);
      let n = counts.get(key);
      if (n === undefined) counts.set(key, (n = [0, 0]));
      n[negative ? 0 : 1]++;
    }
  }
  const restPosts = examples.length - negativePosts;
  const leans = new Map<string, number>();
  for (const [key, [negative, rest]] of counts) {
    const posts = negative + rest;
    if (posts < MIN_POSTS) continue;
    const odds = Math.log((negative + 1) / (negativePosts + 2)) - Math.log((rest + 1) / (restPosts + 2));
    const lean = Math.max(-CLIP, Math.min(CLIP, odds)) * (posts / (posts + SHRINK));
    if (Math.abs(lean) >= MIN_LEAN) leans.set(key, lean);
  }
  return leans;
}

/**
 * The source of `word-leans.ts`: the learned table, sorted, to three decimals. Kept in step
 * with the corpus by `npm run corpus:learn` (a file snapshot in tests/unit/sentiment/word-lean.test.ts).
 */
export function leanTableSource(leans: ReadonlyMap<string, number>): string {
  const rows = [...leans].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [
    '// Generated from tests/fixtures/word-lean-corpus by `npm run corpus:learn`; do not edit by hand.',
    '// Each word\'s lean towards negative posts (below 0: away from them), see word-lean.ts.',
    'export const WORD_LEANS: ReadonlyArray<readonly [string, number]> = [',
    ...rows.map(([word, lean]) => `  [${JSON.stringify(word)}, ${Math.round(lean * 1000) / 1000}],`),
    '];',
    '',
  ].join('\n');
}

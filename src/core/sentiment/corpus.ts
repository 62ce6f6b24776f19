/**
 * The team-written corpus the word leans are learned from (src/core/sentiment/word-lean.ts):
 * original posts written by the project's team, one file per kind of post, each line a
 * label and a post. No line comes from, or was derived from, any outside dataset.
 *
 * Labels say the author's feeling as a careful reader would judge it: negative, neutral
 * (facts, questions, plans, headlines, even with loaded words) or positive. To add posts,
 * append lines to a file (or add a file and list it here), keep labels honest and avoid
 * near-duplicates; `npm test` checks the corpus's shape.
 */
import type { Example } from './word-lean.js';
import { BANKING } from './corpus/banking.js';
import { CARS } from './corpus/cars.js';
import { FOOD } from './corpus/food.js';
import { GENERAL_CULTURE } from './corpus/general-culture.js';
import { GENERAL_LIFE } from './corpus/general-life.js';
import { GENERAL_OPINIONS } from './corpus/general-opinions.js';
import { HEALTH } from './corpus/health.js';
import { HOME } from './corpus/home.js';
import { PARCEL } from './corpus/parcel.js';
import { PUBLIC } from './corpus/public.js';
import { RETAIL } from './corpus/retail.js';
import { SOFTWARE } from './corpus/software.js';
import { TELECOM } from './corpus/telecom.js';
import { THREADS } from './corpus/threads.js';
import { TRIPS } from './corpus/trips.js';
import { WORD_OF_MOUTH } from './corpus/word-of-mouth.js';

/** Every file's posts, by file. */
export const CORPUS_FILES: Readonly<Record<string, readonly Example[]>> = {
  'banking': BANKING,
  'cars': CARS,
  'food': FOOD,
  'general-culture': GENERAL_CULTURE,
  'general-life': GENERAL_LIFE,
  'general-opinions': GENERAL_OPINIONS,
  'health': HEALTH,
  'home': HOME,
  'parcel': PARCEL,
  'public': PUBLIC,
  'retail': RETAIL,
  'software': SOFTWARE,
  'telecom': TELECOM,
  'threads': THREADS,
  'trips': TRIPS,
  'word-of-mouth': WORD_OF_MOUTH,
};

export const CORPUS: readonly Example[] = Object.values(CORPUS_FILES).flat();

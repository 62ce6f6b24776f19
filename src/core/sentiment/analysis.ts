import type { CueHit, CueTopic } from './cue-pattern.js';
import type { TopicSet } from './topic-set.js';

/** One scored word, emoji or idiom, after negation and intensity. */
export interface Hit {
  text: string;
  value: number;
}

/** Everything the verdict is built from; `total` is on the word scale (−5..5 per word). */
export interface Analysis {
  total: number;
  hits: Hit[];
  cues: CueHit[];
  topics: TopicSet;
  /** Words written in capitals for emphasis (not acronyms in an all-caps text). */
  shouted: number;
  exclamations: number;
  question: boolean;
  /** "?!" or "???": exasperated punctuation. */
  baffled: boolean;
  /** The word that leaned the text towards negative, when the lean counted (src/core/sentiment/word-lean.ts). */
  leanWord: string | null;
  /** Words marking English, and words marking another language: whether the language detector is needed (src/core/language.ts). */
  englishMarks: number;
  foreignMarks: number;
}

const COMPLAINT_TOPICS: ReadonlySet<CueTopic> = new Set(['waiting', 'disruption', 'lost', 'billing', 'outage', 'service', 'anger', 'sarcasm', 'rhetorical', 'help', 'letdown', 'unmet', 'effort', 'feeling', 'worst']);

/** Is `topic` one of the complaint cue classes? */
export function isComplaintTopic(topic: CueTopic): boolean {
  return COMPLAINT_TOPICS.has(topic);
}

/** Does the text speak of a failure (any complaint cue class)? */
export function hasComplaint(topics: TopicSet): boolean {
  return topics.hasAnyOf(COMPLAINT_TOPICS);
}

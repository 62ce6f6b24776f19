import { beginCues, findCues } from './cues.js';
import type { Analysis } from './analysis.js';
import { readTokens } from './read-tokens.js';
import { findSequenceCues } from './token-cues.js';
import { TopicSet } from './topic-set.js';
import type { Token } from './tokenize.js';
import { weighEvidence } from './weigh-evidence.js';

/** How far the word lean must move a text towards negative before its strongest word is shown as evidence. */
const LEAN_SHOWN = 0.3;

/**
 * Scores tokens in one pass: lexicon valence with bounded negation, degree words, capitals,
 * contrast, then phrase cues. `lowerText` is the normalised, lowercased text the phrase cues read.
 */
export function analyse(tokens: readonly Token[], lowerText: string): Analysis {
  beginCues();
  const reading = readTokens(tokens);
  const cues = findCues(lowerText);
  if (reading.sequenceStarts.length > 0) findSequenceCues(tokens, reading.words, tokens.length, reading.sequenceStarts, cues);
  const topics = TopicSet.of(cues);
  const total = weighEvidence(reading, cues, topics);
  return {
    total,
    hits: reading.hits,
    cues,
    topics,
    shouted: reading.shouted,
    exclamations: reading.exclamations,
    question: reading.question,
    baffled: reading.baffled > 0,
    // Named in the evidence when the lean moved the text towards negative by a word's worth.
    leanWord: reading.leaned <= -LEAN_SHOWN ? reading.leanWord : null,
    englishMarks: reading.englishMarks,
    foreignMarks: reading.foreignMarks,
  };
}

/** Maps the word-scale total into −1..1 (the normalisation VADER uses, α = 15). */
export function normalizeScore(total: number): number {
  return total / Math.sqrt(total * total + 15);
}

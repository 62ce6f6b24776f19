import { DURATION_TOKEN } from './cue-pattern.js';
import { exactCueGatesOf, noteGates, noteWordCues } from './cues.js';
import { emojiValence } from './emoji.js';
import { opensEnquiry } from './enquiry.js';
import { NEGATION_REACH } from './negation.js';
import type { Hit } from './analysis.js';
import type { Token } from './tokenize.js';
import { type WordInfo, emojiLean, lookupWord } from './vocabulary.js';

/** What one pass over the tokens found, before the phrase cues weigh in. */
export interface TokenReading {
  /** Scored words, emoji and idioms, capitals and contrast applied. A fresh array per text. */
  hits: Hit[];
  /** Flat [from, to) pairs of indices into `hits`: the hits inside enquiry sentences. */
  askedHits: number[];
  /** Flat [start, end) pairs of offsets in the text: the enquiry sentences. */
  askedSpans: number[];
  /** Indices of tokens whose word can open a sequence cue. */
  sequenceStarts: number[];
  /** What the vocabulary says of each token, by index: null for tokens that are not words or hashtags. */
  words: (WordInfo | null)[];
  /** Words in capitals for emphasis; 0 when capitals are not emphasis (an all-caps text). */
  shouted: number;
  /** Negations that found no sentiment word to flip. */
  bareNegations: number;
  exclamations: number;
  question: boolean;
  /** How many "?!" / "???" marks. */
  baffled: number;
  /** The words' leans towards negative posts, summed (src/core/sentiment/word-lean.ts). */
  lean: number;
  /** The word that leans furthest towards negative posts, for the evidence; null when none does. */
  leanWord: string | null;
  /** What the lean added to the total: set by weighEvidence, 0 until then. */
  leaned: number;
  /** Words marking English, and words marking another language (src/core/language.ts). */
  englishMarks: number;
  foreignMarks: number;
}

const DURATION_GATES = exactCueGatesOf(DURATION_TOKEN) ?? [];

// The pass's buffers: reused from one text to the next (classify is synchronous). Only
// `hits` leaves with the analysis, so only it is allocated per text.
const reading: TokenReading = {
  hits: [], askedHits: [], askedSpans: [], sequenceStarts: [], words: [], shouted: 0, bareNegations: 0, exclamations: 0, question: false, baffled: 0, lean: 0, leanWord: null, leaned: 0, englishMarks: 0, foreignMarks: 0,
};
// Hits of words in capitals: boosted at the end, once we know capitals are emphasis.
const shoutedHits: Hit[] = [];

// Three capitals are mostly codes (airports, products): emphasis starts at four.
function isShouted(raw: string): boolean {
  if (raw.length < 4) return false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
  }
  return true;
}

/**
 * Reads the tokens in one pass: lexicon valence with bounded negation, degree
 * words, capitals, contrast, enquiry sentences; records the phrase-cue gates and one-word
 * cues the words meet (call `beginCues` first). The result is valid until the next call.
 */
export function readTokens(tokens: readonly Token[]): TokenReading {
  const count = tokens.length;
  const hits: Hit[] = [];
  const askedHits = reading.askedHits;
  const askedSpans = reading.askedSpans;
  const sequenceStarts = reading.sequenceStarts;
  const words = reading.words;
  // Setting a length is a runtime call even on an empty array: most texts leave these empty.
  if (askedHits.length !== 0) askedHits.length = 0;
  if (askedSpans.length !== 0) askedSpans.length = 0;
  if (sequenceStarts.length !== 0) sequenceStarts.length = 0;
  if (shoutedHits.length !== 0) shoutedHits.length = 0;
  let shoutedWords = 0;
  let wordCount = 0;
  let negLeft = 0;
  let bareNegations = 0;
  let degree = 1;
  let contrastAt = -1;
  let exclamations = 0;
  let question = false;
  // Enquiry sentences: closed by '?' and opened (as a sentence or as its last clause) by an
  // enquiry word. An event named inside one is what is asked about ("is flight 12
  // delayed?"); stated in a sentence of its own, it is a report ("my flight was cancelled.
  // What now?"). Their spans in the text, and the word hits inside them.
  let sentenceOpener: string | null = null;
  let clauseOpener: string | null = null;
  let sentenceStart = 0;
  let sentenceHits = 0;
  let baffled = 0;
  let lean = 0;
  let leanWord: string | null = null;
  let leanMost = 0;
  let englishMarks = 0;
  let foreignMarks = 0;

  for (let i = 0; i < count; i++) {
    const tok = tokens[i]!;
    const kind = tok.kind;
    words[i] = null;
    if (kind === 'punct') {
      if (negLeft > 0) bareNegations++;
      negLeft = 0;
      degree = 1;
      const raw = tok.raw;
      const c = raw.charCodeAt(0);
      if (c === 44 || c === 59 || c === 58) clauseOpener = null;
      else {
        if (raw.includes('?') && (opensEnquiry(sentenceOpener) || opensEnquiry(clauseOpener))) {
          askedSpans.push(sentenceStart, tok.start);
          if (sentenceHits < hits.length) askedHits.push(sentenceHits, hits.length);
        }
        sentenceOpener = null;
        clauseOpener = null;
        sentenceStart = tok.start + raw.length;
        sentenceHits = hits.length;
      }
      if (c === 33 || c === 63) {
        let marks = 0;
        let asks = 0;
        for (let k = 0; k < raw.length; k++) raw.charCodeAt(k) === 33 ? marks++ : asks++;
        exclamations += marks;
        if (asks > 0) question = true;
        // "?!", "???": exasperation rather than an enquiry.
        if ((asks > 0 && marks > 0) || asks >= 3) baffled++;
      }
      continue;
    }
    if (kind === 'emoji' || kind === 'emoticon') {
      if (kind === 'emoji') {
        const gates = exactCueGatesOf(tok.norm);
        if (gates !== null) noteGates(gates);
      }
      const v = emojiValence(kind === 'emoji' ? tok.raw : tok.norm);
      if (v !== undefined && v !== 0) hits.push({ text: tok.raw, value: v });
      else if (kind === 'emoji') {
        // Like words, an emoji the lexicon does not score may still lean.
        const l = emojiLean(tok.raw);
        lean += l;
        if (l > leanMost) {
          leanMost = l;
          leanWord = tok.raw;
        }
      }
      continue;
    }
    if (kind === 'number') {
      // "10/10" gates a praise cue.
      const gates = exactCueGatesOf(tok.norm);
      if (gates !== null) noteGates(gates);
      // "2hrs" triggers the waiting cues.
      const last = tok.norm.charCodeAt(tok.norm.length - 1);
      if (last >= 97 && last <= 122) noteGates(DURATION_GATES);
      continue;
    }
    if (kind !== 'word' && kind !== 'hashtag') continue;

    const w = tok.norm;
    const info = lookupWord(w);
    words[i] = info;
    lean += info.lean;
    if (info.mark === 'english') englishMarks++;
    else if (info.mark === 'foreign') foreignMarks++;
    if (info.lean > leanMost) {
      leanMost = info.lean;
      leanWord = w;
    }
    if (kind === 'word' && !info.leadIn) {
      sentenceOpener ??= w;
      clauseOpener ??= w;
    }
    const shouted = kind === 'word' && isShouted(tok.raw);
    const gates = kind === 'hashtag' ? info.tagCueGates : info.cueGates;
    if (gates !== null) noteGates(gates);
    if (info.wordCues !== null) noteWordCues(info.wordCues, tok.start);
    if (kind !== 'hashtag') {
      wordCount++;
      if (shouted) shoutedWords++;
    }
    if (info.sequences !== null) sequenceStarts.push(i);
    if (info.pairs !== null && i + 1 < count && tokens[i + 1]!.kind === 'word') {
      const next = tokens[i + 1]!.norm;
      const idiom = info.pairs.get(next);
      if (idiom !== undefined) {
        if (idiom !== 0) hits.push({ text: w + ' ' + next, value: idiom * degree });
        const nextInfo = lookupWord(next);
        words[i + 1] = nextInfo;
        if (nextInfo.cueGates !== null) noteGates(nextInfo.cueGates);
        if (nextInfo.wordCues !== null) noteWordCues(nextInfo.wordCues, tokens[i + 1]!.start);
        wordCount++;
        degree = 1;
        negLeft = 0;
        i++;
        continue;
      }
    }
    if (info.negator) {
      if (negLeft > 0) bareNegations++;
      negLeft = NEGATION_REACH;
      continue;
    }
    if (info.contrast) contrastAt = hits.length;
    if (info.endsNegation) {
      if (negLeft > 0) bareNegations++;
      negLeft = 0;
      continue;
    }
    if (info.degree !== 1 && i + 1 < count && tokens[i + 1]!.kind === 'word') {
      degree *= info.degree;
      continue;
    }

    let v = kind === 'hashtag' ? info.tagValence : info.valence;
    if (v === undefined || v === 0) {
      if (negLeft > 0 && --negLeft === 0) bareNegations++;
      continue;
    }
    v *= degree;
    degree = 1;
    let text = kind === 'hashtag' ? '#' + w : w;
    if (negLeft > 0) {
      // "not good" is nearly as negative as "bad"; "not bad" is only mildly positive.
      v = v > 0 ? -0.75 * v : -0.4 * v;
      text = 'not ' + text;
      negLeft = 0;
    }
    const hit = { text, value: v };
    hits.push(hit);
    if (shouted) shoutedHits.push(hit);
  }

  // In a text written all in capitals, capitals are not emphasis.
  const capsMeanEmphasis = shoutedWords > 0 && shoutedWords <= wordCount / 2;
  if (capsMeanEmphasis) for (let k = 0; k < shoutedHits.length; k++) shoutedHits[k]!.value *= 1.5;
  if (contrastAt >= 0) {
    for (let k = 0; k < hits.length; k++) hits[k]!.value *= k < contrastAt ? 0.5 : 1.5;
  }
  if (negLeft > 0) bareNegations++;

  reading.hits = hits;
  reading.shouted = capsMeanEmphasis ? shoutedWords : 0;
  reading.bareNegations = bareNegations;
  reading.exclamations = exclamations;
  reading.question = question;
  reading.baffled = baffled;
  reading.lean = lean;
  reading.leanWord = leanWord;
  reading.leaned = 0;
  reading.englishMarks = englishMarks;
  reading.foreignMarks = foreignMarks;
  return reading;
}

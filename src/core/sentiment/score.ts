import { type CueHit, type CueTopic, DURATION_TRIGGER, findCues, triggerMask } from './cues.js';
import { emojiValence } from './emoji.js';
import { bigramValence, squeezeElongation, wordValence } from './lexicon.js';
import { NEGATION_REACH, endsNegation, idiomValence, isContrast } from './negation.js';
import type { Token } from './tokenize.js';
import { type WordInfo, lookupWord } from './vocabulary.js';

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
  topics: Set<CueTopic>;
  /** Words written in capitals for emphasis (not acronyms in an all-caps text). */
  shouted: number;
  exclamations: number;
  question: boolean;
}

const COMPLAINT_TOPICS: readonly CueTopic[] = ['waiting', 'disruption', 'lost', 'billing', 'outage', 'service', 'anger', 'sarcasm', 'rhetorical'];
/**
 * Negative words weigh more than positive ones: the negativity bias of readers (and of
 * people labelling mentions) is well documented, and mixed mentions read as complaints.
 */
const NEGATIVE_WEIGHT = 1.3;
/** What a negation that found no sentiment word to flip adds: "my bag didn't arrive". */
const BARE_NEGATION = -0.5;
/** Positive words that are courtesy in a complaint: "please help, thanks". */
const COURTESY = new Set(['thanks', 'thank', 'thx', 'ty', 'appreciate', 'appreciated', 'welcome', 'hope', 'fine', 'like']);

/** Does the text speak of a failure (any complaint cue class)? */
export function hasComplaint(topics: Set<CueTopic>): boolean {
  return COMPLAINT_TOPICS.some((t) => topics.has(t));
}

// Hashtags run words together (#neverflyingagain, #customerservicefail): look for a
// strong word inside. Team-written, general valence words only.
const HASHTAG_PARTS: [string, number][] = [
  ['fail', -2], ['suck', -3], ['worst', -3], ['hate', -3], ['never', -2], ['angry', -3], ['ugh', -2],
  ['disappoint', -3], ['rude', -3], ['delay', -2], ['cancel', -2], ['stuck', -2], ['scam', -3],
  ['love', 3], ['best', 3], ['awesome', 3], ['thank', 2], ['happy', 2], ['great', 3], ['amazing', 3],
];

function hashtagValence(tag: string): number | undefined {
  for (const [part, value] of HASHTAG_PARTS) if (tag.includes(part)) return value;
  return undefined;
}

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
 * Scores tokens: lexicon valence with bounded negation, degree words, capitals, contrast,
 * then phrase cues. `lowerText` is the normalised, lowercased text the phrase cues read.
 */
export function analyse(tokens: Token[], lowerText: string): Analysis {
  const hits: Hit[] = [];
  const infos: (WordInfo | undefined)[] = new Array<WordInfo | undefined>(tokens.length);
  let mask = 0;
  let shoutedWords = 0;
  let wordCount = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'word' || t.kind === 'hashtag') {
      const info = lookupWord(t.norm);
      infos[i] = info;
      mask |= info.cues;
      if (t.kind === 'hashtag') {
        mask |= triggerMask('#' + t.norm);
      } else {
        wordCount++;
        if (isShouted(t.raw)) shoutedWords++;
      }
    } else if (t.kind === 'number' || t.kind === 'emoji') {
      // "2hrs" triggers the waiting cues; emoji such as the eye-roll trigger sarcasm.
      const last = t.norm.charCodeAt(t.norm.length - 1);
      if (t.kind === 'emoji') mask |= triggerMask(t.norm);
      else if (last >= 97 && last <= 122) mask |= triggerMask(DURATION_TRIGGER);
    }
  }
  // In a text written all in capitals, capitals are not emphasis.
  const capsMeanEmphasis = shoutedWords > 0 && shoutedWords <= wordCount / 2;
  let negLeft = 0;
  let bareNegations = 0;
  let degree = 1;
  let contrastAt = -1;
  let exclamations = 0;
  let question = false;

  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.kind === 'punct') {
      if (negLeft > 0) bareNegations++;
      negLeft = 0;
      degree = 1;
      if (tok.raw.includes('!')) exclamations += tok.raw.replace(/[^!]/g, '').length;
      if (tok.raw.includes('?')) question = true;
      continue;
    }
    if (tok.kind === 'emoji' || tok.kind === 'emoticon') {
      const v = emojiValence(tok.raw);
      if (v !== undefined && v !== 0) hits.push({ text: tok.raw, value: v });
      continue;
    }
    if (tok.kind !== 'word' && tok.kind !== 'hashtag') continue;

    const w = tok.norm;
    const info = infos[i]!;
    const next = tokens[i + 1];
    if (info.pairStart && next && next.kind === 'word') {
      const idiom = idiomValence(w, next.norm) ?? bigramValence(w, next.norm);
      if (idiom !== undefined) {
        if (idiom !== 0) hits.push({ text: w + ' ' + next.norm, value: idiom * degree });
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
    if (isContrast(w)) contrastAt = hits.length;
    if (endsNegation(w)) {
      if (negLeft > 0) bareNegations++;
      negLeft = 0;
      continue;
    }
    if (info.degree !== 1 && next && next.kind === 'word') {
      degree *= info.degree;
      continue;
    }

    let v = info.valence;
    if (v === undefined) {
      for (const variant of squeezeElongation(w)) {
        v = wordValence(variant);
        if (v !== undefined) break;
      }
    }
    if (v === undefined && tok.kind === 'hashtag') v = hashtagValence(w);
    if (v === undefined || v === 0) {
      if (negLeft > 0 && --negLeft === 0) bareNegations++;
      continue;
    }
    if (capsMeanEmphasis && isShouted(tok.raw)) v *= 1.5;
    v *= degree;
    degree = 1;
    let text = tok.kind === 'hashtag' ? '#' + w : w;
    if (negLeft > 0) {
      // "not good" is nearly as negative as "bad"; "not bad" is only mildly positive.
      v = v > 0 ? -0.75 * v : -0.4 * v;
      text = 'not ' + text;
      negLeft = 0;
    }
    hits.push({ text, value: v });
  }

  if (contrastAt >= 0) {
    for (let k = 0; k < hits.length; k++) hits[k]!.value *= k < contrastAt ? 0.5 : 1.5;
  }

  const cues = findCues(lowerText, mask);
  const topics = new Set(cues.map((c) => c.topic));
  if (negLeft > 0) bareNegations++;
  const complaint = hasComplaint(topics);
  // Failures by the brand, as opposed to events (a delay, a storm) the brand may have handled well.
  const blame = topics.has('service') || topics.has('anger') || topics.has('sarcasm') || topics.has('waiting') ||
    topics.has('lost') || topics.has('billing') || topics.has('outage');
  let negativeWords = 0;
  for (const hit of hits) if (hit.value < 0) negativeWords += hit.value;
  for (const hit of hits) {
    if (hit.value < 0) hit.value *= NEGATIVE_WEIGHT;
    if (hit.value <= 0) continue;
    // Thanks and praise words in a text that reports a failure are courtesy or sarcasm.
    if (topics.has('sarcasm')) hit.value = -hit.value;
    // "Would be great if…" asks for something; the praise word is not the mood.
    else if (topics.has('request')) hit.value *= 0.3;
    else if (blame && COURTESY.has(hit.text)) hit.value = 0;
    else if (blame) hit.value *= 0.5;
  }

  let total = 0;
  for (const hit of hits) total += hit.value;
  for (const cue of cues) {
    // Praise cues in a text that also complains are thanks in advance or bitter thanks.
    let w = cue.weight > 0 && (blame || negativeWords <= -2) ? cue.weight * 0.25 : cue.weight;
    // An event in a question with no feeling attached is an enquiry: "if my flight is delayed, what time…?"
    if (w < 0 && question && negativeWords === 0 && (cue.topic === 'disruption' || cue.topic === 'waiting')) w *= 0.5;
    total += w;
  }
  total += Math.max(bareNegations, 0) > 2 ? 2 * BARE_NEGATION : bareNegations * BARE_NEGATION;
  if (exclamations > 0) total *= 1 + Math.min(exclamations, 4) * 0.08;

  return { total, hits, cues, topics, shouted: capsMeanEmphasis ? shoutedWords : 0, exclamations, question };
}

/** Maps the word-scale total into −1..1 (the normalisation VADER uses, α = 15). */
export function normalizeScore(total: number): number {
  return total / Math.sqrt(total * total + 15);
}

import type { CueHit, CueTopic } from './cue-pattern.js';
import type { Token } from './tokenize.js';
import type { WordInfo } from './vocabulary.js';

/**
 * Phrase cues matched over the tokens the scorer already has, instead of a regex over the
 * text: a sequence of word slots, with a few filler words allowed between them. A text runs
 * a sequence only from a word that can open it, so most texts run none. Every class is
 * written by the team from general English usage; none is mined from labelled data.
 */
export interface SequenceCue {
  topic: CueTopic;
  /** Valence added when the sequence matches, on the word scale (−5..5). */
  weight: number;
  /** Each slot: the words that may stand there. */
  slots: readonly ReadonlySet<string>[];
  /** Words that may stand between two slots ("i'm *so* tired"); `null`: any word. */
  fillers: ReadonlySet<string> | null;
  /** How many fillers may stand between two slots. */
  gap: number;
}

const set = (list: string): ReadonlySet<string> => new Set(list.split(' '));

// Degree and hedge words people put between a subject and its feeling.
const DEGREE = set('so very really just getting beyond super extremely totally absolutely pretty quite kinda a bit little soo sooo completely seriously officially now already feeling fucking freaking damn too still');
const I_AM = "i'm im iam";
const BAD_FEELINGS = 'tired frustrated annoyed angry mad upset furious disappointed sick pissed livid irritated exhausted stressed confused disgusted sad bummed devastated heartbroken fuming';
const GOOD_FEELINGS = 'happy excited thrilled glad pumped stoked grateful thankful impressed blessed proud delighted relieved';
// Things a customer does in an app, named in bug reports ("won't print", "fails to save").
const APP_ACTIONS = 'load loads work works print prints save saves sync syncs upload open opens update export import download send sends scan play plays connect refresh submit install log login sign signin let';
const NEGATORS = "didn't doesn't don't won't can't cannot couldn't wouldn't never not wasn't isn't aren't haven't hasn't didnt doesnt dont wont cant couldnt wouldnt wasnt isnt arent havent hasnt";

function seq(topic: CueTopic, weight: number, slots: string[], fillers: ReadonlySet<string> | null, gap: number): SequenceCue {
  return { topic, weight, slots: slots.map(set), fillers, gap };
}

/** The sequence classes, each with where it comes from. */
export const SEQUENCE_CUES: readonly SequenceCue[] = [
  // Promised actions that did not happen: "doesn't work", "never received", "didn't even
  // get", "won't let me". From support-ticket phrasing in any industry: the complaint is a
  // negated service verb, with no sentiment word to find.
  seq('unmet', -1.5, [NEGATORS, 'work works working worked arrive arrived receive received get got gotten help helped respond responded answer answered reply replied call called connect load show showed care fix fixed honor explain explained let allow refund refunded happen happened come came exist'], set('even ever yet really actually'), 1),
  // Effort the customer was made to spend: "now I have to wait", "had to rebook myself",
  // "forced to pay". Customer-effort research: complaints describe work pushed onto them.
  seq('effort', -1.5, ['had have has having forced made', 'wait pay sit stand sleep spend drive rent buy rebook call cancel stay walk beg chase repeat explain'], set('to now me us still again even'), 3),
  // Stuck in place: "still on the ground", "still at the gate", "still in line".
  seq('waiting', -2, ['still', 'ground tarmac runway plane gate hold line board'], set('on at in the a'), 2),
  // Giving up, mixed answers, things lost by the company: "gave up", "six different answers",
  // "how do you lose my bag".
  seq('letdown', -1.5, ['gave given', 'up'], null, 0),
  seq('letdown', -1.5, ['different conflicting contradicting contradictory', 'answers answer stories story information info responses explanations'], null, 1),
  seq('lost', -2.5, ['lose losing loses', 'bag bags luggage baggage suitcase suitcases package parcel stroller'], set('my our the a your his her their biggest'), 3),
  // "Better" as a demand or a comparison: "you can do better", "need a better system",
  // "I've experienced better service", "could be better". Critique, not praise.
  seq('letdown', -1.5, ['need needs do deserve expect expected experienced', 'better'], set('a much way so far'), 2),
  seq('letdown', -1.5, ['could should', 'better'], set('be been have'), 2),
  // Wishes in the conditional: "an update would be great", "that would help". A request,
  // so the praise word is not the mood (weight 0: it marks the text as a request).
  seq('request', 0, ['would', 'great nice awesome help helpful appreciated amazing lovely wonderful fantastic good'], set('be really so much very'), 2),
  // Self-reported feelings ("i'm so tired of this", "im frustrated", "i felt so stressed"):
  // appraisal statements, the plainest way people say how they feel.
  seq('feeling', -1.5, [I_AM, BAD_FEELINGS], DEGREE, 3),
  seq('feeling', -1.5, ['i', 'am was feel felt', BAD_FEELINGS], DEGREE, 3),
  seq('glad', 1.5, [I_AM, GOOD_FEELINGS], DEGREE, 3),
  seq('glad', 1.5, ['i', 'am was feel felt', GOOD_FEELINGS], DEGREE, 3),
  // Annoyance idioms and indignation: "ticks me off", "pisses me off", "there's no excuse".
  seq('feeling', -1.5, ['ticks ticked pisses pissed pissing', 'off'], set('me us'), 1),
  seq('unmet', -1.5, ['no', 'excuse excuses'], null, 0),
  // Superlatives about an experience: "worst flight ever", "best day ever".
  seq('worst', -2, ['worst', 'ever'], null, 3),
  seq('best', 2, ['best', 'ever'], null, 3),
  // Anticipation: "looking forward", "so excited for", "want to see", "need to watch".
  // Eagerness about what is coming is the commonest positive tweet about an event.
  seq('eager', 2, ['looking', 'forward'], null, 0),
  seq('eager', 2, ['excited stoked pumped hyped psyched', 'for about to'], null, 0),
  seq('eager', 1.5, ['want wanna need gotta', 'see watch hear meet'], set('to so really badly'), 2),
  seq('eager', 1.5, ['bring', 'on'], set('it'), 1),
  seq('eager', 1.5, ["can't cant cannot", 'wait'], null, 0),
  seq('eager', 1.5, ['let', 'begin start'], null, 2),
  // Cheering on (round 5, sports and fan usage): "let's go!", "lets gooo".
  seq('eager', 1.5, ["let's lets", 'go goo gooo'], null, 0),
  // Greetings and wishes for a day or a season: "happy friday", "merry christmas".
  seq('glad', 1.5, ['happy merry', "birthday bday sunday monday tuesday wednesday thursday friday saturday weekend holidays holiday new christmas easter thanksgiving anniversary mothers fathers mother's father's valentine's valentines halloween diwali eid hanukkah"], null, 0),
  // A feature that fails at its one job: "won't print", "doesn't save", "not syncing",
  // "unable to log in", "fails to load". From bug reports of any app or site; marks intent
  // (weight 0: the mood is the negation's, scored elsewhere).
  seq('fault', 0, [NEGATORS, APP_ACTIONS], set('even ever'), 1),
  seq('fault', 0, ['unable fails failed failing', 'to', APP_ACTIONS], null, 0),
  seq('fault', 0, ['not', 'syncing saving updating printing sending uploading downloading playing showing displaying refreshing loading'], null, 0),
  // Thanks for a problem handled: "thanks for fixing it", "thank you for the quick reply".
  // The event words in such a text ("delay", "cancelled") are what was resolved.
  seq('resolved', 2.5, ['thanks thank thx', 'fixing sorting resolving rebooking helping taking getting looking following responding replying answering reaching handling quick fast prompt speedy swift great'], set('you so much for the your a lot again'), 4),
];

// Opening word → the classes it can open.
const OPENERS = new Map<string, SequenceCue[]>();
for (const cue of SEQUENCE_CUES) {
  for (const w of cue.slots[0]!) OPENERS.set(w, [...(OPENERS.get(w) ?? []), cue]);
}
/** The sequence classes a lowercase word can open; null when none. */
export function sequencesOpenedBy(word: string): readonly SequenceCue[] | null {
  return OPENERS.get(word) ?? null;
}

// Every slot after the first and every filler set, each once.
const LATER_SETS = [...new Set(SEQUENCE_CUES.flatMap((cue) => [...cue.slots.slice(1), ...(cue.fillers === null ? [] : [cue.fillers])]))];

/**
 * The slot (after the first) and filler sets that hold a lowercase word; empty for most
 * words. Matching looks a set up by identity in this short list: hashing the word into
 * each set it is tested against cost as much as the rest of the matching (profiled).
 */
export function laterSetsHolding(word: string): readonly ReadonlySet<string>[] {
  return LATER_SETS.filter((set) => set.has(word));
}

function holds(sets: readonly ReadonlySet<string>[], set: ReadonlySet<string>): boolean {
  for (let k = 0; k < sets.length; k++) if (sets[k] === set) return true;
  return false;
}

/** End (exclusive) of `cue` matched from token `start`, or -1. */
function matchAt(tokens: readonly Token[], words: readonly (WordInfo | null)[], count: number, start: number, cue: SequenceCue): number {
  let j = start + 1;
  for (let s = 1; s < cue.slots.length; s++) {
    const slot = cue.slots[s]!;
    let gap = 0;
    for (;;) {
      if (j >= count) return -1;
      const t = tokens[j]!;
      if (t.kind === 'handle') {
        j++;
        continue;
      }
      if (t.kind !== 'word' && t.kind !== 'hashtag') return -1;
      const sets = words[j]!.sequenceSets;
      if (holds(sets, slot)) {
        j++;
        break;
      }
      if (gap >= cue.gap || (cue.fillers !== null && !holds(sets, cue.fillers))) return -1;
      gap++;
      j++;
    }
  }
  return j;
}

function hasTopic(hits: readonly CueHit[], topic: CueTopic): boolean {
  for (let k = 0; k < hits.length; k++) if (hits[k]!.topic === topic) return true;
  return false;
}

/**
 * Appends a hit for every sequence class that matches from one of `starts` (indices of
 * tokens whose word opens a sequence), at most one per topic. Only the first `count`
 * tokens belong to the text; `words` holds what the vocabulary says of each word and
 * hashtag among them (see `TokenReading.words`), so no token is looked up twice.
 */
export function findSequenceCues(tokens: readonly Token[], words: readonly (WordInfo | null)[], count: number, starts: readonly number[], out: CueHit[]): void {
  for (const start of starts) {
    const opened = words[start]!.sequences;
    if (opened === null) continue;
    for (const cue of opened) {
      if (hasTopic(out, cue.topic)) continue;
      const end = matchAt(tokens, words, count, start, cue);
      if (end < 0) continue;
      let text = tokens[start]!.norm;
      // A degree word just before or inside the phrase ("i *really* want to see", "i'm *so*
      // tired") scales it as it would a sentiment word.
      let weight = start > 0 && tokens[start - 1]!.kind === 'word' ? cue.weight * words[start - 1]!.degree : cue.weight;
      for (let k = start + 1; k < end; k++) {
        if (tokens[k]!.kind === 'handle') continue;
        text += ' ' + tokens[k]!.norm;
        weight *= words[k]!.degree;
      }
      out.push({ topic: cue.topic, weight, text, at: tokens[start]!.start });
    }
  }
}

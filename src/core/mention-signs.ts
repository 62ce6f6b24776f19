import type { BrandTerms } from './classification.js';
import type { Analysis } from './sentiment/analysis.js';
import type { CueHit, CueTopic } from './sentiment/cue-pattern.js';
import { isBrandHandle, reportsScam } from './spam.js';

/**
 * What the triage cue classes (src/core/sentiment/triage-cues.ts) mean for one English
 * mention, read with what a regex cannot know: which handle is the brand's, whether a
 * negation or "still" denies the cue, whether the text also says the problem is live.
 */
export interface MentionSigns {
  /** The spam cue, when the text is not a report of a scam. */
  spam: string | null;
  /** The words saying the author is leaving. */
  churn: string | null;
  /** A switch to the brand, or a run on it ("switched to @acme"). */
  wordOfMouth: string | null;
  /** The author says the problem is over. */
  fixed: string | null;
  /** An outage told in the past, with nothing saying it is live again. */
  pastOutage: string | null;
  /** A headline or announcement. */
  news: boolean;
  /** A recommendation nothing denies ("would recommend", "told my sister to try @acme"; not "wouldn't recommend"). */
  recommends: string | null;
}

// "not", "never", "n't", "no reason to" shortly before a cue deny it: "I'm not cancelling".
const DENIED_BEFORE = /(?:\bnot|\bnever|n't|\bno reason to|\bwon't|\bwouldn't|\bno way i'd)(?: \S+){0,2} ?$/;
// "still not fixed", "said it was fixed", "supposedly working again".
const DOUBTED_BEFORE = /(?:\bnot|n't|\bnever|\bsupposedly|\bapparently|\ballegedly|\bclaimed?|\bclaims|\bsaid|\bsays|\btold (?:me|us)|\bstill|\bif|\bwhen|\bonce)(?: \S+){0,3} ?$/;
// An outage said to be live: "still down", "down again", "right now", "anyone else".
const LIVE = /\b(?:still|again|right now|currently|at the moment|anyone else|for anyone|for everyone)\b|\b(?:is|are|it's|its|seems|been|goes|went) (?:\S+ )?down\b|\b(?:down|out|offline) since\b/;
const HANDLE = /@[\w@-]+(?:\.[\w-]+)*/g;

function cueOf(a: Analysis, topic: CueTopic): CueHit | null {
  for (const cue of a.cues) if (cue.topic === topic) return cue;
  return null;
}

/** Whether the text right before `at` denies what follows. */
function deniedAt(lower: string, at: number, pattern: RegExp): boolean {
  return pattern.test(lower.slice(Math.max(0, at - 30), at));
}

/** Whether the clause `at` is in doubts what follows: "still not fixed", not "would not load last night, fine now". */
function doubtedAt(lower: string, at: number): boolean {
  const before = lower.slice(Math.max(0, at - 30), at);
  const clause = before.slice(Math.max(before.lastIndexOf(','), before.lastIndexOf('.'), before.lastIndexOf(';'), before.lastIndexOf('!')) + 1);
  return DOUBTED_BEFORE.test(clause);
}

/** Whether a handle in the cue's words is the brand's: "@brand" (a masked name) or one of its handles. */
function namesBrand(handle: string, brand: BrandTerms | undefined): boolean {
  return handle === '@brand' || (brand !== undefined && isBrandHandle(handle, brand));
}

// Capitalised words that are not a provider: the days, months, "I", languages and platforms' own names.
const NOT_A_RIVAL = /^(?:I|I'm|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|English|Android|iOS|iPhone|Mac|Windows|Linux|Chrome|Safari|Firefox|Excel|PDF|CSV|Wi-?Fi|UTC|GMT|EU|UK|US|USA)$/;

/**
 * Whether the word ending at `end` in the case-kept text is written as a name: a capital
 * first letter, not opening a sentence, not a day, month or platform ("switched to Fibreco",
 * not "switched to annual" or "switched to Android").
 */
function namesOther(text: string, end: number): boolean {
  let start = end;
  while (start > 0 && /[\w-]/.test(text[start - 1]!)) start--;
  const name = text.slice(start, end);
  if (!/^[A-Z]/.test(name) || NOT_A_RIVAL.test(name)) return false;
  // A text in capitals throughout names nothing by its case.
  return /[a-z]/.test(text) && !/[.!?]\s*$/.test(text.slice(Math.max(0, start - 3), start));
}

/**
 * The signs of one English mention, from its analysis, its brand-masked text and that text
 * lowercased (the same length, so cue offsets hold in both).
 */
export function signsOf(a: Analysis, lower: string, brand: BrandTerms | undefined, text: string = lower): MentionSigns {
  const t = a.topics;
  const signs: MentionSigns = { spam: null, churn: null, wordOfMouth: null, fixed: null, pastOutage: null, news: t.has('news'), recommends: null };
  if (t.has('recommend')) {
    for (const cue of a.cues) {
      if (cue.topic === 'recommend' && !deniedAt(lower, cue.at, DENIED_BEFORE)) {
        signs.recommends = cue.text;
        break;
      }
    }
  }
  if (t.has('spam') && !reportsScam(lower)) signs.spam = cueOf(a, 'spam')!.text;
  const churn = t.has('churn') ? cueOf(a, 'churn')! : null;
  // "done with @other" in a mention of the brand is not about the brand.
  if (churn !== null && !deniedAt(lower, churn.at, DENIED_BEFORE) && (churn.text.match(HANDLE) ?? ['@brand']).every((h) => namesBrand(h, brand))) {
    signs.churn = churn.text;
  }
  const switched = t.has('switch') ? cueOf(a, 'switch')! : null;
  if (switched !== null && !deniedAt(lower, switched.at, DENIED_BEFORE)) {
    // Where the switch goes is its last word: a handle, or a name written without one.
    const last = switched.text.slice(switched.text.lastIndexOf(' ') + 1);
    const destination = last.startsWith('@') ? last.match(HANDLE)?.[0] : undefined;
    if (destination !== undefined && namesBrand(destination, brand)) signs.wordOfMouth = switched.text;
    else if (brand !== undefined && destination !== undefined && /^(?:switch|mov|migrat|port|jump)/.test(switched.text)) signs.churn ??= switched.text;
    else if (destination === undefined && namesOther(text, switched.at + switched.text.length)) signs.churn ??= switched.text;
  }
  const fixed = t.has('fixed') ? cueOf(a, 'fixed')! : null;
  if (fixed !== null && !doubtedAt(lower, fixed.at)) signs.fixed = fixed.text;
  if (t.has('past') && (t.has('outage') || t.has('widespread')) && !LIVE.test(lower)) signs.pastOutage = cueOf(a, 'past')!.text;
  return signs;
}

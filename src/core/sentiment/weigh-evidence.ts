import type { CueHit, CueTopic } from './cue-pattern.js';
import { type Hit, hasComplaint } from './analysis.js';
import { within } from './enquiry.js';
import type { TokenReading } from './read-tokens.js';
import type { TopicSet } from './topic-set.js';

/**
 * Negative words weigh more than positive ones: the negativity bias of readers (and of
 * people labelling mentions) is well documented, and mixed mentions read as complaints.
 */
const NEGATIVE_WEIGHT = 1.3;
/** What a negation that found no sentiment word to flip adds: "my bag didn't arrive". */
const BARE_NEGATION = -0.5;
/** What exasperated punctuation ("?!", "???") adds: "2 hrs to tag a bag?!"; alone it stays neutral. Hand-set against the benchmark. */
const BAFFLED = -0.75;
/** What each "!" (up to three) adds to a text with no complaint and no negative word. */
const EXCITEMENT = 0.4;
/** What a negative word or event cue keeps after thanks for handling it ("thanks for rebooking me after the cancellation"). */
const RESOLVED_EVENT = 0.3;
/** What an event word or cue keeps in an enquiry about it ("any delays today?"); hand-set, checked against the benchmark. */
const ASKED_EVENT = 0.25;
/** Cue topics that name an event rather than blame: weaker after thanks for handling it. */
const EVENT_TOPICS: ReadonlySet<CueTopic> = new Set(['disruption', 'waiting', 'billing', 'urgency', 'bug', 'help']);
/** Added to the multiplier of a negative total per extra piece of evidence (up to three); hand-set, checked against the benchmark. */
const CORROBORATION = 0.3;
/**
 * Concrete failures (service, waiting, lost property, anger, effort pushed onto the customer,
 * stated feelings) weigh `STRONG_CUE` times their class weight: stronger evidence than any one
 * word. Not events also named in enquiries (a cancellation, a refund): round 5.
 */
const STRONG: ReadonlySet<CueTopic> = new Set(['service', 'waiting', 'anger', 'letdown', 'feeling', 'worst', 'effort', 'lost']);
/** Extra weight of a strong cue; hand-set (1.25 → 2 in round 5), checked against the benchmark. */
const STRONG_CUE = 2;
/** Failures someone is blamed for, as opposed to events (a delay, a storm) a brand may handle well. */
const BLAME_TOPICS: ReadonlySet<CueTopic> = new Set([
  'service', 'anger', 'sarcasm', 'waiting', 'lost', 'billing', 'outage', 'letdown', 'unmet', 'effort', 'feeling', 'worst',
]);
/**
 * What the words' lean towards negative posts (word-lean.ts) weighs on the word scale, in a
 * text where a lexicon word or cue already spoke. Hand-set against the benchmark.
 */
const LEAN_WEIGHT = 0.3;
/** The most the lean adds or takes away, on the word scale. */
const LEAN_CAP = 1.5;
/** Positive words that are courtesy in a complaint: "please help, thanks". */
const COURTESY = new Set(['thanks', 'thank', 'thx', 'ty', 'appreciate', 'appreciated', 'welcome', 'hope', 'fine', 'like']);

/** Whether a cue before `cues[k]` is also negative and matched at the same place. */
function negativeAtSamePlace(cues: readonly CueHit[], k: number): boolean {
  const at = cues[k]!.at;
  for (let j = 0; j < k; j++) if (cues[j]!.weight < 0 && cues[j]!.at === at) return true;
  return false;
}

/** Whether a cue already matched the word of `hit` ("delayed" in a disruption cue). */
function inAnyCue(cues: readonly CueHit[], hit: Hit): boolean {
  for (let j = 0; j < cues.length; j++) if (cues[j]!.text.includes(hit.text)) return true;
  return false;
}

/**
 * The word-scale total of a text: its word hits and phrase cues weighed against each other
 * (negativity bias, courtesy and sarcasm, enquiries, resolved problems, corroboration).
 * Scales the values of `reading.hits` in place to what they contributed.
 */
export function weighEvidence(reading: TokenReading, cues: readonly CueHit[], topics: TopicSet): number {
  const { hits, askedSpans, askedHits, bareNegations, baffled, exclamations, question } = reading;
  const complaint = hasComplaint(topics);
  // Failures by the brand, as opposed to events (a delay, a storm) the brand may have handled well.
  const blame = topics.hasAnyOf(BLAME_TOPICS);
  const enquiry = question && !complaint && !topics.has('praise') && !topics.has('recommend');
  // Thanks for a problem handled: the problem's words ("delay", "cancelled") are history.
  const resolved = topics.has('resolved') && !topics.has('sarcasm');
  // An enquiry about an event: opens as a question ("is flight 12 delayed?", "any delays
  // today?"), blames nobody, shows no exasperation and no strong word. It asks; the event
  // words name what it asks about.
  let strongWord = false;
  for (let k = 0; k < hits.length; k++) if (hits[k]!.value <= -3) strongWord = true;
  const asking = askedSpans.length > 0 && !blame && baffled === 0 &&
    exclamations === 0 && !strongWord && !topics.has('rhetorical') && !topics.has('sarcasm');
  let negativeWords = 0;
  for (let k = 0; k < hits.length; k++) if (hits[k]!.value < 0) negativeWords += hits[k]!.value;
  const sarcasm = topics.has('sarcasm');
  const hoped = topics.has('wish');
  // A request or a wish ("would love it if you let me…") hopes for what its praise words name.
  const request = topics.has('request') || topics.has('wish');
  for (let k = 0; k < hits.length; k++) {
    const hit = hits[k]!;
    if (hit.value < 0) hit.value *= resolved ? RESOLVED_EVENT : asking && within(askedHits, k) ? ASKED_EVENT : NEGATIVE_WEIGHT;
    if (hit.value <= 0) continue;
    // Thanks and praise words in a text that reports a failure are courtesy or sarcasm.
    if (sarcasm) hit.value = -hit.value;
    // "Would be great if…" asks for something; the praise word is not the mood.
    else if (request) hit.value *= 0.3;
    else if (blame && COURTESY.has(hit.text)) hit.value = 0;
    else if (blame) hit.value *= 0.5;
    // An enquiry's "thanks!" and "any good deals?" are politeness and topic, not praise.
    else if (enquiry) hit.value *= COURTESY.has(hit.text) ? 0.25 : 0.5;
  }

  let total = 0;
  for (let k = 0; k < hits.length; k++) total += hits[k]!.value;
  for (let k = 0; k < cues.length; k++) {
    const cue = cues[k]!;
    // Praise cues in a text that also complains are thanks in advance or bitter thanks.
    let w = cue.weight > 0 && cue.topic !== 'resolved' && (blame || negativeWords <= -2 || (hoped && cue.topic === 'praise')) ? cue.weight * 0.25 : cue.weight;
    // An event in a question with no feeling attached is an enquiry: "if my flight is delayed, what time…?"
    if (w < 0 && asking && EVENT_TOPICS.has(cue.topic) && within(askedSpans, cue.at)) w *= ASKED_EVENT;
    else if (w < 0 && question && negativeWords === 0 && (cue.topic === 'disruption' || cue.topic === 'waiting')) w *= 0.5;
    else if (w < 0 && resolved && EVENT_TOPICS.has(cue.topic)) w *= RESOLVED_EVENT;
    // Urgency ("asap", "wheelchair", "funeral") says how soon, not how the author feels:
    // it adds to a complaint but makes none on its own.
    if (cue.topic === 'urgency' && !complaint && negativeWords === 0) w = 0;
    total += w < 0 && STRONG.has(cue.topic) ? w * STRONG_CUE : w;
  }
  total += Math.max(bareNegations, 0) > 2 ? 2 * BARE_NEGATION : bareNegations * BARE_NEGATION;
  if (baffled > 0) total += BAFFLED;
  // Exclamations with no complaint and no negative word are enthusiasm: "Bring on this weekend!".
  else if (exclamations > 0 && !complaint && negativeWords === 0 && !enquiry) total += EXCITEMENT * Math.min(exclamations, 3);
  if (exclamations > 0) total *= 1 + Math.min(exclamations, 4) * 0.08;
  // Evidence strength: independent signs of a complaint (cue classes, negative words,
  // exasperated punctuation) corroborate one another, so each extra one pushes the score
  // further; a lone mild word stays mild. This orders the score, most certain first.
  if (total < 0) {
    let evidence = baffled > 0 ? 0 : -1;
    // Two classes matching at one place ("why is…": rhetorical and anger) are one piece of evidence.
    for (let k = 0; k < cues.length; k++) if (cues[k]!.weight < 0 && !negativeAtSamePlace(cues, k)) evidence++;
    // A word a cue already matched ("delayed" in a disruption cue) is the same evidence.
    for (let k = 0; k < hits.length; k++) if (hits[k]!.value < 0 && !inAnyCue(cues, hits[k]!)) evidence++;
    if (evidence > 0) total *= 1 + CORROBORATION * Math.min(evidence, 3);
  }
  // The everyday words around the evidence corroborate or temper it ("still", "again",
  // "sorted"); alone they decide nothing, and an enquiry's words name what it asks about.
  // Bounded: the lean weighs less than one strong word, and never turns praise into a
  // complaint or a complaint into praise.
  if (total !== 0 && !enquiry && !asking) {
    const leaned = Math.max(-LEAN_CAP, Math.min(LEAN_CAP, -LEAN_WEIGHT * reading.lean));
    reading.leaned = total > 0 ? Math.max(leaned, -total) : Math.min(leaned, -total);
    total += reading.leaned;
  }
  return total;
}

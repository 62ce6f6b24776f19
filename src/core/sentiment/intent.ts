import type { Intent, MoodFlag, Polarity, Severity } from '../classification.js';
import { type Analysis, hasComplaint, isComplaintTopic } from './analysis.js';
import type { CueTopic } from './cue-pattern.js';

// A question without a complaint cue is usually an enquiry ("can I bring my dog?").
// Leading handles are skipped first, in a pattern with one way to match: an earlier
// `(?:\W*@\w+\s+)*` could split runs of spaces between `\W*` and `\s+` in exponentially
// many ways, and a text of twenty handles took seconds.
const LEADING_HANDLES = /^(?:[^\w@]*@\w+)+/;
const QUESTION_WORD = /^\W*(?:how|what|when|where|which|who|can|could|do|does|did|is|are|will|would|should|any|may)\b/i;

function startsWithQuestion(text: string): boolean {
  return QUESTION_WORD.test(text.replace(LEADING_HANDLES, ''));
}

// The symptom rules of the outage class ("not working", "won't load"): one user's view,
// which alone says a feature misbehaves (a bug) rather than that the service is down.
const SYMPTOM = /^(?:not|doesn't|does not|won't|wont|isn't|can't|cannot|cant) /;

/** Complaint topics a feature request or a how-to question also carries ("why can't I…", "help me"). */
const ASKING_TOPICS: ReadonlySet<CueTopic> = new Set(['rhetorical', 'help']);

/** Whether the text complains beyond asking: a complaint cue other than "why…" and "help me". */
function complainsBeyondAsking(a: Analysis): boolean {
  for (const cue of a.cues) {
    if (cue.weight >= 0 || ASKING_TOPICS.has(cue.topic)) continue;
    if (cue.topic === 'anger' && cue.text.startsWith('why')) continue;
    if (isComplaintTopic(cue.topic)) return true;
  }
  return false;
}

/** Whether the outage class matched only a symptom ("won't load"), not "down" or "no service". */
function symptomOnly(a: Analysis): boolean {
  for (const cue of a.cues) if (cue.topic === 'outage' && !SYMPTOM.test(cue.text)) return false;
  return true;
}

/**
 * What the author wants, from the cue topics first and the mood second. Many users or the
 * service down: outage. Money taken, or the account's paperwork with nothing broken:
 * billing. One feature misbehaving: bug. A wish or a how-to question stays one when the
 * only complaint in it is the asking ("why can't I export…?").
 */
export function intentOf(a: Analysis, polarity: Polarity, text: string): Intent {
  const t = a.topics;
  const fault = t.has('bug') || t.has('fault');
  if (t.has('widespread') || (t.has('outage') && !symptomOnly(a))) return 'outage';
  const wish = t.has('request') || t.has('wish');
  if (t.has('billing') || t.has('money') || (t.has('plan') && !fault && !wish && polarity !== 'positive')) return 'billing';
  if (t.has('outage') && !fault) return 'outage';
  if (fault || t.has('outage')) return polarity === 'positive' ? 'praise' : 'bug';
  const complaint = hasComplaint(t) && complainsBeyondAsking(a);
  if (complaint) return 'complaint';
  if (wish) return 'feature-request';
  if (t.has('howto') && polarity !== 'positive') return 'question';
  if (hasComplaint(t) || polarity === 'negative') return 'complaint';
  if (polarity === 'positive' && (t.has('praise') || t.has('recommend') || !a.question)) return 'praise';
  if (a.question || startsWithQuestion(text)) return 'question';
  if (polarity === 'positive') return 'praise';
  return 'other';
}

/** `angry`: strong negative, or a complaint with anger, urgency or shouting. `happy`: strong praise or a recommendation. */
export function flagsOf(a: Analysis, polarity: Polarity, score: number): MoodFlag[] {
  const t = a.topics;
  if (polarity === 'negative') {
    const heated = t.has('anger') || t.has('sarcasm') || t.has('urgency') || a.shouted > 0 || a.exclamations >= 2;
    if (score <= -0.8 || (score <= -0.5 && heated) || (hasComplaint(t) && heated)) return ['angry'];
  }
  if (polarity === 'positive' && !hasComplaint(t)) {
    if (score >= 0.65 || t.has('recommend') || (t.has('praise') && score >= 0.5)) return ['happy'];
  }
  return [];
}

/**
 * 0 none, 1 a mild complaint, 2 a concrete failure or strong negative, 3 angry about a
 * concrete failure or urgent. A failure reported without a feeling word ("label printed
 * blank. third time today.") still needs a person: a bug or a billing problem is 1, an
 * outage 2.
 */
export function severityOf(a: Analysis, polarity: Polarity, score: number, flags: MoodFlag[], intent: Intent): Severity {
  const t = a.topics;
  const concrete = t.has('outage') || t.has('lost') || t.has('billing') || t.has('disruption') || t.has('waiting') || t.has('service') ||
    t.has('widespread') || t.has('money');
  if (polarity !== 'negative' && !t.has('outage')) {
    if (polarity === 'positive') return 0;
    return intent === 'outage' ? 2 : intent === 'bug' || intent === 'billing' ? 1 : 0;
  }
  const angry = flags.includes('angry');
  if ((angry && (concrete || t.has('urgency'))) || (t.has('urgency') && concrete)) return 3;
  if (concrete || angry || score <= -0.6) return 2;
  return 1;
}

import type { Intent, MoodFlag, Polarity, Severity } from '../classification.js';
import { type Analysis, hasComplaint } from './analysis.js';

// A question without a complaint cue is usually an enquiry ("can I bring my dog?").
// Leading handles are skipped first, in a pattern with one way to match: an earlier
// `(?:\W*@\w+\s+)*` could split runs of spaces between `\W*` and `\s+` in exponentially
// many ways, and a text of twenty handles took seconds.
const LEADING_HANDLES = /^(?:[^\w@]*@\w+)+/;
const QUESTION_WORD = /^\W*(?:how|what|when|where|which|who|can|could|do|does|did|is|are|will|would|should|any|may)\b/i;

function startsWithQuestion(text: string): boolean {
  return QUESTION_WORD.test(text.replace(LEADING_HANDLES, ''));
}

/** What the author wants, from the cue topics first and the mood second. */
export function intentOf(a: Analysis, polarity: Polarity, text: string): Intent {
  const t = a.topics;
  if (t.has('outage')) return 'outage';
  if (t.has('billing')) return 'billing';
  if (t.has('bug')) return polarity === 'positive' ? 'praise' : 'bug';
  if (hasComplaint(t)) return 'complaint';
  if (t.has('request')) return 'feature-request';
  if (polarity === 'negative') return 'complaint';
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

/** 0 none, 1 a mild complaint, 2 a concrete failure or strong negative, 3 angry about a concrete failure or urgent. */
export function severityOf(a: Analysis, polarity: Polarity, score: number, flags: MoodFlag[]): Severity {
  const t = a.topics;
  const concrete = t.has('outage') || t.has('lost') || t.has('billing') || t.has('disruption') || t.has('waiting') || t.has('service');
  if (polarity !== 'negative' && !t.has('outage')) return 0;
  const angry = flags.includes('angry');
  if ((angry && (concrete || t.has('urgency'))) || (t.has('urgency') && concrete)) return 3;
  if (concrete || angry || score <= -0.6) return 2;
  return 1;
}

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
  const handles = LEADING_HANDLES.exec(text);
  return QUESTION_WORD.test(handles === null ? text : text.slice(handles[0].length));
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
  // Thanks for a problem put right is praise, whatever the problem was.
  if (polarity === 'positive' && t.has('resolved')) return 'praise';
  const fault = t.has('bug') || t.has('fault');
  // "told my whole office to get @brand": the many are who was told, not who is down.
  const toldMany = t.has('widespread') && t.has('recommend') && !hasComplaint(t);
  if ((t.has('widespread') && !toldMany) || (t.has('outage') && !symptomOnly(a))) return 'outage';
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

/**
 * Words of anger and contempt, and swearing: a complaint that uses one is heated, not just
 * negative. A failure named however strongly ("fraud", "broken", "lost") says what went
 * wrong, not how the author feels about it. Written by the team from common English usage.
 */
const HEATED_WORDS: ReadonlySet<string> = new Set([
  'furious', 'livid', 'fuming', 'irate', 'outraged', 'outrageous', 'angry', 'pissed', 'enraged', 'seething',
  'disgusting', 'disgusted', 'disgraceful', 'disgrace', 'shameful', 'appalling', 'atrocious', 'abysmal', 'horrendous',
  'pathetic', 'ridiculous', 'ludicrous', 'absurd', 'unacceptable', 'inexcusable', 'useless', 'incompetent', 'incompetence',
  'nightmare', 'disaster', 'shambles', 'joke', 'theft', 'robbery', 'thieves', 'liars', 'scam', 'scammers', 'ripoff',
  'worst', 'terrible', 'horrible', 'awful', 'dreadful', 'hate', 'hating', 'sucks', 'garbage', 'trash', 'rubbish',
  'wtf', 'ffs', 'fml', 'omfg', 'unbelievable', 'fuck', 'fucking', 'shit', 'shitty', 'crap', 'crappy', 'bullshit', 'bs',
]);

/**
 * Anger cues that carry heat: exasperation ("fed up", "had enough"), disbelief ("are you
 * kidding"), swearing, "never again". Not the ones that only say the author is leaving
 * ("switching to", "last time I book") or asks why: a resigned goodbye is not anger.
 */
const HEATED_ANGER = /^(?:never|officially done|so done|done with|fed up|sick|tired of|had enough|what a joke|(?:is|are) a joke|shame on|unbelievable|get (?:it|your act)|wtf|ffs|fml|omfg|seriously|what the|how (?:hard|difficult)|is it too much|#|are you|r u|you|is this a joke|(?:this|that) is how|is (?:this|that) how|so this is how|no way to treat)/;

/** Thanks that scorn rather than tease ("thanks for nothing", "thanks for wasting my day"): heat, unlike dry sarcasm. */
const SCORNFUL_THANKS = /^thanks? (?:a lot |so much )?for (?:nothing|ruining|wasting)/;

/** Urgency cues that are a deadline or a plea, not the "right now" of an outage report or a stake ("wedding"). */
const URGENT_WORDS = /^(?:asap|urgent|urgently|immediately|emergency|need|needs|my|our)/;

/**
 * Whether the text shows heat: a word of anger or contempt, shouting, "!!", "?!", a demand
 * ("sort it out", "refund me now"), a deadline ("need to pay someone in 10 minutes"), or an
 * exasperated anger cue. Dry sarcasm is not heat ("love that 'instant' means 3 days 🙃"
 * reads negative, calmly); scornful thanks ("thanks for nothing") is.
 */
function heated(a: Analysis, lower: string): boolean {
  if (a.shouted > 0 || a.exclamations >= 2 || a.baffled || a.topics.has('demand')) return true;
  for (const h of a.hits) if (h.value < 0 && HEATED_WORDS.has(h.text.toLowerCase())) return true;
  for (const cue of a.cues) {
    if (cue.topic === 'anger' && HEATED_ANGER.test(cue.text)) return true;
    if (cue.topic === 'sarcasm' && SCORNFUL_THANKS.test(cue.text)) return true;
    if (cue.topic === 'urgency' && URGENT_WORDS.test(cue.text) && !/not $/.test(lower.slice(Math.max(0, cue.at - 4), cue.at))) return true;
  }
  return false;
}

/**
 * `angry`: a negative post with heat (see `heated`); a calm, resigned or sarcastic
 * complaint is negative but not angry, however many failures it lists. `happy`: strong praise or a recommendation.
 *
 * @param lower The normalised, lowercased text the cues were read from.
 */
export function flagsOf(a: Analysis, polarity: Polarity, score: number, lower: string): MoodFlag[] {
  const t = a.topics;
  if (polarity === 'negative' && heated(a, lower)) return ['angry'];
  // A problem put right fast and praised ("refunded in 48 hours, no arguing") is happy too.
  if (polarity === 'positive' && (!hasComplaint(t) || t.has('resolved'))) {
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

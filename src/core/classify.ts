import { otherNameFor } from './brand-presence.js';
import type { BrandTerms, Classification, Intent, MoodFlag, Polarity } from './classification.js';
import { foreignMood, judgesMoodIn } from './foreign-mood.js';
import { detectLanguage, languageName } from './language.js';
import type { Platform } from './mention.js';
import { signsOf } from './mention-signs.js';
import { needsReplyOf } from './needs-reply.js';
import { intentOf, flagsOf, severityOf } from './sentiment/intent.js';
import { type Analysis, type Hit, hasComplaint } from './sentiment/analysis.js';
import { analyse, normalizeScore } from './sentiment/analyse.js';
import { maskBrandIn } from './sentiment/brand-mask.js';
import { foreignSpam } from './sentiment/foreign-spam.js';
import { type PhraseMood, phraseMood } from './sentiment/phrase-mood.js';
import { normalizeText, tokenize } from './sentiment/tokenize.js';
import { impostorReason, isBrandHandle, keywordStuffed, lookalikeDomain, programFile, reportsScam } from './spam.js';

/**
 * Word-scale totals beyond which a mention leaves neutral. Hand-set against the benchmark:
 * POSITIVE_AT sits just above one mild cue or courtesy word (1.5), which alone reads neutral.
 */
const NEGATIVE_AT = -1;
const POSITIVE_AT = 1.6;
const EVIDENCE_ITEMS = 5;
/** What saying one is leaving adds: a threat to leave is a complaint even without a feeling word. */
const CHURN_WEIGHT = -2;
/** What a demand adds when the words alone read neutral: a complaint without a feeling word. */
const DEMAND_WEIGHT = -2;
/** A switch to the brand or a run on it: word of mouth, as the recommend cues weigh it. */
const WORD_OF_MOUTH_WEIGHT = 2.5;

/** Where a mention was posted and by whom: what impostor and platform cues read. */
export interface ClassifyContext {
  source?: Platform;
  author?: { handle: string; name: string; followers?: number };
}

/**
 * The mood and topic pass: polarity, score, flags (angry, happy, churn-risk), intent
 * (spam included), severity, language, whether it needs a reply, an impostor's reason, and
 * the evidence behind them. Deterministic and in-process; the brand's own names and
 * handles are masked so they never count as words ("@united" is not "united" +1).
 * English cues read English only; Spanish, Portuguese, French, German, Italian and Dutch
 * have their own vocabularies (foreign-mood.ts); other languages get no mood.
 *
 * @param text    The mention's text as posted.
 * @param brand   The brand's names and handles; optional, handles are never scored anyway.
 * @param context The mention's platform and author, for impostor, own-post and news cues.
 */
export function classify(text: string, brand?: BrandTerms, context?: ClassifyContext): Classification {
  let normalized = normalizeText(text);
  let lower = normalized.toLowerCase();
  const plainText = normalized;
  const plainLower = lower;
  // Names only: handles are never scored (see maskBrandIn).
  const masked = brand ? maskBrandIn(normalized, lower, brand, false) : null;
  if (masked !== null) ({ text: normalized, lower } = masked);
  // A new token array per text: storing new tokens into a long-lived array costs a GC
  // write barrier per store (measured slower than allocating).
  const analysis = analyse(tokenize(normalized, lower), lower);
  const language = detectLanguage(plainText, analysis.englishMarks, analysis.foreignMarks);
  const author = context?.author;
  const fromBrand = brand !== undefined && author !== undefined && isBrandHandle(author.handle, brand);
  const impostor = brand !== undefined && author !== undefined && !fromBrand ? impostorReason(author, brand) : null;
  // Someone warning about a lookalike link is reporting it, not spreading it.
  const lookalike = brand !== undefined && !fromBrand ? lookalikeDomain(plainLower, brand) : null;
  const shownLookalike = lookalike !== null && !reportsScam(plainLower) ? lookalike : null;
  const stuffed = brand !== undefined && !fromBrand && keywordStuffed(plainLower, brand);
  const program = fromBrand ? null : programFile(plainLower);
  const spam = impostor !== null ? `impostor: ${impostor}` : shownLookalike !== null ? `lookalike domain: "${shownLookalike}"`
    : program !== null ? `program file: "${program}"` : stuffed ? 'spam: the brand name repeated among shopping words' : null;
  const english = language === 'en' || language === 'und';
  const otherName = brand !== undefined ? otherNameFor(plainText, plainLower, brand, english) : null;
  const news = context?.source === 'rss';
  const base = english
    ? englishVerdict(analysis, normalized, lower, brand, fromBrand ? null : spam)
    : foreignVerdict(normalized, language, fromBrand ? null : spam ?? foreignSpamCue(analysis, plainText, plainLower, language));
  // The brand's own post (a maintenance notice, "we're aware some users can't log in") is
  // the team speaking, not a customer: no customer mood, nothing to flag.
  if (fromBrand) {
    base.polarity = 'neutral';
    base.flags = [];
    base.intent = 'other';
    base.severity = 0;
    base.evidence.unshift('from the brand');
    if (base.evidence.length > EVIDENCE_ITEMS) base.evidence.length = EVIDENCE_ITEMS;
  }
  if (otherName !== null && base.intent !== 'spam') {
    base.intent = 'other';
    base.flags = [];
    base.severity = 0;
    base.evidence.unshift(`not the brand: ${otherName}`);
    if (base.evidence.length > EVIDENCE_ITEMS) base.evidence.length = EVIDENCE_ITEMS;
  }
  // A report is not word of mouth: news reads positive when the news is good, never happy.
  if ((news || base.news) && base.flags.includes('happy')) base.flags = base.flags.filter((f) => f !== 'happy');
  const needsReply = needsReplyOf({
    intent: base.intent, polarity: base.polarity, fromBrand, otherName: otherName !== null, fixed: base.fixed, news: news || base.news, judged: base.judged,
  });
  const result: Classification = {
    polarity: base.polarity, score: base.score, flags: base.flags, intent: base.intent, severity: base.severity, evidence: base.evidence, language, needsReply,
  };
  if (impostor !== null && !fromBrand) result.impostor = impostor;
  return result;
}

/**
 * Spam in a post not in English: the language's own spam phrases, or an English spam cue
 * (giveaway words travel: "giveaway", "airdrop", "follow + RT"), unless it reports a scam.
 */
function foreignSpamCue(a: Analysis, text: string, lower: string, language: string): string | null {
  if (reportsScam(lower)) return null;
  const own = foreignSpam(text, language);
  if (own !== null) return `spam: "${own}"`;
  if (!a.topics.has('spam')) return null;
  for (const cue of a.cues) if (cue.topic === 'spam') return `spam: "${cue.text}"`;
  return null;
}

/** A verdict before the brand's presence and the reply are decided. */
interface Verdict {
  polarity: Polarity;
  score: number;
  flags: MoodFlag[];
  intent: Intent;
  severity: Classification['severity'];
  evidence: string[];
  fixed: boolean;
  news: boolean;
  /** Whether the mood was read at all (false for languages without a vocabulary). */
  judged: boolean;
}

const polarityOf = (total: number): Polarity => (total <= NEGATIVE_AT ? 'negative' : total >= POSITIVE_AT ? 'positive' : 'neutral');
const scoreOf = (total: number): number => Math.round(normalizeScore(total) * 1000) / 1000;

/** Spam has no customer mood: neutral, nothing to flag, no severity. */
function spamVerdict(reason: string, evidence: string[]): Verdict {
  const shown = [reason, ...evidence.filter((e) => e !== reason)];
  return { polarity: 'neutral', score: 0, flags: [], intent: 'spam', severity: 0, evidence: shown.slice(0, EVIDENCE_ITEMS), fixed: false, news: false, judged: true };
}

/** The English pass: the lexicon and cue analysis, then the triage cues read against the brand. */
function englishVerdict(first: Analysis, text: string, lower: string, brand: BrandTerms | undefined, spam: string | null): Verdict {
  const signs = signsOf(first, lower, brand, text);
  // Yesterday's outage is history: the mood and intent are read without its words.
  const a = signs.pastOutage !== null ? withoutOutage(first, text, lower) : first;
  let total = a.total;
  const extra: string[] = [];
  if (signs.pastOutage !== null) extra.push(`past: "${signs.pastOutage}"`);
  if (signs.wordOfMouth !== null) {
    total += WORD_OF_MOUTH_WEIGHT;
    a.topics.add('recommend');
    extra.push(`word of mouth: "${signs.wordOfMouth}"`);
  }
  // A recommendation with no complaint beside it is word of mouth, whatever its plain words
  // ("cheap, boring, works. 10/10 would recommend", "they have ruined other hotels for me").
  if (a.topics.has('recommend') && !hasComplaint(a.topics) && total > NEGATIVE_AT && total < POSITIVE_AT) total = POSITIVE_AT;
  else if ((signs.recommends !== null || signs.wordOfMouth !== null) && !hasComplaint(a.topics) && !a.topics.has('fault') && total < POSITIVE_AT) total = POSITIVE_AT;
  // A problem put right, and said so ("refunded in 48 hours, no arguing"), is thanks, not a report.
  if (a.topics.has('resolved') && !a.topics.has('sarcasm') && total > NEGATIVE_AT && total < POSITIVE_AT) total = POSITIVE_AT;
  // A demand ("sort it out", "fix it now", "you had one job") is a complaint, whatever its words.
  if (a.topics.has('demand') && total > NEGATIVE_AT && total < POSITIVE_AT) total = Math.min(total, 0) + DEMAND_WEIGHT;
  if (signs.churn !== null) {
    if (total > NEGATIVE_AT) total = Math.min(total, 0) + CHURN_WEIGHT;
    extra.push(`churn: "${signs.churn}"`);
  }
  if (signs.fixed !== null) extra.push(`fixed: "${signs.fixed}"`);
  // A problem the author says is over, told calmly, is history: no longer a complaint.
  if (signs.fixed !== null && signs.churn === null && total < 0 && !heatedOver(a, lower)) total = 0;
  // "…but it turned up, all good": relief, not praise, unless thanks or praise is given.
  if (signs.fixed !== null && total > 0 && !a.topics.has('praise') && !a.topics.has('recommend') && !a.topics.has('resolved')) total = 0;
  const evidence = evidenceOf(a, polarityOf(total));
  const spamCue = spam ?? (signs.spam !== null ? `spam: "${signs.spam}"` : null);
  if (spamCue !== null) return spamVerdict(spamCue, evidence);
  const polarity = polarityOf(total);
  const score = scoreOf(total);
  let intent = intentOf(a, polarity, text);
  if (signs.fixed !== null && polarity === 'neutral' && PROBLEM_INTENTS.has(intent)) intent = 'other';
  // "switched our whole team to @brand": the team is who moved, not who is down.
  if (signs.wordOfMouth !== null && polarity === 'positive') intent = 'praise';
  if (signs.churn !== null && (intent === 'other' || intent === 'question' || intent === 'praise')) intent = 'complaint';
  let flags = flagsOf(a, polarity, score, lower);
  if (signs.churn !== null) flags = [...flags.filter((f) => f !== 'happy'), 'churn-risk'];
  let severity = severityOf(a, polarity, score, flags, intent);
  if (signs.fixed !== null && severity > 1) severity = 1;
  return { polarity, score, flags, intent, severity, evidence: mergeEvidence(extra, evidence), fixed: signs.fixed !== null, news: signs.news, judged: true };
}

const PROBLEM_INTENTS: ReadonlySet<Intent> = new Set(['complaint', 'outage', 'bug', 'billing']);

/** Whether a negative text is heated (the angry flag's test), read before the polarity is set. */
function heatedOver(a: Analysis, lower: string): boolean {
  return flagsOf(a, 'negative', -1, lower).includes('angry');
}

/** The text analysed again with the outage and past cues' words blanked out (same length, so offsets hold). */
function withoutOutage(a: Analysis, text: string, lower: string): Analysis {
  let blankText = text;
  let blankLower = lower;
  for (const cue of a.cues) {
    if (cue.topic !== 'outage' && cue.topic !== 'widespread' && cue.topic !== 'past') continue;
    const at = lower.indexOf(cue.text, cue.at);
    if (at < 0) continue;
    const blank = ' '.repeat(cue.text.length);
    blankText = blankText.slice(0, at) + blank + blankText.slice(at + blank.length);
    blankLower = blankLower.slice(0, at) + blank + blankLower.slice(at + blank.length);
  }
  return analyse(tokenize(blankText, blankLower), blankLower);
}

/** A mention in another language: its own vocabulary where natural has one, else no mood. */
function foreignVerdict(text: string, language: string, spam: string | null): Verdict {
  const name = languageName(language);
  if (!judgesMoodIn(language)) {
    const phrases = spam === null ? phraseMood(text, language) : null;
    if (phrases !== null) return phraseVerdict(phrases, name, /[?？¿]/.test(text));
    const evidence = [`mood not judged for ${name}`];
    if (spam !== null) return spamVerdict(spam, evidence);
    const intent: Intent = /[?？¿]/.test(text) ? 'question' : 'other';
    return { polarity: 'neutral', score: 0, flags: [], intent, severity: 0, evidence, fixed: false, news: false, judged: false };
  }
  const mood = foreignMood(text, language);
  const evidence = [`language: ${name}`, ...mood.evidence].slice(0, EVIDENCE_ITEMS);
  if (spam !== null) return spamVerdict(spam, evidence);
  const t = mood.topics;
  const complaint = t.has('waiting') || t.has('outage') || t.has('billing') || t.has('churn');
  // A complaint phrase ("me habéis cobrado", "sin cobertura") is negative unless the words say otherwise.
  // A wish's praise words are hoped for ("ce serait génial de pouvoir…"), not given.
  const total = complaint && mood.total > NEGATIVE_AT && mood.total < POSITIVE_AT ? NEGATIVE_AT : t.has('wish') && mood.total > 0 ? 0 : mood.total;
  const polarity = polarityOf(total);
  const score = scoreOf(total);
  const intent: Intent = t.has('billing') ? 'billing'
    : t.has('outage') ? (mood.question ? 'outage' : 'bug')
    : t.has('fault') && polarity !== 'positive' ? 'bug'
    : t.has('wish') && polarity !== 'negative' ? 'feature-request'
    : polarity === 'negative' || t.has('churn') ? 'complaint'
    : polarity === 'positive' ? 'praise'
    : mood.question ? 'question' : 'other';
  const flags: MoodFlag[] = [];
  // As in English: heat makes a complaint angry, not how many failures it lists.
  if (polarity === 'negative' && (score <= -0.5 || complaint) && mood.heated) flags.push('angry');
  if (polarity === 'positive' && !complaint && (score >= 0.5 || t.has('recommend'))) flags.push('happy');
  if (t.has('churn')) flags.push('churn-risk');
  const severity: Classification['severity'] = polarity !== 'negative' ? (intent === 'outage' ? 2 : 0)
    : flags.includes('angry') && complaint ? 3 : complaint || score <= -0.6 ? 2 : 1;
  return { polarity, score, flags, intent, severity, evidence, fixed: t.has('fixed'), news: false, judged: true };
}

/**
 * A mention in a language with phrases but no vocabulary (phrase-mood.ts): the mood the
 * phrases say, shown as read from phrases only.
 */
function phraseVerdict(mood: PhraseMood, name: string, question: boolean): Verdict {
  const t = mood.topics;
  const complaint = t.has('complaint') || t.has('billing') || t.has('outage') || t.has('churn');
  const total = complaint && mood.total > NEGATIVE_AT ? NEGATIVE_AT : mood.total;
  const polarity = polarityOf(total);
  const score = scoreOf(total);
  const intent: Intent = t.has('billing') ? 'billing' : t.has('outage') ? (question ? 'outage' : 'bug')
    : t.has('wish') && polarity !== 'negative' ? 'feature-request'
    : polarity === 'negative' ? 'complaint' : polarity === 'positive' ? 'praise' : question ? 'question' : 'other';
  const flags: MoodFlag[] = [];
  if (polarity === 'negative' && mood.heated) flags.push('angry');
  if (polarity === 'positive' && !complaint && (t.has('recommend') || score >= 0.5)) flags.push('happy');
  if (t.has('churn')) flags.push('churn-risk');
  const severity: Classification['severity'] = polarity !== 'negative' ? 0 : flags.includes('angry') ? 3 : t.has('outage') || t.has('billing') ? 2 : 1;
  const evidence = [`${name}, from phrases only`, ...mood.evidence].slice(0, EVIDENCE_ITEMS);
  return { polarity, score, flags, intent, severity, evidence, fixed: false, news: false, judged: true };
}

/** The triage signs first (they explain the verdict's turns), then the mood evidence, a handful in all. */
function mergeEvidence(first: readonly string[], rest: readonly string[]): string[] {
  if (first.length === 0) return rest as string[];
  const out = [...first, ...rest.filter((e) => !first.includes(e))];
  if (out.length > EVIDENCE_ITEMS) out.length = EVIDENCE_ITEMS;
  return out;
}

/** The cues that decided, strongest first, then the words that agree with the verdict. */
function evidenceOf(a: Analysis, polarity: Polarity): string[] {
  const sign = polarity === 'negative' ? -1 : polarity === 'positive' ? 1 : 0;
  const out: string[] = [];
  for (const cue of a.cues) {
    // The triage cues are read, and shown, by englishVerdict.
    if (TRIAGE_TOPICS.has(cue.topic)) continue;
    if (sign === 0 || Math.sign(cue.weight) === sign || cue.weight === 0) out.push(`${cue.topic}: "${cue.text}"`);
  }
  const words = agreeing;
  for (const h of a.hits) if (sign === 0 ? h.value !== 0 : Math.sign(h.value) === sign) words.push(h);
  // Strongest first, ties in text order: a stable insertion sort of a few hits.
  for (let i = 1; i < words.length; i++) {
    const h = words[i]!;
    const strength = Math.abs(h.value);
    let j = i - 1;
    for (; j >= 0 && Math.abs(words[j]!.value) < strength; j--) words[j + 1] = words[j]!;
    words[j + 1] = h;
  }
  for (const hit of words) if (!mentions(out, hit.text)) out.push(hit.text);
  if (a.leanWord !== null && sign < 0 && !mentions(out, a.leanWord)) out.push(`tone: "${a.leanWord}"`);
  if (words.length !== 0) words.length = 0;
  if (a.shouted > 0 && sign !== 0) out.push('CAPS');
  if (a.exclamations >= 2 && sign !== 0) out.push('!!');
  if (a.baffled && sign < 0) out.push('?!');
  if (out.length > EVIDENCE_ITEMS) out.length = EVIDENCE_ITEMS;
  return out;
}

const TRIAGE_TOPICS: ReadonlySet<string> = new Set(['spam', 'churn', 'switch', 'fixed', 'past', 'news', 'demand']);

// evidenceOf's scratch list, reused: classify is synchronous.
const agreeing: Hit[] = [];

/** Whether any evidence item already contains `text`. */
function mentions(items: readonly string[], text: string): boolean {
  for (let k = 0; k < items.length; k++) if (items[k]!.includes(text)) return true;
  return false;
}

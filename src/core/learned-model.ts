/**
 * A per-deployment word model learned from the team's own corrections: multinomial naive
 * Bayes over words and word pairs (each counted once per text), one head for mood and one for spam. Pure: it is trained
 * from labels, serialised to JSON and applied beside the rules by `withModel`, which never
 * lets it override strong rule evidence.
 */
import { INTENTS, type BrandTerms, type Classification, type Intent, type MoodFlag, type Polarity } from './classification.js';
import { normalizeText, tokenize } from './sentiment/tokenize.js';

/** An intent a person can say a mention really has (spam is its own correction). */
export type CorrectableIntent = Exclude<Intent, 'spam'>;

/** What a person (or a confirmed outcome) said a mention really is: its mood, its intent, spam, or not about the brand. */
export type Correction = Polarity | 'spam' | 'not-for-us' | `intent:${CorrectableIntent}`;

const CORRECTABLE_INTENTS: readonly CorrectableIntent[] = INTENTS.filter((i): i is CorrectableIntent => i !== 'spam');

export const CORRECTIONS: readonly Correction[] = ['negative', 'neutral', 'positive', 'spam', 'not-for-us', ...CORRECTABLE_INTENTS.map((i) => `intent:${i}` as const)];

/** The intent an intent correction names, or undefined for a mood, spam or not-for-us correction. */
export function correctedIntent(correction: Correction): CorrectableIntent | undefined {
  return correction.startsWith('intent:') ? (correction.slice('intent:'.length) as CorrectableIntent) : undefined;
}

/** One training example: a mention's text and what it really is. */
export interface TrainingLabel {
  text: string;
  correction: Correction;
}

/** Counts of one naive Bayes head, by class. */
export interface HeadCounts {
  classes: string[];
  /** Documents per class. */
  docs: number[];
  /** Feature occurrences per class (each feature once per document). */
  totals: number[];
  /** Feature → occurrences per class, in `classes` order. */
  features: Record<string, number[]>;
}

/** The trained model as stored: plain JSON. */
export interface LearnedModel {
  version: 1;
  /** Labels it was trained on. */
  labels: number;
  trainedAt: string;
  mood: HeadCounts;
  spam: HeadCounts;
  /** Absent in models trained before intent corrections existed. */
  intent?: HeadCounts;
}

/** How the model is switched on and how sure it must be. */
export interface ModelPolicy {
  /**
   * Labels needed before the model is used at all.
   * @defaultValue 200
   */
  minLabels: number;
  /**
   * A rule score at or beyond this (either sign) is strong evidence the model never overrides.
   * @defaultValue 0.7
   */
  strongScore: number;
  /**
   * Probability the model needs for a mood to change the rules' verdict.
   * @defaultValue 0.99
   */
  minConfidence: number;
  /**
   * Probability the model needs to call a mention spam.
   * @defaultValue 0.9
   */
  spamConfidence: number;
  /**
   * Probability the model needs to change a mention's intent (learned from intent corrections only).
   * @defaultValue 0.9
   */
  intentConfidence: number;
}

export const DEFAULT_MODEL_POLICY: ModelPolicy = { minLabels: 200, strongScore: 0.7, minConfidence: 0.99, spamConfidence: 0.9, intentConfidence: 0.9 };

/** What the model says about one text. */
export interface ModelPrediction {
  polarity: Polarity;
  /** P(mood) in negative, neutral, positive order. */
  moodProbabilities: [number, number, number];
  /** P(positive) − P(negative): −1 .. 1, the same scale as a rule score. */
  score: number;
  spamProbability: number;
  /** The phrases that leaned most toward `polarity`, strongest first. */
  phrases: string[];
  /** The phrases that leaned most toward spam, strongest first. */
  spamPhrases: string[];
  /** The likeliest intent with its probability and phrases; absent until intent corrections trained a head with two intents. */
  intent?: { intent: CorrectableIntent; probability: number; phrases: string[] };
}

const MOODS: readonly Polarity[] = ['negative', 'neutral', 'positive'];
const SPAM_CLASSES = ['spam', 'not-spam'];
const SCORED_KINDS: ReadonlySet<string> = new Set(['word', 'emoji', 'emoticon', 'hashtag']);
/** Additive smoothing: below Laplace's 1, so a word seen a few times in one mood counts for more than the unseen mass. */
const ALPHA = 0.5;
/**
 * The mood head sums the evidence of a text's words and word pairs as if each were
 * independent, which overstates its certainty most when it has few labels. Its log
 * probabilities are scaled by n / (n + MOOD_TEMPERING_LABELS) for n mood labels: mild at a
 * couple of hundred labels, close to plain naive Bayes at thousands.
 */
const MOOD_TEMPERING_LABELS = 250;
/** Features seen in fewer training documents are dropped: they cannot generalise and bloat the JSON. */
const MIN_FEATURE_DOCS = 2;
const EVIDENCE_PHRASES = 2;

/**
 * The distinct words and adjacent word pairs of a text, brand names masked, and whether it
 * links somewhere (`<link>`), asks (`<?>`) or exclaims (`<!>`).
 */
export function featuresOf(text: string, brand?: BrandTerms): string[] {
  const tokens = tokenize(normalizeText(text, brand));
  const words = tokens.filter((t) => SCORED_KINDS.has(t.kind)).map((t) => t.norm);
  const out = new Set(words);
  for (let i = 1; i < words.length; i++) out.add(`${words[i - 1]} ${words[i]}`);
  for (const t of tokens) {
    if (t.kind === 'url') out.add('<link>');
    else if (t.kind === 'punct' && t.norm.includes('?')) out.add('<?>');
    else if (t.kind === 'punct' && t.norm.includes('!')) out.add('<!>');
  }
  return [...out];
}

function emptyHead(classes: readonly string[]): HeadCounts {
  return { classes: [...classes], docs: classes.map(() => 0), totals: classes.map(() => 0), features: {} };
}

function addDocument(head: HeadCounts, cls: number, features: string[]): void {
  head.docs[cls]!++;
  for (const f of features) {
    // Own keys only: a word like "constructor" must not find Object's.
    const counts = Object.hasOwn(head.features, f) ? head.features[f]! : (head.features[f] = head.classes.map(() => 0));
    counts[cls]!++;
    head.totals[cls]!++;
  }
}

function prune(head: HeadCounts): HeadCounts {
  const features: Record<string, number[]> = {};
  const totals = head.classes.map(() => 0);
  for (const [f, counts] of Object.entries(head.features)) {
    if (counts.reduce((a, b) => a + b, 0) < MIN_FEATURE_DOCS) continue;
    features[f] = counts;
    counts.forEach((c, i) => (totals[i]! += c));
  }
  return { ...head, totals, features };
}

/**
 * Fits the model from labels. Mood labels train the mood head; spam labels, and every
 * other mood-or-spam label as a counter-example, train the spam head; "not for us" trains
 * only the spam head (it says nothing about mood); intent corrections train only the intent head.
 */
export function trainModel(labels: readonly TrainingLabel[], brand?: BrandTerms, now = new Date()): LearnedModel {
  const mood = emptyHead(MOODS);
  const spam = emptyHead(SPAM_CLASSES);
  const intent = emptyHead(CORRECTABLE_INTENTS);
  for (const label of labels) {
    const features = featuresOf(label.text, brand);
    const corrected = correctedIntent(label.correction);
    if (corrected !== undefined) {
      addDocument(intent, CORRECTABLE_INTENTS.indexOf(corrected), features);
      continue;
    }
    const moodIndex = MOODS.indexOf(label.correction as Polarity);
    if (moodIndex >= 0) addDocument(mood, moodIndex, features);
    addDocument(spam, label.correction === 'spam' ? 0 : 1, features);
  }
  return { version: 1, labels: labels.length, trainedAt: now.toISOString(), mood: prune(mood), spam: prune(spam), intent: prune(namedClassesOnly(intent)) };
}

/** The head without the classes no label named: the team's intents compete only with each other. */
function namedClassesOnly(head: HeadCounts): HeadCounts {
  const keep = head.classes.map((_, c) => c).filter((c) => head.docs[c]! > 0);
  const pick = <T>(values: T[]): T[] => keep.map((c) => values[c]!);
  const features: Record<string, number[]> = {};
  for (const [f, counts] of Object.entries(head.features)) features[f] = pick(counts);
  return { classes: pick(head.classes), docs: pick(head.docs), totals: pick(head.totals), features };
}

interface HeadScore {
  probabilities: number[];
  /** Per class, the features of the text ranked by how much they favour it over the rest. */
  leaning(cls: number): string[];
}

/** Vocabulary sizes by head, counted once per loaded model rather than per prediction. */
const vocabularies = new WeakMap<HeadCounts, number>();
function vocabularyOf(head: HeadCounts): number {
  let size = vocabularies.get(head);
  if (size === undefined) vocabularies.set(head, (size = Object.keys(head.features).length + 1));
  return size;
}

/** Class probabilities of a text under a head, log probabilities scaled by `tempering` (1: plain naive Bayes). */
function scoreHead(head: HeadCounts, features: string[], tempering = 1): HeadScore {
  const vocabulary = vocabularyOf(head);
  const docTotal = head.docs.reduce((a, b) => a + b, 0);
  const k = head.classes.length;
  const known = features.filter((f) => Object.hasOwn(head.features, f));
  const logLikelihood = (f: string, c: number): number => Math.log((head.features[f]![c]! + ALPHA) / (head.totals[c]! + ALPHA * vocabulary));
  const logs = head.classes.map((_, c) => {
    let s = Math.log((head.docs[c]! + ALPHA) / (docTotal + ALPHA * k));
    for (const f of known) s += logLikelihood(f, c);
    return s * tempering;
  });
  const top = Math.max(...logs);
  const exp = logs.map((l) => Math.exp(l - top));
  const sum = exp.reduce((a, b) => a + b, 0);
  return {
    probabilities: exp.map((e) => e / sum),
    leaning: (cls) =>
      known
        .map((f) => {
          const others = head.classes.map((_, c) => c).filter((c) => c !== cls);
          const rest = Math.max(...others.map((c) => logLikelihood(f, c)));
          return [f, logLikelihood(f, cls) - rest] as const;
        })
        .filter(([, lean]) => lean > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([f]) => f),
  };
}

const hasClasses = (head: HeadCounts): boolean => head.docs.filter((d) => d > 0).length >= 2;

/** What the model says about a text: mood with its probabilities, spam probability, and the phrases behind both. */
export function predict(model: LearnedModel, text: string, brand?: BrandTerms): ModelPrediction {
  const features = featuresOf(text, brand);
  const moodLabels = model.mood.docs.reduce((a, b) => a + b, 0);
  const mood = hasClasses(model.mood) ? scoreHead(model.mood, features, moodLabels / (moodLabels + MOOD_TEMPERING_LABELS)) : null;
  const spam = hasClasses(model.spam) ? scoreHead(model.spam, features) : null;
  const intent = model.intent && hasClasses(model.intent) ? { head: model.intent, score: scoreHead(model.intent, features) } : null;
  const moodProbabilities = (mood?.probabilities ?? [0, 1, 0]) as [number, number, number];
  const best = moodProbabilities.indexOf(Math.max(...moodProbabilities));
  return {
    polarity: MOODS[best]!,
    moodProbabilities,
    score: moodProbabilities[2] - moodProbabilities[0],
    spamProbability: spam?.probabilities[0] ?? 0,
    phrases: mood?.leaning(best) ?? [],
    spamPhrases: spam?.leaning(0) ?? [],
    ...(intent ? { intent: likeliestIntent(intent.head, intent.score) } : {}),
  };
}

function likeliestIntent(head: HeadCounts, score: HeadScore): NonNullable<ModelPrediction['intent']> {
  const best = score.probabilities.indexOf(Math.max(...score.probabilities));
  return { intent: head.classes[best] as CorrectableIntent, probability: score.probabilities[best]!, phrases: score.leaning(best) };
}

/** Whether the rules' verdict is strong enough that the model must leave it alone. */
export function isStrongRuleEvidence(rules: Classification, policy: ModelPolicy): boolean {
  return Math.abs(rules.score) >= policy.strongScore || rules.intent === 'spam' || rules.impostor !== undefined;
}

const FLAG_OF: Partial<Record<Polarity, MoodFlag>> = { negative: 'angry', positive: 'happy' };

const modelEvidence = (phrases: string[]): string[] => phrases.slice(0, EVIDENCE_PHRASES).map((p) => `model: "${p}"`);

/**
 * The rules' classification with the model beside it. The model is off below
 * `policy.minLabels` labels and never touches strong rule evidence; otherwise a confident
 * mood replaces the rules' polarity and score (the rules' mood flags that no longer fit are
 * dropped), a confident spam verdict makes the mention spam, and a mood the model agrees
 * with gains its phrases as evidence. A confident intent learned from intent corrections
 * replaces the rules' intent, however strong the mood, but never a spam or impostor verdict.
 */
export function withModel(rules: Classification, prediction: ModelPrediction | null, labels: number, policy: ModelPolicy = DEFAULT_MODEL_POLICY): Classification {
  if (prediction === null || labels < policy.minLabels) return rules;
  return withLearnedIntent(withLearnedMood(rules, prediction, policy), prediction, policy);
}

function withLearnedIntent(rules: Classification, prediction: ModelPrediction, policy: ModelPolicy): Classification {
  const learned = prediction.intent;
  if (learned === undefined || rules.intent === 'spam' || rules.impostor !== undefined) return rules;
  if (learned.intent === rules.intent || learned.probability < policy.intentConfidence || learned.phrases.length === 0) return rules;
  return { ...rules, intent: learned.intent, evidence: [...rules.evidence, ...learned.phrases.slice(0, EVIDENCE_PHRASES).map((p) => `model intent: "${p}"`)] };
}

function withLearnedMood(rules: Classification, prediction: ModelPrediction, policy: ModelPolicy): Classification {
  if (isStrongRuleEvidence(rules, policy)) return rules;
  if (prediction.spamProbability >= policy.spamConfidence && prediction.spamPhrases.length > 0) {
    return { ...rules, polarity: 'neutral', score: 0, flags: [], intent: 'spam', severity: 0, needsReply: false, evidence: [...modelEvidence(prediction.spamPhrases), ...rules.evidence] };
  }
  const confidence = prediction.moodProbabilities[MOODS.indexOf(prediction.polarity)]!;
  // Weak rule scores lie inside ±strongScore; the blend stays there, so every strong rule
  // verdict still ranks beyond every verdict the model touched.
  const score = (rules.score + prediction.score * policy.strongScore) / 2;
  if (prediction.phrases.length === 0) return { ...rules, score };
  if (prediction.polarity === rules.polarity) return { ...rules, score, evidence: [...rules.evidence, ...modelEvidence(prediction.phrases)] };
  if (confidence < policy.minConfidence) return { ...rules, score };
  const stale = FLAG_OF[rules.polarity];
  return {
    ...rules,
    polarity: prediction.polarity,
    score,
    flags: rules.flags.filter((f) => f !== stale),
    evidence: [...modelEvidence(prediction.phrases), ...rules.evidence],
  };
}

import { describe, expect, it } from 'vitest';
import type { Classification } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';
import { CORRECTIONS, DEFAULT_MODEL_POLICY, correctedIntent, featuresOf, predict, trainModel, withModel, type LearnedModel, type TrainingLabel } from '../../src/core/learned-model.js';

const brand = { names: ['Nimbus'], handles: ['@nimbusbank'] };

// Team-written examples in the style of one deployment's corrections.
const labels: TrainingLabel[] = [
  ...['the app logged me out again mid transfer', 'transfer stuck pending for three days', 'card declined at the till again', 'logged me out again, third time today', 'still pending, nobody answers chat', 'my transfer is stuck pending again'].map((text) => ({ text, correction: 'negative' as const })),
  ...['opened an account with Nimbus today', 'Nimbus has a new office in Leeds', 'what time does the branch open', 'moved my savings over this week', 'reading the Nimbus annual report'].map((text) => ({ text, correction: 'neutral' as const })),
  ...['instant transfer, lovely app', 'the new budgeting screen is lovely', 'support sorted it in minutes, lovely people', 'lovely update, so quick now'].map((text) => ({ text, correction: 'positive' as const })),
  ...['claim your free crypto bonus at nimbus-rewards dot win', 'free crypto bonus for the first 100 followers', 'dm for free crypto bonus codes'].map((text) => ({ text, correction: 'spam' as const })),
];

const weak = (polarity: Classification['polarity'], score = 0): Classification => ({ polarity, score, flags: [], intent: 'other', severity: 0, evidence: [] });

describe('the learned word model', () => {
  it('reads words and adjacent word pairs, the brand masked', () => {
    const features = featuresOf('Nimbus logged me out', brand);
    expect(features).toEqual(expect.arrayContaining(['logged', 'logged me', 'me out']));
    expect(features.some((f) => f.includes('nimbus'))).toBe(false);
    expect(featuresOf('is the app down? see https://example.com/status', brand)).toEqual(expect.arrayContaining(['<?>', '<link>']));
    expect(featuresOf('app is down!!', brand)).toContain('<!>');
    expect(featuresOf('app is down', brand)).not.toEqual(expect.arrayContaining(['<!>']));
  });

  it('learns mood and spam from labels and names the phrases behind them', () => {
    const model = trainModel(labels, brand);
    const stuck = predict(model, 'transfer stuck pending again', brand);
    expect(stuck.polarity).toBe('negative');
    expect(stuck.moodProbabilities[0]).toBeGreaterThan(Math.max(stuck.moodProbabilities[1], stuck.moodProbabilities[2]));
    expect(stuck.phrases).toEqual(expect.arrayContaining(['pending']));
    expect(predict(model, 'lovely app', brand).polarity).toBe('positive');
    const spam = predict(model, 'free crypto bonus here', brand);
    expect(spam.spamProbability).toBeGreaterThan(0.9);
    expect(spam.spamPhrases[0]).toMatch(/crypto|bonus|free/);
  });

  it('is surer of a mood the more labels back it', () => {
    const few = predict(trainModel(labels, brand), 'transfer stuck pending again', brand);
    const many = predict(trainModel(Array.from({ length: 20 }, () => labels).flat(), brand), 'transfer stuck pending again', brand);
    expect(few.moodProbabilities[0]).toBeLessThan(0.6);
    expect(many.moodProbabilities[0]).toBeGreaterThan(0.9);
    expect(many.polarity).toBe(few.polarity);
  });

  it('survives a JSON round trip unchanged in what it predicts', () => {
    const model = trainModel(labels, brand);
    const copy = JSON.parse(JSON.stringify(model)) as LearnedModel;
    expect(predict(copy, 'stuck pending', brand)).toEqual(predict(model, 'stuck pending', brand));
    expect(copy.labels).toBe(labels.length);
  });

  it('reads words that are names of built-in object properties as plain words', () => {
    const model = JSON.parse(JSON.stringify(trainModel([...labels, { text: 'the constructor toString valueOf broke again', correction: 'negative' }], brand))) as LearnedModel;
    const prediction = predict(model, 'constructor hasOwnProperty toString valueOf', brand);
    expect(prediction.moodProbabilities.every((p) => Number.isFinite(p))).toBe(true);
    expect(Number.isFinite(prediction.score)).toBe(true);
    expect(predict(model, 'hasOwnProperty', brand).moodProbabilities.every((p) => Number.isFinite(p))).toBe(true);
  });

  it('stays off below the configured number of labels', () => {
    const model = trainModel(Array.from({ length: 20 }, () => labels).flat(), brand);
    const rules = weak('neutral');
    const prediction = predict(model, 'transfer stuck pending again', brand);
    expect(withModel(rules, prediction, model.labels, { ...DEFAULT_MODEL_POLICY, minLabels: model.labels + 1 })).toBe(rules);
    const on = withModel(rules, prediction, model.labels, { ...DEFAULT_MODEL_POLICY, minLabels: model.labels, minConfidence: 0.6 });
    expect(on.polarity).toBe('negative');
    expect(on.score).toBeLessThan(0);
    expect(on.evidence[0]).toMatch(/^model: "/);
  });

  it('never overrides a strong rule score, a spam verdict or an impostor', () => {
    const model = trainModel(labels, brand);
    const policy = { ...DEFAULT_MODEL_POLICY, minLabels: 1, minConfidence: 0.5 };
    const prediction = predict(model, 'transfer stuck pending again', brand);
    const strong = weak('positive', 0.8);
    expect(withModel(strong, prediction, model.labels, policy)).toBe(strong);
    const spam = { ...weak('neutral'), intent: 'spam' as const };
    expect(withModel(spam, prediction, model.labels, policy)).toBe(spam);
    const impostor = { ...weak('neutral'), impostor: 'display name poses as support' };
    expect(withModel(impostor, prediction, model.labels, policy)).toBe(impostor);
  });

  it('calls a confident spam prediction spam, with no reply, and adds its phrases to a mood it agrees with', () => {
    const model = trainModel(labels, brand);
    const policy = { ...DEFAULT_MODEL_POLICY, minLabels: 1 };
    const rules = classify('free crypto bonus codes tonight', brand);
    const spam = withModel(rules, predict(model, 'free crypto bonus codes tonight', brand), model.labels, policy);
    expect(spam).toMatchObject({ intent: 'spam', needsReply: false, severity: 0 });
    expect(spam.evidence[0]).toMatch(/^model: "/);
    const agrees = withModel(weak('negative', -0.2), predict(model, 'stuck pending again', brand), model.labels, policy);
    expect(agrees.polarity).toBe('negative');
    expect(agrees.evidence.some((e) => e.startsWith('model: '))).toBe(true);
  });
});

describe('intent corrections in the learned model', () => {
  // Team-written: a deployment whose team keeps saying "this is billing, not a complaint".
  const intentLabels: TrainingLabel[] = [
    ...['charged twice for my plan this month', 'why was I charged twice again', 'refund the double charge please', 'my invoice shows a charge I never made', 'charged for a plan I cancelled'].map((text) => ({ text, correction: 'intent:billing' as const })),
    ...['how do I export my statements', 'where can I find the export button', 'can I export to a spreadsheet', 'how do I change my export format'].map((text) => ({ text, correction: 'intent:question' as const })),
  ];
  const rules = (intent: Classification['intent'], score = 0): Classification => ({ ...weak(score < 0 ? 'negative' : 'neutral', score), intent });

  it('offers every intent but spam as a correction, apart from the mood ones', () => {
    expect(CORRECTIONS).toEqual(expect.arrayContaining(['negative', 'spam', 'not-for-us', 'intent:billing', 'intent:question', 'intent:complaint']));
    expect(CORRECTIONS).not.toContain('intent:spam');
    expect(correctedIntent('intent:feature-request')).toBe('feature-request');
    expect(correctedIntent('neutral')).toBeUndefined();
  });

  it('trains an intent head from intent labels only, leaving mood and spam heads as they were', () => {
    const both = trainModel([...labels, ...intentLabels], brand);
    const moodOnly = trainModel(labels, brand);
    expect(both.mood).toEqual(moodOnly.mood);
    expect(both.spam).toEqual(moodOnly.spam);
    const charged = predict(both, 'charged twice for the plan', brand);
    expect(charged.intent?.intent).toBe('billing');
    expect(charged.intent?.probability).toBeGreaterThan(0.9);
    expect(charged.intent?.phrases.join(' ')).toMatch(/charged/);
    expect(predict(moodOnly, 'charged twice', brand).intent).toBeUndefined();
  });

  it('changes a confident intent even under a strong mood, with its phrases as evidence, but never spam or an impostor', () => {
    const model = trainModel([...labels, ...intentLabels], brand);
    const prediction = predict(model, 'charged twice for my plan', brand);
    const strongComplaint = rules('complaint', -0.9);
    const changed = withModel(strongComplaint, prediction, 500);
    expect(changed.intent).toBe('billing');
    expect(changed.score).toBe(-0.9); // the strong mood stays as the rules said
    expect(changed.evidence.some((e) => e.startsWith('model intent: "'))).toBe(true);
    expect(withModel(rules('spam'), prediction, 500).intent).toBe('spam');
    expect(withModel({ ...strongComplaint, impostor: 'poses as support' }, prediction, 500).intent).toBe('complaint');
    expect(withModel(strongComplaint, prediction, 10).intent).toBe('complaint'); // off below minLabels
    expect(withModel(strongComplaint, prediction, 500, { ...DEFAULT_MODEL_POLICY, intentConfidence: 1 }).intent).toBe('complaint');
  });

  it('reads a model stored before intent corrections existed', () => {
    const { intent: _dropped, ...old } = trainModel(labels, brand);
    expect(predict(old, 'charged twice', brand).intent).toBeUndefined();
    expect(withModel(rules('complaint'), predict(old, 'charged twice', brand), 500).intent).toBe('complaint');
  });
});

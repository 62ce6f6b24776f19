import { describe, expect, it } from 'vitest';
import type { Classification } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';
import { DEFAULT_MODEL_POLICY, featuresOf, predict, trainModel, withModel, type LearnedModel, type TrainingLabel } from '../../src/core/learned-model.js';

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
  });

  it('learns mood and spam from labels and names the phrases behind them', () => {
    const model = trainModel(labels, brand);
    const stuck = predict(model, 'transfer stuck pending again', brand);
    expect(stuck.polarity).toBe('negative');
    expect(stuck.moodProbabilities[0]).toBeGreaterThan(0.5);
    expect(stuck.phrases).toEqual(expect.arrayContaining(['pending']));
    expect(predict(model, 'lovely app', brand).polarity).toBe('positive');
    const spam = predict(model, 'free crypto bonus here', brand);
    expect(spam.spamProbability).toBeGreaterThan(0.9);
    expect(spam.spamPhrases[0]).toMatch(/crypto|bonus|free/);
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
    const model = trainModel(labels, brand);
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

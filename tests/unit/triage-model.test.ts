import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { trainModel, type TrainingLabel } from '../../src/core/learned-model.js';
import { triage } from '../../src/core/triage.js';
import { aMention } from '../support/fixtures.js';

// Team-written: this deployment's customers say a parcel "went walkabout" when it never moved.
const labels: TrainingLabel[] = [
  ...['parcel went walkabout since monday', 'my parcel went walkabout in the depot', 'walkabout parcel number two this month', 'another parcel gone walkabout, tracking stuck', 'gone walkabout since friday, tracking stuck'].map((text) => ({ text, correction: 'negative' as const })),
  ...['parcel arrived monday', 'label printed for the depot', 'tracking shows friday', 'sending two parcels this month', 'which depot handles returns'].map((text) => ({ text, correction: 'neutral' as const })),
];

describe('triage with the learned model beside the rules', () => {
  let config: Config;
  beforeAll(async () => {
    config = await loadConfig('config');
  });
  const mention = aMention({ text: '@parcelly parcel went walkabout since monday' });

  it('changes a weak rule verdict and says which phrases decided, once enough labels are in', () => {
    const rules = triage(mention, config).classification;
    expect(rules.polarity).toBe('neutral');
    expect(Math.abs(rules.score)).toBeLessThan(config.learning.strongScore);
    // The same corrections many times over stand in for a deployment's hundreds of labels; a lower bar than the shipped minConfidence stands in for more varied ones.
    const many = Array.from({ length: 30 }, () => labels).flat();
    const model = trainModel(many, config.brand);
    const policy = { ...config.learning, minLabels: many.length, minConfidence: 0.9 };
    const learned = triage(mention, { ...config, model: { model, policy } }).classification;
    expect(learned.polarity).toBe('negative');
    expect(learned.evidence.some((e) => /^model: ".*walkabout.*"$/.test(e))).toBe(true);
  });

  it('leaves the rules alone below the configured number of labels', () => {
    const model = trainModel(labels, config.brand);
    const off = triage(mention, { ...config, model: { model, policy: config.learning } }).classification;
    expect(off).toEqual(triage(mention, config).classification);
  });
});

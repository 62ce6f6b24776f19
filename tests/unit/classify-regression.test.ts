import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BrandTerms, MoodFlag, Polarity } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';

interface LabelledMention {
  id: string;
  brand: BrandTerms;
  text: string;
  label: Polarity;
  flag?: MoodFlag;
}

// Mentions written by the team for this test, across brands and platforms.
const mentions: LabelledMention[] = readFileSync(new URL('../fixtures/labelled-mentions.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as LabelledMention);

const results = mentions.map((m) => ({ mention: m, result: classify(m.text, m.brand) }));

describe('the team-written labelled mentions', () => {
  it('get the right polarity at least 85% of the time', () => {
    const correct = results.filter(({ mention, result }) => result.polarity === mention.label).length;
    expect(correct / mentions.length).toBeGreaterThanOrEqual(0.85);
  });

  it('flag at least 80% of the angry ones as angry', () => {
    const angry = results.filter(({ mention }) => mention.flag === 'angry');
    const flagged = angry.filter(({ result }) => result.flags.includes('angry'));
    expect(flagged.length / angry.length).toBeGreaterThanOrEqual(0.8);
  });

  it('flag at least 80% of the happy ones as happy', () => {
    const happy = results.filter(({ mention }) => mention.flag === 'happy');
    const flagged = happy.filter(({ result }) => result.flags.includes('happy'));
    expect(flagged.length / happy.length).toBeGreaterThanOrEqual(0.8);
  });

  it('never flag a negative mention as happy or a positive one as angry', () => {
    for (const { mention, result } of results) {
      if (mention.label === 'negative') expect(result.flags, mention.id).not.toContain('happy');
      if (mention.label === 'positive') expect(result.flags, mention.id).not.toContain('angry');
    }
  });

  it('give every non-neutral verdict some evidence', () => {
    for (const { mention, result } of results) {
      if (result.polarity !== 'neutral') expect(result.evidence.length, mention.id).toBeGreaterThan(0);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { classify } from '../../src/core/classify.js';

// One test per cue class added in round 5 of the mood pass (classify-cues.test.ts holds the
// earlier ones); texts written for this file, any industry.

describe('a running count and time spent on the failure', () => {
  it.each(['16 days and counting', '3 hours of sitting on the tarmac', 'two days of waiting for a callback'])(
    'reads "%s" as a complaint about waiting',
    (text) => {
      const result = classify(text);
      expect(result.polarity).toBe('negative');
      expect(result.evidence[0]).toMatch(/^waiting: /);
    },
  );
});

describe('helplessness and the runaround', () => {
  it.each(["the agent said there's nothing they can do", 'bounced around between three departments', 'what a runaround'])(
    'reads "%s" as a service failure',
    (text) => {
      const result = classify(text);
      expect(result.polarity).toBe('negative');
      expect(result.evidence[0]).toMatch(/^service: /);
    },
  );
});

describe('indignant questions and broken promises', () => {
  it.each(['how is this acceptable?', "what's the point of a tracking number", 'my parcel was supposed to arrive on Monday'])(
    'reads "%s" as a let-down',
    (text) => {
      expect(classify(text).polarity).toBe('negative');
    },
  );

  it('does not read a plan in the present tense as a broken promise', () => {
    expect(classify('the plan is supposed to cover it, right?').polarity).toBe('neutral');
  });
});

describe('what staff said, reported back, and hopes dashed', () => {
  it.each(['I was told to call back on Monday', 'queued at the desk only to be turned away'])('reads "%s" as negative', (text) => {
    expect(classify(text).polarity).toBe('negative');
  });
});

describe('swear words as emphasis', () => {
  it.each(['hell yeah, tickets for Saturday', 'that band can kick ass'])('reads "%s" as positive', (text) => {
    expect(classify(text).polarity).toBe('positive');
  });

  it('does not read "holy shit" before good news as anger', () => {
    expect(classify("holy shit I'm seeing them tomorrow!").polarity).not.toBe('negative');
  });
});

describe('celebration and anticipation', () => {
  it.each(['gig tonight #cantwait', 'first day at the new job #blessed', "let's go!", 'so ready for the weekend'])(
    'reads "%s" as positive',
    (text) => {
      expect(classify(text).polarity).toBe('positive');
    },
  );
});

describe('evidence strength', () => {
  it('ranks an hour on hold as more negative than a cancellation named alone', () => {
    expect(classify('on hold for an hour').score).toBeLessThan(classify('my flight was cancelled').score);
  });

  it('counts two cue classes matching one phrase as one piece of evidence', () => {
    // "why is" is both a rhetorical question and an angry one: the same words, said once.
    const once = classify('why is my parcel in Leeds');
    const twice = classify('why is my parcel in Leeds, no update');
    expect(once.score).toBeGreaterThan(twice.score);
    expect(once.score).toBeGreaterThan(-0.9);
  });
});

describe("the brand's handles", () => {
  const brand = { names: ['Happy Co'], handles: ['@happyco'] };

  it('are never scored, masked or not', () => {
    expect(classify('@happyco where is my order', brand).polarity).toBe('negative');
    expect(classify('@HappyCo ok', brand).polarity).toBe('neutral');
    expect(classify('Happy Co lost my bag', brand).evidence).not.toContain('happy');
  });
});

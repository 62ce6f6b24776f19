import { describe, expect, it } from 'vitest';
import type { BrandTerms } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';

const acme: BrandTerms = { names: ['Acme Air', 'United'], handles: ['@acmeair', '@united'] };

describe('brand masking', () => {
  it('does not score the brand handle as a word', () => {
    expect(classify('@united', acme).polarity).toBe('neutral');
    expect(classify('@united flight 12 boards at gate 4', acme).score).toBe(0);
  });

  it('does not score the brand name as a word, even without a handle', () => {
    expect(classify('United flight 12 boards at gate 4', acme).score).toBe(0);
  });

  it('never scores any handle, so it works without brand terms', () => {
    expect(classify('@lovelyairline where is gate 4').polarity).toBe('neutral');
  });
});

describe('stemmed vocabulary collisions', () => {
  it('does not read "has" as "ha", nor "us" or "please" as sentiment', () => {
    expect(classify('The app has a new menu for us, please see the blog post').polarity).toBe('neutral');
  });

  it('still finds inflected sentiment words', () => {
    expect(classify('I hated every minute of it').polarity).toBe('negative');
    expect(classify('they were disappointing').polarity).toBe('negative');
  });
});

describe('negation', () => {
  it('flips the word it governs, written with an apostrophe or without', () => {
    expect(classify("the crew wasn't helpful").polarity).toBe('negative');
    expect(classify('the crew wasnt helpful').polarity).toBe('negative');
    expect(classify("don't like the new seats").polarity).toBe('negative');
  });

  it('stops at the end of the clause instead of running to the end of the text', () => {
    const result = classify("The flight wasn't late. The crew were wonderful and the food great!");
    expect(result.polarity).toBe('positive');
  });

  it('reads "not bad" as mildly positive rather than negative', () => {
    expect(classify('not bad at all').score).toBeGreaterThan(0);
  });

  it('reads "can\'t wait" as eagerness', () => {
    const result = classify("can't wait for my trip next week");
    expect(result.polarity).toBe('positive');
  });

  it('reads "can\'t recommend them enough" as praise', () => {
    expect(classify("can't recommend them enough").polarity).toBe('positive');
  });
});

describe('emoji and emoticons', () => {
  it('scores emoji on their own', () => {
    expect(classify('flight 22 😡😡').polarity).toBe('negative');
    expect(classify('landed 😍').polarity).toBe('positive');
  });

  it('scores emoticons on their own', () => {
    expect(classify('boarding now :(').polarity).toBe('negative');
    expect(classify('boarding now :)').polarity).toBe('positive');
  });

  it('shows the deciding emoji as evidence', () => {
    expect(classify('landed 😍').evidence).toContain('😍');
  });
});

describe('truncated text', () => {
  it('ignores a word cut short before a trailing ellipsis', () => {
    expect(classify('the lounge was great and the staff were terri…').polarity).toBe('positive');
  });
});

describe('intensity', () => {
  it('makes intensified words stronger than plain ones', () => {
    expect(classify('the service was really bad').score).toBeLessThan(classify('the service was bad').score);
  });

  it('makes words in capitals stronger', () => {
    expect(classify('the service was TERRIBLE today').score).toBeLessThan(classify('the service was terrible today').score);
  });

  it('makes exclamation marks stronger', () => {
    expect(classify('this is awful!!!').score).toBeLessThan(classify('this is awful').score);
  });

  it('weighs what follows "but" over what precedes it', () => {
    expect(classify('the crew was nice but the delay was awful').polarity).toBe('negative');
  });
});

describe('sarcasm and polite complaints', () => {
  it('reads "thanks for nothing" as an angry complaint', () => {
    const result = classify('@acmeair thanks for nothing', acme);
    expect(result.polarity).toBe('negative');
    expect(result.flags).toContain('angry');
  });

  it('reads "so funny that" about a failure as negative', () => {
    expect(classify('so funny that my ticket said PRIORITY and I boarded last').polarity).toBe('negative');
  });

  it('reads an eye-roll after praise words as sarcasm', () => {
    expect(classify('great, another delivery attempt while I was home 🙄').polarity).toBe('negative');
  });

  it('does not let a closing "thanks" turn a complaint positive', () => {
    expect(classify('still no refund after three weeks, thanks').polarity).toBe('negative');
  });
});

describe('complaints without sentiment words', () => {
  it.each([
    'still waiting. Just hit one hour.',
    'on hold for 68 minutes',
    'where is my refund',
    'you charged me twice for one order',
    'the app is down again',
    'my bag is missing since Tuesday',
    'flight cancelled and nobody at the desk',
  ])('reads "%s" as negative', (text) => {
    expect(classify(text).polarity).toBe('negative');
  });

  it('does not read a bare duration as a complaint', () => {
    expect(classify('heading home in 2 weeks').polarity).toBe('neutral');
  });
});

describe('intent', () => {
  it.each([
    ['the website is down again', 'outage'],
    ['charged twice for my subscription', 'billing'],
    ['the app keeps crashing with an error when I open settings', 'bug'],
    ['lost my luggage and nobody answers the phone', 'complaint'],
    ['what time does check-in open?', 'question'],
    ['please add a dark mode', 'feature-request'],
    ['the crew were wonderful, thank you for a great flight', 'praise'],
    ['boarding at gate 4', 'other'],
  ] as const)('reads "%s" as %s', (text, intent) => {
    expect(classify(text).intent).toBe(intent);
  });
});

describe('severity', () => {
  it('is 0 for praise and neutral mentions', () => {
    expect(classify('lovely flight, thanks').severity).toBe(0);
    expect(classify('boarding at gate 4').severity).toBe(0);
  });

  it('is higher for an urgent, angry failure than for a mild gripe', () => {
    const mild = classify('the coffee on board was a bit meh');
    const urgent = classify('charged me twice and no one answers, I need the money back ASAP!!');
    expect(mild.severity).toBeGreaterThan(0);
    expect(urgent.severity).toBe(3);
    expect(urgent.severity).toBeGreaterThan(mild.severity);
  });
});

describe('flags and evidence', () => {
  it('flags a recommendation as happy', () => {
    expect(classify('highly recommend them, best support I have had').flags).toContain('happy');
  });

  it('flags no mood on a plain question', () => {
    expect(classify('do you fly to Lisbon?').flags).toEqual([]);
  });

  it('keeps evidence short enough for a card', () => {
    const result = classify('worst service ever!!! lost bag, cancelled flight, rude staff, no refund, never again 😡');
    expect(result.evidence.length).toBeGreaterThan(0);
    expect(result.evidence.length).toBeLessThanOrEqual(5);
  });

  it('keeps the score within -1..1', () => {
    const result = classify('AWFUL AWFUL AWFUL terrible horrible worst 😡😡😡!!!!!!');
    expect(result.score).toBeGreaterThanOrEqual(-1);
    expect(result.score).toBeLessThanOrEqual(1);
  });

  it('gives the same answer every time', () => {
    const text = '@acmeair on hold for an hour, unacceptable';
    expect(classify(text, acme)).toEqual(classify(text, acme));
  });
});

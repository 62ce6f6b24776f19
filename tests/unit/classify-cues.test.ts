import { describe, expect, it } from 'vitest';
import { classify } from '../../src/core/classify.js';

// One test per cue class added to the mood pass; texts written for this file, any industry.

describe('calls into the void', () => {
  it.each(['hello??? anyone there?', 'will one of you please answer the phone', 'please respond, order 5521'])(
    'reads "%s" as negative',
    (text) => {
      expect(classify(text).polarity).toBe('negative');
    },
  );
});

describe('form letters instead of help', () => {
  it('reads thanks for a canned response as a complaint', () => {
    expect(classify('thanks for the copy and paste response').polarity).toBe('negative');
  });
});

describe('disbelief', () => {
  it('reads "are you kidding me" as an angry complaint', () => {
    const result = classify('2 hrs to put a tag on my parcel, are you kidding me');
    expect(result.polarity).toBe('negative');
    expect(result.flags).toContain('angry');
  });
});

describe('taking the business elsewhere', () => {
  it('reads plenty of other options and a competitor as negative', () => {
    expect(classify('plenty of other banks out there').polarity).toBe('negative');
    expect(classify("I'd still buy from a competitor").polarity).toBe('negative');
  });

  it('reads "officially done" as leaving', () => {
    expect(classify('after 10 years of loyal custom we are officially done').polarity).toBe('negative');
  });
});

describe('sarcastic thanks and feelings', () => {
  it('reads "thanks for the lack of help" as negative', () => {
    expect(classify('thanks for the lack of help').polarity).toBe('negative');
  });

  it('reads "makes me feel so valued" after a failure as negative', () => {
    expect(classify('third missed delivery this week. makes me feel so valued').polarity).toBe('negative');
  });
});

describe('polite let-downs', () => {
  it.each([
    'would have appreciated a heads up before I drove there',
    'you used to be my go-to shop',
    'zero communication from the store about my order',
    'not a single update since Monday',
    'I want my deposit back',
    'I expected better from you',
  ])('reads "%s" as negative', (text) => {
    expect(classify(text).polarity).toBe('negative');
  });
});

describe('exasperated punctuation', () => {
  it('makes "?!" more negative than a plain question', () => {
    expect(classify('my order is at the wrong address?!').score).toBeLessThan(classify('my order is at the wrong address?').score);
  });
});

describe('negated hashtags', () => {
  it('reads #nothappy and #notimpressed as negative', () => {
    expect(classify('my parcel came open #nothappy').polarity).toBe('negative');
    expect(classify('#notimpressed').polarity).toBe('negative');
  });
});

describe('enquiries', () => {
  it('does not read the thanks closing a question as praise', () => {
    expect(classify('can you tell me if you ship to Hawaii? Thanks!').polarity).toBe('neutral');
  });

  it('weighs a praise word in a question less than in a statement', () => {
    expect(classify('any good deals for March?').score).toBeLessThan(classify('good deals for March').score);
  });

  it('reads "that\'d be awesome" as a request, not praise', () => {
    expect(classify("if you could add numeric shortcuts to the phone menu that'd be awesome").polarity).not.toBe('positive');
  });
});

describe('enthusiasm', () => {
  it('reads exclamations with no complaint as mildly positive', () => {
    expect(classify('Off Friday and Monday. Concert tomorrow!!').score).toBeGreaterThan(0);
  });

  it('reads an upper-case emoticon like a lower-case one', () => {
    expect(classify('finishing the book now :D').polarity).toBe('positive');
  });
});

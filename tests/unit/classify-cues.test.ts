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

describe('unmet promises (negated service verbs)', () => {
  it.each(['the voucher code never worked', 'my replacement card never arrived', "the agent didn't even answer", "there's no excuse for this"])(
    'reads "%s" as negative',
    (text) => {
      expect(classify(text).polarity).toBe('negative');
    },
  );
});

describe('self-reported feelings', () => {
  it('reads "i\'m so tired of this" and "i am really annoyed" as negative', () => {
    expect(classify("i'm so tired of this").polarity).toBe('negative');
    expect(classify('i am really annoyed right now').polarity).toBe('negative');
  });

  it('reads "i\'m so excited" as positive', () => {
    expect(classify("i'm so excited").polarity).toBe('positive');
  });

  it('ranks a stated feeling below the bare event', () => {
    expect(classify("my train was late and i'm so frustrated").score).toBeLessThan(classify('my train was late').score);
  });
});

describe('superlatives about an experience', () => {
  it('reads "worst ... ever" as negative and "best ... ever" as positive', () => {
    expect(classify('worst checkout ever').polarity).toBe('negative');
    expect(classify('best concert ever').polarity).toBe('positive');
  });
});

describe('anticipation', () => {
  it.each(['looking forward to the weekend', 'so excited for the new season', 'i really want to see that film', "can't wait to see this live, where are you playing?"])(
    'reads "%s" as positive',
    (text) => {
      expect(classify(text).polarity).toBe('positive');
    },
  );
});

describe('greetings and wishes', () => {
  it('reads "happy friday" as positive even with a question after it', () => {
    expect(classify("Happy Friday! Who's coming tonight?!").polarity).toBe('positive');
  });
});

describe('thanks for a problem handled', () => {
  it('reads thanks for fixing a cancellation as positive', () => {
    expect(classify('thanks for rebooking me so fast after the cancellation').polarity).toBe('positive');
    expect(classify('thank you for the quick reply about my delayed parcel').polarity).toBe('positive');
  });

  it('still reads sarcastic thanks as negative', () => {
    expect(classify('thanks for the help, not').polarity).toBe('negative');
  });
});

describe('corroborated complaints', () => {
  it('ranks several independent complaint signs below a single mild negative word', () => {
    expect(classify('still on hold, nobody answers, flight cancelled').score).toBeLessThan(classify('the coffee was bad').score);
  });
});

describe('enquiries about an event', () => {
  it.each(['any delays out of Denver today?', 'is my flight 12 delayed?', 'will my train be cancelled because of the snow?'])(
    'keeps "%s" near zero',
    (text) => {
      const result = classify(text);
      expect(result.polarity).toBe('neutral');
      expect(Math.abs(result.score)).toBeLessThan(0.3);
    },
  );

  it('still reads an exasperated question about the same event as a complaint', () => {
    expect(classify('why is my flight delayed AGAIN?').polarity).toBe('negative');
  });
});

describe('effort pushed onto the customer', () => {
  it.each(['now I have to wait for the next one', 'had to rebook it all myself', 'still at the gate with no one around'])('reads "%s" as negative', (text) => {
    expect(classify(text).polarity).toBe('negative');
  });
});

describe('mixed answers and lost property', () => {
  it('reads "six different answers" and "how do you lose a stroller" as negative', () => {
    expect(classify("so far I've gotten six different answers").polarity).toBe('negative');
    expect(classify('how do you lose a stroller').polarity).toBe('negative');
  });
});

describe('"better" as critique', () => {
  it.each(['you can do better than that', 'you need a better system', 'the app could be better'])('does not read "%s" as praise', (text) => {
    expect(classify(text).polarity).not.toBe('positive');
  });
});

describe('wishes in the conditional', () => {
  it('does not read "an update would be great" as praise', () => {
    expect(classify('an update on my order would be great').polarity).not.toBe('positive');
  });
});

describe('internet slang', () => {
  it('reads slang praise and slang scorn', () => {
    expect(classify('this album is my new fave').polarity).toBe('positive');
    expect(classify('that update is trash').polarity).toBe('negative');
  });
});

describe('urgency on its own', () => {
  it('does not make a request for assistance a complaint', () => {
    expect(classify('I need wheelchair assistance at the gate').polarity).toBe('neutral');
  });

  it('still adds to a complaint', () => {
    expect(classify('I need wheelchair assistance and nobody came, on hold for an hour').severity).toBe(3);
  });
});

describe('help asked for as an enquiry', () => {
  it('reads "can you help me change my seat?" as neutral', () => {
    expect(classify('can you help me change my seat?').polarity).toBe('neutral');
  });

  it('still reads a plea for help with a failure as negative', () => {
    expect(classify('please help, my parcel never arrived').polarity).toBe('negative');
  });
});

describe('polite refusals and apologies', () => {
  it.each(['no thanks', 'my bad, I meant flight 12'])('reads "%s" as neutral', (text) => {
    expect(classify(text).polarity).toBe('neutral');
  });
});

describe('events in enquiry sentences', () => {
  it('reads an event asked about after a statement as an enquiry', () => {
    expect(classify('I fly to Denver on Tuesday. Is my flight delayed?').polarity).toBe('neutral');
  });

  it('reads an event stated before the question as a report', () => {
    expect(classify('My flight was cancelled. What now?').polarity).toBe('negative');
  });
});

describe('exasperated punctuation on its own', () => {
  it('does not make an otherwise plain question negative', () => {
    expect(classify('can I bring my dog?!').polarity).toBe('neutral');
  });
});

describe('"why" and "way to go" that explain or recommend', () => {
  it.each(["that's why you are my first choice", 'trains are the way to go'])('does not read "%s" as negative', (text) => {
    expect(classify(text).polarity).not.toBe('negative');
  });

  it('still reads "why" as a question and "way to go" after a failure as sarcasm', () => {
    expect(classify('why did my parcel go to Leeds?').polarity).toBe('negative');
    expect(classify('way to go, lost my bag again').polarity).toBe('negative');
  });
});

describe('degree words around a phrase cue', () => {
  it('scale the cue as they would a word', () => {
    expect(classify('i really want to see that film').score).toBeGreaterThan(classify('i want to see that film').score);
  });
});

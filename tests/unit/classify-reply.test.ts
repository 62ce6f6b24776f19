import { describe, expect, it } from 'vitest';
import type { BrandTerms } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';

// Whether a mention needs a reply, other things that share the brand's name, and live
// against past outages, written by the team for invented brands: a bank app (Nova), a
// cloud host (Stackyard), a cinema chain (Reelhouse).
const nova: BrandTerms = { names: ['Nova'], handles: ['@novabank'] };
const stackyard: BrandTerms = { names: ['Stackyard'], handles: ['@stackyard'] };

describe('needsReply', () => {
  it('is true for a customer with a problem or a question', () => {
    expect(classify('@stackyard deploys failing with a 502 since noon', stackyard).needsReply).toBe(true);
    expect(classify('@stackyard how do I add a second region?', stackyard).needsReply).toBe(true);
  });

  it('is false for a problem the author says is over', () => {
    const c = classify('@stackyard was down yesterday, fine now', stackyard);
    expect(c.needsReply).toBe(false);
    expect(c.evidence.some((e) => e.startsWith('fixed: '))).toBe(true);
    expect(classify('never mind, figured it out. the dns had not updated yet @stackyard', stackyard).needsReply).toBe(false);
  });

  it('is true when the author doubts the fix', () => {
    expect(classify('@stackyard support says it is fixed but my builds still fail', stackyard).needsReply).toBe(true);
  });

  it("is false for news and for the brand's own posts", () => {
    expect(classify('Stackyard raises $40M to expand into Asia, according to sources', stackyard).needsReply).toBe(false);
    expect(classify('We are rolling out the new dashboard to everyone this week', stackyard, { author: { handle: 'stackyard', name: 'Stackyard' } }).needsReply).toBe(false);
    expect(classify('Stackyard opens a Frankfurt region', stackyard, { source: 'rss' }).needsReply).toBe(false);
  });

  it('is false for a passing mention that asks and feels nothing', () => {
    expect(classify('we host the staging box on Stackyard and the rest on our own racks', stackyard).needsReply).toBe(false);
  });
});

describe('another name that contains the brand', () => {
  it.each([
    ['Bossa Nova night at the Blue Room, doors at 8'],
    ['road trip through #NovaScotia this summer'],
    ['the supernova photos from last night are unreal'],
  ])('is not a mention of the brand: "%s"', (text) => {
    const c = classify(text, nova);
    expect(c.intent).toBe('other');
    expect(c.needsReply).toBe(false);
    expect(c.flags).toEqual([]);
    expect(c.evidence[0]).toMatch(/^not the brand: /);
  });

  it('is a mention when the brand is named on its own as well', () => {
    const notBrand = (text: string): boolean => classify(text, nova).evidence.some((e) => e.startsWith('not the brand'));
    expect(notBrand('Bossa Nova night, then paid with Nova and the app froze')).toBe(false);
    expect(classify('Thanks Nova for the quick card replacement', nova).intent).toBe('praise');
    expect(notBrand('#Nova app keeps crashing on login')).toBe(false);
    expect(classify('#Nova app keeps crashing on login', nova).intent).toBe('bug');
  });
});

describe('live outages against past ones', () => {
  it('reads down now for many as an outage', () => {
    expect(classify('is @stackyard down? nothing loads for our whole team', stackyard).intent).toBe('outage');
  });

  it('does not read a past outage as a live one', () => {
    const praise = classify('10/10 would recommend @stackyard to any small team (yes I wrote about their outage last month)', stackyard);
    expect(praise.intent).toBe('praise');
    expect(praise.flags).toEqual(['happy']);
    expect(classify('will the logs from the outage window be kept? @stackyard', stackyard).intent).not.toBe('outage');
  });

  it('reads an outage still going as live', () => {
    expect(classify('@stackyard down since yesterday and still down', stackyard).intent).toBe('outage');
  });
});

import { describe, expect, it } from 'vitest';
import type { BrandTerms } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';

// Word of mouth and denied problems, written by the team for invented brands: a VPN
// (Veilnet), a bakery chain (Crumbwell), a bike-share app (Pedalo).
const veilnet: BrandTerms = { names: ['Veilnet'], handles: ['@veilnet'] };
const crumbwell: BrandTerms = { names: ['Crumbwell'], handles: ['@crumbwell'] };
const pedalo: BrandTerms = { names: ['Pedalo'], handles: ['@pedalo'] };

describe('word of mouth with no feeling word', () => {
  it.each([
    ['advice to a stranger', "if you're travelling a lot and need a VPN, just get Veilnet.", veilnet],
    ['a closing imperative', 'Two years, no drama, the app is quick. Try Veilnet.', veilnet],
    ['an unpaid recommendation', 'not sponsored: our office lunches all come from Crumbwell now', crumbwell],
    ['nothing else measures up', 'Crumbwell has ruined other bakeries for me. Sourdough every Saturday.', crumbwell],
    ['the only one that works', "the only bike app I've used that unlocks first time, every time. Pedalo.", pedalo],
    ['the only reason', 'Pedalo is the only reason I still cycle to work in winter', pedalo],
    ['telling anyone to try it', 'told half the office to try Pedalo for the commute', pedalo],
    ['running a business on it', 'we run our whole remote team on Veilnet', veilnet],
    ['a switch onto it', 'moved all 40 laptops onto @veilnet last month', veilnet],
    ['a game changer', 'Pedalo is a game changer for getting across town', pedalo],
    ['never looked back', 'been with Veilnet since 2021 and never looked back', veilnet],
    ['worth every penny', 'worth every penny, @crumbwell', crumbwell],
    ['cannot fault them', "can't fault Crumbwell, the birthday cake was early and perfect", crumbwell],
    ['would do it again', 'ordered our wedding cake from Crumbwell. Would do it again.', crumbwell],
    ['it just works', 'Veilnet just works. Every time.', veilnet],
  ])('reads %s as happy', (_kind, text, brand) => {
    const c = classify(text, brand);
    expect(c.polarity).toBe('positive');
    expect(c.flags).toContain('happy');
  });

  it.each([
    ['a recommendation denied', "I wouldn't recommend Veilnet to anyone", veilnet],
    ['never recommending', "I'd never recommend Crumbwell", crumbwell],
    ['support telling the author what to try', 'Pedalo support told me to try reinstalling. still broken', pedalo],
    ['a warning passed on', 'told everyone to stay away from Pedalo', pedalo],
    ['a switch to someone else', 'switched the office from Veilnet to Tunnelly, never looking back', veilnet],
    ['going back to the brand, vowed against', 'never going back to @crumbwell after this', crumbwell],
  ])('does not read %s as happy', (_kind, text, brand) => {
    expect(classify(text, brand).flags).not.toContain('happy');
  });
});

describe('a problem denied is praise, not a complaint', () => {
  it.each([
    ["never waited more than a few minutes for a human in Veilnet's chat", veilnet],
    ['switched our studio to @pedalo in spring and nobody has asked to go back', pedalo],
    ['four years with Veilnet and it has never had a single issue', veilnet],
    ['no complaints after a year of Crumbwell deliveries, the bread is always warm', crumbwell],
  ])('reads "%s" as positive', (text, brand) => {
    const c = classify(text, brand);
    expect(c.polarity).toBe('positive');
    expect(c.intent).not.toBe('complaint');
  });

  it('still reads a problem that came after as a complaint', () => {
    expect(classify('nobody has answered my ticket in 5 days @veilnet', veilnet).polarity).toBe('negative');
    expect(classify("I've been waiting for over an hour for my Crumbwell order", crumbwell).polarity).toBe('negative');
  });
});

describe('news is not word of mouth', () => {
  it('reads a good-news headline from a feed as positive but not happy', () => {
    const c = classify('Pedalo passes a million riders, the bike-share app says it is the best year yet', pedalo, { source: 'rss', author: { handle: 'citynews.example', name: 'City News', followers: 900 } });
    expect(c.flags).not.toContain('happy');
    expect(c.needsReply).toBe(false);
  });
});

describe('praise that holds up, and problems of the past', () => {
  it('reads praise repeated every week as happy', () => {
    expect(classify('Crumbwell delivery at 7:02 for a 7-8 slot, driver carried it up four flights. Brilliant every single week.', crumbwell).flags).toContain('happy');
  });

  it('reads "used to be a pain, but" as an improvement, not a let-down', () => {
    const c = classify('Pedalo unlocking used to be a pain, but the new app has not dropped a single ride for me in two months.', pedalo);
    expect(c.polarity).toBe('positive');
  });

  it('still reads "used to be good" as a let-down', () => {
    expect(classify('Crumbwell used to be good. now the bread is stale half the time', crumbwell).polarity).toBe('negative');
  });
});

describe('idioms of high praise', () => {
  it.each([
    ['blown away by the new Pedalo app'],
    ['Pedalo never disappoints'],
    ['Pedalo is a breath of fresh air after the council bikes'],
    ['Pedalo came through for me again, bike at the station at 6am'],
    ['Pedalo has been rock solid for our commute'],
  ])('reads "%s" as happy', (text) => {
    expect(classify(text, pedalo).flags).toContain('happy');
  });

  it.each([
    ['I was blown away by how bad Pedalo support was'],
    ["Pedalo's prices are stupidly good but the app is broken"],
  ])('does not read "%s" as happy', (text) => {
    expect(classify(text, pedalo).flags).not.toContain('happy');
  });
});

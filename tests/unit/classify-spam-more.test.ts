import { describe, expect, it } from 'vitest';
import type { BrandTerms } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';

// Scams that name a brand, for invented brands: a parcel carrier (Swiftcrate), a
// streaming service (Reelhouse), an exchange (Coinvale).
const swiftcrate: BrandTerms = { names: ['Swiftcrate'], handles: ['@swiftcrate'] };
const reelhouse: BrandTerms = { names: ['Reelhouse'], handles: ['@reelhouse'] };

describe('spam, more kinds', () => {
  it.each([
    ['a fee to release a parcel', 'Swiftcrate: your parcel is on hold. Pay the 1.99 handling fee within 24 hours at swiftcrate-redeliver.help', swiftcrate],
    ['giveaway mechanics', 'Win a year of Reelhouse free! Follow + RT to enter, winner Friday', reelhouse],
    ['a prize to claim', 'Congratulations! You have been selected for a Reelhouse reward. Claim within 24h', reelhouse],
    ['a public request for details', 'We saw your post about your Swiftcrate refund. Kindly provide your details so we can process it', swiftcrate],
    ['a token presale', 'Reelhouse token presale is live, 100x potential, get in early', reelhouse],
    ['easy money', 'Earn $500/day from home like me, no experience needed #Reelhouse', reelhouse],
    ['coupon junk', 'Reelhouse promo code December 2026, verified working, 70% off', reelhouse],
    ['a brand name among scam words', 'Selling Reelhouse accounts, 4K plan, lifetime, DM me', reelhouse],
    ['a Spanish giveaway', '¡Sorteo! Gana un año de Reelhouse gratis, sigue y comparte', reelhouse],
    ['a German giveaway', 'Gewinnspiel: wir verlosen drei Reelhouse Gutscheine', reelhouse],
    ['an English giveaway word in Portuguese', 'Giveaway Reelhouse! Siga e compartilhe para participar', reelhouse],
  ])('reads %s as spam', (_kind, text, brand) => {
    const c = classify(text, brand);
    expect(c.intent).toBe('spam');
    expect(c.needsReply).toBe(false);
    expect(c.evidence[0]).toMatch(/^(?:spam|lookalike domain): /);
  });

  it.each([
    ['a complaint about a real fee', 'Swiftcrate charged me a redelivery fee and the parcel still never came', swiftcrate],
    ['a fundraiser', 'please follow and share our Reelhouse watch-party fundraiser', reelhouse],
    ['being selected for something else', "I've been selected for jury duty so my Swiftcrate parcel will have to wait", swiftcrate],
    ['a plea for help', 'kindly help me @swiftcrate my card was charged twice', swiftcrate],
    ['entering a contest', 'Je participe au concours photo, merci Reelhouse pour la soirée', reelhouse],
    ['a warning about a giveaway scam', 'PSA: the Reelhouse giveaway going round is a scam, do not click', reelhouse],
  ])('does not read %s as spam', (_kind, text, brand) => {
    expect(classify(text, brand).intent).not.toBe('spam');
  });
});

describe('demands are complaints', () => {
  it.each([
    ['**YOUR APP DELETED MY FILES** 6 months of work GONE. # FIX IT # NOW @reelhouse'],
    ['sort it out @reelhouse'],
    ['@reelhouse I need this fixed today, the premiere is tonight'],
    ['@reelhouse you had one job'],
  ])('reads "%s" as angry', (text) => {
    const c = classify(text, reelhouse);
    expect(c.polarity).toBe('negative');
    expect(c.flags).toContain('angry');
  });

  it('does not read cheering as a demand', () => {
    expect(classify('come on @reelhouse, you can do it, big launch tonight', reelhouse).polarity).not.toBe('negative');
  });
});

describe('languages read from phrases only', () => {
  it.each([
    ['Turkish', 'Reelhouse harika, herkese tavsiye ederim!', 'tr', 'positive', 'happy'],
    ['Polish', 'Aplikacja Reelhouse jest coraz gorsza, ciągle się zawiesza. Odinstalowuję i wracam do innych serwisów.', 'pl', 'negative', 'churn-risk'],
    ['Japanese', 'Reelhouseは最高です。おすすめ！', 'ja', 'positive', 'happy'],
    ['Japanese', 'Reelhouseが二重請求されました。返金してください。', 'ja', 'negative', undefined],
  ])('reads a %s post from its phrases', (_language, text, language, polarity, flag) => {
    const c = classify(text, reelhouse);
    expect(c.language).toBe(language);
    expect(c.polarity).toBe(polarity);
    if (flag) expect(c.flags).toContain(flag);
    expect(c.evidence[0]).toMatch(/from phrases only$/);
  });

  it('says the mood was not judged when no phrase matches', () => {
    const c = classify('Reelhouse yeni dizisini yarın yayınlıyor.', reelhouse);
    expect(c.polarity).toBe('neutral');
    expect(c.evidence).toEqual(['mood not judged for Turkish']);
  });
});

import { describe, expect, it } from 'vitest';
import { classify } from '../../src/core/classify.js';
import type { BrandTerms } from '../../src/core/classification.js';

// Texts written for this file, for brands and industries the cues were not built around.
const pantry: BrandTerms = { names: ['Pantry Box'], handles: ['pantrybox'] };

describe('angry needs heat, not a long list of failures', () => {
  it.each([
    'the courier lost my parcel, the replacement came damaged and the refund was declined. could someone look at order 4471?',
    '@pantrybox third week the delivery has been missing items. not ideal, would appreciate a call back when you can',
    'Flight delayed 3 hours, gate changed twice and the lounge was closed. Such is travel I suppose.',
    'the insurer rejected my claim and lost two of my documents. any idea who I should write to?',
  ])('leaves a calm or resigned complaint negative but not angry: "%s"', (text) => {
    const result = classify(text, pantry);
    expect(result.polarity).toBe('negative');
    expect(result.flags).not.toContain('angry');
  });

  it.each([
    '@pantrybox charged me twice for one box and support closed my ticket. absolutely disgraceful',
    'third time my router has dropped this week. SORT IT OUT',
    'my gym app deleted a year of workouts and now wants me to pay to restore them?! ridiculous',
    "I'm fuming. two missed deliveries and nobody at the depot picks up the phone",
  ])('flags a complaint with anger in it: "%s"', (text) => {
    const result = classify(text, pantry);
    expect(result.polarity).toBe('negative');
    expect(result.flags).toContain('angry');
  });

  it('reads dry sarcasm as negative but not angry', () => {
    const result = classify('love that a "next day" delivery means next week apparently 🙃', pantry);
    expect(result.polarity).toBe('negative');
    expect(result.flags).not.toContain('angry');
  });

  it('does not take "not urgent" for urgency', () => {
    const result = classify('@pantrybox the promo code field rejects every code I try. not urgent but a bit strange?', pantry);
    expect(result.flags).not.toContain('angry');
  });

  it('reads a deadline in a failure as urgent', () => {
    const result = classify("card keeps getting declined at the pharmacy and I need to pick up my prescription in 20 minutes, it's broken", pantry);
    expect(result.polarity).toBe('negative');
    expect(result.flags).toContain('angry');
  });

  it('reads "come on" after a failure as exasperation', () => {
    const result = classify('is the booking site down again? third time this month, come on.', pantry);
    expect(result.flags).toContain('angry');
  });
});

describe('the brand speaking', () => {
  it("gives the brand's own incident notice no customer mood", () => {
    const result = classify("We're sorry: some of you can't check out right now. We're on it and will update here.", pantry, {
      source: 'x', author: { handle: 'pantrybox', name: 'Pantry Box' },
    });
    expect(result.polarity).toBe('neutral');
    expect(result.flags).toEqual([]);
    expect(result.intent).toBe('other');
    expect(result.evidence).toContain('from the brand');
  });
});

describe('anger in other languages', () => {
  it('flags a Spanish complaint with a word of outrage', () => {
    const result = classify('Pantry Box me cobró dos veces el pedido y nadie contesta. Una vergüenza.', pantry);
    expect(result.language).toBe('es');
    expect(result.flags).toContain('angry');
  });

  it('leaves a disappointed German complaint unflagged', () => {
    const result = classify('Pantry Box hat meine Bestellung schon wieder vergessen, ich bin enttäuscht und warte seit Wochen auf eine Antwort.', pantry);
    expect(result.language).toBe('de');
    expect(result.flags).not.toContain('angry');
  });

  it('does not carry a negation past the end of a sentence', () => {
    const result = classify('El pedido llegó frío y nos dijeron que no. Un desastre total.', pantry);
    expect(result.polarity).toBe('negative');
  });
});

describe('a fault told by when it started and what was tried', () => {
  it.each([
    'the podcast app skips to the end of every episode since the last update',
    '@pantrybox my saved addresses stopped showing at checkout, tried on two phones',
    'reinstalled the banking app twice and the balance still shows £0',
    'checkout says "session expired" every time I reach the payment step',
  ])('reads "%s" as a bug', (text) => {
    expect(classify(text, pantry).intent).toBe('bug');
  });

  it('keeps a change for the better after an update as praise', () => {
    expect(classify('the app is so much faster since the last update, love it', pantry).intent).toBe('praise');
  });

  it.each([
    ['es', 'La app de Pantry Box no me deja ver mis pedidos desde la última actualización.'],
    ['fr', "Depuis la mise à jour, l'application Pantry Box ne synchronise plus mes listes de courses."],
    ['de', 'Die Pantry Box App stürzt seit dem letzten Update beim Bezahlen ab.'],
  ])('reads a fault since an update in %s as a negative bug', (language, text) => {
    const result = classify(text, pantry);
    expect(result.language).toBe(language);
    expect(result.polarity).toBe('negative');
    expect(result.intent).toBe('bug');
  });
});

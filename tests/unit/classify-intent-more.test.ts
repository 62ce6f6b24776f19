import { describe, expect, it } from 'vitest';
import type { BrandTerms } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';

// Faults, wishes and problems put right, for invented brands: a budgeting app (Pennywise),
// a furniture shop (Oakhaven), a ferry line (Bluefin).
const pennywise: BrandTerms = { names: ['Pennywise'], handles: ['@pennywise'] };
const oakhaven: BrandTerms = { names: ['Oakhaven'], handles: ['@oakhaven'] };

describe('a fault told flatly is a bug report', () => {
  it.each([
    ['@pennywise the payment page just reloads when I try to add a card. 4 tries now'],
    ['@pennywise the CSV export cuts off notes at 255 characters'],
    ['@pennywise my balance shows £0 but the transactions are all there'],
    ['@pennywise the dark mode toggle does nothing on Android'],
    ['@pennywise search returns nothing even for exact payee names'],
    ['@pennywise my savings streak reset to zero overnight'],
    ['@pennywise all my data has disappeared after logging in'],
  ])('reads "%s" as a bug', (text) => {
    const c = classify(text, pennywise);
    expect(c.intent).toBe('bug');
    expect(c.polarity).not.toBe('positive');
  });

  it('does not read a fault the author says is over as negative', () => {
    expect(classify('pennywise just reloads for a bit on login but it is working again now', pennywise).polarity).not.toBe('negative');
  });

  it('does not read being cut off by the company as an app fault', () => {
    expect(classify('pennywise cut off my account for a bill I already paid', pennywise).intent).not.toBe('bug');
  });
});

describe('feature requests', () => {
  it.each([
    ['@pennywise any chance of a dark mode on the web app?'],
    ['@oakhaven could you show the dimensions in the product photos?'],
    ['@pennywise let me set my own categories, the defaults are way off'],
    ['@oakhaven please let gift cards be used online'],
    ['@pennywise an Apple Watch app would be nice'],
  ])('reads "%s" as a feature request', (text) => {
    expect(classify(text, text.includes('oakhaven') ? oakhaven : pennywise).intent).toBe('feature-request');
  });

  it.each([
    ['French', "@pennywise ce serait génial de pouvoir exporter en PDF. Là je dois tout copier à la main."],
    ['Spanish', '@pennywise sería genial poder compartir un presupuesto con mi pareja'],
    ['German', '@pennywise wäre toll, wenn ihr einen Export als PDF einbauen könntet'],
    ['Italian', '@pennywise sarebbe utile poter esportare i dati in Excel'],
    ['Dutch', '@pennywise het zou handig zijn als jullie een donkere modus toevoegen'],
  ])('reads a %s wish as a feature request, not praise', (_language, text) => {
    const c = classify(text, pennywise);
    expect(c.intent).toBe('feature-request');
    expect(c.flags).not.toContain('happy');
  });

  it('does not read a plea for help as a feature request', () => {
    expect(classify('can you help me, my card was declined @pennywise', pennywise).intent).not.toBe('feature-request');
  });

  it('does not read "could you let me know" as a wish', () => {
    const c = classify('Hi @pennywise, could you let me know why my transfer is still pending? It was sent Monday.', pennywise);
    expect(c.intent).not.toBe('feature-request');
    expect(classify('@pennywise could you let me export my budgets as csv?', pennywise).intent).toBe('feature-request');
  });
});

describe('a problem put right fast is praise', () => {
  it.each([
    ['lost my card abroad, froze it in the Pennywise app and the new one arrived the next day. brilliant'],
    ['Had a fraud claim with Pennywise last month. Refunded in 48 hours, no arguing. 10/10'],
  ])('reads "%s" as happy praise', (text) => {
    const c = classify(text, pennywise);
    expect(c.polarity).toBe('positive');
    expect(c.intent).toBe('praise');
    expect(c.flags).toContain('happy');
  });

  it('reads a quick fix with no praise word as positive praise', () => {
    const c = classify('Pennywise refund flow took two minutes. first real problem in years', pennywise);
    expect(c.polarity).toBe('positive');
    expect(c.intent).toBe('praise');
  });

  it('does not read a promised refund that never came as praise', () => {
    const c = classify('Pennywise said it would be refunded in 5 days. it has been 3 weeks', pennywise);
    expect(c.polarity).toBe('negative');
  });
});

describe('a problem the author says is over', () => {
  it.each([
    ['pennywise app would not load last night, worked fine this morning so whatever'],
    ["pennywise didn't sync my budget yesterday but it turned up this morning, all good"],
    ['pennywise servers were a mess last night but did 6 transfers this morning without a single error'],
    ["pennywise website kept erroring first thing but it's working now"],
  ])('reads "%s" as other and neutral, needing no reply', (text) => {
    const c = classify(text, pennywise);
    expect(c.intent).toBe('other');
    expect(c.polarity).toBe('neutral');
    expect(c.needsReply).toBe(false);
  });

  it('keeps an angry complaint angry even when the fault is fixed', () => {
    const c = classify("it's fixed now but I lost 3 hours of work. UNACCEPTABLE @pennywise", pennywise);
    expect(c.polarity).toBe('negative');
  });

  it('does not read praise that ends "all good" as a fixed problem', () => {
    expect(classify('Oakhaven delivery team were lovely, sofa in place, all good. Thank you!', oakhaven).needsReply).toBe(true);
  });
});

describe('a small group is not many users', () => {
  it('reads a fault for everyone in the author\'s team as a bug, not an outage', () => {
    expect(classify('@pennywise due dates show one day early for everyone in our team in Australia. timezone bug?', pennywise).intent).toBe('bug');
  });
});

import { describe, expect, it } from 'vitest';
import type { BrandTerms } from '../../src/core/classification.js';
import { classify } from '../../src/core/classify.js';

// Churn threats and word of mouth, written by the team for invented brands: an internet
// provider (Brightwave), a meal-kit service (Crumbly), an accounting app (Tallyho).
const brightwave: BrandTerms = { names: ['Brightwave'], handles: ['@brightwave'] };
const tallyho: BrandTerms = { names: ['Tallyho'], handles: ['@tallyho'] };

describe('churn-risk', () => {
  it.each([
    ['an ultimatum', "if @brightwave isn't back by tonight I'm moving the whole office to another provider"],
    ['cancelling', 'cancelling my Brightwave contract the minute this month ends'],
    ['closing the account', 'closing our account with @tallyho after this invoice mess'],
    ['looking elsewhere', 'third outage this week. seriously looking at other providers now @brightwave'],
    ['switching to a named rival', 'switching from @brightwave to @fibreco next week, done waiting'],
    ['taking business elsewhere', 'we will take our business elsewhere if support keeps ignoring us @tallyho'],
    ['warning others away', "stay away from @brightwave, they charge you for months after you leave"],
    ['never again', 'never again @tallyho. lost a whole day of invoicing'],
    ['porting a number', 'porting my number out of Brightwave tomorrow'],
    ['leaving for someone unnamed', 'switched from @brightwave to a local fibre co-op, double the speed for half the price'],
    ['leaving for a named rival', 'left @tallyho for a spreadsheet and a cheaper app last month'],
  ])('flags %s', (_kind, text) => {
    const c = classify(text, text.includes('tallyho') || text.includes('Tallyho') ? tallyho : brightwave);
    expect(c.flags).toContain('churn-risk');
    expect(c.polarity).toBe('negative');
    expect(c.evidence.some((e) => e.startsWith('churn: '))).toBe(true);
  });

  it('reads a switch from another provider to the brand as word of mouth, not as leaving', () => {
    const c = classify('switched from @fibreco to @brightwave last month, so much better', brightwave);
    expect(c.flags).not.toContain('churn-risk');
    expect(c.polarity).toBe('positive');
  });

  it('does not flag a customer saying they are staying', () => {
    expect(classify("not switching, @brightwave has been solid for me", brightwave).flags).not.toContain('churn-risk');
    expect(classify("I would never leave @tallyho, it saves me hours", tallyho).flags).not.toContain('churn-risk');
  });

  it('does not flag advice that only mentions using the product', () => {
    expect(classify('the Tallyho export is handy even if you do not use them for invoices', tallyho).flags).not.toContain('churn-risk');
  });

  it('asks how to cancel as billing, with the churn risk flagged', () => {
    const c = classify('@tallyho how do I cancel my subscription?', tallyho);
    expect(c.intent).toBe('billing');
    expect(c.flags).toContain('churn-risk');
  });
});

describe('word of mouth', () => {
  it.each([
    ['a switch to the brand', 'switched our whole team to @tallyho last quarter, never going back'],
    ['telling others', 'told three other cafe owners to try @tallyho this week'],
    ['running on it', 'our whole bookkeeping runs on @tallyho now'],
    ['never looking back', 'moved the shop over to @tallyho in March and never looking back'],
  ])('reads %s as happy praise', (_kind, text) => {
    const c = classify(text, tallyho);
    expect(c.polarity).toBe('positive');
    expect(c.flags).toContain('happy');
    expect(c.intent).toBe('praise');
  });

  it('reads a switch away from the brand as churn, not word of mouth', () => {
    const c = classify('switched from @tallyho to @ledgerline and never looking back', tallyho);
    expect(c.flags).toContain('churn-risk');
    expect(c.flags).not.toContain('happy');
  });

  it('reads a plain recommendation with mixed words as happy', () => {
    const c = classify('cheap, boring, works. 10/10 would recommend @tallyho', tallyho);
    expect(c.flags).toContain('happy');
  });
});

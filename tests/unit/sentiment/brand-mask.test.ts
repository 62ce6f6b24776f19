import { describe, expect, it } from 'vitest';
import { maskBrand } from '../../../src/core/sentiment/brand-mask.js';

describe('brand masking', () => {
  it('masks names and handles in any case, whether the caller reuses the terms or builds them per mention', () => {
    const text = 'Loved @AcmeAir, Acme Air rocks';
    const once = { names: ['Acme Air'], handles: ['@acmeair'] };
    expect(maskBrand(text, once)).toBe('Loved @brand , @brand rocks');
    expect(maskBrand(text, { names: ['Acme Air'], handles: ['acmeair'] })).toBe(maskBrand(text, once));
  });

  it('leaves the name alone inside a longer word, a hashtag or another handle', () => {
    const brand = { names: ['United'], handles: ['@united'] };
    expect(maskBrand('reunited at last #unitedway @unitedfan', brand)).toBe('reunited at last #unitedway @unitedfan');
  });
});

describe('brand masking and the phrase cues', () => {
  it('leaves single spaces around the mask, so a cue reads across the brand name', async () => {
    const { classify } = await import('../../../src/core/classify.js');
    const brand = { names: ['Questory'], handles: ['@questory'] };
    expect(maskBrand('selling Questory accounts', brand)).toBe('selling @brand accounts');
    expect(classify('Selling Questory accounts, all skins, cheap, DM me', brand).intent).toBe('spam');
  });
});

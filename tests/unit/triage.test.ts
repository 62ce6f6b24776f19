import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/schema.js';
import { isFromBrand, triage } from '../../src/core/triage.js';
import { aMention } from '../support/fixtures.js';

describe('the triage pass with the shipped config', () => {
  let config: Config;
  beforeAll(async () => {
    config = await loadConfig('config');
  });

  it('judges, routes and drafts a reply for a customer complaint', () => {
    const result = triage(aMention({ text: '@parcelly you charged me twice for one label. I want a refund!!' }), config);
    expect(result.classification.polarity).toBe('negative');
    expect(result.route.rule).not.toBe('own-posts');
    expect(result.reply.text).toMatch(/Dana/);
    expect(result.reach).toBe(1200);
  });

  it('reads the text cleaned of invisible characters but keeps the original on the mention', () => {
    const text = 'you char\u200bged me twice';
    const result = triage(aMention({ text }), config);
    expect(result.mention.text).toBe(text);
    expect(result.classification.evidence.join(' ')).not.toContain('\u200b');
  });

  it("puts the brand's own posts last in line, with no reply draft", () => {
    const own = triage(aMention({ text: "We're seeing label errors, fix on the way. Sorry!", author: { handle: 'parcelly', name: 'Parcelly', followers: 38_000 } }), config);
    expect(own.route).toMatchObject({ rule: 'own-posts', priority: 4 });
    expect(own.reply.template).toBe('own-post');
  });

  it('knows the brand by any of its handles, a Mastodon handle with its instance', () => {
    const brand = { names: ['Parcelly'], handles: ['parcelly', 'parcelly.app', 'parcelly@mastodon.social'] };
    expect(isFromBrand(aMention({ author: { handle: 'Parcelly', name: 'P', followers: 1 } }), brand)).toBe(true);
    expect(isFromBrand(aMention({ source: 'mastodon', author: { handle: 'parcelly@mastodon.social', name: 'P', followers: 1 } }), brand)).toBe(true);
    expect(isFromBrand(aMention({ source: 'mastodon', author: { handle: 'parcelly@evil.example', name: 'P', followers: 1 } }), brand)).toBe(false);
    expect(isFromBrand(aMention({ source: 'bluesky', author: { handle: 'parcelly.app', name: 'P', followers: 1 } }), brand)).toBe(true);
    expect(isFromBrand(aMention({ author: { handle: 'parcellyfan', name: 'P', followers: 1 } }), brand)).toBe(false);
  });
});

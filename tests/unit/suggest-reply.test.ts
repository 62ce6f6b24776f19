import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { templatesFileSchema } from '../../src/config/schema.js';
import type { Classification } from '../../src/core/classification.js';
import type { Mention, Platform } from '../../src/core/mention.js';
import { PLATFORM_LIMITS, replyLength } from '../../src/core/platform-limits.js';
import { type ReplyTemplates, suggestReply } from '../../src/core/suggest-reply.js';

const shipped: ReplyTemplates = templatesFileSchema.parse(
  parse(readFileSync(new URL('../../config/templates.yaml', import.meta.url), 'utf8')),
);
const brand = { name: 'Parcelly' };

function mention(m: Partial<Mention> = {}, author: Partial<Mention['author']> = {}): Mention {
  return {
    source: 'x',
    id: '1001',
    text: 'Parcelly charged me twice!!',
    createdAt: '2025-01-01T00:00:00Z',
    ...m,
    author: { handle: 'sam_ships', name: 'Sam Lee', followers: 10, ...author },
  };
}

function mood(c: Partial<Classification> = {}): Classification {
  return { polarity: 'neutral', score: 0, flags: [], intent: 'other', severity: 0, evidence: [], ...c };
}

const one = (variant: string, extra: Partial<ReplyTemplates['templates'][number]> = {}): ReplyTemplates => ({
  templates: [{ id: 't', variants: [variant], ...extra }],
});

describe('suggestReply', () => {
  it('fills every placeholder', () => {
    const reply = suggestReply(
      { mention: mention(), classification: mood({ intent: 'billing' }) },
      one('Hi {name} ({handle}), {brand} is on {topic}.'),
      brand,
    );
    expect(reply).toEqual({ text: 'Hi Sam (@sam_ships), Parcelly is on the billing issue.', template: 't#0' });
  });

  it('uses @handle when the display name does not read as a name', () => {
    const tpl = one('Thanks {name}.');
    for (const name of ['🚚📦', 'sam_ships', 'X', 'PARCELLY SUCKS', '123']) {
      expect(suggestReply({ mention: mention({}, { name }), classification: mood() }, tpl, brand).text).toBe('Thanks @sam_ships.');
    }
  });

  it('cannot be made to ping @everyone through the author name or handle', () => {
    const tpl = one('Thanks {name} {handle}.');
    for (const [name, handle] of [['@everyone hi', 'sam'], ['<@&1234> x', 'sam'], ['Sam', 'everyone'], ['**Sam**', 'here`']]) {
      const { text } = suggestReply({ mention: mention({}, { name: name!, handle: handle! }), classification: mood() }, tpl, brand);
      expect(text).not.toMatch(/@(everyone|here)\b/i);
      expect(text).not.toMatch(/[<>*`]/);
    }
  });

  it('picks the entry by intent and mood, first match wins', () => {
    const templates: ReplyTemplates = {
      templates: [
        { id: 'billing.angry', when: { intent: ['billing'], mood: ['angry'] }, variants: ['a'] },
        { id: 'unhappy', when: { mood: ['unhappy'] }, variants: ['u'] },
        { id: 'happy', when: { mood: ['happy'] }, variants: ['h'] },
        { id: 'other', variants: ['o'] },
      ],
    };
    const pick = (c: Partial<Classification>) => suggestReply({ mention: mention(), classification: mood(c) }, templates, brand).template;
    expect(pick({ intent: 'billing', flags: ['angry'], polarity: 'negative' })).toBe('billing.angry#0');
    expect(pick({ intent: 'billing', polarity: 'negative' })).toBe('unhappy#0');
    expect(pick({ polarity: 'positive' })).toBe('happy#0');
    expect(pick({ flags: ['happy'] })).toBe('happy#0');
    expect(pick({})).toBe('other#0');
  });

  it('gives different people different wordings, and one mention always the same', () => {
    const c = mood({ intent: 'praise', flags: ['happy'], polarity: 'positive' });
    const templates = Array.from({ length: 20 }, (_, i) => suggestReply({ mention: mention({ id: `id-${i}` }), classification: c }, shipped, brand).template);
    expect(new Set(templates).size).toBeGreaterThan(1);
    for (let i = 0; i < 20; i += 1) {
      expect(suggestReply({ mention: mention({ id: `id-${i}` }), classification: c }, shipped, brand).template).toBe(templates[i]);
    }
  });

  it('appends the make-good to billing and outage replies only', () => {
    const tpl = one('Sorry {name}.', { makeGood: "We'll credit your account." });
    const reply = (intent: Classification['intent']) => suggestReply({ mention: mention(), classification: mood({ intent }) }, tpl, brand).text;
    expect(reply('billing')).toBe("Sorry Sam. We'll credit your account.");
    expect(reply('outage')).toBe("Sorry Sam. We'll credit your account.");
    expect(reply('bug')).toBe('Sorry Sam.');
  });

  const long = Array.from({ length: 120 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
  it.each(['x', 'bluesky', 'mastodon', 'reddit'] as Platform[])('fits a long reply into the %s limit, counting the @handle', (source) => {
    const { text } = suggestReply({ mention: mention({ source }), classification: mood() }, one(long), brand);
    const prefix = ['x', 'bluesky', 'mastodon'].includes(source) ? '@sam_ships ' : '';
    expect(replyLength(source, prefix + text)).toBeLessThanOrEqual(PLATFORM_LIMITS[source]);
    expect(replyLength(source, prefix + text)).toBeGreaterThan(PLATFORM_LIMITS[source] - 40);
    expect(text).toMatch(/here\.$/);
  });

  it('cuts between words when even the first sentence is too long', () => {
    const { text } = suggestReply({ mention: mention(), classification: mood() }, one('word '.repeat(100)), brand);
    expect(text).toMatch(/^(word )+word…$/);
    expect(replyLength('x', `@sam_ships ${text}`)).toBeLessThanOrEqual(280);
  });

  it('leaves a short reply whole', () => {
    const { text } = suggestReply({ mention: mention(), classification: mood() }, one('Thanks {name}. See parcelly.app for more.'), brand);
    expect(text).toBe('Thanks Sam. See parcelly.app for more.');
  });
});

describe('the shipped templates', () => {
  const variants = shipped.templates.flatMap((t) => [...t.variants, ...(t.makeGood ? [t.makeGood] : [])].map((v) => [t.id, v] as const));

  it.each(variants)('%s never over-promises or talks down: %s', (_, variant) => {
    expect(variant).not.toMatch(/guarantee|immediately|never happen again|promise|right away|asap|100%|definitely/i);
    expect(variant).not.toMatch(/\b(simply|just|obviously|clearly|as I said|you should have|of course)\b/i);
  });

  it('apologise in every variant for an angry complaint, outage, billing or bug', () => {
    const angry = shipped.templates.filter((t) => t.when?.mood?.includes('angry') && t.when.intent?.some((i) => ['complaint', 'outage', 'billing', 'bug'].includes(i)));
    expect(angry.map((t) => t.id).sort()).toEqual(['billing.angry', 'bug.angry', 'complaint.angry', 'outage.angry']);
    for (const t of angry) for (const v of t.variants) expect(v).toMatch(/sorry|apolog/i);
  });

  it('give a next step in every reply to a problem', () => {
    const problems = shipped.templates.filter((t) => t.when?.mood?.some((m) => m === 'angry' || m === 'unhappy'));
    for (const t of problems) for (const v of t.variants) expect(v).toMatch(/\{dm\}/);
  });

  it('have at least two variants per entry and fit X without cutting', () => {
    for (const t of shipped.templates) {
      expect(t.variants.length).toBeGreaterThanOrEqual(2);
      for (const v of t.variants) {
        const filled = v.replace(/\{name\}/g, 'Alexandra').replace(/\{handle\}/g, '@a_long_handle_1').replace(/\{brand\}/g, 'Parcelly').replace(/\{topic\}/g, 'the billing issue').replace(/\{dm\}/g, 'DM us')
          .replace(/\{detail\}/g, 'the customs form builder').replace(/\{ask\}/g, 'with the email on your account and the date of the charge').replace(/\{incident\}/g, 'Label printing has been down since 10:20');
        expect(replyLength('x', `@a_long_handle_1 ${filled}`), `${t.id}: ${v}`).toBeLessThanOrEqual(280);
      }
    }
  });
});

describe('replies that fit the platform', () => {
  const draft = (source: Platform, support?: { email?: string; url?: string }) =>
    suggestReply({ mention: mention({ source }), classification: mood({ intent: 'billing' }) }, one('Sorry, {name}. {dm} with your account email.'), { name: 'Parcelly', ...(support ? { support } : {}) }).text;

  it('move the conversation private the way each platform allows, and only there', () => {
    expect(draft('x')).toBe('Sorry, Sam. DM us with your account email.');
    expect(draft('bluesky')).toBe('Sorry, Sam. DM us with your account email.');
    expect(draft('mastodon')).toBe('Sorry, Sam. Send us a private mention with your account email.');
    expect(draft('reddit')).toBe('Sorry, Sam. Message us on Reddit with your account email.');
    // Hacker News and feeds have no private messages: the support contact instead.
    expect(draft('hackernews', { email: 'help@parcelly.example' })).toBe('Sorry, Sam. Email us at help@parcelly.example with your account email.');
    expect(draft('rss', { url: 'https://help.parcelly.example' })).toBe('Sorry, Sam. Write to us at https://help.parcelly.example with your account email.');
    expect(draft('hackernews')).toBe('Sorry, Sam. Contact our support team with your account email.');
  });

  it('never say "DM" on Hacker News or in a feed with the shipped templates', () => {
    for (const intent of ['complaint', 'outage', 'billing', 'bug', 'question', 'praise', 'feature-request', 'other'] as const) {
      for (const polarity of ['negative', 'neutral', 'positive'] as const) {
        const text = suggestReply({ mention: mention({ source: 'hackernews' }), classification: mood({ intent, polarity }) }, shipped, brand).text;
        expect(text, `${intent}/${polarity}`).not.toMatch(/\bDM\b/);
      }
    }
  });

  it('keep a handle exactly as the platform writes it', () => {
    const text = suggestReply({ mention: mention({ source: 'mastodon' }, { handle: 'wren@mastodon.social', name: 'wren' }), classification: mood() }, one('Hi {name} ({handle})'), brand).text;
    expect(text).toBe('Hi @wren@mastodon.social (@wren@mastodon.social)');
  });

  it('greet a person by first name and anything else by handle', () => {
    const greet = (name: string) => suggestReply({ mention: mention({}, { name, handle: 'h_1' }), classification: mood() }, one('Hi {name}'), brand).text;
    expect(['Dana Reyes', 'Mo', 'José Ángel', 'Mary-Jane Watson', 'Low Tide Threads', 'Kiln & Crate Ceramics', 'rt', 'Followers', 'Customer Care', 'DANA', 'Shop 42'].map(greet)).toEqual([
      'Hi Dana',
      'Hi Mo',
      'Hi José',
      'Hi Mary-Jane',
      'Hi @h_1',
      'Hi @h_1',
      'Hi @h_1',
      'Hi @h_1',
      'Hi @h_1',
      'Hi @h_1',
      'Hi @h_1',
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { templatesFileSchema } from '../../src/config/schema.js';
import type { Classification } from '../../src/core/classification.js';
import type { Incident } from '../../src/core/incident.js';
import type { Mention } from '../../src/core/mention.js';
import { askPhrase, detailPhrase, readDetails } from '../../src/core/reply-details.js';
import { type ReplyTemplates, suggestReply } from '../../src/core/suggest-reply.js';
import { redraft, type TriagePolicy } from '../../src/core/triage.js';

const shipped: ReplyTemplates = templatesFileSchema.parse(parse(readFileSync(new URL('../../config/templates.yaml', import.meta.url), 'utf8')));
const brand = { name: 'Parcelly' };

function mention(text: string, m: Partial<Mention> = {}): Mention {
  return { source: 'x', id: '1001', text, createdAt: '2026-11-16T10:00:00Z', ...m, author: { handle: 'sam_ships', name: 'Sam Lee', followers: 10 } };
}

function judged(c: Partial<Classification> = {}): Classification {
  return { polarity: 'negative', score: -0.5, flags: [], intent: 'complaint', severity: 2, evidence: [], ...c };
}

const one = (variant: string): ReplyTemplates => ({ templates: [{ id: 't', variants: [variant] }] });
const draft = (text: string, c: Partial<Classification>, templates: ReplyTemplates = one('Sorry about {detail}. {dm} {ask} and we will check it.'), extra: { incident?: Incident; m?: Partial<Mention> } = {}) =>
  suggestReply({ mention: mention(text, extra.m), classification: judged(c), ...(extra.incident ? { incident: extra.incident } : {}) }, templates, brand);

describe('what the customer told us', () => {
  it('reads the amount and how often it was charged, an order number, the feature named', () => {
    expect(readDetails('You charged me $49.99 twice this month')).toMatchObject({ amount: '$49.99', repeated: 'twice', about: 'account' });
    expect(readDetails('Two identical 29,00 € charges on the 15th')).toMatchObject({ amount: '29,00 €', repeated: 'twice' });
    expect(readDetails('order #48213 never arrived')).toMatchObject({ orderNumber: '48213', about: 'order' });
    expect(readDetails('the reprint button is gone since the update')).toMatchObject({ feature: 'the reprint button' });
    expect(readDetails('label printing is broken again')).toMatchObject({ feature: 'label printing' });
    expect(readDetails('@parcelly.app dark mode pls')).toMatchObject({ feature: 'dark mode' });
    expect(readDetails('the "Mark as shipped" bulk action only marks 50 orders')).toMatchObject({ feature: '“Mark as shipped”' });
    expect(readDetails('Parcelly is down', ['Parcelly']).feature).toBeUndefined();
    expect(readDetails('#smallbusiness follow for follow').orderNumber).toBeUndefined();
  });

  it('speaks to the detail given, and falls back to the topic', () => {
    expect(detailPhrase(readDetails('charged me $49.99 twice'), 'billing', 'the billing issue')).toBe('the $49.99 charged twice');
    expect(detailPhrase(readDetails('a $12 charge I never made'), 'billing', 'the billing issue')).toBe('the $12 charge');
    expect(detailPhrase(readDetails('order #48213 is lost'), 'complaint', 'the problem')).toBe('order #48213');
    expect(detailPhrase(readDetails('it broke'), 'bug', 'the bug')).toBe('the bug');
  });

  it('asks only for what is missing: no order number for an account or app question, none when given', () => {
    expect(askPhrase(readDetails('my parcel never arrived'), 'complaint')).toBe('with the order number');
    expect(askPhrase(readDetails('order #48213 never arrived'), 'complaint')).toBe('');
    expect(askPhrase(readDetails('I cannot log in to my account'), 'complaint')).toBe('with the email on your account');
    expect(askPhrase(readDetails('how do I add a second user to my account?'), 'question')).toBe('');
    expect(askPhrase(readDetails('charged me $49.99 twice'), 'billing')).toBe('with the email on your account');
    expect(askPhrase(readDetails('weird charge on my card'), 'billing')).toBe('with the email on your account and the date of the charge');
  });
});

describe('drafts that speak to the mention', () => {
  it('fill {detail} and {ask}, leaving no stray space when nothing is asked', () => {
    expect(draft('You charged me $49.99 twice!', { intent: 'billing' }).text).toBe('Sorry about the $49.99 charged twice. DM us with the email on your account and we will check it.');
    expect(draft('order #48213 never arrived', { intent: 'complaint' }).text).toBe('Sorry about order #48213. DM us and we will check it.');
    expect(draft('my parcel never arrived', {}).text).toBe('Sorry about the problem. DM us with the order number and we will check it.');
  });

  it('with the shipped templates, never ask an account or app question for an order number', () => {
    for (const text of ['I cannot log in to my account since this morning, useless', 'how do I add a second user to my account?', 'the export button is broken again']) {
      for (const intent of ['complaint', 'question', 'bug'] as const) {
        expect(draft(text, { intent }, shipped).text, `${intent}: ${text}`).not.toMatch(/order number/i);
      }
    }
  });
});

describe('drafts honest about an incident', () => {
  const active: Incident = { text: 'Label printing has been down since 10:20', state: 'active', since: '2026-11-16T10:20:00Z' };
  const resolved: Incident = { ...active, text: 'Label printing is back since 11:05', state: 'resolved', resolvedAt: '2026-11-16T11:05:00Z' };
  const outage = { intent: 'outage' as const, flags: ['angry' as const] };
  const ids = (incident?: Incident) => Array.from({ length: 6 }, (_, i) => suggestReply({ mention: mention('label printing is down', { id: `m${i}` }), classification: judged(outage), ...(incident ? { incident } : {}) }, shipped, brand));

  it('say what is known while it is active', () => {
    for (const reply of ids(active)) {
      expect(reply.template).toMatch(/^outage\.incident#/);
      expect(reply.text).toContain('Label printing has been down since 10:20');
      expect(reply.text).not.toMatch(/fixed now|works for you/);
    }
  });

  it('say it is fixed once resolved, and ask whether it works for them now', () => {
    for (const reply of ids(resolved)) {
      expect(reply.template).toMatch(/^outage\.resolved#/);
      expect(reply.text).toContain('Label printing is back since 11:05');
      expect(reply.text).toMatch(/works? (for you|again)|try again|another try/);
      expect(reply.text).not.toMatch(/we're on it|looking into it/i);
    }
  });

  it('are the usual outage drafts with no incident, and other topics ignore it', () => {
    for (const reply of ids()) expect(reply.template).toMatch(/^outage\.angry#/);
    const bug = suggestReply({ mention: mention('the reprint button is broken'), classification: judged({ intent: 'bug' }), incident: active }, shipped, brand);
    expect(bug.text).not.toContain('10:20');
  });
});

describe('drafts in the mention language', () => {
  const templates: ReplyTemplates = {
    templates: [
      { id: 'es.unhappy', language: 'es', when: { mood: ['unhappy'] }, variants: ['Lo sentimos, {name}. {dm} con los detalles.'] },
      { id: 'unhappy', when: { mood: ['unhappy'] }, variants: ['Sorry, {name}. {dm} with the details.'] },
      { id: 'other', variants: ['Thanks, {name}.'] },
    ],
  };

  it('picks the entry in the language the classification reads, with {dm} and {topic} in that language', () => {
    expect(draft('mi pedido no llegó', { language: 'es' }, templates)).toEqual({ text: 'Lo sentimos, Sam. Escríbenos por mensaje directo con los detalles.', template: 'es.unhappy#0' });
  });

  it('uses the platform language when the classification cannot tell', () => {
    expect(draft('??', { language: 'und' }, templates, { m: { language: 'es-MX' } }).template).toBe('es.unhappy#0');
  });

  it('falls back to English, saying which language to reply in, when no entry in that language fits', () => {
    expect(draft('ma commande', { language: 'fr' }, templates)).toEqual({ text: 'Sorry, Sam. DM us with the details.', template: 'unhappy#0', replyIn: 'fr' });
    expect(draft('gracias', { language: 'es', polarity: 'positive' }, templates)).toMatchObject({ template: 'other#0', replyIn: 'es' });
    expect(draft('thanks', { language: 'en' }, templates).replyIn).toBeUndefined();
  });

  it('ships Spanish, French, German and Portuguese templates for unhappy customers, questions and thanks', () => {
    for (const language of ['es', 'fr', 'de', 'pt']) {
      for (const c of [{}, { intent: 'question' as const, polarity: 'neutral' as const }, { intent: 'praise' as const, polarity: 'positive' as const, flags: ['happy' as const] }, { intent: 'other' as const, polarity: 'neutral' as const }]) {
        const reply = draft('…', { ...c, language }, shipped);
        expect(reply.template, `${language} ${JSON.stringify(c)}`).toMatch(new RegExp(`^${language}(\\.|#)`));
        expect(reply.replyIn).toBeUndefined();
        expect(reply.text).not.toMatch(/\{|DM us/);
      }
    }
  });
});

describe('redraft', () => {
  const policy = { brand: { name: 'Parcelly', names: ['Parcelly'], handles: ['parcelly'] }, templates: shipped } as unknown as TriagePolicy;
  const outage = { mention: mention('label printing is down'), classification: judged({ intent: 'outage', flags: ['angry'] }), reply: { text: 'old', template: 'outage.incident#0' } };

  it('drafts again under the incident as it is now', () => {
    expect(redraft(outage, policy).template).toMatch(/^outage\.angry#/);
    const resolved: Incident = { text: 'Label printing is back since 11:05', state: 'resolved', since: '2026-11-16T10:20:00Z' };
    expect(redraft(outage, { ...policy, incident: resolved }).text).toContain('Label printing is back since 11:05');
  });

  it("keeps the note on the brand's own posts", () => {
    const own = { ...outage, mention: { ...outage.mention, author: { handle: 'parcelly', name: 'Parcelly', followers: 1 } } };
    expect(redraft(own, policy)).toBe(own.reply);
  });
});

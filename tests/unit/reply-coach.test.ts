import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { templatesFileSchema } from '../../src/config/schema.js';
import type { Classification } from '../../src/core/classification.js';
import type { Mention, Platform } from '../../src/core/mention.js';
import { coachReply, needsReview, type HintCode } from '../../src/core/reply-coach.js';
import { LANGUAGE_PHRASES } from '../../src/core/reply-languages.js';

function mention(source: Platform = 'x', text = 'You charged me twice and nobody answers.'): Mention {
  return { source, id: '1', text, createdAt: '2026-11-16T10:00:00Z', author: { handle: 'dana', name: 'Dana Reyes', followers: 10 } };
}

function judged(c: Partial<Classification> = {}): Classification {
  return { polarity: 'neutral', score: 0, flags: [], intent: 'other', severity: 0, evidence: [], ...c };
}

const angryBilling = judged({ polarity: 'negative', score: -0.8, flags: ['angry'], intent: 'billing', severity: 3 });
const unhappyBug = judged({ polarity: 'negative', score: -0.4, intent: 'bug', severity: 2 });
const happyPraise = judged({ polarity: 'positive', score: 0.8, flags: ['happy'], intent: 'praise' });
const question = judged({ intent: 'question' });

/** A reply the team would be glad to send to an unhappy customer: none of the hints below. */
const GOOD = "Thanks for telling us, Dana, and sorry about the double charge. DM us the email on your account and we'll check it and reply today.";

const codes = (draft: string, c?: Classification, m: Mention = mention()) => coachReply(draft, m, c).map((h) => h.code);
const hint = (draft: string, code: HintCode, c?: Classification, m: Mention = mention()) => coachReply(draft, m, c).find((h) => h.code === code);

describe('coachReply', () => {
  it('has nothing to say about a reply that thanks, apologises, says what happens next and when', () => {
    expect(coachReply(GOOD, mention(), angryBilling)).toEqual([]);
    expect(coachReply('Thank you so much, Dana! That made our day.', mention(), happyPraise)).toEqual([]);
  });

  it('asks for thanks or an acknowledgement, more firmly when the customer is unhappy', () => {
    expect(hint("We'll check the charge and reply today. DM us your account email.", 'no-acknowledgement', angryBilling)).toMatchObject({ severity: 'warn', words: [] });
    expect(hint('Here is the link to the docs: https://help.example/start', 'no-acknowledgement', question)).toMatchObject({ severity: 'info' });
    for (const ack of ['We hear you, Dana.', 'Good catch, Dana.', 'That sounds frustrating.', 'Gracias, Dana.', 'Sorry, Dana.']) {
      expect(codes(`${ack} We'll check it today.`, unhappyBug)).not.toContain('no-acknowledgement');
    }
  });

  it('asks for an apology when an unhappy customer reports a failure, and only then', () => {
    expect(hint("Thanks, Dana. DM us your account email and we'll check it today.", 'no-apology', angryBilling)).toMatchObject({ severity: 'warn' });
    expect(codes("Thanks, Dana. That's our mistake. We'll fix it today.", angryBilling)).not.toContain('no-apology');
    expect(codes("Thanks, Dana. We'll look at it today.", question)).not.toContain('no-apology');
    expect(codes('Thanks, Dana!', happyPraise)).not.toContain('no-apology');
  });

  it('asks for a next step, and a time they will hear back, on a problem', () => {
    expect(hint('Thanks for telling us, Dana, and sorry about that.', 'no-next-step', unhappyBug)).toMatchObject({ severity: 'warn' });
    expect(hint("Thanks, Dana, and sorry. We're looking into it.", 'no-follow-up-time', unhappyBug)).toMatchObject({ severity: 'info' });
    for (const when of ["We'll reply here within 2 hours.", "We'll update you once it's fixed.", "We'll be back to you by 3pm.", "We'll check back tomorrow."]) {
      expect(codes(`Thanks, Dana, and sorry. ${when}`, unhappyBug), when).toEqual([]);
    }
    // Praise needs no next step.
    expect(codes('Thank you, Dana!', happyPraise)).toEqual([]);
  });

  it.each([
    ['Simply restart the app, Dana.', 'Simply'],
    ['Thanks Dana. Obviously the label needs a printer.', 'Obviously'],
    ['Thanks Dana. As I said, the export is in settings.', 'As I said'],
    ['Thanks Dana. You should have picked express shipping.', 'You should have'],
    ['Thanks Dana. Just click Reprint and it works.', 'Just click'],
    ['Thanks Dana. Please read the manual first.', 'read the manual'],
  ])('flags talking down: %s', (draft, word) => {
    expect(hint(draft, 'condescending', question)).toMatchObject({ severity: 'warn', words: [word] });
  });

  it.each([
    ['Sorry Dana, we guarantee a refund.', 'guarantee'],
    ['Sorry Dana, this will never happen again.', 'never happen again'],
    ["Sorry Dana, we'll refund you immediately.", 'immediately'],
    ['Sorry Dana, we promise it is fixed by tonight.', 'we promise'],
    ["Sorry Dana, we'll sort it right away.", 'right away'],
  ])('flags over-promising: %s', (draft, word) => {
    expect(hint(draft, 'over-promise', unhappyBug)).toMatchObject({ severity: 'warn', words: [word] });
  });

  it.each([
    ['Sorry Dana, but you entered the wrong address.', 'you entered the wrong'],
    ['Sorry Dana, that was user error on checkout.', 'user error'],
    ["Sorry Dana, the delay is the courier's fault.", "the courier's fault"],
    ["Sorry Dana, it's not our fault: the bank held the payment.", 'not our fault'],
    ['Sorry Dana, this is out of our hands.', 'out of our hands'],
    ['Sorry Dana, the airline is responsible for lost bags.', 'airline is responsible'],
  ])('flags blame on the customer or a third party: %s', (draft, word) => {
    expect(hint(draft, 'blame', unhappyBug)).toMatchObject({ severity: 'warn', words: [word] });
  });

  it('flags a cheerful tone to an angry customer (exclamation marks, upbeat words, emoji), and only to an angry one', () => {
    const draft = "Awesome news, Dana! We'll sort it today 😊 Sorry for the trouble.";
    expect(hint(draft, 'cheerful-to-angry', angryBilling)).toMatchObject({ severity: 'warn', words: ['Awesome', '!', '😊'] });
    expect(codes(draft, unhappyBug)).not.toContain('cheerful-to-angry');
    expect(codes(GOOD, angryBilling)).not.toContain('cheerful-to-angry');
  });

  it('blocks a reply too long for the platform, counted as the platform counts', () => {
    const long = `Sorry Dana. ${'We are on it. '.repeat(25)}We'll reply today.`;
    expect(hint(long, 'too-long', unhappyBug, mention('x'))).toMatchObject({ severity: 'block', message: expect.stringMatching(/^Too long for x: \d+ of 280 characters/) });
    expect(codes(long, unhappyBug, mention('mastodon'))).not.toContain('too-long');
    // Mastodon counts the handle it adds, and a link as 23 characters.
    const withLink = `Sorry Dana, thanks. See https://help.example/${'a'.repeat(600)} and we'll reply today.`;
    expect(codes(withLink, unhappyBug, mention('mastodon'))).not.toContain('too-long');
  });

  it('blocks asking in public for private data, and asking anywhere for secrets', () => {
    expect(hint("Sorry Dana. Reply here with your full address and we'll resend it today.", 'private-data', unhappyBug)).toMatchObject({ severity: 'block', words: ['full address'] });
    expect(hint("Sorry Dana. What's your account number? We'll check it today.", 'private-data', unhappyBug)).toMatchObject({ words: ['account number'] });
    expect(codes("Sorry Dana. DM us your account number and we'll check it today.", unhappyBug)).not.toContain('private-data');
    expect(hint("Sorry Dana. DM us your card number and password and we'll check it today.", 'private-data', unhappyBug)).toMatchObject({ words: ['card number', 'password'] });
    // Saying what not to share, or asking for the last four digits, is not asking.
    expect(codes("Sorry Dana. We'll never ask for your password. Check your settings today.", unhappyBug)).not.toContain('private-data');
    expect(codes("Sorry Dana. DM us the last four digits of the card number and we'll check it today.", unhappyBug)).not.toContain('private-data');
  });

  it('blocks asking for a DM where the platform has none', () => {
    expect(hint("Sorry Dana. DM us and we'll check it today.", 'no-private-channel', unhappyBug, mention('hackernews'))).toMatchObject({ severity: 'block', message: expect.stringContaining('Hacker News has no private messages'), words: ['DM'] });
    expect(hint("Sorry Dana. Send us a private message and we'll check it today.", 'no-private-channel', unhappyBug, mention('rss'))).toMatchObject({ words: ['private message'] });
    expect(codes("Sorry Dana. Email us at help@parcelly.example and we'll check it today.", unhappyBug, mention('hackernews'))).not.toContain('no-private-channel');
    expect(codes("Sorry Dana. DM us and we'll check it today.", unhappyBug, mention('reddit'))).not.toContain('no-private-channel');
  });

  it('lists blocks first, then warnings, then notes, and says when a reply should be held', () => {
    const hints = coachReply('Simply DM us your password!', mention('hackernews'), angryBilling);
    const severities = hints.map((h) => h.severity);
    expect(severities).toEqual([...severities].sort((a, b) => ['block', 'warn', 'info'].indexOf(a) - ['block', 'warn', 'info'].indexOf(b)));
    expect(needsReview(hints)).toBe(true);
    expect(needsReview(coachReply("Thanks, Dana, and sorry. We're on it.", mention(), unhappyBug))).toBe(false);
  });

  it('checks only what the draft and platform show when there is no classification', () => {
    expect(codes('Simply DM us.', undefined, mention('hackernews'))).toEqual(['no-private-channel', 'condescending', 'no-acknowledgement']);
  });
});

describe('the shipped templates, read by the coach', () => {
  const shipped = templatesFileSchema.parse(parse(readFileSync(new URL('../../config/templates.yaml', import.meta.url), 'utf8')));
  const moods: Record<string, Partial<Classification>> = {
    angry: { polarity: 'negative', flags: ['angry'] },
    unhappy: { polarity: 'negative' },
    neutral: {},
    happy: { polarity: 'positive', flags: ['happy'] },
  };
  const cases = shipped.templates.flatMap((t) => t.variants.map((v, i) => [`${t.id}#${i}`, t, v] as const));

  it.each(cases)('%s needs no second look', (_, t, variant) => {
    const c = judged({ intent: t.when.intent?.[0] ?? 'other', ...moods[t.when.mood?.[0] ?? 'neutral'] });
    const incident = { text: 'Label printing has been down since 10:20' };
    const text = variant
      .replace(/\{name\}/g, 'Dana').replace(/\{handle\}/g, '@dana').replace(/\{brand\}/g, 'Parcelly').replace(/\{topic\}/g, 'the problem')
      .replace(/\{dm\}/g, t.language ? LANGUAGE_PHRASES[t.language]!.dm.direct : 'DM us').replace(/\{detail\}/g, 'the reprint button').replace(/\{ask\}/g, 'with the order number').replace(/\{incident\}/g, incident.text);
    expect(coachReply(text, mention(), c).filter((h) => h.severity !== 'info')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ReplyHint } from '../../src/core/reply-coach.js';
import { coachNotes, parseReviewButton, reviewButtonId, reviewMessage } from '../../src/discord/reply-review.js';
import { aMention } from '../support/fixtures.js';

const warn: ReplyHint = { code: 'condescending', severity: 'warn', message: 'This can read as talking down.', words: ['Simply'] };
const block: ReplyHint = { code: 'private-data', severity: 'block', message: 'Never ask for passwords.', words: ['password'] };
const labels = (m: ReturnType<typeof reviewMessage>) => m.components.flatMap((r) => r.components.map((b) => b.label));

describe('the review of a held reply', () => {
  it('offers Send anyway and Edit for warnings, only Edit for a block', () => {
    expect(labels(reviewMessage('x-1', [warn], 'Simply restart it.'))).toEqual(['Send anyway', 'Edit']);
    expect(labels(reviewMessage('x-1', [block, warn], 'Send your password.'))).toEqual(['Edit']);
  });

  it('shows each hint with the words that triggered it, literally, and the text that cannot close its code block', () => {
    const { content } = reviewMessage('x-1', [{ ...warn, words: ['`**x**`'] }], 'Simply ``` restart');
    expect(content).toContain('⚠️ This can read as talking down. (`ʹ**x**ʹ`)');
    expect(content).toContain('```\nSimply `\u200b`` restart\n```');
  });

  it('keeps the whole text inside Discord\'s 2,000 characters, dropping hints first', () => {
    const text = 'a'.repeat(1500);
    const many = Array.from({ length: 20 }, () => ({ ...warn, message: 'm'.repeat(60) }));
    const { content } = reviewMessage('x-1', many, text);
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content).toContain(text);
  });

  it('names its buttons by mention key, and reads them back', () => {
    expect(parseReviewButton(reviewButtonId('send', 'x-186'))).toEqual({ choice: 'send', key: 'x-186' });
    expect(parseReviewButton(reviewButtonId('edit', 'bluesky-ab_c.d'))).toEqual({ choice: 'edit', key: 'bluesky-ab_c.d' });
    expect(parseReviewButton('mt:reply:x-186')).toBeUndefined();
  });

  it('notes the hints on a reply to paste, but not its length (said apart)', () => {
    const mention = aMention({ source: 'hackernews', id: '1', text: 'Parcelly lost my parcel' });
    const classification = { polarity: 'negative' as const, score: -0.5, flags: [], intent: 'complaint' as const, severity: 2 as const, evidence: [] };
    expect(coachNotes("Sorry, Ana. DM us and we'll check it today.", mention, classification)).toMatch(/^\nBefore you post it:\n⛔ Hacker News has no private messages/);
    expect(coachNotes("Sorry, Ana. Email us at help@parcelly.example and we'll check it today.", mention, classification)).toBe('');
  });
});

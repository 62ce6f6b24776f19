import { describe, expect, it } from 'vitest';
import { parseButtonId } from '../../src/core/card-actions.js';
import { gratitudeDraft } from '../../src/core/gratitude.js';
import { threadName, THREAD_NAME_MAX } from '../../src/core/thread-name.js';
import { renderCard, threadLine, type CardMessage, type CardState } from '../../src/discord/card.js';
import { renderStack, stackKeys } from '../../src/discord/card-stack.js';
import { renderDigest } from '../../src/discord/digest-card.js';
import { DIGEST_OPEN_ID, markOpened } from '../../src/discord/digest-open.js';
import { shareText } from '../../src/discord/word-of-mouth.js';
import { parentKeyOf, sameAuthor } from '../../src/pipeline/follow-up.js';
import { aMention, aTriage } from '../support/fixtures.js';

type Component = { type: number; custom_id: string; label?: string; options?: Array<{ label: string; value: string }> };
const rowsOf = (message: CardMessage) => (message.components ?? []) as unknown as Array<{ components: Component[] }>;
const actions = (row: { components: Component[] } | undefined) => (row?.components ?? []).map((b) => parseButtonId(b.custom_id)?.action);

function aState(i: number, overrides: Partial<CardState> = {}): CardState {
  const mention = aMention({ id: `18600000000000000${10 + i}`, text: `Card ${i}: love the new labels`, author: { handle: `fan${i}`, name: `Fan ${i}`, followers: 10 } });
  return { key: `x-18600000000000000${10 + i}`, status: 'new', triage: aTriage(mention), ...overrides };
}

describe('the name of a card thread', () => {
  it('drops mentions and markdown, folds whitespace and stays within 100 characters', () => {
    const name = threadName('@kiln', '@everyone <@123456789012345678> <@&123456789012345678> **BUY** ||now|| <#123456789012345678>\n\n# big  `code` [link](https://x.y)', 'x-1');
    expect(name).not.toMatch(/[*_`|#<>\[\]()]/);
    expect(name).not.toMatch(/@\S/);
    expect(name.startsWith('kiln: everyone BUY now big code link')).toBe(true);
    expect(name.length).toBeLessThanOrEqual(THREAD_NAME_MAX);
  });

  it('cuts on a grapheme, never inside an emoji, and falls back to the key when nothing is left', () => {
    const name = threadName('@🧑‍🚀', '👩🏽‍🚀'.repeat(60), 'x-1');
    expect(name.length).toBeLessThanOrEqual(THREAD_NAME_MAX);
    expect(name.endsWith('…')).toBe(true);
    expect(name).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(name.slice(0, -1)).toMatch(/(👩🏽‍🚀)$/u);
    expect(threadName('@', '**', 'x-186')).toBe('x-186');
  });
});

describe('stacked cards', () => {
  it('add Note… (and Release or Reopen) for each card in the rows Discord has left, never past 5 rows of 5', () => {
    for (let n = 2; n <= 5; n += 1) {
      const states = Array.from({ length: n }, (_, i) => aState(i, i === 0 ? { status: 'claimed', holder: { id: '1', name: '@ann' } } : {}));
      const rows = rowsOf(renderStack(states));
      expect(rows.length).toBeLessThanOrEqual(5);
      for (const row of rows) expect(row.components.length).toBeLessThanOrEqual(5);
      const extra = rows.slice(n).flatMap((row) => row.components);
      const ids = extra.map((b) => b.custom_id);
      expect(new Set([...rows.flatMap((r) => r.components.map((b) => b.custom_id))]).size).toBe(rows.flatMap((r) => r.components).length);
      if (n <= 4) for (const s of states) expect(ids).toContain(`mt:note:${s.key}`);
      if (n <= 3) expect(ids).toContain(`mt:release:${states[0]!.key}`);
      if (n === 5) expect(extra).toEqual([]);
      // Labels say whose card each button is.
      for (const b of extra) expect(b.label).toMatch(/@fan\d$/);
      // The keys are still read from the cards' own rows only.
      expect(stackKeys(renderStack(states) as never)).toEqual(states.map((s) => s.key));
    }
  });
});

describe('word-of-mouth cards', () => {
  it('carry Thank…, Share, Done, Dismiss and Note… in the marketing channel, and support cards keep theirs', () => {
    const state = aState(1);
    const marketing = rowsOf(renderCard(state, 'marketing'));
    expect(actions(marketing[0])).toEqual(['thank', 'share', 'resolve', 'dismiss', 'note']);
    expect(marketing[0]!.components.map((b) => b.label)).toEqual(['Thank…', 'Share', 'Done', 'Dismiss', 'Note…']);
    expect(actions(rowsOf(renderCard({ ...state, status: 'resolved' }, 'marketing'))[0])).toEqual(['reopen', 'share', 'note']);
    expect(actions(rowsOf(renderCard(state, 'support'))[0])).toEqual(['claim', 'reply', 'resolve', 'escalate', 'dismiss']);
    expect(stackKeys(renderCard(state, 'marketing') as never)).toEqual([state.key]);
    expect(stackKeys(renderStack([aState(1), aState(2)], 'marketing') as never)).toEqual([aState(1).key, aState(2).key]);
  });

  it('thank by name with a draft of gratitude, the leads’ own when triage drew one for a happy mention', () => {
    const mention = aMention({ text: 'love it', author: { handle: 'dana', name: 'Dana Reyes', followers: 5 } });
    const unhappy = aTriage(mention);
    expect(gratitudeDraft(unhappy)).toMatch(/Dana/);
    expect(gratitudeDraft(unhappy)).toMatch(/thank/i);
    expect(gratitudeDraft(unhappy)).toBe(gratitudeDraft(unhappy));
    const happy = aTriage(mention, { classification: { polarity: 'positive', score: 0.8, flags: ['happy'], intent: 'praise', severity: 1, evidence: ['love'] }, reply: { text: 'Thanks Dana, from all of us!', template: 'praise#0' } as never });
    expect(gratitudeDraft(happy)).toBe('Thanks Dana, from all of us!');
  });

  it('share the post as a quote with who said it and the link, nothing pinged or formatted', () => {
    const text = shareText(aMention({ text: '@everyone **best** shop\nsecond line', url: 'https://x.com/dana/status/1', author: { handle: 'dana', name: 'Dana', followers: 5 } }));
    expect(text).toContain('> @\u200beveryone \\*\\*best\\*\\* shop\n> second line');
    expect(text).toContain('— Dana (@dana)');
    expect(text).toContain('https://x.com/dana/status/1');
    expect(text.length).toBeLessThanOrEqual(2000);
  });
});

describe('backlog digests', () => {
  it('offer each listed mention in an "Open as card" menu, and mark the one opened', () => {
    const states = [aState(1), aState(2)];
    const digest = renderDigest(states, 0);
    const menu = rowsOf(digest)[0]!.components[0]!;
    expect(menu.custom_id).toBe(DIGEST_OPEN_ID);
    expect(menu.options!.map((o) => o.value)).toEqual(states.map((s) => s.key));
    for (const o of menu.options!) expect(o.label.length).toBeLessThanOrEqual(100);
    const description = (digest.embeds ?? [])[0]!.description!;
    const marked = markOpened(description, states[1]!.key, { id: '1', name: '@**ann**' }, 'https://discord.com/channels/1/2/3');
    const lines = marked.split('\n');
    expect(lines[1]).toContain('📌 [opened as a card](https://discord.com/channels/1/2/3) by @\\*\\*ann\\*\\*');
    expect(lines[0]).not.toContain('📌');
  });
});

describe('card thread lines', () => {
  it('show notes, follow-ups and changes with names and text literally', () => {
    expect(threadLine({ what: 'note', by: { id: '1', name: '@ann' }, text: '<@&123456789012345678> call them' })).toBe('📝 Note by @ann:\n<\u200b@&123456789012345678> call them');
    expect(threadLine({ what: 'follow-up', handle: 'dana', text: 'still broken', url: 'https://x.com/dana/status/2' })).toContain('still broken\nhttps://x.com/dana/status/2');
    expect(threadLine({ what: 'history', action: 'claim', at: '2026-12-03T10:00:00.000Z', by: '@ann', about: 'dana' })).toBe('🕘 Claimed by @ann (about @dana) <t:1796292000:R>');
  });
});

describe('follow-ups', () => {
  it('tie a reply to the post it answers when that may be the same author’s, by account id when both have one', () => {
    const reply = aMention({ id: '2', inReplyTo: { id: '1', handle: 'Dana' }, author: { handle: 'dana', name: 'Dana', followers: 1 } });
    expect(parentKeyOf(reply)).toBe('x-1');
    expect(parentKeyOf({ ...reply, inReplyTo: { id: '1', handle: 'brand' } })).toBeUndefined();
    expect(parentKeyOf({ ...reply, inReplyTo: { id: '1' } })).toBe('x-1');
    expect(parentKeyOf(aMention())).toBeUndefined();
    expect(sameAuthor(reply, aMention({ author: { handle: 'DANA', name: 'D', followers: 1 } }))).toBe(true);
    expect(sameAuthor({ ...reply, author: { ...reply.author, id: '9' } }, aMention({ author: { handle: 'dana', name: 'D', followers: 1, id: '8' } }))).toBe(false);
    expect(sameAuthor(reply, aMention({ source: 'bluesky', author: { handle: 'dana', name: 'D', followers: 1 } }))).toBe(false);
  });
});

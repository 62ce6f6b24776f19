import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { buttonId, parseButtonId, type MentionStatus } from '../../src/core/card-actions.js';
import { renderCard, type CardMessage, type CardState } from '../../src/discord/card.js';
import { renderStack, STACK_MAX, stackKeys } from '../../src/discord/card-stack.js';
import { aMention, aTriage } from '../support/fixtures.js';

type Button = { custom_id: string; label: string; disabled: boolean };

const embedsOf = (message: CardMessage) => (message.embeds ?? []) as APIEmbed[];
const rowsOf = (message: CardMessage) => (message.components ?? []) as unknown as Array<{ components: Button[] }>;

/** Every string Discord counts towards a message's 6,000 embed characters. */
function countedTexts(message: CardMessage): string[] {
  return embedsOf(message).flatMap((e) => [e.title ?? '', e.description ?? '', e.author?.name ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]);
}

/** In UTF-16 code units, which is never less than Discord's own count in code points. */
const embedTotal = (message: CardMessage) => countedTexts(message).reduce((sum, text) => sum + text.length, 0);

function aState(i: number, overrides: Partial<CardState> = {}): CardState {
  const mention = aMention({ id: `18600000000000000${10 + i}`, text: `Card ${i}: my label printed blank again` });
  return { key: `x-18600000000000000${10 + i}`, status: 'new', triage: aTriage(mention), ...overrides };
}

const states = (n: number) => Array.from({ length: n }, (_, i) => aState(i));

/** The worst a mention can bring: 4,000 characters of pings and markdown, long names, cues, reply, context and link. */
function aHostileState(i: number): CardState {
  const text = `@everyone <@&123456789012345678> **buy** ||now|| \u200b\u202e# heading\n> quote ${'`*_~|[]()<>@here '.repeat(400)}`.slice(0, 4000);
  const mention = aMention({
    id: `19${i}`,
    text,
    context: `@everyone ${'**ctx** '.repeat(100)}`,
    url: `https://x.com/a/status/19${i}`,
    author: { handle: 'h'.repeat(200), name: `@everyone ${'n'.repeat(300)}`, followers: 123_456_789, verified: true },
  });
  const triage = aTriage(mention, {
    reply: { text: `\`\`\`@everyone\`\`\` ${'r'.repeat(5000)}`, template: `t${'#'.repeat(300)}` },
    classification: { polarity: 'negative', score: -1, flags: ['angry'], intent: 'complaint', severity: 3, evidence: Array.from({ length: 40 }, () => `\`**${'e'.repeat(200)}`) },
    route: { channel: 'support', rule: 'r'.repeat(500), priority: 0, alsoTo: ['leads', 'marketing'], claimWithinMinutes: 15 },
  });
  const alice = { id: '1', name: `@here ${'a'.repeat(200)}` };
  return {
    key: `x-${'9'.repeat(18)}${i}`,
    status: 'claimed',
    holder: alice,
    sent: { url: `https://x.com/parcelly/status/${'9'.repeat(900)}`, by: alice, at: '2026-12-01T10:00:00.000Z' },
    triage,
  };
}

describe('a card stack', () => {
  it('carries one compact embed and one action row per card, in the same order', () => {
    for (let n = 1; n <= STACK_MAX; n += 1) {
      const stack = renderStack(states(n));
      expect(embedsOf(stack)).toHaveLength(n);
      // A card alone in its message also has its second row (Release, Reopen…) and its "Wrong?" menu;
      // a stack has a row per card, then what fits of the cards' second rows (none for five).
      expect(rowsOf(stack)).toHaveLength(n === 1 ? 3 : Math.min(5, n + (n < 5 ? 1 : 0)));
      rowsOf(stack).slice(0, n).forEach((row, i) => {
        const key = aState(i).key;
        expect(row.components.map((b) => parseButtonId(b.custom_id))).toEqual(['claim', 'reply', 'resolve', 'escalate', 'dismiss'].map((action) => ({ action, key })));
        expect(embedsOf(stack)[i]!.description).toContain(`Card ${i}:`);
        expect(embedsOf(stack)[i]!.footer!.text.startsWith(key)).toBe(true);
      });
      expect(stack.allowed_mentions).toEqual({ parse: [] });
    }
  });

  it("gives every card the buttons of its own card, enabled as that card's status allows", () => {
    const alice = { id: '1', name: '@alice' };
    const mixed: CardState[] = (['new', 'claimed', 'escalated', 'resolved', 'dismissed'] as MentionStatus[]).map((status, i) =>
      aState(i, { status, ...(status === 'new' || status === 'escalated' ? {} : { holder: alice }) }),
    );
    const rows = rowsOf(renderStack(mixed));
    mixed.forEach((state, i) => expect(rows[i]).toEqual(renderCard(state).components![0]));
    const disabled = rows.map((row) => row.components.map((b) => b.disabled));
    expect(disabled).toEqual([
      [false, false, false, false, false],
      [true, false, false, false, false],
      [false, false, false, true, false],
      [true, true, true, true, true],
      [true, true, true, true, true],
    ]);
    expect(rows[1]!.components[0]!.label).toBe('Claimed by @alice');
  });

  it('is exactly the card when it holds one card', () => {
    const alice = { id: '1', name: '@alice' };
    for (const state of [aState(0), aState(1, { status: 'claimed', holder: alice }), aHostileState(0)]) {
      expect(renderStack([state])).toEqual(renderCard(state));
    }
  });

  it("keeps each card's look: colour, mood title, author, mood, severity, reach and status", () => {
    const happy = aState(1, { triage: aTriage(aMention({ id: '2', text: 'love it' }), { classification: { polarity: 'positive', score: 0.8, flags: ['happy'], intent: 'praise', severity: 0, evidence: ['love'] } }) });
    const alice = { id: '1', name: '@alice' };
    const sent = { url: 'https://x.com/parcelly/status/99', by: alice, at: '2026-12-01T10:00:00.000Z' };
    const pair = [aState(0, { status: 'claimed', holder: alice, sent }), happy];
    const stack = renderStack(pair);
    pair.forEach((state, i) => {
      const full = embedsOf(renderCard(state))[0]!;
      const compact = embedsOf(stack)[i]!;
      expect(compact).toMatchObject({ color: full.color, title: full.title, author: full.author, timestamp: full.timestamp });
      for (const name of ['Mood', 'Severity', 'Reach', 'Why', 'Routed', 'Status']) {
        expect(compact.fields!.find((f) => f.name === name)?.value).toBe(full.fields!.find((f) => f.name === name)?.value);
      }
      expect(compact.footer!.text).toBe(full.footer!.text);
    });
    expect(embedsOf(stack).map((e) => e.color)).toEqual([0xd83c3e, 0x3ba55c]);
  });

  it('shows a short suggested reply whole', () => {
    const reply = embedsOf(renderStack(states(5)))[4]!.fields!.find((f) => f.name === 'Suggested reply')!.value;
    expect(reply).toBe('```\nThanks for telling us, Dana, and sorry about the blank labels.\n```');
  });

  it('stays within 6,000 embed characters, with margin, for five cards of the longest hostile input', () => {
    for (let n = 2; n <= STACK_MAX; n += 1) {
      const stack = renderStack(Array.from({ length: n }, (_, i) => aHostileState(i)));
      expect(embedTotal(stack)).toBeLessThanOrEqual(5800);
      expect(embedsOf(stack).length).toBeLessThanOrEqual(10);
      expect(rowsOf(stack).length).toBeLessThanOrEqual(5);
      for (const e of embedsOf(stack)) {
        expect(e.description!.length).toBeLessThanOrEqual(4096);
        expect(e.title!.length).toBeLessThanOrEqual(256);
        expect(e.author!.name.length).toBeLessThanOrEqual(256);
        expect(e.footer!.text.length).toBeLessThanOrEqual(2048);
        expect(e.fields!.length).toBeLessThanOrEqual(25);
        for (const f of e.fields!) {
          expect(f.name.length).toBeLessThanOrEqual(256);
          expect(f.value.length).toBeGreaterThan(0);
          expect(f.value.length).toBeLessThanOrEqual(1024);
        }
      }
      for (const row of rowsOf(stack)) {
        expect(row.components.length).toBeLessThanOrEqual(5);
        for (const b of row.components) {
          expect(b.custom_id.length).toBeLessThanOrEqual(100);
          expect(b.label.length).toBeLessThanOrEqual(80);
        }
      }
    }
  });

  it('still shows each hostile card its text, its key, a cut reply or the way to the draft, and its cues', () => {
    const stack = renderStack(Array.from({ length: 5 }, (_, i) => aHostileState(i)));
    embedsOf(stack).forEach((e, i) => {
      expect(e.description!.length).toBeGreaterThan(150);
      expect(e.description!.endsWith('…')).toBe(true);
      expect(e.footer!.text.startsWith(aHostileState(i).key)).toBe(true);
      const reply = e.fields!.find((f) => f.name === 'Suggested reply')!.value;
      expect(reply === 'Reply… opens the suggested draft' || /^```\n[^]*…\n```$/.test(reply)).toBe(true);
      expect(e.fields!.find((f) => f.name === 'Why')!.value).toMatch(/^`.*\+\d+ more$/);
      expect(e.fields!.find((f) => f.name === 'Status')!.value).not.toContain('see the reply');
    });
  });

  it('pings nobody and shows hostile text literally, invisible characters removed', () => {
    const stack = renderStack(Array.from({ length: 3 }, (_, i) => aHostileState(i)));
    expect(stack.allowed_mentions).toEqual({ parse: [] });
    for (const text of countedTexts(stack)) {
      expect(text).not.toMatch(/@everyone|@here|<@/);
      expect(text).not.toMatch(/[\u200c-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);
    }
    const e = embedsOf(stack)[0]!;
    expect(e.description).not.toMatch(/(?<!\\)\*\*buy|(?<!\\)\|\|now/);
    expect(e.description).toContain('\\*\\*buy\\*\\* \\|\\|now\\|\\|');
    expect(e.description).toContain('\n\\> quote');
    // The reply stays inside its code block: the fences in it cannot close it.
    const reply = e.fields!.find((f) => f.name === 'Suggested reply')!.value;
    expect(reply.slice(3, -3)).not.toContain('```');
  });

  it('refuses an empty stack, more cards than action rows, and the same mention twice', () => {
    expect(() => renderStack([])).toThrow(/1 to 5 cards.*got 0/);
    expect(() => renderStack(states(6))).toThrow(/1 to 5 cards.*got 6/);
    expect(() => renderStack([aState(0), aState(1), aState(0)])).toThrow(/"x-1860000000000000010" twice/);
  });
});

describe('the keys of a posted stack', () => {
  it('reads back the keys of every card, in order, from the message Discord returns', () => {
    for (let n = 1; n <= STACK_MAX; n += 1) {
      const posted = JSON.parse(JSON.stringify({ id: '1', ...renderStack(states(n)) })) as { components?: unknown[] };
      expect(stackKeys(posted)).toEqual(states(n).map((s) => s.key));
    }
  });

  it('reads discord.js components too, and nothing from messages that are not cards', () => {
    const asDiscordJs = { components: ['x-1', 'x-2'].map((key) => ({ components: [{ customId: buttonId('claim', key) }, { customId: buttonId('reply', key) }] })) };
    expect(stackKeys(asDiscordJs)).toEqual(['x-1', 'x-2']);
    expect(stackKeys({})).toEqual([]);
    expect(stackKeys({ components: [{ components: [{ custom_id: 'other-bot:claim' }, { url: 'https://example.com' }] }] })).toEqual([]);
  });
});

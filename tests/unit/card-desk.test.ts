import { describe, expect, it } from 'vitest';
import { parseButtonId } from '../../src/core/card-actions.js';
import { summariseAuthor } from '../../src/core/author-history.js';
import { authorLine, holderLine, renderCard, renderNotice, type CardState } from '../../src/discord/card.js';
import { formatCardForTerminal } from '../../src/discord/terminal-card.js';
import { aTriage } from '../support/fixtures.js';

type Button = { custom_id: string; label: string; disabled: boolean };
const rows = (state: CardState) => (renderCard(state).components as unknown as Array<{ components: Button[] }>).map((row) => row.components);
const base: CardState = { key: 'x-1860000000000000001', status: 'new', triage: aTriage() };
const alice = { id: '400000000000000001', name: '@alice' };
const card = { channelKey: 'support', channelId: '100000000000000001', messageId: '200000000000000001' };

describe('the card of a team desk', () => {
  it('shows the claim due time as a Discord timestamp, and overdue once it has passed', () => {
    const due = { kind: 'claim' as const, at: '2026-12-01T10:30:00.000Z' };
    expect(holderLine({ ...base, due })).toBe('🆕 New, unclaimed\n⏱️ Claim due <t:1796121000:R>');
    expect(holderLine({ ...base, due: { ...due, overdue: true } })).toBe('🆕 New, unclaimed\n⏰ **Claim overdue** (was due <t:1796121000:R>)');
    expect(holderLine({ ...base, status: 'claimed', holder: alice, due: { kind: 'resolve', at: due.at } })).toBe('🙋 Claimed by @alice\n⏱️ Resolve due <t:1796121000:R>');
  });

  it('shows no due time once the mention is closed', () => {
    expect(holderLine({ ...base, status: 'resolved', holder: alice, due: { kind: 'resolve', at: '2026-12-01T10:30:00.000Z' } })).toBe('✅ Resolved by @alice');
  });

  it('shows the last change with who, when, whom and why, names shown literally', () => {
    const at = '2026-12-01T10:00:00.000Z';
    expect(holderLine({ ...base, lastAction: { action: 'release', at, userName: '@alice' } })).toBe('🆕 New, unclaimed\n🕘 Last: Released by @alice <t:1796119200:R>');
    expect(holderLine({ ...base, status: 'claimed', holder: { id: '2', name: '@bob' }, lastAction: { action: 'reassign', at, userName: '@lee', targetName: '@bob' } })).toContain(
      '🕘 Last: Reassigned to @bob by @lee <t:1796119200:R>',
    );
    expect(holderLine({ ...base, status: 'dismissed', lastAction: { action: 'dismiss', at, userName: '@**x**', detail: 'spam <@&1>' } })).toContain('Dismissed by @\\*\\*x\\*\\* <t:1796119200:R>: spam');
  });

  it('puts Release, Take over and Reassign… on a claimed card, Assign… on an unclaimed one and Reopen on a closed one, each with Note…', () => {
    const second = (state: CardState) => rows(state)[1]!.map((b) => [parseButtonId(b.custom_id)?.action, b.label, b.disabled]);
    const note = ['note', 'Note…', false];
    expect(second({ ...base, status: 'claimed', holder: alice })).toEqual([
      ['release', 'Release', false],
      ['takeover', 'Take over', false],
      ['reassign', 'Reassign…', false],
      note,
    ]);
    expect(second(base)).toEqual([['reassign', 'Assign…', false], note]);
    expect(second({ ...base, status: 'escalated' })).toEqual([['reassign', 'Assign…', false], note]);
    for (const status of ['resolved', 'dismissed'] as const) expect(second({ ...base, status, holder: alice })).toEqual([['reopen', 'Reopen', false], note]);
  });
});

describe('messages under a card', () => {
  it('reminds about an unclaimed card without pinging anyone, as a reply to it', () => {
    const body = renderNotice({ kind: 'reminder', card, due: 'claim', dueAt: '2026-12-01T10:30:00.000Z', waitedMinutes: 75 });
    expect(body).toEqual({
      content: '⏰ This mention has waited 1 h 15 min and nobody has claimed it yet (claim was due <t:1796121000:R>). Can someone take it?',
      message_reference: { message_id: card.messageId, fail_if_not_exists: false },
      allowed_mentions: { parse: [], roles: [], users: [] },
    });
  });

  it('nudges the holder past the resolve time, pinging only them', () => {
    const body = renderNotice({ kind: 'reminder', card, due: 'resolve', dueAt: '2026-12-01T10:30:00.000Z', waitedMinutes: 3000, holder: alice });
    expect(body.content).toBe(`⏰ <@${alice.id}>, this mention has been open for 2 d; it was due to be resolved <t:1796121000:R>. Resolve it, or Release it so someone else can.`);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [], users: [alice.id] });
  });

  it('pings the lead role under a card escalated again, and only it', () => {
    const body = renderNotice({ kind: 'escalated-again', card, escalatedBy: '@bob **now**', leadRoleId: '300000000000000001' });
    expect(body.content).toBe('<@&300000000000000001> Escalated again by @bob \\*\\*now\\*\\*');
    expect(body.allowed_mentions).toEqual({ parse: [], roles: ['300000000000000001'], users: [] });
  });

  it('reads in a terminal with the time in UTC and the role by id', () => {
    const text = formatCardForTerminal(renderNotice({ kind: 'escalated-again', card, escalatedBy: '@bob', leadRoleId: '300000000000000001' }), 'leads');
    expect(text).toContain('@role:300000000000000001 Escalated again by @bob');
    const due = formatCardForTerminal(renderCard({ ...base, due: { kind: 'claim', at: '2026-12-01T10:30:00.000Z' } }), 'support');
    expect(due).toContain('Claim due 2026-12-01 10:30 UTC');
  });
});

describe("the author's history on the card", () => {
  const earlier = [
    { key: 'x-3', status: 'claimed' as const, createdAt: '2026-11-30T10:00:00.000Z', polarity: 'negative' as const, flags: ['angry' as const], channelKey: 'support' },
    { key: 'x-2', status: 'resolved' as const, createdAt: '2026-11-20T10:00:00.000Z', polarity: 'positive' as const, flags: [] },
  ];

  it('sums up the earlier mentions: how many, how many open, and the newest', () => {
    expect(summariseAuthor(0, [])).toEqual({ earlier: 0, open: 0 });
    expect(summariseAuthor(5, earlier)).toEqual({
      earlier: 5,
      open: 1,
      last: { key: 'x-3', at: '2026-11-30T10:00:00.000Z', polarity: 'negative', flags: ['angry'], status: 'claimed', channelKey: 'support' },
    });
  });

  it('says first time or returning, with the last mood and outcome', () => {
    expect(authorLine(summariseAuthor(0, []))).toBe('🆕 First mention from them');
    expect(authorLine(summariseAuthor(5, earlier))).toBe('🔁 Returning: 5 earlier mentions · 1 still open · last <t:1796032800:R>: angry, claimed in #support');
    expect(authorLine(summariseAuthor(1, earlier.slice(1)))).toBe('🔁 Returning: 1 earlier mention · last <t:1795168800:R>: happy, resolved');
  });

  it('shows it as its own field, and not at all for a mention recorded before it existed', () => {
    const fields = (state: CardState) => renderCard(state).embeds![0]!.fields!.map((f) => f.name);
    expect(fields({ ...base, author: summariseAuthor(0, []) })).toContain('Author');
    expect(fields(base)).not.toContain('Author');
  });
});

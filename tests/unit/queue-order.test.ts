import { describe, expect, it } from 'vitest';
import { claimMinutesLeft, orderQueue } from '../../src/discord/commands.js';
import type { MentionState } from '../../src/store/mention-store.js';
import { aMention, aTriage } from '../support/fixtures.js';

const NOW = new Date('2026-11-20T12:00:00.000Z');

// The store's order is priority, then oldest; the claim time is 30 minutes unless `due` says otherwise.
function aState(id: string, priority: number, createdAt: string, due?: MentionState['due']): MentionState {
  const triage = aTriage(aMention({ id, createdAt }));
  return {
    key: `x-${id}`,
    status: 'new',
    triage: { ...triage, route: { ...triage.route, priority } },
    triagedAt: createdAt,
    updatedAt: createdAt,
    cards: [],
    rev: 0,
    ...(due ? { due } : {}),
  };
}

describe('/triage queue order', () => {
  it('counts the minutes left from the timer when one runs, else from the post', () => {
    expect(claimMinutesLeft(aState('1', 1, '2026-11-20T11:50:00.000Z'), NOW)).toBe(20);
    expect(claimMinutesLeft(aState('2', 1, '2026-11-20T11:00:00.000Z'), NOW)).toBe(-30);
    // Business hours pushed the claim time to Monday: not overdue, however old the post.
    expect(claimMinutesLeft(aState('3', 1, '2026-11-18T11:00:00.000Z', { kind: 'claim', at: '2026-11-20T13:00:00.000Z' }), NOW)).toBe(60);
  });

  it('puts the overdue first, each part keeping priority then age', () => {
    const urgentFresh = aState('1', 0, '2026-11-20T11:55:00.000Z');
    const urgentLate = aState('2', 0, '2026-11-20T11:00:00.000Z');
    const lowLate = aState('3', 2, '2026-11-20T10:00:00.000Z');
    const lowFresh = aState('4', 2, '2026-11-20T11:58:00.000Z');
    const ordered = orderQueue([urgentLate, urgentFresh, lowLate, lowFresh], NOW);
    expect(ordered.map((s) => s.key)).toEqual(['x-2', 'x-3', 'x-1', 'x-4']);
  });
});

import { describe, expect, it } from 'vitest';
import { describeWhoMay, mayAct, standingOf, type TeamRoles } from '../../src/core/card-permissions.js';

const MEMBER = '111111111111111111';
const LEAD = '222222222222222222';
const OTHER = '333333333333333333';
const team: TeamRoles = { members: [MEMBER], leads: [LEAD] };

describe('who may act on a card', () => {
  it('lets everyone do everything when no roles are configured', () => {
    expect(standingOf([], { members: [], leads: [] })).toBe('lead');
    expect(mayAct('reassign', standingOf([OTHER], { members: [], leads: [] }), false)).toBe(true);
  });

  it('tells members, leads and outsiders apart by their roles; a lead need not hold the member role', () => {
    expect(standingOf([MEMBER], team)).toBe('member');
    expect(standingOf([LEAD], team)).toBe('lead');
    expect(standingOf([MEMBER, LEAD], team)).toBe('lead');
    expect(standingOf([OTHER], team)).toBe('outsider');
  });

  it('lets members claim, reply, resolve, escalate, dismiss and release their own claim only', () => {
    for (const action of ['claim', 'reply', 'resolve', 'escalate', 'dismiss'] as const) expect(mayAct(action, 'member', false)).toBe(true);
    expect(mayAct('release', 'member', true)).toBe(true);
    expect(mayAct('release', 'member', false)).toBe(false);
    for (const action of ['takeover', 'reassign', 'reopen'] as const) expect(mayAct(action, 'member', true)).toBe(false);
  });

  it('lets leads also take over, reassign, reopen and release anyone', () => {
    for (const action of ['takeover', 'reassign', 'reopen', 'release', 'claim'] as const) expect(mayAct(action, 'lead', false)).toBe(true);
  });

  it('lets an outsider do nothing', () => {
    for (const action of ['claim', 'reply', 'release'] as const) expect(mayAct(action, 'outsider', true)).toBe(false);
  });

  it('gives every member the lead actions when no lead role is set, and everyone the member ones when no member role is', () => {
    expect(standingOf([MEMBER], { members: [MEMBER], leads: [] })).toBe('lead');
    expect(standingOf([OTHER], { members: [MEMBER], leads: [] })).toBe('outsider');
    expect(standingOf([OTHER], { members: [], leads: [LEAD] })).toBe('member');
  });

  it('says politely who can, naming the roles as pills', () => {
    expect(describeWhoMay('claim', team, true)).toBe(`Sorry, only <@&${MEMBER}> or <@&${LEAD}> can claim this mention. Ask one of them if it needs doing.`);
    expect(describeWhoMay('reopen', team, true)).toBe(`Sorry, only <@&${LEAD}> can reopen this mention. Ask one of them if it needs doing.`);
    expect(describeWhoMay('release', team, false)).toBe(`Sorry, only <@&${LEAD}> can release someone else's claim. Ask one of them if it needs doing.`);
    expect(describeWhoMay('takeover', { members: [MEMBER], leads: [LEAD, OTHER] }, true)).toContain(`<@&${LEAD}> or <@&${OTHER}> can take over`);
  });
});

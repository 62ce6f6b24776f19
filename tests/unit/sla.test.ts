import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, planSla, stepApplies, zonedInstant, type BusinessHours } from '../../src/core/sla.js';
import { slaMinutes } from '../../src/pipeline/sla-worker.js';
import { aTriage } from '../support/fixtures.js';

const london: BusinessHours = { timeZone: 'Europe/London', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:30' };
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('due times in business minutes', () => {
  it('counts plain minutes when the team has no business hours', () => {
    expect(iso(addBusinessMinutes(at('2026-11-21T23:00:00Z'), 30))).toBe('2026-11-21T23:30:00.000Z');
  });

  it('makes a complaint at 23:00 on Saturday due on Monday morning', () => {
    // 21 November 2026 is a Saturday; London is on GMT (UTC+0).
    expect(iso(addBusinessMinutes(at('2026-11-21T23:00:00Z'), 30, london))).toBe('2026-11-23T09:30:00.000Z');
  });

  it('counts from the opening when a mention arrives before it', () => {
    expect(iso(addBusinessMinutes(at('2026-11-24T06:10:00Z'), 15, london))).toBe('2026-11-24T09:15:00.000Z');
  });

  it('carries what is left at closing time over to the next working day', () => {
    // Friday 17:00 + 60 business minutes: 30 on Friday, 30 on Monday.
    expect(iso(addBusinessMinutes(at('2026-11-27T17:00:00Z'), 60, london))).toBe('2026-11-30T09:30:00.000Z');
  });

  it('spans several days for a long resolve time (8 h 30 min of work a day)', () => {
    // Monday 09:00 + 1440 business minutes = 2 days of 510 and 420 more: Wednesday 16:00.
    expect(iso(addBusinessMinutes(at('2026-11-23T09:00:00Z'), 1440, london))).toBe('2026-11-25T16:00:00.000Z');
  });

  it('follows the clocks going back in October across the weekend', () => {
    // Friday 23 October 2026 17:00 BST (16:00Z); clocks go back on Sunday 25th; Monday 09:30 GMT is 09:30Z.
    expect(iso(addBusinessMinutes(at('2026-10-23T16:00:00Z'), 60, london))).toBe('2026-10-26T09:30:00.000Z');
  });

  it('follows the clocks going forward in March across the weekend', () => {
    // Friday 27 March 2026 17:00 GMT; clocks go forward on Sunday 29th; Monday 09:30 BST is 08:30Z.
    expect(iso(addBusinessMinutes(at('2026-03-27T17:00:00Z'), 60, london))).toBe('2026-03-30T08:30:00.000Z');
  });

  it('works in a zone far from UTC and with a weekend of its own', () => {
    const dubai: BusinessHours = { timeZone: 'Asia/Dubai', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '16:00' };
    // Saturday 10:00 in Dubai (06:00Z) + 30 min → Monday 08:30 Dubai = 04:30Z.
    expect(iso(addBusinessMinutes(at('2026-11-21T06:00:00Z'), 30, dubai))).toBe('2026-11-23T04:30:00.000Z');
    const weekendWork: BusinessHours = { ...dubai, days: ['sat'] };
    expect(iso(addBusinessMinutes(at('2026-11-21T06:00:00Z'), 30, weekendWork))).toBe('2026-11-21T06:30:00.000Z');
  });

  it('finds the instant of a local wall time, summer and winter', () => {
    expect(iso(zonedInstant(2026, 7, 1, 9 * 60, 'Europe/London'))).toBe('2026-07-01T08:00:00.000Z');
    expect(iso(zonedInstant(2026, 12, 1, 9 * 60, 'Europe/London'))).toBe('2026-12-01T09:00:00.000Z');
    expect(iso(zonedInstant(2026, 7, 1, 9 * 60, 'America/New_York'))).toBe('2026-07-01T13:00:00.000Z');
  });
});

describe('the timers a state calls for', () => {
  const base = { waitingSince: at('2026-11-23T10:00:00Z'), openSince: at('2026-11-23T09:00:00Z'), claimWithinMinutes: 30, resolveWithinMinutes: 120 };

  it('reminds about an unclaimed mention at its claim time, then tells the leads one claim window later', () => {
    const plan = planSla({ ...base, status: 'new' });
    expect(plan.due).toEqual({ kind: 'claim', at: '2026-11-23T10:30:00.000Z' });
    expect(plan.timers.map((t) => [t.step, iso(t.dueAt), iso(t.since)])).toEqual([
      ['claim-remind', '2026-11-23T10:30:00.000Z', '2026-11-23T10:00:00.000Z'],
      ['claim-leads', '2026-11-23T11:00:00.000Z', '2026-11-23T10:00:00.000Z'],
    ]);
  });

  it('nudges the holder of a claimed mention at its resolve time, counted from when it was opened', () => {
    const plan = planSla({ ...base, status: 'claimed' });
    expect(plan.due).toEqual({ kind: 'resolve', at: '2026-11-23T11:00:00.000Z' });
    expect(plan.timers.map((t) => t.step)).toEqual(['resolve-nudge', 'resolve-leads']);
  });

  it('sets nothing for a closed mention', () => {
    for (const status of ['resolved', 'dismissed'] as const) expect(planSla({ ...base, status })).toEqual({ timers: [] });
  });

  it('counts the leads step in business minutes too', () => {
    const plan = planSla({ ...base, status: 'new', waitingSince: at('2026-11-27T17:00:00Z'), businessHours: london });
    expect(plan.timers.map((t) => iso(t.dueAt))).toEqual(['2026-11-27T17:30:00.000Z', '2026-11-30T09:30:00.000Z']);
  });

  it('applies a claim step only while unclaimed and a resolve step only while claimed', () => {
    expect(stepApplies('claim-remind', 'new')).toBe(true);
    expect(stepApplies('claim-leads', 'escalated')).toBe(true);
    expect(stepApplies('claim-remind', 'claimed')).toBe(false);
    expect(stepApplies('resolve-nudge', 'claimed')).toBe(true);
    expect(stepApplies('resolve-leads', 'resolved')).toBe(false);
  });
});

describe("a mention's SLA minutes", () => {
  it("take the route's own (a rule may set them), else the configured resolve time for its severity", () => {
    const settings = { resolveWithinMinutes: { 0: 2880, 1: 1440, 2: 480, 3: 120 } };
    const triage = aTriage();
    expect(slaMinutes(triage, settings)).toEqual({ claim: 30, resolve: 480 });
    expect(slaMinutes({ ...triage, route: { ...triage.route, claimWithinMinutes: 5, resolveWithinMinutes: 60 } }, settings)).toEqual({ claim: 5, resolve: 60 });
  });
});

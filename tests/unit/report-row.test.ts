import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, reportRow, type ReportEvent, type ReportSource } from '../../src/core/report-row.js';
import { aMention, aTriage } from '../support/fixtures.js';

const settings = { resolveWithinMinutes: { 0: 1440, 1: 480, 2: 240, 3: 60 } };
const POSTED = '2026-11-20T10:01:00.000Z';

// Claim within 30 minutes (the fixture's route), resolve within 240 (severity 2).
function aState(overrides: Partial<ReportSource> = {}): ReportSource {
  return { key: 'x-1', status: 'new', triage: aTriage(), triagedAt: '2026-11-20T10:00:30.000Z', cards: [{ postedAt: POSTED }], ...overrides };
}

const claim = (at: string, userName = 'Sam'): ReportEvent => ({ action: 'claim', at, to: 'claimed', userName });
const resolve = (at: string, userName = 'Sam'): ReportEvent => ({ action: 'resolve', at, to: 'resolved', userName });

describe('report rows', () => {
  it('reads the times, the people and the judgement, and counts the SLA from the first card', () => {
    const history = [{ action: 'triaged', at: '2026-11-20T10:00:30.000Z', to: 'new' as const }, claim('2026-11-20T10:20:00.000Z'), resolve('2026-11-20T11:00:00.000Z', 'Ana')];
    const row = reportRow(aState({ status: 'resolved' }), history, settings, new Date('2026-11-21T00:00:00.000Z'));
    expect(row).toEqual({
      key: 'x-1',
      source: 'x',
      url: 'https://x.com/dana/status/1860000000000000001',
      author: 'dana',
      postedAt: '2026-11-20T10:00:00.000Z',
      triagedAt: '2026-11-20T10:00:30.000Z',
      claimedAt: '2026-11-20T10:20:00.000Z',
      claimedBy: 'Sam',
      resolvedAt: '2026-11-20T11:00:00.000Z',
      resolvedBy: 'Ana',
      status: 'resolved',
      mood: 'angry',
      intent: 'bug',
      severity: 2,
      reach: 1200,
      rule: 'default',
      channel: 'support',
      claimDueAt: '2026-11-20T10:31:00.000Z',
      resolveDueAt: '2026-11-20T14:01:00.000Z',
      slaMet: 'yes',
    });
  });

  it('says no when the claim came late, even if it was resolved in time', () => {
    const row = reportRow(aState({ status: 'resolved' }), [claim('2026-11-20T10:40:00.000Z'), resolve('2026-11-20T11:00:00.000Z')], settings, new Date('2026-11-21T00:00:00.000Z'));
    expect(row.slaMet).toBe('no');
  });

  it('says pending while an open mention can still make it, and no once a time has passed', () => {
    const claimed = aState({ status: 'claimed' });
    const history = [claim('2026-11-20T10:10:00.000Z')];
    expect(reportRow(claimed, history, settings, new Date('2026-11-20T13:00:00.000Z')).slaMet).toBe('pending');
    expect(reportRow(claimed, history, settings, new Date('2026-11-20T14:02:00.000Z')).slaMet).toBe('no');
    expect(reportRow(aState(), [], settings, new Date('2026-11-20T10:32:00.000Z')).slaMet).toBe('no');
  });

  it("takes a rule's own resolve time over sla.yaml's, and shows no resolver once reopened", () => {
    const triage = aTriage(aMention(), { route: { channel: 'leads', rule: 'vip', priority: 0, alsoTo: [], claimWithinMinutes: 5, resolveWithinMinutes: 20 } });
    const reopened = [claim('2026-11-20T10:02:00.000Z'), resolve('2026-11-20T10:10:00.000Z'), { action: 'reopen', at: '2026-11-20T10:15:00.000Z', to: 'new' as const, userName: 'Lee' }];
    const row = reportRow(aState({ triage }), reopened, settings, new Date('2026-11-20T10:16:00.000Z'));
    expect(row).toMatchObject({ rule: 'vip', channel: 'leads', resolveDueAt: '2026-11-20T10:21:00.000Z', resolvedAt: '', resolvedBy: '', slaMet: 'pending' });
  });

  it('counts business minutes: a Saturday mention is due on Monday morning', () => {
    const businessHours = { timeZone: 'UTC', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, from: '09:00', to: '17:00' };
    const row = reportRow(aState({ cards: [{ postedAt: '2026-11-21T23:00:00.000Z' }] }), [], { ...settings, businessHours }, new Date('2026-11-22T12:00:00.000Z'));
    expect(row.claimDueAt).toBe('2026-11-23T09:30:00.000Z');
    expect(row.slaMet).toBe('pending');
  });

  it('uses the polarity when no mood flag is set, and joins several flags', () => {
    const calm = aTriage(aMention(), { classification: { polarity: 'neutral', score: 0, flags: [], intent: 'question', severity: 1, evidence: [] } });
    const both = aTriage(aMention(), { classification: { polarity: 'negative', score: -0.9, flags: ['angry', 'churn-risk'], intent: 'billing', severity: 3, evidence: [] } });
    expect(reportRow(aState({ triage: calm }), [], settings, new Date(POSTED)).mood).toBe('neutral');
    expect(reportRow(aState({ triage: both }), [], settings, new Date(POSTED)).mood).toBe('angry churn-risk');
  });
});

describe('CSV fields (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Kiln, Crate')).toBe('"Kiln, Crate"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(1200)).toBe('1200');
    expect(csvRecord(['a', 'b,c', ''])).toBe('a,"b,c",');
  });

  it('keeps spreadsheets from running a cell as a formula', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('@dana')).toBe("'@dana");
    expect(csvField('-1+1')).toBe("'-1+1");
  });
});

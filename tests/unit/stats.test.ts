import { describe, expect, it } from 'vitest';
import type { ReportEvent, ReportSource } from '../../src/core/report-row.js';
import { bucketLabels, median, parseStatsPeriod, statsEntry, summariseStats } from '../../src/core/stats.js';
import { fitLines, statsEmbed } from '../../src/discord/stats-command.js';
import { aMention, aTriage } from '../support/fixtures.js';

const settings = { resolveWithinMinutes: { 0: 2880, 1: 1440, 2: 480, 3: 120 } };
const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A mention posted at minute `posted`, its card at the same minute, and its history. */
function source(id: string, posted: number, mood: 'angry' | 'happy' | 'neutral', extra: { source?: 'x' | 'bluesky'; intent?: string; status?: ReportSource['status'] } = {}): ReportSource {
  const classification =
    mood === 'angry'
      ? { polarity: 'negative' as const, score: -0.6, flags: ['angry' as const], intent: (extra.intent ?? 'bug') as 'bug', severity: 2 as const, evidence: [] }
      : mood === 'happy'
        ? { polarity: 'positive' as const, score: 0.7, flags: ['happy' as const], intent: (extra.intent ?? 'praise') as 'praise', severity: 0 as const, evidence: [] }
        : { polarity: 'neutral' as const, score: 0, flags: [], intent: (extra.intent ?? 'question') as 'question', severity: 1 as const, evidence: [] };
  const triage = aTriage(aMention({ id, source: extra.source ?? 'x', createdAt: at(posted) }), { classification });
  return { key: `x-${id}`, status: extra.status ?? 'new', triage, triagedAt: at(posted), cards: [{ postedAt: at(posted) }] };
}

const claim = (minute: number, userName: string): ReportEvent => ({ action: 'claim', at: at(minute), to: 'claimed', userName });
const resolve = (minute: number, userName: string): ReportEvent => ({ action: 'resolve', at: at(minute), to: 'resolved', userName });

describe('team stats', () => {
  const now = new Date(T0 + 3 * 86_400_000);
  const entries = [
    statsEntry(source('1', 0, 'angry', { status: 'resolved' }), [claim(10, '@ana'), resolve(70, '@ana')], settings, now),
    statsEntry(source('2', 60, 'angry', { source: 'bluesky', status: 'claimed' }), [claim(90, '@ben')], settings, now),
    statsEntry(source('3', 120, 'happy', { status: 'resolved' }), [claim(170, '@ana'), resolve(240, '@ana')], settings, now),
    statsEntry(source('4', 180, 'neutral'), [], settings, now),
    // Posted before the period: left out of every count.
    statsEntry(source('5', -3 * 1440, 'happy'), [], settings, now),
  ];
  const stats = summariseStats(entries, { from: new Date(T0 - 60_000), to: now }, 'UTC');

  it('counts the period by mood, intent and source', () => {
    expect(stats.total).toBe(4);
    expect(stats.byMood).toEqual({ angry: 2, unhappy: 0, neutral: 1, happy: 1 });
    expect(stats.bySource).toEqual([{ name: 'x', count: 3 }, { name: 'bluesky', count: 1 }]);
    expect(stats.byIntent).toEqual([{ name: 'bug', count: 2 }, { name: 'praise', count: 1 }, { name: 'question', count: 1 }]);
  });

  it('takes the medians from arrival to claim and to resolve, overall and per member', () => {
    // claims after 10, 30, 50 minutes; resolves after 70 and 120.
    expect(stats.claimMedianMinutes).toBe(30);
    expect(stats.resolveMedianMinutes).toBe(95);
    expect(stats.members).toEqual([
      { name: '@ana', claimed: 2, resolved: 2, claimMedianMinutes: 30, resolveMedianMinutes: 95 },
      { name: '@ben', claimed: 1, resolved: 0, claimMedianMinutes: 30 },
    ]);
  });

  it('counts SLAs met, missed and still open as the report judges them', () => {
    // Three days on: #1 claimed in 10 (30 allowed), resolved in 70 (480): met. #2 claimed after
    // 30 of 30 but not resolved within 480: missed. #3 claimed after 50 of 30: missed. #4 never claimed: missed.
    expect(stats.sla).toEqual({ met: 1, missed: 3, pending: 0 });
    // Six hours on, #2 can still be resolved in time.
    const early = new Date(T0 + 6 * 3_600_000);
    const sixHours = summariseStats(
      [statsEntry(source('1', 0, 'angry', { status: 'resolved' }), [claim(10, '@ana'), resolve(70, '@ana')], settings, early), statsEntry(source('2', 60, 'angry', { status: 'claimed' }), [claim(90, '@ben')], settings, early)],
      { from: new Date(T0 - 60_000), to: early },
      'UTC',
    );
    expect(sixHours.sla).toEqual({ met: 1, missed: 0, pending: 1 });
  });

  it('puts the volume by mood in day buckets for a week, hour buckets for a day', () => {
    expect(stats.series.unit).toBe('day');
    expect(stats.series.labels).toEqual(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']);
    expect(stats.series.counts.angry).toEqual([2, 0, 0, 0]);
    const day = summariseStats(entries, { from: new Date(T0), to: new Date(T0 + 86_400_000) }, 'UTC');
    expect(day.series.unit).toBe('hour');
    expect(day.series.labels).toHaveLength(24);
    expect(day.series.counts.happy[2]).toBe(1);
  });

  it('walks local days across a DST change without skipping or repeating one', () => {
    const labels = bucketLabels(Date.parse('2026-10-23T12:00:00Z'), Date.parse('2026-10-28T12:00:00Z'), 'day', 'Europe/London');
    expect(labels).toEqual(['2026-10-23', '2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27', '2026-10-28']);
  });

  it('reads periods of hours, days and weeks within the retention', () => {
    expect(parseStatsPeriod(undefined, 90)).toEqual({ label: '7d', ms: 7 * 86_400_000 });
    expect(parseStatsPeriod('24h', 90)).toEqual({ label: '24h', ms: 86_400_000 });
    expect(parseStatsPeriod(' 2W ', 90)).toEqual({ label: '2w', ms: 14 * 86_400_000 });
    expect(parseStatsPeriod('0h', 90)).toHaveProperty('error');
    expect(parseStatsPeriod('120d', 90)).toEqual({ error: 'a period is at most 90d (how long closed mentions are kept)' });
    expect(parseStatsPeriod('yesterday', 90)).toHaveProperty('error');
  });

  it('takes the middle of an even count as the mean of the two middle values', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });
});

describe('the stats embed', () => {
  it('stays within Discord limits with many hostile member names, and escapes them', () => {
    const now = new Date(T0 + 86_400_000);
    const many = Array.from({ length: 200 }, (_, i) => statsEntry(source(String(100 + i), i, 'angry', { intent: `intent-${i % 40}` }), [claim(i + 5, `**@everyone ${i}** ||x|| [a](https://evil.example) <@&123456789012345678> \u202e`)], settings, now));
    const stats = summariseStats(many, { from: new Date(T0 - 60_000), to: now }, 'UTC');
    const embed = statsEmbed(stats, { label: '24h', ms: 86_400_000 }, 'UTC', true);
    const total = (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length + (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
    const members = embed.fields?.find((f) => f.name === 'Per member')?.value ?? '';
    expect(members).toMatch(/…and \d+ more$/);
    expect(members).not.toContain('@everyone');
    expect(members).not.toContain('\u202e');
    expect(members).not.toContain('<@&');
    expect(embed.image?.url).toBe('attachment://mention-stats.png');
  });

  it('fits whole lines and says how many were left out', () => {
    expect(fitLines([], 100, 'none')).toBe('none');
    expect(fitLines(['a', 'b'], 100)).toBe('a\nb');
    const lines = Array.from({ length: 50 }, (_, i) => `line number ${i}`);
    const fitted = fitLines(lines, 120);
    expect(fitted.length).toBeLessThanOrEqual(120);
    const shown = fitted.split('\n').filter((l) => l.startsWith('line')).length;
    expect(fitted.endsWith(`…and ${50 - shown} more`)).toBe(true);
  });
});

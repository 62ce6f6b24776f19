import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildMarketingDigest, formatChange, nextRunAt, type DigestEntry } from '../../src/core/marketing-digest.js';
import { marketingDigestEmbed } from '../../src/discord/marketing-digest-card.js';
import { createTerminalNotifier } from '../../src/discord/terminal-notifier.js';

const RUN = new Date('2026-12-03T09:00:00.000Z');
const HOUR = 3_600_000;
let n = 0;
function entry(hoursBefore: number, mood: DigestEntry['mood'], extra: Partial<DigestEntry> = {}): DigestEntry {
  n += 1;
  return { key: `x-${n}`, postedAt: RUN.getTime() - hoursBefore * HOUR, mood, source: 'x', reach: 100, handle: `fan${n}`, text: `love it ${n}`, url: `https://x.com/fan${n}/status/${n}`, ...extra };
}

describe('the marketing digest', () => {
  const entries = [
    entry(1, 'happy', { reach: 500 }),
    entry(2, 'happy', { reach: 90_000, source: 'bluesky' }),
    // Spam with the most reach: counted, never listed.
    entry(2, 'happy', { reach: 900_000, listable: false }),
    entry(3, 'happy', { reach: 20 }),
    entry(5, 'angry'),
    entry(30, 'happy', { reach: 40 }),
    entry(30, 'neutral', { source: 'reddit' }),
    entry(100, 'angry'),
    // Older than the week: in no count.
    entry(200, 'happy'),
  ];
  const digest = buildMarketingDigest(entries, RUN, { timeZone: 'Europe/Paris', top: 2 });

  it('lists the happy mentions of the last 24 hours by reach, leaving out those never to be shown', () => {
    expect(digest.day).toBe('2026-12-03');
    expect(digest.top.map((e) => e.reach)).toEqual([90_000, 500]);
    expect(digest.happy).toEqual({ count: 4, previous: 1, reach: 990_520, previousReach: 40 });
  });

  it('counts by mood and source against the 24 hours before', () => {
    expect(digest.byMood).toEqual({ angry: { count: 1, previous: 0 }, unhappy: { count: 0, previous: 0 }, neutral: { count: 0, previous: 1 }, happy: { count: 4, previous: 1 } });
    expect(digest.bySource).toEqual([
      { name: 'x', count: 4, previous: 1 },
      { name: 'bluesky', count: 1, previous: 0 },
      { name: 'reddit', count: 0, previous: 1 },
    ]);
    expect(digest.total).toEqual({ count: 5, previous: 2 });
  });

  it("charts the week's volume by local day: the run's day so far and the six before", () => {
    expect(digest.week.labels).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
    // 09:00 UTC is 10:00 in Paris: the posts of the last 10 hours are the run's day, the rest by their local day.
    expect(digest.week.counts.happy).toEqual([0, 0, 0, 0, 0, 1, 4]);
    expect(digest.week.counts.angry).toEqual([0, 0, 1, 0, 0, 0, 1]);
    expect(digest.week.counts.neutral).toEqual([0, 0, 0, 0, 0, 1, 0]);
  });

  it('writes changes with a sign', () => {
    expect([formatChange(3, 1), formatChange(1, 3), formatChange(2, 2)]).toEqual(['+2', '−2', '±0']);
  });

  it('finds the next run at the wall time of its zone, across a DST change', () => {
    expect(nextRunAt(new Date('2026-12-03T07:00:00Z'), '09:00', 'Europe/London').toISOString()).toBe('2026-12-03T09:00:00.000Z');
    expect(nextRunAt(new Date('2026-12-03T09:00:00Z'), '09:00', 'Europe/London').toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(nextRunAt(new Date('2026-03-28T10:00:00Z'), '09:00', 'Europe/London').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(nextRunAt(new Date('2026-12-03T23:30:00Z'), '08:00', 'Asia/Tokyo').toISOString()).toBe('2026-12-04T23:00:00.000Z');
  });

  it('renders within Discord limits with hostile and long texts, showing them literally', () => {
    const hostile = Array.from({ length: 10 }, (_, i) => entry(1, 'happy', { handle: '@everyone', text: `**bold** <@&123456789012345678> \u202e ${'x'.repeat(3000)}`, url: 'javascript:alert(1)', reach: i }));
    const embed = marketingDigestEmbed(buildMarketingDigest(hostile, RUN, { timeZone: 'UTC', top: 10 }), true);
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    expect(embed.description).not.toContain('@everyone');
    expect(embed.description).not.toContain('<@&');
    expect(embed.description).not.toContain('javascript:');
    expect(embed.description).toContain('\\*\\*bold\\*\\*');
    expect(embed.image?.url).toBe('attachment://marketing-week.png');
  });

  it('is printed by the terminal notifier as text, saying the chart is not drawn there', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const notifier = createTerminalNotifier(out, { color: false });
    const ref = await notifier.postMarketingDigest!('marketing', digest, 'marketing-digest:2026-12-03');
    expect(ref.channelKey).toBe('marketing');
    expect(printed).toContain('Word of mouth · 2026-12-03');
    expect(printed).toContain('4 happy mentions (+3 on the day before)');
    expect(printed).toContain('https://x.com/fan2/status/2');
    expect(printed).toContain('no chart in the terminal');
  });
});

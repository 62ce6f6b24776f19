import { describe, expect, it } from 'vitest';
import { detectSpike, pickExamples, spikeThreshold, topWords, type MoodCounts, type VolumeWindow } from '../../src/core/spike.js';

/** Counts with the usual mix of a calm hour: few angry, mostly neutral. */
const calm = (total: number): MoodCounts => {
  const angry = Math.round(total * 0.1);
  const unhappy = Math.round(total * 0.2);
  const happy = Math.round(total * 0.2);
  return { angry, unhappy, happy, neutral: total - angry - unhappy - happy };
};

function aWindow(current: MoodCounts, usual: MoodCounts[], extra: Partial<VolumeWindow> = {}): VolumeWindow {
  return { from: '2026-11-20T09:10:00.000Z', to: '2026-11-20T10:05:00.000Z', current, usual, samples: [], texts: [], ...extra };
}

const fortnight = (totals: number[]): MoodCounts[] => totals.map(calm);

describe('detectSpike', () => {
  it('calls a usual hour quiet', () => {
    const report = detectSpike(aWindow(calm(34), fortnight([30, 28, 35, 31, 33, 29, 30, 32, 27, 34, 31, 30, 29, 33])));
    expect(report.spike).toBe(false);
    expect(report.reasons).toEqual([]);
    expect(report.historyDays).toBe(14);
    expect(report.volume.usual).toBeCloseTo(30.86, 2);
  });

  it('calls four times the usual volume a spike, and says so against the usual', () => {
    const report = detectSpike(aWindow(calm(124), fortnight([30, 28, 35, 31, 33, 29, 30, 32, 27, 34, 31, 30, 29, 33])));
    expect(report.spike).toBe(true);
    expect(report.reasons).toContain('volume');
    expect(report.volume.current).toBe(124);
    expect(report.summary.split('\n')[0]).toBe('Mention spike: 124 mentions in the last 55 min, usually 30.9 at this time of day (4.0×), over 14 days.');
  });

  it('does not call slow growth over the days a spike', () => {
    const growing = fortnight([16, 15, 15, 14, 14, 13, 13, 12, 12, 11, 11, 10, 10, 10]);
    const report = detectSpike(aWindow(calm(18), growing));
    expect(report.spike).toBe(false);
    expect(report.volume.threshold).toBeGreaterThan(18);
  });

  it('calls a jump in angry posts at a usual volume a negative spike, with the mood shares against the usual', () => {
    const current: MoodCounts = { angry: 18, unhappy: 8, neutral: 8, happy: 2 };
    const report = detectSpike(aWindow(current, fortnight([30, 28, 35, 31, 33, 29, 30, 32, 27, 34, 31, 30, 29, 33])));
    expect(report.volume.spiking).toBe(false);
    expect(report.reasons).toEqual(['negative']);
    const angry = report.moods.find((m) => m.mood === 'angry');
    expect(angry?.share).toBeCloseTo(0.5, 5);
    expect(angry?.usualShare).toBeCloseTo(0.1, 1);
    expect(report.summary.split('\n')).toEqual([
      'Negative mood spike: 36 mentions in the last 55 min, usually 30.9 at this time of day (1.2×), over 14 days.',
      'Negative mentions: 26, usually 9.3.',
      'Mood: angry 50% (usually 10%), unhappy 22% (usually 20%), neutral 22% (usually 50%), happy 6% (usually 20%).',
    ]);
  });

  it('needs an absolute minimum with no past days: the first day of a deployment', () => {
    expect(detectSpike(aWindow(calm(45), [])).spike).toBe(false);
    const report = detectSpike(aWindow(calm(60), []));
    expect(report.spike).toBe(true);
    expect(report.historyDays).toBe(0);
    expect(report.moods.every((m) => m.usualShare === undefined)).toBe(true);
    expect(report.summary.split('\n')[0]).toBe('Mention spike: 60 mentions in the last 55 min; no past days to compare with yet.');
  });

  it('keeps the higher minimum until enough past days are known', () => {
    expect(detectSpike(aWindow(calm(30), fortnight([5, 6]))).spike).toBe(false);
    expect(detectSpike(aWindow(calm(30), fortnight([5, 6, 5]))).spike).toBe(true);
  });

  it('never calls a quiet brand\'s few posts a spike, however far above its usual', () => {
    expect(detectSpike(aWindow(calm(12), fortnight([1, 0, 2, 1, 0, 1, 1, 0, 0, 2, 1, 1, 0, 1]))).spike).toBe(false);
  });

  it('takes its thresholds from the options', () => {
    const usual = fortnight([30, 28, 35, 31, 33, 29, 30]);
    expect(detectSpike(aWindow(calm(50), usual)).spike).toBe(false);
    expect(detectSpike(aWindow(calm(50), usual), { ratio: 1.5, sigmas: 2 }).spike).toBe(true);
  });

  it('describes the same window in the same words every time', () => {
    const window = aWindow(calm(124), fortnight([30, 28, 35]), { texts: ['label printer blank again', 'blank labels all morning'] });
    expect(detectSpike(window)).toEqual(detectSpike(window));
    expect(detectSpike(window).summary.split('\n').at(-1)).toBe('Top words: blank (2), label (1), labels (1), morning (1), printer (1).');
  });
});

describe('spikeThreshold', () => {
  it('is the largest of the floor, mean plus sigmas of noise, and ratio times the mean', () => {
    expect(spikeThreshold([], 50, 3, 2)).toEqual({ mean: 0, threshold: 50 });
    // Mean 100, standard deviation 0: the noise is √100 = 10, so 100 + 3 × 10 = 130 < 2 × 100.
    expect(spikeThreshold([100, 100, 100], 20, 3, 2)).toEqual({ mean: 100, threshold: 200 });
    // Mean 10, standard deviation 10: 10 + 3 × 10 = 40 beats the ratio (20) and the floor.
    expect(spikeThreshold([0, 20, 0, 20], 20, 3, 2).threshold).toBeCloseTo(10 + 3 * Math.sqrt(400 / 3), 5);
  });
});

describe('topWords', () => {
  it('counts each word once per post, leaving out function words, stopwords, links, handles and ids', () => {
    const texts = [
      '@parcelly the label printer prints BLANK labels https://t.co/x order 88812',
      'Blank labels again from Parcelly, the printer is fine',
      'blank blank blank',
    ];
    expect(topWords(texts, ['Parcelly'], 4)).toEqual([
      { word: 'blank', posts: 3 },
      { word: 'labels', posts: 2 },
      { word: 'printer', posts: 2 },
      { word: 'fine', posts: 1 },
    ]);
  });
});

describe('pickExamples', () => {
  it('takes the posts with the most reach, one per text: a repost is not a second example', () => {
    const samples = [
      { key: 'x-1', text: 'Parcelly lost my parcel and support will not answer anyone today', reach: 900 },
      { key: 'x-2', text: 'RT @a: Parcelly lost my parcel and support will not answer anyone today', reach: 5000 },
      { key: 'x-3', text: 'the label printer prints blank pages again this morning', reach: 300 },
      { key: 'x-3', text: 'the label printer prints blank pages again this morning', reach: 300 },
      { key: 'x-4', text: 'why is the Parcelly app down for everyone right now', reach: 300 },
    ];
    expect(pickExamples(samples, 3).map((s) => s.key)).toEqual(['x-2', 'x-3', 'x-4']);
  });
});

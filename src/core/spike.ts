/**
 * Spike alerts: whether the mentions of the last hour are far above the usual for that
 * hour of the day, in volume or in negative mood, and a plain-text account of it for the
 * leads (volume against the usual, mood shares against the usual, the words most posts
 * use, a few example posts). Pure and deterministic; the counts come from the volume store.
 *
 * The rule, for the total and for the negative (angry + unhappy) count alike:
 *
 *   spike when current ≥ max(floor, mean + sigmas × noise, ratio × mean)
 *
 * where `mean` is the count in the same span of the day over the past days, `noise` the
 * larger of their standard deviation and √mean (counts of independent posts vary at least
 * that much, so two quiet days cannot make a tiny rise look significant), and `floor` an
 * absolute minimum that is higher while there are too few past days to know the usual.
 */
import { comparableWords, duplicateSignature, isContentWord } from './near-duplicate.js';
import type { ReplyMood } from './suggest-reply.js';

/** The moods counted, in the order a summary lists them. */
export const MOODS = ['angry', 'unhappy', 'neutral', 'happy'] as const satisfies readonly ReplyMood[];

/** Mentions per mood in a span. */
export type MoodCounts = Record<ReplyMood, number>;

/** A post kept as a possible example. */
export interface VolumeSample {
  /** Mention key. */
  key: string;
  text: string;
  reach: number;
}

/** What the volume store knows about the last span and the same span on past days. */
export interface VolumeWindow {
  /** Start of the span (ISO-8601). */
  from: string;
  /** End of the span: now (ISO-8601). */
  to: string;
  current: MoodCounts;
  /** The same span of the day on each past day the store was counting, most recent first. */
  usual: MoodCounts[];
  /** Posts of the span with the most reach, most first (a few per bucket). */
  samples: VolumeSample[];
  /** The latest texts of the span, for its top words. */
  texts: string[];
}

/** Thresholds of {@link detectSpike}; every one has a default. */
export interface SpikeOptions {
  /** Fewest mentions in the span that can be a spike, once the usual is known. @defaultValue 20 */
  minVolume?: number;
  /**
   * Fewest mentions that can be a spike while fewer than `minHistoryDays` past days are
   * known (the first days of a deployment): the usual is a guess, so the bar is absolute.
   * @defaultValue 50
   */
  minVolumeWithoutHistory?: number;
  /** Fewest negative (angry + unhappy) mentions that can be a negative spike. @defaultValue 10 */
  minNegative?: number;
  /** The same while the usual is not known. @defaultValue 25 */
  minNegativeWithoutHistory?: number;
  /** Past days needed before the usual counts. @defaultValue 3 */
  minHistoryDays?: number;
  /** How many standard deviations above the mean. @defaultValue 3 */
  sigmas?: number;
  /** How many times the mean, at least: a steady brand's small deviation is not a spike. @defaultValue 2 */
  ratio?: number;
  /** Words never listed as top words, besides function words: the brand's names, say. Any case. @defaultValue none */
  stopwords?: readonly string[];
  /** Top words listed. @defaultValue 8 */
  words?: number;
  /** Example posts listed. @defaultValue 3 */
  examples?: number;
}

const DEFAULTS: Required<SpikeOptions> = {
  minVolume: 20,
  minVolumeWithoutHistory: 50,
  minNegative: 10,
  minNegativeWithoutHistory: 25,
  minHistoryDays: 3,
  sigmas: 3,
  ratio: 2,
  stopwords: [],
  words: 8,
  examples: 3,
};

/** One count against its usual. */
export interface CountCheck {
  current: number;
  /** Mean over the past days; 0 with none. */
  usual: number;
  /** The count at which it is a spike. */
  threshold: number;
  spiking: boolean;
}

/** A mood's share of the span against its usual share. */
export interface MoodShare {
  mood: ReplyMood;
  count: number;
  /** 0..1 of the span's mentions. */
  share: number;
  /** 0..1 of the past days' mentions in the same span; `undefined` with no past days. */
  usualShare: number | undefined;
}

export interface SpikeReport {
  spike: boolean;
  /** What is spiking: the total, the negative mentions, or both. */
  reasons: Array<'volume' | 'negative'>;
  /** Past days the usual is drawn from. */
  historyDays: number;
  volume: CountCheck;
  /** Angry and unhappy mentions together. */
  negative: CountCheck;
  moods: MoodShare[];
  /** Words in the most posts of the span, with the number of posts. */
  topWords: Array<{ word: string; posts: number }>;
  /** Posts with the most reach, one per text (a repost does not take a second place). */
  examples: VolumeSample[];
  /** The account for the leads, plain text, one line per point. */
  summary: string;
}

const total = (c: MoodCounts): number => MOODS.reduce((sum, mood) => sum + c[mood], 0);
const negativeOf = (c: MoodCounts): number => c.angry + c.unhappy;

/**
 * The count at which `current` is a spike against the past days' counts (see the
 * module comment), with the mean it is measured against.
 */
export function spikeThreshold(usual: readonly number[], floor: number, sigmas: number, ratio: number): { mean: number; threshold: number } {
  if (usual.length === 0) return { mean: 0, threshold: floor };
  const mean = usual.reduce((a, b) => a + b, 0) / usual.length;
  const variance = usual.length > 1 ? usual.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (usual.length - 1) : 0;
  const noise = Math.max(Math.sqrt(variance), Math.sqrt(mean));
  return { mean, threshold: Math.max(floor, mean + sigmas * noise, ratio * mean) };
}

function check(current: number, usual: readonly number[], floor: number, sigmas: number, ratio: number): CountCheck {
  const { mean, threshold } = spikeThreshold(usual, floor, sigmas, ratio);
  return { current, usual: mean, threshold, spiking: current >= threshold };
}

/**
 * Words in the most texts, each text counted once per word: content words only (no
 * function words, no stopwords, at least 3 letters), from the same comparable words the
 * near-duplicate signature reads, so links, handles and ids never show. Most posts
 * first, then alphabetical.
 */
export function topWords(texts: readonly string[], stopwords: readonly string[] = [], limit = 8): Array<{ word: string; posts: number }> {
  const skip = new Set(stopwords.flatMap((w) => comparableWords(w)));
  const posts = new Map<string, number>();
  for (const text of texts) {
    for (const word of new Set(comparableWords(text))) {
      if (word.length < 3 || !isContentWord(word) || skip.has(word)) continue;
      posts.set(word, (posts.get(word) ?? 0) + 1);
    }
  }
  return [...posts]
    .map(([word, count]) => ({ word, posts: count }))
    .sort((a, b) => b.posts - a.posts || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, limit);
}

/**
 * The posts with the most reach (then by key), one per mention and one per text: a
 * repost or copy of an example already chosen is skipped.
 */
export function pickExamples(samples: readonly VolumeSample[], limit = 3): VolumeSample[] {
  const ordered = [...samples].sort((a, b) => b.reach - a.reach || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const keys = new Set<string>();
  const texts = new Set<string>();
  const chosen: VolumeSample[] = [];
  for (const sample of ordered) {
    if (chosen.length >= limit) break;
    const text = duplicateSignature(sample)?.exact ?? comparableWords(sample.text).join(' ');
    if (keys.has(sample.key) || texts.has(text)) continue;
    keys.add(sample.key);
    texts.add(text);
    chosen.push(sample);
  }
  return chosen;
}

const percent = (share: number): string => `${Math.round(share * 100)}%`;

function minutesBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
}

function describe(report: Omit<SpikeReport, 'summary'>, window: VolumeWindow): string {
  const { volume, negative, moods, historyDays, topWords: words } = report;
  const minutes = minutesBetween(window.from, window.to);
  const lines: string[] = [];
  const head = volume.spiking ? 'Mention spike' : negative.spiking ? 'Negative mood spike' : 'No spike';
  if (historyDays === 0) {
    lines.push(`${head}: ${volume.current} mentions in the last ${minutes} min; no past days to compare with yet.`);
  } else {
    const times = volume.usual > 0 ? ` (${(volume.current / volume.usual).toFixed(1)}×)` : '';
    lines.push(`${head}: ${volume.current} mentions in the last ${minutes} min, usually ${volume.usual.toFixed(1)} at this time of day${times}, over ${historyDays} day${historyDays === 1 ? '' : 's'}.`);
  }
  if (negative.spiking) lines.push(`Negative mentions: ${negative.current}, usually ${negative.usual.toFixed(1)}.`);
  if (volume.current > 0) {
    const parts = moods.map((m) => `${m.mood} ${percent(m.share)}${m.usualShare === undefined ? '' : ` (usually ${percent(m.usualShare)})`}`);
    lines.push(`Mood: ${parts.join(', ')}.`);
  }
  if (words.length > 0) lines.push(`Top words: ${words.map((w) => `${w.word} (${w.posts})`).join(', ')}.`);
  return lines.join('\n');
}

/**
 * Decides whether the window is a spike, in volume or in negative mood, and describes
 * it. Deterministic: the same window and options give the same report, word for word.
 */
export function detectSpike(window: VolumeWindow, options: SpikeOptions = {}): SpikeReport {
  const o = { ...DEFAULTS, ...options };
  const historyDays = window.usual.length;
  const known = historyDays >= o.minHistoryDays;
  const volume = check(total(window.current), window.usual.map(total), known ? o.minVolume : o.minVolumeWithoutHistory, o.sigmas, o.ratio);
  const negative = check(negativeOf(window.current), window.usual.map(negativeOf), known ? o.minNegative : o.minNegativeWithoutHistory, o.sigmas, o.ratio);
  const usualTotal = window.usual.reduce((sum, day) => sum + total(day), 0);
  const moods = MOODS.map((mood): MoodShare => ({
    mood,
    count: window.current[mood],
    share: volume.current > 0 ? window.current[mood] / volume.current : 0,
    usualShare: usualTotal > 0 ? window.usual.reduce((sum, day) => sum + day[mood], 0) / usualTotal : undefined,
  }));
  const reasons: SpikeReport['reasons'] = [];
  if (volume.spiking) reasons.push('volume');
  if (negative.spiking) reasons.push('negative');
  const report = {
    spike: reasons.length > 0,
    reasons,
    historyDays,
    volume,
    negative,
    moods,
    topWords: topWords(window.texts, o.stopwords, o.words),
    examples: pickExamples(window.samples, o.examples),
  };
  return { ...report, summary: describe(report, window) };
}

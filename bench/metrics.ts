/** Figures the benchmarks share, so each prints the same measure the same way. */
import type { Polarity } from '../src/core/classification.js';

/** a / b, or 0 when b is 0. */
export const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Best recall of `negative` over all thresholds on the score where precision ≥ 0.90. */
export function negativeRecallAtPrecision(scores: number[], labels: Polarity[], minPrecision: number): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const positives = labels.filter((l) => l === 'negative').length;
  let tp = 0;
  let fp = 0;
  let best = 0;
  for (let k = 0; k < order.length; k++) {
    const [score, i] = order[k]!;
    if (labels[i] === 'negative') tp++;
    else fp++;
    // Equal scores cannot be split by a threshold: evaluate only at the end of a tie.
    if (k + 1 < order.length && order[k + 1]![0] === score) continue;
    if (ratio(tp, tp + fp) >= minPrecision) best = Math.max(best, ratio(tp, positives));
  }
  return best;
}


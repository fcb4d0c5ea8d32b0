/** A mean with its 95% confidence interval. */
export interface Estimate {
  mean: number;
  /** Lower and upper ends of the 95% interval. */
  low: number;
  high: number;
  /** Number of independent units (problems) behind the estimate. */
  n: number;
}

const Z95 = 1.959963984540054;

/**
 * Mean of per-problem scores (each the problem's pass@1 over its samples) with a 95% interval
 * from the central limit theorem over problems, the unit that is sampled: samples of one problem
 * are not independent, so they are averaged first ("clustered" standard error). With fewer than
 * two problems the interval is the whole [0, 1].
 */
export function meanWithInterval(scores: readonly number[]): Estimate {
  const n = scores.length;
  if (n === 0) return { mean: NaN, low: NaN, high: NaN, n: 0 };
  const mean = scores.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { mean, low: 0, high: 1, n };
  const variance = scores.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const half = Z95 * Math.sqrt(variance / n);
  return { mean, low: Math.max(0, mean - half), high: Math.min(1, mean + half), n };
}

// Mann-Whitney U test and the Hodges-Lehmann shift with its confidence interval: the statistics of Kayenta's
// NetflixACAJudge (kayenta-judge.ts), kept so that judge can be run beside ours on the same data.
import { normalQuantile, normalSf } from '@mlops/stats';

export interface MannWhitneyResult {
  /** U of the first sample (scipy's `mannwhitneyu(x, y).statistic`). */
  u: number;
  /** Two-sided p-value, normal approximation with tie and continuity corrections (scipy method='asymptotic'). */
  p_value: number;
}

/**
 * @example mannWhitney([1, 2, 3, 4], [3, 5, 6, 7, 8]); // u = 1.5, p_value ≈ 0.0371 (scipy asymptotic)
 */
export function mannWhitney(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  const all = [...x.map((value) => ({ value, first: true })), ...y.map((value) => ({ value, first: false }))];
  all.sort((a, b) => a.value - b.value);
  const n = all.length;
  let rankSumFirst = 0;
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && all[end + 1]!.value === all[start]!.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let index = start; index <= end; index++) if (all[index]!.first) rankSumFirst += rank;
    const ties = end - start + 1;
    tieTerm += ties ** 3 - ties;
    start = end + 1;
  }
  const u1 = rankSumFirst - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u: u1, p_value: 1 };
  const u = Math.max(u1, n1 * n2 - u1);
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return { u: u1, p_value: Math.min(1, 2 * normalSf(z)) };
}

export interface ShiftEstimate {
  /** Hodges-Lehmann estimate of x − y: the median of all pairwise differences. */
  estimate: number;
  /** Distribution-free confidence interval from the order statistics of the differences (normal approximation). */
  lower: number;
  upper: number;
}

/** Hodges-Lehmann shift of x over y with a `confidence` interval (Bauer 1972; R's wilcox.test conf.int, approximate). */
export function hodgesLehmannShift(
  x: readonly number[],
  y: readonly number[],
  confidence: number,
): ShiftEstimate {
  const differences = new Float64Array(x.length * y.length);
  let index = 0;
  for (const a of x) for (const b of y) differences[index++] = a - b;
  differences.sort();
  const m = differences.length;
  const median =
    m % 2 === 1 ? differences[(m - 1) / 2]! : (differences[m / 2 - 1]! + differences[m / 2]!) / 2;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const k = Math.floor(m / 2 - z * Math.sqrt((x.length * y.length * (x.length + y.length + 1)) / 12));
  if (k < 1) return { estimate: median, lower: differences[0]!, upper: differences[m - 1]! };
  return { estimate: median, lower: differences[k - 1]!, upper: differences[m - k]! };
}

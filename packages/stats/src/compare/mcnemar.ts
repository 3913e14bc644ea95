import { binomialCdf } from '../distributions/binomial.ts';
import { chiSquareSf } from '../distributions/chi-square.ts';
import { assertSameLength, StatsError } from '../errors.ts';
import { checkBinaryInput } from '../metrics/roc-auc.ts';

/** Paired correctness counts of two classifiers on the same rows. */
export interface PairedCounts {
  /** Rows both classify correctly. */
  bothCorrect: number;
  /** Rows only A classifies correctly (b in McNemar's table). */
  onlyA: number;
  /** Rows only B classifies correctly (c in McNemar's table). */
  onlyB: number;
  bothWrong: number;
  n: number;
}

/**
 * Paired correctness of two models' thresholded scores (predicted positive when score >= threshold).
 * @example pairedCounts([1, 0, 1], [0.9, 0.2, 0.1], [0.9, 0.8, 0.7]); // => { bothCorrect: 1, onlyA: 1, onlyB: 1, bothWrong: 0, n: 3 }
 */
export function pairedCounts(
  yTrue: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  options: { threshold?: number } = {},
): PairedCounts {
  assertSameLength({ yTrue, scoresA, scoresB });
  checkBinaryInput(yTrue, scoresA);
  checkBinaryInput(yTrue, scoresB);
  const threshold = options.threshold ?? 0.5;
  const counts: PairedCounts = { bothCorrect: 0, onlyA: 0, onlyB: 0, bothWrong: 0, n: yTrue.length };
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i] === 1;
    const rightA = scoresA[i]! >= threshold === y;
    const rightB = scoresB[i]! >= threshold === y;
    if (rightA && rightB) counts.bothCorrect++;
    else if (rightA) counts.onlyA++;
    else if (rightB) counts.onlyB++;
    else counts.bothWrong++;
  }
  return counts;
}

/** McNemar's test result. */
export interface McNemarResult {
  /** exact: min(b, c); chi2: (|b - c| - correction)² / (b + c). */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  b: number;
  c: number;
  method: 'exact' | 'chi2';
  correction: boolean;
}

/**
 * McNemar's test of paired proportions from the discordant counts b (only A right) and c (only B right),
 * as statsmodels `mcnemar(table, exact, correction)`: exact p = min(1, 2·BinomCDF(min(b, c); b + c, ½));
 * chi2 = (|b - c| - 1)² / (b + c) with continuity correction (without: (b - c)² / (b + c)), p from χ²(1).
 * b = c = 0 gives statistic 0 and p = 1 in both forms (statsmodels returns inf / NaN for chi2 there).
 * @example mcnemarTest(10, 2).pValue; // => 0.03857421875 (statsmodels: 0.0385742187500000)
 */
export function mcnemarTest(
  b: number,
  c: number,
  options: { exact?: boolean; correction?: boolean } = {},
): McNemarResult {
  for (const [name, v] of [
    ['b', b],
    ['c', c],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new StatsError(`McNemar count ${name} is ${v}: expected a non-negative integer`);
  }
  const exact = options.exact ?? true;
  const correction = options.correction ?? true;
  if (b + c === 0) return { statistic: 0, pValue: 1, b, c, method: exact ? 'exact' : 'chi2', correction };
  if (exact) {
    const k = Math.min(b, c);
    return {
      statistic: k,
      pValue: Math.min(1, 2 * binomialCdf(k, b + c, 0.5)),
      b,
      c,
      method: 'exact',
      correction,
    };
  }
  const statistic = (Math.abs(b - c) - (correction ? 1 : 0)) ** 2 / (b + c);
  return { statistic, pValue: chiSquareSf(statistic, 1), b, c, method: 'chi2', correction };
}

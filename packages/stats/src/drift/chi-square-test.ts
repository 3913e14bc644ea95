import { chiSquareSf } from '../distributions/chi-square.ts';

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  df: number;
}

/**
 * Chi-square goodness of fit of the current category counts against the reference proportions, as
 * Evidently's `chisquare` stattest: expected_i = ref_i · n_cur / n_ref over the union of categories,
 * then scipy.stats.chisquare(observed, expected) with k - 1 degrees of freedom. A category absent from
 * the reference has expected 0 and makes the statistic infinite (p = 0), as in scipy. A single category
 * on both sides gives p = 1 (scipy: NaN, no degrees of freedom).
 * Source: evidently/legacy/calculations/stattests/chisquare_stattest.py; scipy.stats.chisquare.
 *
 * @example chiSquareTest([50, 30, 20], [30, 30, 40]); // => { statistic: 28, pValue: 8.315287191035681e-7, df: 2 }
 */
export function chiSquareTest(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): ChiSquareResult {
  const k = referenceCounts.length;
  if (k !== currentCounts.length) throw new RangeError('chiSquareTest: count arrays differ in length');
  // One category on both sides: nothing can have moved (scipy would return NaN with 0 df).
  if (k < 2) return { statistic: 0, pValue: 1, df: 0 };
  let nRef = 0;
  let nCur = 0;
  for (let i = 0; i < k; i++) {
    nRef += referenceCounts[i]!;
    nCur += currentCounts[i]!;
  }
  if (nRef <= 0 || nCur <= 0) throw new RangeError('chiSquareTest: both samples must be non-empty');
  const scale = nCur / nRef;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = referenceCounts[i]! * scale;
    const diff = currentCounts[i]! - expected;
    statistic += (diff * diff) / expected;
  }
  if (Number.isNaN(statistic)) statistic = Number.POSITIVE_INFINITY;
  return { statistic, pValue: chiSquareSf(statistic, k - 1), df: k - 1 };
}

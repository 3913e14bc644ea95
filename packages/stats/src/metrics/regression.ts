import { assertFinite, assertNonEmpty, assertSameLength, assertWeights } from '../errors.ts';
import { FLOAT64_EPS } from './calibration.ts';

/** Options of the regression metrics. */
export interface RegressionOptions {
  sampleWeight?: ArrayLike<number>;
}

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, sampleWeight?: ArrayLike<number>): void {
  assertSameLength({ yTrue, yPred, sampleWeight });
  assertNonEmpty(yTrue, 'yTrue');
  assertFinite(yTrue, 'yTrue');
  assertFinite(yPred, 'yPred');
  if (sampleWeight !== undefined) assertWeights(sampleWeight);
}

function weightedMean(values: (i: number) => number, n: number, w?: ArrayLike<number>): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === undefined ? 1 : w[i]!;
    sum += wi * values(i);
    total += wi;
  }
  return sum / total;
}

/**
 * Root mean squared error (scikit-learn `mean_squared_error(squared=False)` / `root_mean_squared_error`):
 * √(Σ w (y - ŷ)² / Σ w).
 * @example rootMeanSquaredError([1, 2, 3], [1, 2, 5]); // => 1.1547005383792515
 */
export function rootMeanSquaredError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: RegressionOptions = {},
): number {
  check(yTrue, yPred, options.sampleWeight);
  return Math.sqrt(weightedMean((i) => (yTrue[i]! - yPred[i]!) ** 2, yTrue.length, options.sampleWeight));
}

/**
 * Mean absolute error (scikit-learn `mean_absolute_error`): Σ w |y - ŷ| / Σ w.
 * @example meanAbsoluteError([1, 2, 3], [1, 2, 5]); // => 0.6666666666666666
 */
export function meanAbsoluteError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: RegressionOptions = {},
): number {
  check(yTrue, yPred, options.sampleWeight);
  return weightedMean((i) => Math.abs(yTrue[i]! - yPred[i]!), yTrue.length, options.sampleWeight);
}

/**
 * Coefficient of determination (scikit-learn `r2_score`, force_finite): 1 - Σ w (y - ŷ)² / Σ w (y - ȳ_w)²;
 * when y is exactly constant the score is 1 for a perfect prediction and 0 otherwise (sklearn's force_finite;
 * decided exactly, where sklearn's weighted mean can leave a 1e-16 residue and return noise).
 * @example r2Score([1, 2, 3], [1, 2, 5]); // => -1
 */
export function r2Score(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: RegressionOptions = {},
): number {
  check(yTrue, yPred, options.sampleWeight);
  const w = options.sampleWeight;
  const n = yTrue.length;
  // A constant target has no variance: decide exactly rather than divide rounding residue by rounding residue.
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = yTrue[i] === yTrue[0];
  if (constant) {
    for (let i = 0; i < n; i++) if (yPred[i] !== yTrue[i]) return 0;
    return 1;
  }
  const mean = weightedMean((i) => yTrue[i]!, n, w);
  let residual = 0;
  let totalSquares = 0;
  for (let i = 0; i < n; i++) {
    const wi = w === undefined ? 1 : w[i]!;
    residual += wi * (yTrue[i]! - yPred[i]!) ** 2;
    totalSquares += wi * (yTrue[i]! - mean) ** 2;
  }
  if (totalSquares === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / totalSquares;
}

/**
 * Mean absolute percentage error (scikit-learn `mean_absolute_percentage_error`):
 * Σ w |ŷ - y| / max(|y|, eps) / Σ w, eps = float64 machine epsilon — a fraction, not a percentage, and huge
 * (not infinite) when some y is 0, exactly as sklearn.
 * @example meanAbsolutePercentageError([1, 2, 4], [1, 3, 3]); // => 0.25
 */
export function meanAbsolutePercentageError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: RegressionOptions = {},
): number {
  check(yTrue, yPred, options.sampleWeight);
  return weightedMean(
    (i) => Math.abs(yPred[i]! - yTrue[i]!) / Math.max(Math.abs(yTrue[i]!), FLOAT64_EPS),
    yTrue.length,
    options.sampleWeight,
  );
}

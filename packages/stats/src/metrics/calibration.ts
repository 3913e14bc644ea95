import { StatsError } from '../errors.ts';
import { checkBinaryInput } from './roc-auc.ts';

/** Float64 machine epsilon: the clip of log loss (scikit-learn >= 1.5; eps="auto" for float64 in 1.2-1.4). */
export const FLOAT64_EPS = 2 ** -52;

function checkProbabilities(p: ArrayLike<number>, name: string): void {
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (!(v >= 0 && v <= 1)) throw new StatsError(`${name}[${i}] is ${v}: probabilities must be in [0, 1]`);
  }
}

/**
 * Binary log loss (scikit-learn `log_loss` with labels [0, 1]): -mean[y ln p + (1-y) ln(1-p)], p clipped to
 * [eps, 1 - eps] with eps = float64 machine epsilon, weighted by `sampleWeight`. Defined with one class.
 * @example logLoss([0, 1], [0.2, 0.7]); // => 0.2899092476264711
 */
export function logLoss(
  yTrue: ArrayLike<number>,
  yProb: ArrayLike<number>,
  options: { sampleWeight?: ArrayLike<number> } = {},
): number {
  checkBinaryInput(yTrue, yProb, options.sampleWeight);
  checkProbabilities(yProb, 'yProb');
  const w = options.sampleWeight;
  let sum = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = Math.min(Math.max(yProb[i]!, FLOAT64_EPS), 1 - FLOAT64_EPS);
    // sklearn forms the two columns [1 - p, p] and renormalises them by their sum.
    const q = 1 - p;
    const loss = -Math.log((yTrue[i] === 1 ? p : q) / (p + q));
    const weight = w === undefined ? 1 : w[i]!;
    sum += weight * loss;
    total += weight;
  }
  return sum / total;
}

/**
 * Brier score (scikit-learn `brier_score_loss`): weighted mean of (p - y)².
 * @example brierScore([0, 1], [0.2, 0.7]); // => 0.065
 */
export function brierScore(
  yTrue: ArrayLike<number>,
  yProb: ArrayLike<number>,
  options: { sampleWeight?: ArrayLike<number> } = {},
): number {
  checkBinaryInput(yTrue, yProb, options.sampleWeight);
  checkProbabilities(yProb, 'yProb');
  const w = options.sampleWeight;
  let sum = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = yProb[i]! - yTrue[i]!;
    const weight = w === undefined ? 1 : w[i]!;
    sum += weight * d * d;
    total += weight;
  }
  return sum / total;
}

/**
 * Expected calibration error with equal-width bins (Naeini et al. 2015; Guo et al. 2017):
 * ECE = Σ_b (W_b / W) |ȳ_b - p̄_b|, bins [k/B, (k+1)/B) with edges as numpy.linspace(0, 1, B + 1) and the
 * last bin closed at 1; empty bins contribute 0. Weighted means when `sampleWeight` is given.
 * @example expectedCalibrationError([0, 1, 1], [0.1, 0.8, 0.9], { nBins: 10 }); // => 0.13333333333333333
 */
export function expectedCalibrationError(
  yTrue: ArrayLike<number>,
  yProb: ArrayLike<number>,
  options: { sampleWeight?: ArrayLike<number>; nBins?: number } = {},
): number {
  checkBinaryInput(yTrue, yProb, options.sampleWeight);
  checkProbabilities(yProb, 'yProb');
  const bins = options.nBins ?? 10;
  if (!Number.isInteger(bins) || bins < 1)
    throw new StatsError(`nBins is ${bins}: expected a positive integer`);
  const step = 1 / bins;
  const weight = new Float64Array(bins);
  const labelSum = new Float64Array(bins);
  const probSum = new Float64Array(bins);
  const w = options.sampleWeight;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = yProb[i]!;
    let b = Math.min(Math.floor(p * bins), bins - 1);
    // Settle floating-point edge cases against the linspace edges themselves.
    if (b > 0 && p < b * step) b--;
    else if (b < bins - 1 && p >= (b + 1) * step) b++;
    const wi = w === undefined ? 1 : w[i]!;
    weight[b]! += wi;
    labelSum[b]! += wi * yTrue[i]!;
    probSum[b]! += wi * p;
    total += wi;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const wb = weight[b]!;
    if (wb > 0) ece += (wb / total) * Math.abs(labelSum[b]! / wb - probSum[b]! / wb);
  }
  return ece;
}

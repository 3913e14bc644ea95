// Golden-set flips between two models on the same labelled rows (backward compatibility): which rows the
// champion got right and the challenger now gets wrong. Definitions: Yan et al. (CVPR 2021) "Positive-
// congruent training" (negative flip rate, NFR; awslabs/Renate's performance_regression_metrics.py), Bansal
// et al. (AAAI 2019) backward trust compatibility (BTC).
import { binomialCdf } from '../distributions/binomial.ts';
import { assertOpenUnit, assertSameLength, StatsError } from '../errors.ts';

/** Flip counts of two models, with the rows that flipped. */
export interface Flips {
  n: number;
  /** Rows the champion (B) got right and the challenger (A) gets wrong. */
  negative: number;
  /** Rows the challenger gets right and the champion got wrong. */
  positive: number;
  /** negative / n (NFR) and positive / n (PFR). */
  negativeFlipRate: number;
  positiveFlipRate: number;
  /** negative / rows the challenger gets wrong (NFI); NaN when it gets none wrong. */
  negativeFlipIndex: number;
  /** Rows both get right / rows the champion gets right (BTC); NaN when the champion gets none right. */
  backwardTrustCompatibility: number;
  /** Row indices of the negative and the positive flips, ascending. */
  negativeRows: Int32Array;
  positiveRows: Int32Array;
}

/**
 * Flips of predicted classes (a binary model's labels at its threshold, or the argmax class): pooled over all
 * rows, never averaged per batch.
 * @example classFlips([3, 3, 0, 2], [1, 3, 0, 3], [2, 1, 0, 2]).negativeFlipRate; // => 0.25 (Renate's test: NFR = PFR = 0.25, NFI = PFI = 0.5)
 */
export function classFlips(
  yTrue: ArrayLike<number>,
  challenger: ArrayLike<number>,
  champion: ArrayLike<number>,
): Flips {
  const n = assertSameLength({ yTrue, challenger, champion });
  if (n === 0) throw new StatsError('flips need at least one row');
  const right = (i: number) => [challenger[i] === yTrue[i], champion[i] === yTrue[i]] as const;
  return countFlips(n, right);
}

/**
 * Flips of a regression model: a negative flip is a row whose absolute error grew by more than `tolerance`,
 * a positive flip one whose absolute error shrank by more than it. "Right" for the index and BTC is an absolute
 * error within the tolerance of the other model's, so they are reported but rarely what one gates on.
 */
export function regressionFlips(
  yTrue: ArrayLike<number>,
  challenger: ArrayLike<number>,
  champion: ArrayLike<number>,
  tolerance: number,
): Flips {
  const n = assertSameLength({ yTrue, challenger, champion });
  if (n === 0) throw new StatsError('flips need at least one row');
  if (!(tolerance >= 0)) throw new StatsError(`tolerance is ${tolerance}: expected a number >= 0`);
  return countFlips(n, (i) => {
    const errorA = Math.abs(challenger[i]! - yTrue[i]!);
    const errorB = Math.abs(champion[i]! - yTrue[i]!);
    return [errorA <= errorB + tolerance, errorB <= errorA + tolerance] as const;
  });
}

function countFlips(n: number, right: (i: number) => readonly [boolean, boolean]): Flips {
  const negativeRows: number[] = [];
  const positiveRows: number[] = [];
  let bothRight = 0;
  let championRight = 0;
  let challengerWrong = 0;
  for (let i = 0; i < n; i++) {
    const [a, b] = right(i);
    if (b) championRight++;
    if (!a) challengerWrong++;
    if (a && b) bothRight++;
    else if (b) negativeRows.push(i);
    else if (a) positiveRows.push(i);
  }
  return {
    n,
    negative: negativeRows.length,
    positive: positiveRows.length,
    negativeFlipRate: negativeRows.length / n,
    positiveFlipRate: positiveRows.length / n,
    negativeFlipIndex: challengerWrong === 0 ? Number.NaN : negativeRows.length / challengerWrong,
    backwardTrustCompatibility: championRight === 0 ? Number.NaN : bothRight / championRight,
    negativeRows: Int32Array.from(negativeRows),
    positiveRows: Int32Array.from(positiveRows),
  };
}

/**
 * One-sided upper Clopper-Pearson bound of a binomial proportion at `confidence`: the p at which seeing at
 * most x of n has probability 1 - confidence, i.e. scipy's `beta.ppf(confidence, x + 1, n - x)`; 1 when
 * x = n. Solved by bisection on the binomial CDF (decreasing in p), to the last bits of a double.
 * @example clopperPearsonUpper(0, 100, 0.95); // => 0.02951305054... (1 - 0.05^(1/100))
 */
export function clopperPearsonUpper(x: number, n: number, confidence: number): number {
  assertOpenUnit(confidence, 'confidence');
  if (!Number.isInteger(n) || n < 1) throw new StatsError(`n is ${n}: expected a whole number >= 1`);
  if (!Number.isInteger(x) || x < 0 || x > n)
    throw new StatsError(`x is ${x}: expected a whole number in [0, ${n}]`);
  if (x === n) return 1;
  const alpha = 1 - confidence;
  // x = 0 has the closed form 1 - alpha^(1/n).
  if (x === 0) return -Math.expm1(Math.log(alpha) / n);
  let low = x / n;
  let high = 1;
  for (let iteration = 0; iteration < 200; iteration++) {
    const middle = (low + high) / 2;
    if (middle <= low || middle >= high) break;
    if (binomialCdf(x, n, middle) > alpha) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

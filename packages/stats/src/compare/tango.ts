import { normalQuantile, normalSf } from '../distributions/normal.ts';
import { assertOpenUnit, StatsError } from '../errors.ts';

/** Tango's score test / interval for a difference of paired proportions. */
export interface PairedProportionResult {
  /** p_A - p_B = (b - c) / n. */
  difference: number;
  margin: number;
  /** Score statistic at δ0 = -margin. */
  z: number;
  /** One-sided p-value, H0: p_A - p_B <= -margin, H1: p_A - p_B > -margin (non-inferiority of A). */
  pValue: number;
  confidence: number;
  /** Score interval: the δ0 whose two-sided test is not rejected at 1 - confidence. */
  ci: [number, number];
  b: number;
  c: number;
  n: number;
}

/**
 * Tango's score statistic (T. Tango 1998, Stat Med 17:891-908, eq. 3) for H0: p_A - p_B = δ0 with paired
 * data: b = rows only A gets right, c = rows only B gets right, n = all rows;
 * Z = (b - c - nδ0) / √(n(2q̂ + δ0(1 - δ0))), q̂ the constrained MLE of the (B right, A wrong) cell:
 * q̂ = (√(B² - 4AC) - B)/(2A), A = 2n, B = -b - c + (2n - b + c)δ0, C = -cδ0(1 - δ0).
 * At δ0 = 0 it is McNemar's uncorrected z = (b - c)/√(b + c).
 * @example tangoScore(10, 2, 100, 0); // => 2.3094010767585034
 */
export function tangoScore(b: number, c: number, n: number, delta0: number): number {
  const bb = -b - c + (2 * n - b + c) * delta0;
  const cc = -c * delta0 * (1 - delta0);
  const q = (Math.sqrt(Math.max(bb * bb - 8 * n * cc, 0)) - bb) / (4 * n);
  const numerator = b - c - n * delta0;
  const variance = n * (2 * q + delta0 * (1 - delta0));
  if (numerator === 0) return 0;
  return variance <= 0 ? Math.sign(numerator) * Number.POSITIVE_INFINITY : numerator / Math.sqrt(variance);
}

/**
 * Tango's paired non-inferiority score test and score confidence interval for p_A - p_B (e.g. accuracy of a
 * challenger A against the champion B on the same rows). margin = 0 is a one-sided McNemar-type test.
 * The interval inverts the two-sided score test by bisection (as PropCIs `scoreci.mp`).
 * @example pairedNonInferiority({ b: 10, c: 2, n: 100, margin: 0.02 }).pValue; // => 0.003021304830171147
 */
export function pairedNonInferiority(input: {
  b: number;
  c: number;
  n: number;
  margin?: number;
  confidence?: number;
}): PairedProportionResult {
  const { b, c, n } = input;
  const margin = input.margin ?? 0;
  const confidence = input.confidence ?? 0.95;
  for (const [name, v] of [
    ['b', b],
    ['c', c],
    ['n', n],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new StatsError(`paired count ${name} is ${v}: expected a non-negative integer`);
  }
  if (n === 0) throw new StatsError('paired proportions need at least one row (n = 0)');
  if (b + c > n) throw new StatsError(`discordant counts b + c = ${b + c} exceed n = ${n}`);
  if (!(margin >= 0 && margin < 1)) throw new StatsError(`margin is ${margin}: expected a number in [0, 1)`);
  assertOpenUnit(confidence, 'confidence');
  const z = tangoScore(b, c, n, -margin);
  const q = normalQuantile(1 - (1 - confidence) / 2);
  const difference = (b - c) / n;
  return {
    difference,
    margin,
    z,
    pValue: normalSf(z),
    confidence,
    ci: [invert(b, c, n, q, -1, difference), invert(b, c, n, -q, difference, 1)],
    b,
    c,
    n,
  };
}

/** Solves tangoScore(δ0) = target on [lo, hi] by bisection (the score decreases in δ0). */
function invert(b: number, c: number, n: number, target: number, lo: number, hi: number): number {
  if (tangoScore(b, c, n, lo) <= target) return lo;
  if (tangoScore(b, c, n, hi) >= target) return hi;
  let low = lo;
  let high = hi;
  for (let i = 0; i < 200 && high - low > 1e-15; i++) {
    const mid = 0.5 * (low + high);
    if (tangoScore(b, c, n, mid) > target) low = mid;
    else high = mid;
  }
  return 0.5 * (low + high);
}

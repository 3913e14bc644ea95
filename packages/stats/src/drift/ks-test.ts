import { kolmogorovSf } from './kolmogorov.ts';

export interface KsResult {
  /** sup |F_ref - F_cur|; in exact mode rounded to a multiple of 1/lcm(n1, n2) as scipy does. */
  statistic: number;
  pValue: number;
  /** Which p-value scipy's method='auto' would use: 'exact' when max(n1, n2) <= 10,000. */
  mode: 'exact' | 'asymp';
}

/** scipy's MAX_AUTO_N: 'auto' attempts the exact distribution up to this sample size. */
const MAX_AUTO_N = 10_000;

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x;
}

function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Pr(D_{n,n} >= h/n) for equal sample sizes (scipy _compute_prob_outside_square, Horner form). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * Share of lattice paths from (0,0) to (m,n) leaving the band |x/m - y/n| < h/lcm, computed directly
 * as 1 - p (Viehmann 2021, arXiv:2102.08037) so small p-values keep their digits; scipy
 * _compute_outer_prob_inside_method.
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 < n0 ? [n0, m0] : [m0, n0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, Math.min(lenA, maxj - minj + (lastlen - curlen)));
  }
  return A[maxj - minj - 1]!;
}

/**
 * Two-sided p-value of a two-sample KS statistic `d` for sample sizes n1, n2, as scipy 1.10's
 * ks_2samp(method='auto'): the exact distribution when max(n1, n2) <= 10,000 (falling back to the
 * asymptotic one when the exact computation fails numerically), else kstwo.sf(d, round(n1 n2 /
 * (n1 + n2))). Used directly by sketch-based drift, where `d` comes from approximate CDFs.
 *
 * @example ksTwoSamplePValue(0.5, 10, 10); // => { statistic: 0.5, pValue: 0.16782134274394334, mode: 'exact' }
 */
export function ksTwoSamplePValue(d: number, n1: number, n2: number): KsResult {
  if (!(n1 > 0 && n2 > 0)) throw new RangeError('ksTwoSamplePValue: both samples must be non-empty');
  if (Math.max(n1, n2) <= MAX_AUTO_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    // Python's round() is half-to-even; d * lcm is within float error of an integer here anyway.
    const h = Math.round(d * lcm);
    const dExact = h / lcm;
    if (h === 0) return { statistic: dExact, pValue: 1, mode: 'exact' };
    const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (Number.isFinite(prob) && prob >= 0 && prob <= 1)
      return { statistic: dExact, pValue: prob, mode: 'exact' };
    return { statistic: dExact, pValue: asymptotic(dExact, n1, n2), mode: 'asymp' };
  }
  return { statistic: d, pValue: asymptotic(d, n1, n2), mode: 'asymp' };
}

function asymptotic(d: number, n1: number, n2: number): number {
  const en = (n1 * n2) / (n1 + n2);
  return Math.min(1, Math.max(0, kolmogorovSf(roundHalfEven(en), d)));
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, with scipy 1.10's `ks_2samp(method='auto')` statistic
 * and p-value. NaN values must be removed by the caller (as Evidently does before testing).
 * Source: scipy.stats.ks_2samp; Hodges (1958) for the exact distribution.
 *
 * @example ksTwoSample([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]); // => { statistic: 0.5, pValue: 0.35714285714285715, mode: 'exact' }
 */
export function ksTwoSample(reference: ArrayLike<number>, current: ArrayLike<number>): KsResult {
  const a = sortedCopy(reference);
  const b = sortedCopy(current);
  return ksTwoSampleSorted(a, b);
}

/**
 * {@link ksTwoSample} on inputs already sorted ascending (no copy).
 *
 * @example ksTwoSampleSorted([1, 2, 3], [2, 3, 4, 5]); // => { statistic: 0.5, pValue: 0.6571428571428571, mode: 'exact' }
 */
export function ksTwoSampleSorted(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('ksTwoSample: both samples must be non-empty');
  return ksTwoSamplePValue(ksStatisticSorted(a, b), n1, n2);
}

/**
 * sup_x |F_a(x) - F_b(x)| of two sorted samples, evaluated as scipy does (searchsorted 'right' at every
 * pooled value, so each CDF is count / n) to keep the same floating-point result.
 *
 * @example ksStatisticSorted([1, 2, 3], [2, 3, 4, 5]); // => 0.5
 */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxS = Number.NEGATIVE_INFINITY;
  let minS = Number.POSITIVE_INFINITY;
  while (i < n1 || j < n2) {
    const x = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! <= x) i++;
    while (j < n2 && b[j]! <= x) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const negMin = Math.min(1, Math.max(0, -minS));
  return Math.max(negMin, maxS);
}

import { normalCdf, normalQuantile } from '../distributions/normal.ts';

/**
 * Percentile of sorted values with linear interpolation between order statistics (numpy `percentile`,
 * method "linear"): position q·(B - 1).
 * @example percentileOfSorted(Float64Array.from([1, 2, 3, 4]), 0.5); // => 2.5
 */
export function percentileOfSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(q)) return Number.NaN;
  const position = Math.min(Math.max(q, 0), 1) * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  const fraction = position - lower;
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  // numpy's lerp form, so results agree to the last bit.
  return fraction >= 0.5 ? b - (b - a) * (1 - fraction) : a + (b - a) * fraction;
}

/**
 * Bias correction z0 = Φ⁻¹((#{θ* < θ̂} + #{θ* <= θ̂}) / 2B) (scipy.stats.bootstrap, Efron & Tibshirani 1993 §14.3).
 * @example biasCorrection(Float64Array.from([1, 2, 3]), 2); // => 0
 */
export function biasCorrection(sorted: Float64Array, estimate: number): number {
  let below = 0;
  let belowOrEqual = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (v < estimate) below++;
    if (v <= estimate) belowOrEqual++;
  }
  return normalQuantile((below + belowOrEqual) / (2 * sorted.length));
}

/**
 * Acceleration from jackknife values (Efron & Tibshirani 1993 eq. 14.15, scipy's form):
 * a = Σ U³ / (6 (Σ U²)^{3/2}), U_i = (n - 1)(θ̄ - θ_(i)). Returns 0 when every jackknife value is equal
 * (scipy returns NaN there; a constant statistic has no skewness to correct).
 * @example jackknifeAcceleration(Float64Array.from([1, 2, 4])); // => -0.03673889284811708
 */
export function jackknifeAcceleration(jackknife: Float64Array): number {
  const n = jackknife.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += jackknife[i]!;
  mean /= n;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < n; i++) {
    const u = (n - 1) * (mean - jackknife[i]!);
    s2 += u * u;
    s3 += u * u * u;
  }
  if (s2 === 0) return 0;
  return s3 / n ** 3 / (6 * (s2 / n ** 2) ** 1.5);
}

/**
 * BCa interval (Efron 1987; scipy.stats.bootstrap method "BCa"): percentiles
 * α_{1,2} = Φ(z0 + (z0 + z_α)/(1 - a(z0 + z_α))) of the sorted bootstrap distribution.
 */
export function bcaInterval(
  sorted: Float64Array,
  estimate: number,
  acceleration: number,
  confidence: number,
): { ci: [number, number]; z0: number } {
  const z0 = biasCorrection(sorted, estimate);
  const alpha = (1 - confidence) / 2;
  const zAlpha = normalQuantile(alpha);
  const level = (z: number): number => {
    const num = z0 + z;
    return normalCdf(z0 + num / (1 - acceleration * num));
  };
  return { ci: [percentileOfSorted(sorted, level(zAlpha)), percentileOfSorted(sorted, level(-zAlpha))], z0 };
}

/** Percentile interval [q_{α/2}, q_{1-α/2}] of the sorted bootstrap distribution. */
export function percentileInterval(sorted: Float64Array, confidence: number): [number, number] {
  const alpha = (1 - confidence) / 2;
  return [percentileOfSorted(sorted, alpha), percentileOfSorted(sorted, 1 - alpha)];
}

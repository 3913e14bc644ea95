/**
 * First Wasserstein (earth mover's) distance between two empirical distributions, ∫|F_u - F_v| dx,
 * as scipy.stats.wasserstein_distance on unweighted samples. Inputs must be sorted ascending.
 * Source: scipy.stats._stats_py._cdf_distance(p=1).
 *
 * @example wassersteinDistanceSorted([0, 1, 3], [5, 6, 8]); // => 5
 */
export function wassersteinDistanceSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const nu = u.length;
  const nv = v.length;
  if (nu === 0 || nv === 0) throw new RangeError('wassersteinDistance: both samples must be non-empty');
  let i = 0;
  let j = 0;
  let total = 0;
  let previous = Math.min(u[0]!, v[0]!);
  // Walk the pooled sorted values; between consecutive pooled values both CDFs are constant.
  while (i < nu || j < nv) {
    const x = j >= nv || (i < nu && u[i]! <= v[j]!) ? u[i]! : v[j]!;
    total += Math.abs(i / nu - j / nv) * (x - previous);
    while (i < nu && u[i]! <= x) i++;
    while (j < nv && v[j]! <= x) j++;
    previous = x;
  }
  return total;
}

/**
 * {@link wassersteinDistanceSorted} on unsorted inputs (copies and sorts them).
 *
 * @example wassersteinDistance([3, 0, 1], [5, 6, 8]); // => 5
 */
export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  return wassersteinDistanceSorted(Float64Array.from(u).sort(), Float64Array.from(v).sort());
}

/**
 * Population standard deviation (ddof 0), two-pass as numpy.std.
 *
 * @example populationStd([2, 4, 4, 4, 5, 5, 7, 9]); // => 2
 */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / n);
}

/**
 * Evidently's normed Wasserstein distance: W1(reference, current) / max(std(reference, ddof=0), 0.001).
 * Drift when >= 0.1 by default. Source: evidently/legacy/calculations/stattests/wasserstein_distance_norm.py.
 *
 * @example normedWasserstein([1, 2, 3, 4], [2, 3, 4, 5]); // => 0.8944271909999159
 */
export function normedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const norm = Math.max(populationStd(reference), 0.001);
  return wassersteinDistance(reference, current) / norm;
}

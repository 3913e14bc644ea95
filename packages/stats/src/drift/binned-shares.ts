import { fillZeroShares, histogramCounts, searchLeft, sturgesEdges } from './histogram.ts';

export interface BinnedShares {
  /** Numeric bins: edges (length bins + 1). Categorical bins: the category of each bin. */
  edges?: number[];
  categories?: string[];
  reference: number[];
  current: number[];
}

/**
 * Evidently's get_binned_data for a numeric column held exactly: with more than 20 distinct reference
 * values, Sturges bins over the pooled sample (np.histogram_bin_edges(concat, 'sturges')); otherwise one
 * bin per distinct value of the union. Shares are counts / n per side; `fillZeros` applies Evidently's
 * zero fill (PSI, KL) and is off for Jensen-Shannon. Inputs sorted ascending, NaN removed.
 * Source: evidently/legacy/calculations/stattests/utils.py get_binned_data.
 *
 * @example numericBinnedShares([1, 2, 3], [2, 3, 4], false).reference; // => [0.3333333333333333, 0.3333333333333333, 0.3333333333333333, 0]
 */
export function numericBinnedShares(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  fillZeros: boolean,
): BinnedShares {
  const nRef = reference.length;
  const nCur = current.length;
  if (distinctSorted(reference) > 20) {
    const min = Math.min(reference[0]!, current[0]!);
    const max = Math.max(reference[nRef - 1]!, current[nCur - 1]!);
    const edges = sturgesEdges(min, max, nRef + nCur);
    const ref = histogramCounts(reference, edges).map((c) => c / nRef);
    const cur = histogramCounts(current, edges).map((c) => c / nCur);
    return fillZeros
      ? { edges, reference: fillZeroShares(ref), current: fillZeroShares(cur) }
      : { edges, reference: ref, current: cur };
  }
  const keys = unionSorted(reference, current);
  const ref = keys.map((k) => countEqual(reference, k) / nRef);
  const cur = keys.map((k) => countEqual(current, k) / nCur);
  const categories = keys.map(String);
  return fillZeros
    ? { categories, reference: fillZeroShares(ref), current: fillZeroShares(cur) }
    : { categories, reference: ref, current: cur };
}

/**
 * Sturges bins over the pooled sample whatever the number of distinct values, as Evidently's Hellinger
 * distance bins numeric columns (np.histogram_bin_edges(concat, 'sturges'), then np.histogram per side).
 * Inputs sorted ascending, NaN removed.
 * Source: evidently/legacy/calculations/stattests/hellinger_distance.py.
 *
 * @example sturgesBinnedShares([0, 1], [2, 3]).reference; // => [0.5, 0.5, 0]
 */
export function sturgesBinnedShares(reference: ArrayLike<number>, current: ArrayLike<number>): BinnedShares {
  const nRef = reference.length;
  const nCur = current.length;
  const min = Math.min(reference[0]!, current[0]!);
  const max = Math.max(reference[nRef - 1]!, current[nCur - 1]!);
  const edges = sturgesEdges(min, max, nRef + nCur);
  return {
    edges,
    reference: histogramCounts(reference, edges).map((c) => c / nRef),
    current: histogramCounts(current, edges).map((c) => c / nCur),
  };
}

/**
 * Evidently's get_binned_data for a categorical column: one bin per category of the union, shares =
 * count / n per side, with the optional zero fill. Category order follows the reference, then new ones.
 *
 * @example categoricalBinnedShares(new Map([['a', 3], ['b', 1]]), new Map([['a', 1], ['c', 1]]), false).current; // => [0.5, 0, 0.5]
 */
export function categoricalBinnedShares(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
  fillZeros: boolean,
): BinnedShares {
  const categories = [...reference.keys()];
  for (const key of current.keys()) if (!reference.has(key)) categories.push(key);
  const nRef = sum(reference.values());
  const nCur = sum(current.values());
  const ref = categories.map((k) => (reference.get(k) ?? 0) / nRef);
  const cur = categories.map((k) => (current.get(k) ?? 0) / nCur);
  return fillZeros
    ? { categories, reference: fillZeroShares(ref), current: fillZeroShares(cur) }
    : { categories, reference: ref, current: cur };
}

/**
 * Shares over reference deciles for the industry PSI: inner edges are the 10%..90% reference quantiles
 * (numpy 'linear' interpolation, duplicates dropped), outer edges -inf / +inf, bins [e_i, e_i+1); empty
 * bins are floored at `epsilon` (default 1e-4) on both sides.
 * Source: Siddiqi (2006); Yurdakul (2018), "Statistical properties of population stability index".
 *
 * @example decileShares([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).reference.length; // => 10
 */
export function decileShares(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  epsilon = 1e-4,
): BinnedShares {
  const inner: number[] = [];
  for (let q = 1; q <= 9; q++) {
    const edge = quantileLinearSorted(reference, q / 10);
    if (inner.length === 0 || edge > inner[inner.length - 1]!) inner.push(edge);
  }
  const edges = [Number.NEGATIVE_INFINITY, ...inner, Number.POSITIVE_INFINITY];
  const shares = (sorted: ArrayLike<number>): number[] => {
    const out: number[] = [];
    let previous = 0;
    for (let i = 1; i < edges.length; i++) {
      const cumulative = i === edges.length - 1 ? sorted.length : searchLeft(sorted, edges[i]!);
      out.push(Math.max((cumulative - previous) / sorted.length, epsilon));
      previous = cumulative;
    }
    return out;
  };
  return { edges, reference: shares(reference), current: shares(current) };
}

/**
 * numpy.quantile(sorted, q) with the default 'linear' method (Hyndman & Fan type 7).
 *
 * @example quantileLinearSorted([1, 2, 3, 4], 0.1); // => 1.3
 */
export function quantileLinearSorted(sorted: ArrayLike<number>, q: number): number {
  const position = q * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const fraction = position - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  // numpy's _lerp: a + (b - a) * t, switching to b - (b - a) * (1 - t) for t >= 0.5.
  const diff = b - a;
  return fraction >= 0.5 ? b - diff * (1 - fraction) : a + diff * fraction;
}

/**
 * Number of distinct values in an ascending array.
 *
 * @example distinctSorted([1, 1, 2, 3, 3]); // => 3
 */
export function distinctSorted(sorted: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) count++;
  return count;
}

function unionSorted(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    out.push(x);
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
  }
  return out;
}

function countEqual(sorted: ArrayLike<number>, x: number): number {
  let lo = searchLeft(sorted, x);
  const start = lo;
  while (lo < sorted.length && sorted[lo] === x) lo++;
  return lo - start;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

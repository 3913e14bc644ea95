// Binning shared by the histogram-based drift scores (PSI, KL, Jensen-Shannon, Hellinger) and by the
// report charts. Everything here reproduces numpy's float arithmetic step by step so bin edges, and
// therefore scores, match Evidently's numpy-based definitions to the last digits.

/**
 * Bin edges of np.histogram_bin_edges(values, bins='sturges') for a sample of `size` values spanning
 * [min, max]: width = ptp / (log2(size) + 1), ceil(ptp / width) equal bins, edges by np.linspace.
 * A constant sample gets numpy's single bin [min - 0.5, max + 0.5].
 * Source: numpy/lib/histograms.py (_hist_bin_sturges, _get_bin_edges).
 *
 * @example sturgesEdges(0, 10, 8); // => [0, 2.5, 5, 7.5, 10]
 */
export function sturgesEdges(min: number, max: number, size: number): number[] {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const ptp = max - min;
  const width = ptp / (Math.log2(size) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, bins + 1);
}

/**
 * np.linspace(start, stop, num) with endpoint: start + i · step, last edge set to stop exactly.
 *
 * @example linspace(0, 1, 5); // => [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, stop: number, num: number): number[] {
  const div = num - 1;
  const step = (stop - start) / div;
  const edges = new Array<number>(num);
  for (let i = 0; i < num; i++) edges[i] = step === 0 ? (i / div) * (stop - start) + start : i * step + start;
  if (num > 1) edges[num - 1] = stop;
  return edges;
}

/**
 * Index of the first element >= x (numpy searchsorted side='left') in an ascending array.
 *
 * @example searchLeft([1, 2, 2, 3], 2); // => 1
 */
export function searchLeft(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Index of the first element > x (numpy searchsorted side='right') in an ascending array.
 *
 * @example searchRight([1, 2, 2, 3], 2); // => 3
 */
export function searchRight(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Counts per bin of np.histogram(sorted, bins=edges): bins [e_i, e_i+1), the last one closed; values
 * outside [e_0, e_last] are not counted.
 *
 * @example histogramCounts([1, 2, 2, 3, 9], [1, 2, 3]); // => [1, 3]
 */
export function histogramCounts(sorted: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1);
  let previous = searchLeft(sorted, edges[0]!);
  for (let i = 1; i < edges.length; i++) {
    const cumulative =
      i === edges.length - 1 ? searchRight(sorted, edges[i]!) : searchLeft(sorted, edges[i]!);
    counts[i - 1] = cumulative - previous;
    previous = cumulative;
  }
  return counts;
}

/**
 * Evidently's zero fill for PSI and KL (get_binned_data, feel_zeroes=True): empty bins get
 * min_nonzero / 1e6 when the smallest non-zero share is <= 1e-4, else 1e-4; applied per side, without
 * renormalising. Returns a new array.
 *
 * @example fillZeroShares([0, 0.5, 0.5]); // => [0.0001, 0.5, 0.5]
 */
export function fillZeroShares(shares: readonly number[]): number[] {
  let minNonZero = Number.POSITIVE_INFINITY;
  for (const s of shares) if (s !== 0 && s < minNonZero) minNonZero = s;
  const fill = minNonZero <= 0.0001 ? minNonZero / 10 ** 6 : 0.0001;
  return shares.map((s) => (s === 0 ? fill : s));
}

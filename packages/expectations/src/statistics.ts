/** Sketch-backed statistics of one column (from a profile), when the exact ones were not kept. */
export interface ColumnAggregates {
  quantile?(q: number): number | undefined;
  distinctCount?(): number | undefined;
  /** True when the values are estimates (KLL quantiles, HLL distinct counts). */
  approximate: boolean;
}

/**
 * The q-quantile of values sorted ascending, with linear interpolation between order statistics (numpy's
 * default `linear`, Hyndman & Fan type 7; q = 0.5 is the usual median).
 * @example sortedQuantile(new Float64Array([1, 2, 3, 4]), 0.5); // => 2.5
 */
export function sortedQuantile(sorted: Float64Array, q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

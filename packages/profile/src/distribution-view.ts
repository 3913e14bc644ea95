// One interface over "what we know about a column's distribution": exact values / counts when the
// profile kept them, sketches otherwise. The drift engine asks the same questions of both, and uses
// the exact, Evidently-identical formulas only when both sides are exact.

import { searchLeft, searchRight } from '@mlops/stats';
import type { ColumnProfile } from './types.ts';

export interface NumericView {
  exact: boolean;
  /** Valid values (nulls, NaN, infinities and unparseable cells excluded). */
  n: number;
  min: number;
  max: number;
  /** Population standard deviation (ddof 0). */
  std: number;
  /** Sorted exact values when exact. */
  sorted?: Float64Array;
  /** Share of values <= x. */
  cdf(x: number): number;
  /** Share of values < x. */
  cdfBelow(x: number): number;
  /**
   * Sketches only: the CDF interpolated linearly between retained items (each item's weight spread
   * around it), for bin shares. The staircase CDF of a KLL sketch puts up to 2^h / n of mass on one
   * point, which makes small tail bins jump between 0 and that weight; KS and Wasserstein keep the
   * staircase, where its error bound holds as documented.
   */
  smoothCdf?(x: number): number;
  /** Points where the (estimated) CDF steps, ascending. */
  support(): Float64Array;
  /** Estimated distinct values. */
  distinct: number;
  /** Counts per value (as strings) when known: exact values, or value counts of a low-cardinality column. */
  counts(): Map<string, number> | undefined;
}

export interface CategoricalView {
  exact: boolean;
  n: number;
  distinct: number;
  /** Exact counts, or frequent-item lower bounds plus an "(other)" remainder when inexact. */
  counts: Map<string, number>;
}

export const OTHER_CATEGORY = '(other)';

export function numericView(column: ColumnProfile): NumericView {
  const moments = column.moments!;
  const n = moments.count;
  if (column.exact && column.values) {
    const sorted = column.values.sortedView();
    let mean = 0;
    for (let i = 0; i < sorted.length; i++) mean += sorted[i]!;
    mean /= sorted.length;
    let ss = 0;
    for (let i = 0; i < sorted.length; i++) ss += (sorted[i]! - mean) ** 2;
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
    return {
      exact: true,
      n: sorted.length,
      min: sorted[0]!,
      max: sorted[sorted.length - 1]!,
      std: Math.sqrt(ss / sorted.length),
      sorted,
      cdf: (x) => searchRight(sorted, x) / sorted.length,
      cdfBelow: (x) => searchLeft(sorted, x) / sorted.length,
      support: () => sorted,
      distinct,
      counts: () => {
        // Runs of equal values in the sorted array: one string per distinct value.
        const counts = new Map<string, number>();
        let start = 0;
        for (let i = 1; i <= sorted.length; i++) {
          if (i === sorted.length || sorted[i] !== sorted[start]) {
            counts.set(String(sorted[start]), i - start);
            start = i;
          }
        }
        return counts;
      },
    };
  }
  const kll = column.quantiles!;
  return {
    exact: false,
    n,
    min: moments.min,
    max: moments.max,
    std: moments.std(0),
    cdf: (x) => kll.cdf(x),
    cdfBelow: (x) => kll.cdfBelow(x),
    smoothCdf: interpolatedCdf(column),
    support: () => kll.sortedView().values,
    distinct: Math.max(1, Math.round(column.distinct.estimate())),
    counts: () => column.value_counts?.toStringMap(),
  };
}

function interpolatedCdf(column: ColumnProfile): (x: number) => number {
  const kll = column.quantiles!;
  let knots: { x: Float64Array; y: Float64Array } | undefined;
  const build = () => {
    const { values, cumulative } = kll.sortedView();
    const x = new Float64Array(values.length + 2);
    const y = new Float64Array(values.length + 2);
    x[0] = kll.min;
    y[0] = 0;
    for (let i = 0; i < values.length; i++) {
      x[i + 1] = values[i]!;
      y[i + 1] = ((i === 0 ? 0 : cumulative[i - 1]!) + cumulative[i]!) / 2 / kll.n;
    }
    x[values.length + 1] = kll.max;
    y[values.length + 1] = 1;
    return { x, y };
  };
  return (value: number) => {
    knots ??= build();
    const { x, y } = knots;
    if (value < x[0]!) return 0;
    if (value >= x[x.length - 1]!) return 1;
    const i = searchRight(x, value) - 1; // last knot <= value
    const x0 = x[i]!;
    const x1 = x[i + 1]!;
    return x1 > x0 ? y[i]! + ((y[i + 1]! - y[i]!) * (value - x0)) / (x1 - x0) : y[i + 1]!;
  };
}

function frequentCounts(column: ColumnProfile): Map<string, number> {
  return new Map((column.frequent?.top() ?? []).map((f) => [f.item, f.lower]));
}

export function categoricalView(column: ColumnProfile): CategoricalView {
  const valid = column.count - column.null_count - column.invalid_count - column.infinite_count;
  if (column.exact && column.categories) {
    const counts = new Map(Object.entries(column.categories));
    return { exact: true, n: valid, distinct: counts.size, counts };
  }
  const counts = frequentCounts(column);
  let known = 0;
  for (const c of counts.values()) known += c;
  if (valid - known > 0) counts.set(OTHER_CATEGORY, valid - known);
  return {
    exact: column.frequent?.exact ?? false,
    n: valid,
    distinct: Math.max(1, Math.round(column.distinct.estimate())),
    counts,
  };
}

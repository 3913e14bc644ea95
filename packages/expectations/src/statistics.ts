/** Sketch-backed statistics of one column (from a profile), when the exact ones were not kept. */
export interface ColumnAggregates {
  quantile?(q: number): number | undefined;
  distinctCount?(): number | undefined;
  /** True when the values are estimates (KLL quantiles, HLL distinct counts). */
  approximate: boolean;
}

/**
 * Streaming count, mean, variance (Welford 1962), Neumaier-compensated sum, min and max: exact in one pass
 * and constant memory, and stable where the naive sum of squares cancels catastrophically.
 */
export class Moments {
  count = 0;
  private meanValue = 0;
  private m2 = 0;
  private total = 0;
  private compensation = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(value: number): void {
    this.count++;
    const delta = value - this.meanValue;
    this.meanValue += delta / this.count;
    this.m2 += delta * (value - this.meanValue);
    const t = this.total + value;
    this.compensation +=
      Math.abs(this.total) >= Math.abs(value) ? this.total - t + value : value - t + this.total;
    this.total = t;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /**
   * Adds a block of values: its mean and M2 in two passes, folded in with Chan, Golub & LeVeque's pairwise
   * update, and each value into the compensated sum; no division per value.
   */
  addAll(values: Float64Array): void {
    const n = values.length;
    if (n === 0) return;
    let total = this.total;
    let compensation = this.compensation;
    let blockSum = 0;
    let min = this.min;
    let max = this.max;
    for (let i = 0; i < n; i++) {
      const value = values[i]!;
      blockSum += value;
      const t = total + value;
      compensation += Math.abs(total) >= Math.abs(value) ? total - t + value : value - t + total;
      total = t;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const blockMean = blockSum / n;
    let m2 = 0;
    let residual = 0;
    for (let i = 0; i < n; i++) {
      const d = values[i]! - blockMean;
      residual += d;
      m2 += d * d;
    }
    m2 -= (residual * residual) / n;
    const mean = blockMean + residual / n;
    const before = this.count;
    const count = before + n;
    const delta = mean - this.meanValue;
    this.m2 += m2 + (delta * delta * before * n) / count;
    this.meanValue = before === 0 ? mean : this.meanValue + (delta * n) / count;
    this.count = count;
    this.total = total;
    this.compensation = compensation;
    this.min = min;
    this.max = max;
  }

  mean(): number {
    return this.count === 0 ? Number.NaN : this.meanValue;
  }

  /**
   * Sample standard deviation (ddof = 1), as pandas' `Series.std` and Great Expectations'
   * expect_column_stdev_to_be_between.
   * @example const m = new Moments(); [2, 4, 4, 4, 5, 5, 7, 9].forEach((v) => m.add(v)); m.sampleStdev(); // => 2.138...
   */
  sampleStdev(): number {
    return this.count < 2 ? Number.NaN : Math.sqrt(this.m2 / (this.count - 1));
  }

  sum(): number {
    return this.total + this.compensation;
  }
}

/**
 * The q-quantile with linear interpolation between order statistics (numpy's default `linear`, Hyndman &
 * Fan type 7; q = 0.5 is the usual median). Sorts a copy.
 * @example exactQuantile(new Float64Array([1, 2, 3, 4]), 0.5); // => 2.5
 */
export function exactQuantile(values: Float64Array, q: number): number | undefined {
  return sortedQuantile(Float64Array.from(values).sort(), q);
}

/** exactQuantile over values already sorted ascending. */
export function sortedQuantile(sorted: Float64Array, q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

// Streaming central moments with an exact, order-independent-in-exact-arithmetic merge, so a profile
// built from shards in a matrix of jobs has the same mean / variance / skewness as one built in one pass.

export interface MomentsState {
  count: number;
  mean: number;
  /** Σ (x - mean)^2, Σ (x - mean)^3, Σ (x - mean)^4. */
  m2: number;
  m3: number;
  m4: number;
  min: number;
  max: number;
  sum: number;
}

/**
 * Count, mean, M2..M4, min, max and sum of a stream of finite numbers, updated one value at a time
 * (Welford 1962; Terriberry's higher-order extension) and merged with Chan et al. (1979) / Pébay (2008)
 * pairwise formulas. Mergeable: `a.merge(b)` equals the moments of the concatenated streams up to
 * floating-point rounding.
 *
 * @example const m = new Moments(); [1, 2, 3, 4].forEach((x) => m.add(x)); m.variance(0); // => 1.25
 */
export class Moments implements MomentsState {
  count = 0;
  mean = 0;
  m2 = 0;
  m3 = 0;
  m4 = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Running sum; with `compensation` (Neumaier 1974) it is exact to about one rounding: see total(). */
  sum = 0;
  private compensation = 0;
  /**
   * The min and max of the block the last addAll was given (±Infinity before any): a caller that hands the
   * same block to KllSketch.addAll passes them on instead of KLL reading every value again for them.
   */
  blockMin = Number.POSITIVE_INFINITY;
  blockMax = Number.NEGATIVE_INFINITY;

  /** Adds one finite value (callers drop NaN / infinities first). */
  add(x: number): void {
    const n1 = this.count;
    const n = n1 + 1;
    const delta = x - this.mean;
    const deltaN = delta / n;
    const deltaN2 = deltaN * deltaN;
    const term1 = delta * deltaN * n1;
    this.mean += deltaN;
    this.m4 += term1 * deltaN2 * (n * n - 3 * n + 3) + 6 * deltaN2 * this.m2 - 4 * deltaN * this.m3;
    this.m3 += term1 * deltaN * (n - 2) - 3 * deltaN * this.m2;
    this.m2 += term1;
    this.count = n;
    this.addToSum(x);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /**
   * Adds a block of finite values: the block's own moments in two passes (mean, then central sums), folded
   * in with {@link Moments.merge}. Same result as adding them one by one up to rounding (it is the more
   * accurate of the two), without a division per value.
   */
  addAll(values: Float64Array): this {
    const n = values.length;
    if (n === 0) return this;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    // The block's sum, compensated (Neumaier) so that a long block loses nothing either.
    let total = 0;
    let compensation = 0;
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      const t = total + x;
      compensation += Math.abs(total) >= Math.abs(x) ? total - t + x : x - t + total;
      total = t;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const sumOfBlock = total + compensation;
    const mean = sumOfBlock / n;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    let residual = 0;
    for (let i = 0; i < n; i++) {
      const d = values[i]! - mean;
      const d2 = d * d;
      residual += d;
      m2 += d2;
      m3 += d2 * d;
      m4 += d2 * d2;
    }
    // The rounding of `mean` leaves Σd slightly off zero; this corrected two-pass form (Chan, Golub &
    // LeVeque 1983) removes its effect on M2.
    m2 -= (residual * residual) / n;
    this.blockMin = min;
    this.blockMax = max;
    this.merge({ count: n, mean: mean + residual / n, m2, m3, m4, min, max, sum: total });
    this.compensation += compensation;
    return this;
  }

  /** The sum of the values, Neumaier-compensated (as pandas' and GE's sums, without their cancellation). */
  total(): number {
    return this.sum + this.compensation;
  }

  private addToSum(x: number): void {
    const t = this.sum + x;
    this.compensation += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  /** Folds another stream's moments into this one (Pébay 2008, eqs. 3.1-3.3). Returns this. */
  merge(other: MomentsState): this {
    if (other.count === 0) return this;
    if (this.count === 0) {
      Object.assign(this, pick(other));
      this.compensation = other instanceof Moments ? other.compensation : 0;
      return this;
    }
    const na = this.count;
    const nb = other.count;
    const n = na + nb;
    const delta = other.mean - this.mean;
    const delta2 = delta * delta;
    const delta3 = delta2 * delta;
    const delta4 = delta2 * delta2;
    const m2 = this.m2 + other.m2 + (delta2 * na * nb) / n;
    const m3 =
      this.m3 +
      other.m3 +
      (delta3 * na * nb * (na - nb)) / (n * n) +
      (3 * delta * (na * other.m2 - nb * this.m2)) / n;
    const m4 =
      this.m4 +
      other.m4 +
      (delta4 * na * nb * (na * na - na * nb + nb * nb)) / (n * n * n) +
      (6 * delta2 * (na * na * other.m2 + nb * nb * this.m2)) / (n * n) +
      (4 * delta * (na * other.m3 - nb * this.m3)) / n;
    this.mean = (na * this.mean + nb * other.mean) / n;
    this.m2 = m2;
    this.m3 = m3;
    this.m4 = m4;
    this.count = n;
    // The other sum's compensation carries over as is: total() would round it away.
    this.addToSum(other.sum);
    if (other instanceof Moments) this.compensation += other.compensation;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** Variance with `ddof` delta degrees of freedom (0: population, as numpy; 1: sample, as pandas). */
  variance(ddof = 1): number {
    return this.count - ddof > 0 ? this.m2 / (this.count - ddof) : Number.NaN;
  }

  /** Standard deviation with `ddof` delta degrees of freedom. */
  std(ddof = 1): number {
    return Math.sqrt(this.variance(ddof));
  }

  /** Biased sample skewness g1 = sqrt(n) M3 / M2^1.5 (scipy.stats.skew default). */
  skewness(): number {
    return this.m2 > 0 ? (Math.sqrt(this.count) * this.m3) / this.m2 ** 1.5 : Number.NaN;
  }

  /** Biased excess kurtosis g2 = n M4 / M2^2 - 3 (scipy.stats.kurtosis default). */
  kurtosis(): number {
    return this.m2 > 0 ? (this.count * this.m4) / (this.m2 * this.m2) - 3 : Number.NaN;
  }

  toJSON(): MomentsState {
    const state = { ...pick(this), sum: this.total() };
    // JSON has no Infinity: an empty stream serialises min/max as null.
    return this.count === 0
      ? { ...state, min: null as unknown as number, max: null as unknown as number }
      : state;
  }

  /** Rebuilds a sketch from {@link Moments.toJSON} output. */
  static fromJSON(state: MomentsState): Moments {
    const m = new Moments();
    Object.assign(m, pick(state));
    if (m.count === 0) {
      m.min = Number.POSITIVE_INFINITY;
      m.max = Number.NEGATIVE_INFINITY;
    }
    return m;
  }
}

function pick(s: MomentsState): MomentsState {
  return { count: s.count, mean: s.mean, m2: s.m2, m3: s.m3, m4: s.m4, min: s.min, max: s.max, sum: s.sum };
}

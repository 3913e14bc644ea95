// Exact counts of a numeric column's values while it has few distinct values (codes, ratings, small
// integers): what chi-square and the category bins need once the exact values themselves no longer
// fit. A continuous column overflows within its first ~1000 distinct values and costs nothing after.

export interface ValueCountsJson {
  limit: number;
  /** [value, count] pairs, ascending by value. */
  counts: [number, number][];
}

/**
 * Counts per numeric value, up to `limit` distinct values.
 *
 * @example const c = new ValueCounts(2); c.add(1); c.add(1); c.add(2); c.add(3); // => false (third distinct value)
 */
export class ValueCounts {
  private readonly counts = new Map<number, number>();

  constructor(readonly limit = 1024) {}

  get size(): number {
    return this.counts.size;
  }

  /** Counts x; returns false once the column has more than `limit` distinct values (then drop this). */
  add(x: number): boolean {
    const key = x === 0 ? 0 : x;
    const previous = this.counts.get(key);
    if (previous !== undefined) {
      this.counts.set(key, previous + 1);
      return true;
    }
    if (this.counts.size >= this.limit) return false;
    this.counts.set(key, 1);
    return true;
  }

  /** Adds another column's counts; false when the union exceeds the limit. */
  merge(other: ValueCounts): boolean {
    for (const [value, count] of other.counts) {
      const previous = this.counts.get(value);
      if (previous === undefined && this.counts.size >= this.limit) return false;
      this.counts.set(value, (previous ?? 0) + count);
    }
    return true;
  }

  /** Counts keyed by the value's decimal string (the category labels the drift engine uses). */
  toStringMap(): Map<string, number> {
    return new Map([...this.counts].sort((a, b) => a[0] - b[0]).map(([v, c]) => [String(v), c]));
  }

  toJSON(): ValueCountsJson {
    return { limit: this.limit, counts: [...this.counts].sort((a, b) => a[0] - b[0]) };
  }

  static fromJSON(json: ValueCountsJson): ValueCounts {
    const out = new ValueCounts(json.limit);
    for (const [value, count] of json.counts) {
      if (typeof value !== 'number' || typeof count !== 'number')
        throw new RangeError('value counts must be [number, count] pairs');
      out.counts.set(value, count);
    }
    return out;
  }
}

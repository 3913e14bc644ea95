// Exact counts of a numeric column's values while it has few distinct values (codes, ratings, small
// integers): what chi-square and the category bins need once the exact values themselves no longer
// fit. A continuous column overflows within its first ~1000 distinct values and costs nothing after.

export interface ValueCountsJson {
  limit: number;
  /** [value, count] pairs, ascending by value. */
  counts: [number, number][];
}

/**
 * Counts per numeric value, up to `limit` distinct values. An open-addressing table of float64 keys rather
 * than a Map: a column of small integers (codes, ratings) is counted value by value for its whole length,
 * and a Map's get and set per value were most of that.
 *
 * @example const c = new ValueCounts(2); c.add(1); c.add(1); c.add(2); c.add(3); // => false (third distinct value)
 */
export class ValueCounts {
  private keys = new Float64Array(INITIAL_SLOTS);
  private counts = new Float64Array(INITIAL_SLOTS);
  private used = new Uint8Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  private distinct = 0;

  constructor(readonly limit = 1024) {}

  get size(): number {
    return this.distinct;
  }

  /** Counts x; returns false once the column has more than `limit` distinct values (then drop this). */
  add(x: number): boolean {
    return this.addCount(x, 1, true);
  }

  /** Counts `count` copies of x at once (what `count` calls of add would leave); false as add. */
  addRun(x: number, count: number): boolean {
    return this.addCount(x, count, true);
  }

  /** Adds another column's counts; false when the union exceeds the limit. */
  merge(other: ValueCounts): boolean {
    for (const [value, count] of other.entries()) if (!this.addCount(value, count, true)) return false;
    return true;
  }

  /** Counts keyed by the value's decimal string (the category labels the drift engine uses). */
  toStringMap(): Map<string, number> {
    return new Map(this.sorted().map(([v, c]) => [String(v), c]));
  }

  toJSON(): ValueCountsJson {
    return { limit: this.limit, counts: this.sorted() };
  }

  static fromJSON(json: ValueCountsJson): ValueCounts {
    const out = new ValueCounts(json.limit);
    for (const [value, count] of json.counts) {
      if (typeof value !== 'number' || typeof count !== 'number')
        throw new RangeError('value counts must be [number, count] pairs');
      out.addCount(value, count, false);
    }
    return out;
  }

  /**
   * Adds `count` to x's count (0 and -0 are one value); false, with nothing added, when x is new and the
   * table already holds `limit` values and `bounded` (a saved profile's counts are taken as they are).
   * A saved value listed twice keeps its last count, as the Map this replaced did.
   */
  private addCount(x: number, count: number, bounded: boolean): boolean {
    const keys = this.keys;
    let slot = slotOf(x) & this.mask;
    while (this.used[slot] === 1) {
      if (keys[slot] === x) {
        this.counts[slot] = bounded ? this.counts[slot]! + count : count;
        return true;
      }
      slot = (slot + 1) & this.mask;
    }
    if (bounded && this.distinct >= this.limit) return false;
    keys[slot] = x === 0 ? 0 : x;
    this.counts[slot] = count;
    this.used[slot] = 1;
    if (++this.distinct * 2 > keys.length) this.grow();
    return true;
  }

  /** Doubles the table (kept at most half full, so probes stay short). */
  private grow(): void {
    const entries = this.entries();
    const slots = this.keys.length * 2;
    this.keys = new Float64Array(slots);
    this.counts = new Float64Array(slots);
    this.used = new Uint8Array(slots);
    this.mask = slots - 1;
    this.distinct = 0;
    for (const [value, count] of entries) this.addCount(value, count, false);
  }

  private entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let slot = 0; slot < this.keys.length; slot++)
      if (this.used[slot] === 1) out.push([this.keys[slot]!, this.counts[slot]!]);
    return out;
  }

  private sorted(): [number, number][] {
    return this.entries().sort((a, b) => a[0] - b[0]);
  }
}

const INITIAL_SLOTS = 64;
const bits = new Float64Array(1);
const halves = new Int32Array(bits.buffer);

/** A well-mixed hash of a finite double (small integers without touching their bits; 0 and -0 alike). */
function slotOf(x: number): number {
  let hash: number;
  if ((x | 0) === x) hash = Math.imul(x, 0x9e3779b1);
  else {
    bits[0] = x;
    hash = Math.imul(halves[0]! ^ Math.imul(halves[1]!, 0x85ebca6b), 0x9e3779b1);
  }
  return hash ^ (hash >>> 16);
}

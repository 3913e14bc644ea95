import { hashStringFirst } from './hash.ts';

export interface FrequentItemsJson {
  capacity: number;
  n: number;
  /** Upper bound on how much any count is underestimated. */
  max_error: number;
  items: [string, number][];
}

export interface FrequentItem {
  item: string;
  /** Lower bound of the true count. */
  lower: number;
  /** Upper bound of the true count (lower + maxError). */
  upper: number;
}

/**
 * Misra-Gries frequent items summary (Misra & Gries 1982) in its mergeable form (Agarwal et al. 2012,
 * "Mergeable summaries"): at most `capacity` counters; every stored count c satisfies
 * c <= true count <= c + maxError with maxError <= n / (capacity + 1), and every item with true count
 * above maxError is stored. Counters are allowed to grow to twice the capacity and then reduced by the
 * (capacity + 1)-th largest count, which keeps updates amortised O(1) and the same guarantee.
 *
 * @example const f = new FrequentItems(2); ['a', 'a', 'b', 'a', 'c'].forEach((x) => f.add(x)); f.top(1)[0]?.item; // => 'a'
 */
export class FrequentItems {
  readonly capacity: number;
  private counts: CounterTable;
  private total = 0;
  private error = 0;

  constructor(capacity = 1024) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('FrequentItems: capacity must be >= 1');
    this.capacity = capacity;
    this.counts = new CounterTable(2 * capacity + 1);
  }

  get n(): number {
    return this.total;
  }

  get maxError(): number {
    return this.error;
  }

  /** True while no count has been reduced: every count is exact and every item is stored. */
  get exact(): boolean {
    return this.error === 0;
  }

  add(item: string, weight = 1): void {
    this.addWithHash(item, hashStringFirst(item), weight);
  }

  /**
   * add for an item whose {@link hashStringFirst} the caller already has (a profile's distinct count hashes
   * each value the same way): the same summary, one hash fewer per value.
   */
  addWithHash(item: string, hash: number, weight = 1): void {
    this.counts.add(item, hash | 0, weight);
    this.total += weight;
    if (this.counts.size > 2 * this.capacity) this.reduce();
  }

  /**
   * Subtracts the (capacity + 1)-th largest count from every counter and drops those that reach zero. The
   * cut is found by selection, not a sort, and the counters are rebuilt in place: on a column of unique
   * ids, where every counter is 1 and a reduction comes every `capacity` values, a sort was a fifth of the
   * profile's time, and a fresh Map per reduction most of its garbage.
   */
  private reduce(): void {
    if (this.counts.size <= this.capacity) return;
    // Every counter alike (a column of distinct ids: all 1): that count is the cut and every counter drops,
    // as selection and subtraction would find, without either pass.
    const shared = this.counts.sharedCount;
    if (!Number.isNaN(shared)) {
      this.error += shared;
      this.counts.clear();
      return;
    }
    const cut = kthLargest(this.counts.countsScratch(), this.capacity);
    this.error += cut;
    this.counts.subtract(cut);
  }

  /** Stored counts (lower bounds), largest first; ties by item for determinism. */
  top(limit = this.capacity): FrequentItem[] {
    this.reduce();
    return this.counts
      .entries()
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, limit)
      .map(([item, count]) => ({ item, lower: count, upper: count + this.error }));
  }

  /** Lower bound of an item's count (0 when not stored). */
  lowerBound(item: string): number {
    return this.counts.get(item);
  }

  /** Folds another summary in: counts add, errors add, then reduce to capacity. Returns this. */
  merge(other: FrequentItems): this {
    for (const [item, count] of other.counts.entries())
      this.counts.add(item, hashStringFirst(item) | 0, count);
    this.total += other.total;
    this.error += other.error;
    this.reduce();
    return this;
  }

  toJSON(): FrequentItemsJson {
    // Reduce first: maxError must describe the counts written beside it.
    this.reduce();
    return {
      capacity: this.capacity,
      n: this.total,
      max_error: this.error,
      items: this.top().map((f) => [f.item, f.lower]),
    };
  }

  static fromJSON(json: FrequentItemsJson): FrequentItems {
    const f = new FrequentItems(json.capacity);
    for (const [item, count] of json.items) f.counts.add(item, hashStringFirst(item) | 0, count);
    f.total = json.n;
    f.error = json.max_error;
    return f;
  }
}

/**
 * Counters by string in open addressing (linear probing) over preallocated arrays, sized for `expected`
 * counters at most half full and doubled if ever more arrive (a merge): adding a new item allocates
 * nothing but the item's place. The occupied slots are listed, so a reduction visits the counters, not
 * the table. The order of entries is not kept (nothing depends on it: `top` sorts).
 */
class CounterTable {
  private keys!: (string | undefined)[];
  private hashes!: Int32Array;
  private values!: Float64Array;
  private mask!: number;
  /** Slots in use, `size` of them. */
  private occupied!: Int32Array;
  private scratch!: Float64Array;
  size = 0;
  /** The count every counter holds, while they all hold the same one (NaN once two differ). */
  sharedCount = Number.NaN;

  constructor(expected: number) {
    let slots = 16;
    while (slots < 2 * expected) slots *= 2;
    this.allocate(slots);
  }

  /** Empty tables of `slots` slots (a power of two), at most half of them ever in use. */
  private allocate(slots: number): void {
    this.keys = new Array<string | undefined>(slots).fill(undefined);
    this.hashes = new Int32Array(slots);
    this.values = new Float64Array(slots);
    this.mask = slots - 1;
    this.occupied = new Int32Array(slots / 2 + 1);
    this.scratch = new Float64Array(slots / 2 + 1);
  }

  private slotOf(key: string, hash: number): number {
    const keys = this.keys;
    let slot = hash & this.mask;
    for (;;) {
      const found = keys[slot];
      if (found === undefined || (this.hashes[slot] === hash && found === key)) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  get(key: string): number {
    const slot = this.slotOf(key, hashStringFirst(key) | 0);
    return this.keys[slot] === undefined ? 0 : this.values[slot]!;
  }

  /** Adds `count` to key's counter; `hash` is hashStringFirst(key) as an int32. */
  add(key: string, hash: number, count: number): void {
    const slot = this.slotOf(key, hash);
    if (this.keys[slot] !== undefined) {
      this.values[slot] = this.values[slot]! + count;
      if (this.size === 1) this.sharedCount = this.values[slot]!;
      else if (count !== 0) this.sharedCount = Number.NaN;
      return;
    }
    this.put(slot, key, hash, count);
    if (this.size * 2 > this.keys.length) this.rebuild(this.keys.length * 2, 0);
  }

  private put(slot: number, key: string, hash: number, count: number): void {
    this.keys[slot] = key;
    this.hashes[slot] = hash;
    this.values[slot] = count;
    if (this.size === 0) this.sharedCount = count;
    else if (count !== this.sharedCount) this.sharedCount = Number.NaN;
    this.occupied[this.size++] = slot;
  }

  /** The counts, in a reused scratch array (for selecting the cut). */
  countsScratch(): Float64Array {
    for (let i = 0; i < this.size; i++) this.scratch[i] = this.values[this.occupied[i]!]!;
    return this.scratch.subarray(0, this.size);
  }

  /** Drops every counter (what subtracting their shared count does). */
  clear(): void {
    const keys = this.keys;
    for (let i = 0; i < this.size; i++) keys[this.occupied[i]!] = undefined;
    this.size = 0;
    this.sharedCount = Number.NaN;
  }

  /** Lowers every count by `cut`, dropping those that reach zero. */
  subtract(cut: number): void {
    this.rebuild(this.keys.length, cut);
  }

  entries(): [string, number][] {
    const out: [string, number][] = [];
    for (let i = 0; i < this.size; i++) {
      const slot = this.occupied[i]!;
      out.push([this.keys[slot]!, this.values[slot]!]);
    }
    return out;
  }

  /** Re-inserts the counters whose count exceeds `cut` (lowered by it) into `slots` slots. */
  private rebuild(slots: number, cut: number): void {
    const keys = this.keys;
    const hashes = this.hashes;
    const values = this.values;
    const keptKeys: string[] = [];
    const keptHashes: number[] = [];
    const keptValues: number[] = [];
    for (let i = 0; i < this.size; i++) {
      const slot = this.occupied[i]!;
      const value = values[slot]! - cut;
      if (value > 0) {
        keptKeys.push(keys[slot]!);
        keptHashes.push(hashes[slot]!);
        keptValues.push(value);
      }
      keys[slot] = undefined;
    }
    if (slots !== keys.length) this.allocate(slots);
    this.size = 0;
    for (let i = 0; i < keptKeys.length; i++) {
      const key = keptKeys[i]!;
      this.put(this.slotOf(key, keptHashes[i]!), key, keptHashes[i]!, keptValues[i]!);
    }
  }
}

/** The value at index k of `values` sorted descending (Hoare's selection; reorders `values`). */
function kthLargest(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return values[k]!;
  }
  return values[k]!;
}

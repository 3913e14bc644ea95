import { sortShortFloat64 } from './sort-float64.ts';

export interface KllJson {
  k: number;
  n: number;
  min: number | null;
  max: number | null;
  /** State of the deterministic coin used by compactions. */
  rng: number;
  /** levels[h] holds items of weight 2^h. */
  levels: number[][];
}

const MIN_LEVEL_CAPACITY = 8;
const CAPACITY_DECAY = 2 / 3;
/** Largest sampler level: blocks of at most 2^20 items (reached only past ~2.5e11 items at k = 256). */
const MAX_SAMPLE_LEVEL = 20;
/** One-sided 99% quantile of the standard normal, to turn the 99% rank-error bound into a standard error. */
const Z_99 = 2.576;
/** A sorted level longer than this takes an insertion by binary search and one block move. */
const LONG_LEVEL = 64;

/**
 * Normalised single-sided rank error of a KLL sketch with parameter k at 99% confidence, from Apache
 * DataSketches' empirical fit (KllSketch.getNormalizedRankError(k, false)): 2.296 / k^0.9723; k = 256
 * gives ≈ 1.05% (whylogs' default), k = 200 ≈ 1.33%.
 *
 * @example kllRankErrorBound(256); // => 0.010459 (approx.)
 */
export function kllRankErrorBound(k: number): number {
  return 2.296 / k ** 0.9723;
}

/**
 * xorshift32: a tiny deterministic coin so the same input order always gives the same sketch. The state
 * is kept as a signed int32 (the same bits as the uint32 the JSON shows): a uint32 at or above 2^31 is no
 * small integer to V8, and storing one in the sketch allocated a heap number every other draw.
 */
function nextRandom(state: number): number {
  let x = state | 0 || 0x2545f491;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x;
}

/** The maximum of the block blockMinimum last read (a variable, not a field or an element: see there). */
let blockMaximum = Number.NEGATIVE_INFINITY;

/**
 * A block's min, its max into `blockMaximum`. A small function of its own whose loop is followed by no
 * step that needs the optimiser's type feedback: a profile's first block is long, so the loop is optimised
 * on the fly (OSR) before anything after it has run, and such code gave up at the loop's exit on every
 * later call (the loop at the head of addAll did, and so did this one storing into a Float64Array).
 */
function blockMinimum(values: Float64Array): number {
  // Locals that start from constants stay unboxed doubles in the loop.
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  blockMaximum = max;
  return min;
}

/**
 * KLL quantile sketch (Karnin, Lang & Liberty 2016, "Optimal quantile approximation in streams") with
 * DataSketches' level capacities (k · (2/3)^depth, at least 8): rank error within
 * {@link kllRankErrorBound}(k) with 99% confidence, O(k) memory, mergeable. Compaction coins come from a
 * seeded xorshift32 kept in the sketch, so results are reproducible run to run; while n fits in level
 * 0 the sketch is exact.
 *
 * Long streams go through the paper's sampler (its Section 4): once n is large, each block of 2^s
 * consecutive items gives one item, chosen uniformly, of weight 2^s straight to level s, so most items
 * skip the sorts of the compactions (the sketch's cost is those sorts; 2M values per column made it
 * the largest part of a profile). The sampler's rank error has standard deviation at most
 * sqrt(2^s / n) / 2, and s is the largest level keeping that within a quarter of the compactions' own
 * standard error (bound / 2.576): the two add in variance, so the 99% bound grows by at most 3%
 * (1.05% → 1.08% at k = 256). min, max and n stay exact.
 *
 * @example const s = new KllSketch(); for (let i = 1; i <= 1000; i++) s.add(i); s.quantile(0.5); // => 500 (± 1%)
 */
export class KllSketch {
  readonly k: number;
  /** levels[0] is unused while items sit in `buffer`; levels[h >= 1] hold items of weight 2^h, sorted. */
  private levels: SortedLevel[] = [new SortedLevel()];
  /** Level 0 (weight 1) as a typed buffer: the hot path of add() is one store and one compare. */
  private buffer: Float64Array;
  /** The level-0 sort's scratch and bucket counts, allocated once (the sort runs once per k/2 values). */
  private readonly sortScratch: Float64Array;
  private readonly sortCounts: Int32Array;
  private bufferCount = 0;
  private count = 0;
  private minValue = Number.POSITIVE_INFINITY;
  private maxValue = Number.NEGATIVE_INFINITY;
  /** The coin's state as a signed int32 (see nextRandom); serialised as the uint32 of the same bits. */
  private rng: number;
  private size = 0;
  /** Level capacities and their sum, recomputed only when a level is added (pow is too slow per add). */
  private capacities: number[] = [];
  private capacityTotal = 0;
  private cache: { values: Float64Array; cumulative: Float64Array } | undefined;
  /** Sampler level s (0: every item enters level 0) and the current block's items (weight 1 until it closes). */
  private sampleLevel = 0;
  private block = new Float64Array(0);
  private blockCount = 0;
  /** 2^s may grow to n · samplerScale (see the class comment); the next level is due at this n. */
  private readonly samplerScale: number;
  private nextSampleLevelAt: number;

  constructor(k = 256, seed = 0x9e3779b9) {
    if (!Number.isInteger(k) || k < MIN_LEVEL_CAPACITY)
      throw new RangeError(`KllSketch: k must be an integer >= 8, got ${k}`);
    this.k = k;
    this.rng = seed | 0 || 1;
    this.buffer = new Float64Array(k);
    this.sortScratch = new Float64Array(k);
    this.sortCounts = new Int32Array(k);
    this.capacityTotal = this.totalCapacity();
    const standardError = kllRankErrorBound(k) / Z_99;
    this.samplerScale = (standardError * standardError) / 4;
    this.nextSampleLevelAt = 2 / this.samplerScale;
  }

  get n(): number {
    return this.count;
  }

  get min(): number {
    return this.minValue;
  }

  get max(): number {
    return this.maxValue;
  }

  /** True while no compaction has happened: queries answer exactly. */
  get exact(): boolean {
    return this.levels.length === 1;
  }

  /** Adds one finite value. */
  add(x: number): void {
    this.count++;
    if (x < this.minValue) this.minValue = x;
    if (x > this.maxValue) this.maxValue = x;
    this.cache = undefined;
    if (this.sampleLevel > 0) {
      this.block[this.blockCount++] = x;
      if (this.blockCount === this.block.length) this.closeBlock();
      return;
    }
    this.buffer[this.bufferCount++] = x;
    this.size++;
    if (this.bufferCount === this.k) {
      this.compactBuffer();
      this.adjustSampler();
    }
  }

  /**
   * Adds a block of finite values: the same sketch as adding them one by one, but while the sampler runs
   * only the one item each block keeps is touched (the coin that picks it is drawn when the block closes,
   * and nothing else draws in between), so most values cost a comparison for min / max and nothing more.
   */
  addAll(values: Float64Array): this {
    if (values.length === 0) return this;
    return this.addAllWithin(values, blockMinimum(values), blockMaximum);
  }

  /**
   * addAll for a block whose min and max the caller already has, as the first value below or above all
   * others in the block's order would give them (Moments.addAll's blockMin / blockMax): the sketch is the
   * same, without a pass over the block for them.
   */
  addAllWithin(values: Float64Array, min: number, max: number): this {
    const n = values.length;
    if (n === 0) return this;
    if (min < this.minValue) this.minValue = min;
    if (max > this.maxValue) this.maxValue = max;
    this.cache = undefined;
    let i = 0;
    while (i < n) {
      if (this.sampleLevel === 0) {
        // Level 0 takes values up to its room in one copy: add()'s steps for each, in the same order.
        const taken = Math.min(n - i, this.k - this.bufferCount);
        this.buffer.set(values.subarray(i, i + taken), this.bufferCount);
        i += taken;
        this.bufferCount += taken;
        this.count += taken;
        this.size += taken;
        if (this.bufferCount === this.k) {
          this.compactBuffer();
          this.adjustSampler();
        }
        continue;
      }
      const length = this.block.length;
      if (this.blockCount === 0 && n - i >= length) {
        i = this.sampleWholeBlocks(values, i);
        continue;
      }
      const room = length - this.blockCount;
      if (n - i < room) {
        // The block stays open: its items are kept (they count with weight 1 until it closes).
        this.block.set(values.subarray(i), this.blockCount);
        this.blockCount += n - i;
        this.count += n - i;
        return this;
      }
      this.count += room;
      this.rng = nextRandom(this.rng);
      const index = this.rng & (length - 1);
      const chosen = index < this.blockCount ? this.block[index]! : values[i + index - this.blockCount]!;
      i += room;
      this.blockCount = 0;
      this.keepSample(chosen);
    }
    return this;
  }

  /**
   * Closes the whole blocks of `values` from `start` on, with no open block before them: keepSample's
   * steps in the same order with the same coins, the counters kept in locals between compactions (field
   * loads and stores were much of the sampler's cost per item). A compaction runs inside the loop (the
   * sampler level cannot have changed: adjustSampler would have done nothing); returns where it stopped,
   * before a partial block or at a change of sampler level, which the caller's loop handles.
   */
  private sampleWholeBlocks(values: Float64Array, start: number): number {
    const s = this.sampleLevel;
    const length = this.block.length;
    while (this.levels.length <= s) this.addLevel();
    const level = this.levels[s]!;
    const n = values.length;
    let i = start;
    let rng = this.rng;
    let count = this.count;
    let size = this.size;
    while (n - i >= length) {
      count += length;
      rng = nextRandom(rng);
      const chosen = values[i + (rng & (length - 1))]!;
      i += length;
      level.insert(chosen);
      size++;
      if (count >= this.nextSampleLevelAt) break;
      if (size > this.capacityTotal) {
        // compress draws its coins from the sketch's state and changes size: both go through the fields.
        this.rng = rng;
        this.count = count;
        this.size = size;
        this.compress();
        rng = this.rng;
        size = this.size;
      }
    }
    this.rng = rng;
    this.count = count;
    this.size = size;
    if (size > this.capacityTotal) this.compress();
    this.adjustSampler();
    return i;
  }

  /** The block is complete: one of its items, uniformly, enters level s with weight 2^s. */
  private closeBlock(): void {
    this.rng = nextRandom(this.rng);
    const chosen = this.block[this.rng & (this.block.length - 1)]!;
    this.blockCount = 0;
    this.keepSample(chosen);
  }

  /** A closed block's chosen item into level s; then compaction and the sampler level as needed. */
  private keepSample(chosen: number): void {
    const s = this.sampleLevel;
    while (this.levels.length <= s) this.addLevel();
    this.levels[s]!.insert(chosen);
    this.size++;
    if (this.size > this.capacityTotal) this.compress();
    this.adjustSampler();
  }

  private addLevel(): void {
    this.levels.push(new SortedLevel());
    this.capacityTotal = this.totalCapacity();
  }

  /** Raises the sampler level as n grows (only between blocks, so every block has one size). */
  private adjustSampler(): void {
    if (this.count < this.nextSampleLevelAt) return;
    const limit = this.count * this.samplerScale;
    this.sampleLevel = Math.min(MAX_SAMPLE_LEVEL, Math.floor(Math.log2(limit)));
    this.block = new Float64Array(2 ** this.sampleLevel);
    this.nextSampleLevelAt =
      this.sampleLevel >= MAX_SAMPLE_LEVEL
        ? Number.POSITIVE_INFINITY
        : 2 ** (this.sampleLevel + 1) / this.samplerScale;
  }

  /** Items of the open block, which count with weight 1 until it closes. */
  private openBlock(): Float64Array {
    return this.block.subarray(0, this.blockCount);
  }

  /** Level 0 is full: promote half of it (sorted, random parity) to level 1, then settle the rest. */
  private compactBuffer(): void {
    if (this.levels.length === 1) this.addLevel();
    sortShortFloat64(this.buffer, this.bufferCount, this.sortScratch, this.sortCounts);
    const items = this.buffer.subarray(0, this.bufferCount);
    let end = items.length;
    const keep = end % 2 === 1 ? items[--end]! : undefined;
    this.rng = nextRandom(this.rng);
    this.levels[1]!.mergeFrom(items, this.rng & 1, end, 2);
    this.size -= end / 2;
    this.bufferCount = 0;
    if (keep !== undefined) this.buffer[this.bufferCount++] = keep;
    if (this.size > this.capacityTotal) this.compress();
  }

  private capacity(level: number): number {
    return this.capacities[level]!;
  }

  /** Recomputes each level's capacity (they depend on the depth) and returns their sum. */
  private totalCapacity(): number {
    const height = this.levels.length;
    this.capacities = new Array(height);
    let total = 0;
    for (let h = 0; h < height; h++) {
      // Level 0 keeps k items whatever the depth: weight-1 items add no compaction error, and a full-size
      // buffer means one sort of k values per k/2 updates instead of a compaction every few updates.
      const depth = height - h - 1;
      const capacity =
        h === 0 ? this.k : Math.max(MIN_LEVEL_CAPACITY, Math.ceil(this.k * CAPACITY_DECAY ** depth));
      this.capacities[h] = capacity;
      total += capacity;
    }
    return total;
  }

  /** Compacts the lowest over-full level (level 1 and up; level 0 is the buffer) until everything fits. */
  private compress(): void {
    while (this.size > this.capacityTotal) {
      if (this.bufferCount >= this.k) {
        this.compactBuffer();
        continue;
      }
      let h = 1;
      while (h < this.levels.length && this.levels[h]!.length < this.capacity(h)) h++;
      if (h >= this.levels.length) h = this.levels.length - 1;
      if (h === this.levels.length - 1) this.addLevel();
      // Levels above 0 are kept sorted, so a compaction is a merge, not a sort.
      const level = this.levels[h]!;
      let end = level.length;
      // An odd item stays behind so that weights are conserved exactly.
      const odd = end % 2 === 1;
      if (odd) end--;
      this.rng = nextRandom(this.rng);
      this.levels[h + 1]!.mergeFrom(level.items, this.rng & 1, end, 2);
      this.size -= end / 2;
      level.keepOnly(odd ? level.items[end]! : undefined);
    }
  }

  /** Folds another sketch (same k) in. Returns this. */
  merge(other: KllSketch): this {
    if (other.k !== this.k) throw new RangeError(`KllSketch: cannot merge k=${other.k} into k=${this.k}`);
    if (other.count === 0) return this;
    while (this.levels.length < other.levels.length) this.levels.push(new SortedLevel());
    this.capacityTotal = this.totalCapacity();
    for (let h = 1; h < other.levels.length; h++) {
      const theirs = other.levels[h]!;
      this.levels[h]!.mergeFrom(theirs.items, 0, theirs.length, 1);
    }
    this.count += other.count;
    this.size += other.size - other.bufferCount;
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
    this.rng = nextRandom(this.rng ^ Math.imul(other.rng, 0x85ebca6b));
    this.cache = undefined;
    for (let i = 0; i < other.bufferCount; i++) this.pushWeightOne(other.buffer[i]!);
    const open = other.openBlock();
    for (let i = 0; i < open.length; i++) this.pushWeightOne(open[i]!);
    this.compress();
    // Before the next block opens: a block in progress keeps its size (adjustSampler runs when it closes).
    if (this.blockCount === 0) this.adjustSampler();
    return this;
  }

  /** A weight-1 item that is already counted in n (merge, JSON): into the buffer, compacting if full. */
  private pushWeightOne(x: number): void {
    this.buffer[this.bufferCount++] = x;
    this.size++;
    if (this.bufferCount === this.k) this.compactBuffer();
  }

  /** Retained items sorted ascending with cumulative weights (for CDF walks). */
  sortedView(): { values: Float64Array; cumulative: Float64Array } {
    if (this.cache) return this.cache;
    const open = this.openBlock();
    const total = this.size + open.length;
    const values = new Float64Array(total);
    const weights = new Float64Array(total);
    let i = 0;
    for (let j = 0; j < this.bufferCount; j++) {
      values[i] = this.buffer[j]!;
      weights[i++] = 1;
    }
    for (let j = 0; j < open.length; j++) {
      values[i] = open[j]!;
      weights[i++] = 1;
    }
    for (let h = 1; h < this.levels.length; h++) {
      const w = 2 ** h;
      for (const x of this.levels[h]!.view()) {
        values[i] = x;
        weights[i++] = w;
      }
    }
    const order = Array.from({ length: total }, (_, j) => j).sort((a, b) => values[a]! - values[b]!);
    const sorted = new Float64Array(total);
    const cumulative = new Float64Array(total);
    let running = 0;
    order.forEach((j, r) => {
      running += weights[j]!;
      sorted[r] = values[j]!;
      cumulative[r] = running;
    });
    this.cache = { values: sorted, cumulative };
    return this.cache;
  }

  /** Estimated share of values <= x. */
  cdf(x: number): number {
    if (this.count === 0) return Number.NaN;
    const { values, cumulative } = this.sortedView();
    const below = countBelow(values, x, true);
    return below === 0 ? 0 : cumulative[below - 1]! / this.count;
  }

  /** Estimated share of values < x. */
  cdfBelow(x: number): number {
    if (this.count === 0) return Number.NaN;
    const { values, cumulative } = this.sortedView();
    const below = countBelow(values, x, false);
    return below === 0 ? 0 : cumulative[below - 1]! / this.count;
  }

  /** Smallest retained value whose estimated rank reaches q (q in [0, 1]); min at 0, max at 1. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    if (q <= 0) return this.minValue;
    if (q >= 1) return this.maxValue;
    const { values, cumulative } = this.sortedView();
    const target = q * this.count;
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return values[lo]!;
  }

  /** Number of values held (the memory the sketch uses, in numbers). */
  get retained(): number {
    return this.size + this.blockCount;
  }

  toJSON(): KllJson {
    const empty = this.count === 0;
    return {
      k: this.k,
      n: this.count,
      min: empty ? null : this.minValue,
      max: empty ? null : this.maxValue,
      rng: this.rng >>> 0,
      // The open block's items are weight-1 items, so they serialise with level 0.
      levels: this.levels.map((level, h) =>
        h === 0 ? [...this.buffer.subarray(0, this.bufferCount), ...this.openBlock()] : [...level.view()],
      ),
    };
  }

  static fromJSON(json: KllJson): KllSketch {
    const s = new KllSketch(json.k, json.rng);
    // Levels above 0 are kept sorted (older JSON may not be).
    const levels = json.levels.map((items) => [...items].sort((a, b) => a - b));
    let weight = 0;
    levels.forEach((items, h) => {
      weight += items.length * 2 ** h;
    });
    if (weight !== json.n) throw new RangeError(`KllSketch: levels weigh ${weight}, n is ${json.n}`);
    s.levels = [new SortedLevel(), ...levels.slice(1).map((items) => SortedLevel.of(items))];
    s.count = json.n;
    s.size = s.levels.reduce((total, items) => total + items.length, 0);
    s.capacityTotal = s.totalCapacity();
    s.minValue = json.min ?? Number.POSITIVE_INFINITY;
    s.maxValue = json.max ?? Number.NEGATIVE_INFINITY;
    for (const x of levels[0] ?? []) s.pushWeightOne(x);
    s.compress();
    s.adjustSampler();
    return s;
  }
}

/**
 * One level's items, sorted, in a growable Float64Array: a compaction merges into it in place, so the
 * sketch allocates nothing per compaction (a new array per merge made KLL the main source of garbage in
 * a profile: gigabytes over 2M values per column). Exported for its tests only.
 */
export class SortedLevel {
  items = new Float64Array(16);
  length = 0;

  static of(values: readonly number[]): SortedLevel {
    const level = new SortedLevel();
    level.reserve(values.length);
    level.items.set(values);
    level.length = values.length;
    return level;
  }

  view(): Float64Array {
    return this.items.subarray(0, this.length);
  }

  private reserve(length: number): void {
    if (length <= this.items.length) return;
    const grown = new Float64Array(Math.max(length, this.items.length * 2));
    grown.set(this.items.subarray(0, this.length));
    this.items = grown;
  }

  /**
   * Inserts x after any equal items: an insertion sort's step from the back, since the sampler's level is
   * one of the lowest and usually holds a handful of items (cheaper than a binary search and a copyWithin
   * call). After a rise of the sampler level its level takes hundreds of items before its first
   * compaction: past LONG_LEVEL items, the same place by binary search and one block move.
   */
  insert(x: number): void {
    this.reserve(this.length + 1);
    const items = this.items;
    let at = this.length;
    if (at > LONG_LEVEL) {
      this.insertLong(x);
      return;
    }
    while (at > 0 && items[at - 1]! > x) {
      items[at] = items[at - 1]!;
      at--;
    }
    items[at] = x;
    this.length++;
  }

  /** insert's place for a long level: after the last item not above x (the level is sorted), by halving. */
  private insertLong(x: number): void {
    const items = this.items;
    const length = this.length;
    let lo = 0;
    let hi = length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (items[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    items.copyWithin(lo + 1, lo, length);
    items[lo] = x;
    this.length = length + 1;
  }

  /**
   * Merges in `source[start], source[start + step], ... (before end)`, ascending, placing each after the
   * equal items already here: a compaction's promoted half (step 2) or another sketch's level (step 1).
   * From the back, so that no scratch is needed.
   */
  mergeFrom(source: ArrayLike<number>, start: number, end: number, step: number): void {
    if (end <= start) return;
    const added = Math.ceil((end - start) / step);
    this.reserve(this.length + added);
    const items = this.items;
    let a = this.length - 1;
    let b = start + (added - 1) * step;
    let out = this.length + added - 1;
    while (b >= start) {
      if (a >= 0 && items[a]! > source[b]!) items[out--] = items[a--]!;
      else {
        items[out--] = source[b]!;
        b -= step;
      }
    }
    this.length += added;
  }

  /** Empties the level, keeping `x` alone when given (a compaction's odd item). */
  keepOnly(x: number | undefined): void {
    this.length = 0;
    if (x !== undefined) {
      this.items[0] = x;
      this.length = 1;
    }
  }
}

/** How many items of ascending `sorted` are below x (or at most x, with `orEqual`): a binary search. */
function countBelow(sorted: ArrayLike<number>, x: number, orEqual: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x || (orEqual && sorted[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

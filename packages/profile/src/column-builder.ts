import { keyedByData } from '@mlops/kit/keyed-by-data';
import { FrequentItems, HyperLogLog, hashStringFirst, KllSketch, Moments } from '@mlops/stats';
import { ExactNumbers } from './exact-numbers.ts';
import { type Cell, type ColumnProfile, type ColumnType, columnKind, type StringCodes } from './types.ts';
import { ValueCounts } from './value-counts.ts';

/** Counters kept for frequent items: whylogs' lgMaxK = 10. */
export const FREQUENT_ITEMS_CAPACITY = 1024;
/** KLL parameter: whylogs' default, ≈1.05% single-sided rank error at 99% confidence. */
export const KLL_K = 256;
/** HyperLogLog registers 2^12: ≈1.6% relative standard error. */
export const HLL_LG_K = 12;

/**
 * Creates the empty profile of a column of the given type.
 *
 * @example emptyColumnProfile('string').exact; // => true
 */
export function emptyColumnProfile(type: ColumnType): ColumnProfile {
  const numeric = columnKind(type) === 'numeric';
  const profile: ColumnProfile = {
    type,
    count: 0,
    null_count: 0,
    infinite_count: 0,
    invalid_count: 0,
    exact: true,
    distinct: new HyperLogLog(HLL_LG_K),
  };
  if (numeric) {
    profile.moments = new Moments();
    profile.quantiles = new KllSketch(KLL_K);
    profile.values = new ExactNumbers();
    profile.value_counts = new ValueCounts();
  } else {
    profile.frequent = new FrequentItems(FREQUENT_ITEMS_CAPACITY);
    profile.categories = keyedByData();
  }
  return profile;
}

/** A number from a numeric / datetime cell, NaN when it does not parse (counted as invalid). */
function toNumber(cell: string | number | boolean, type: ColumnType): number {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'boolean') return Number.NaN;
  const text = cell.trim();
  if (text === '') return Number.NaN;
  if (type === 'datetime') {
    const asNumber = Number(text);
    return Number.isFinite(asNumber) ? asNumber : Date.parse(text);
  }
  return Number(text);
}

/**
 * Accumulates one column in constant memory: counters and sketches always, exact values until
 * `exactLimit` numbers / `categoryLimit` categories, after which the exact part is dropped for good
 * (`exact: false`).
 *
 * @example const b = new ColumnProfileBuilder('number', 200_000, 10_000); b.add([1, null, 'x'], 3); b.profile.invalid_count; // => 1
 */
export class ColumnProfileBuilder {
  readonly profile: ColumnProfile;
  private readonly numeric: boolean;
  private categoryCount = 0;
  /** Scratch space for a batch's finite values (reused across batches). */
  private finite = new Float64Array(0);
  /**
   * While a string column comes with codes (see addCodes): the dictionary they index, and the rows counted
   * per code so far, not yet in `categories`. `countingCodes` turns false for good at the first batch
   * without them.
   */
  private countingCodes = true;
  private dictionary: readonly string[] | undefined;
  private codeCounts = new Float64Array(0);

  constructor(
    type: ColumnType,
    private readonly exactLimit: number,
    private readonly categoryLimit: number,
  ) {
    this.profile = emptyColumnProfile(type);
    this.numeric = columnKind(type) === 'numeric';
  }

  /** Counts `n` rows in which the column was absent (a JSON Lines record without the key). */
  addMissing(n: number): void {
    this.profile.count += n;
    this.profile.null_count += n;
  }

  /**
   * Adds a batch of one column: a numeric column as float64 values with NaN for missing (the readers'
   * form), or any column as cells.
   */
  add(cells: readonly Cell[] | Float64Array, rowCount: number, codes?: StringCodes): void {
    if (this.countingCodes) {
      if (codes !== undefined && this.addCodes(codes, rowCount)) return;
      this.stopCountingCodes();
    }
    if (cells instanceof Float64Array) {
      if (this.numeric) this.addNumbers(cells, rowCount);
      else
        this.add(
          Array.from(cells, (x) => (Number.isNaN(x) ? null : x)),
          rowCount,
        );
      return;
    }
    const p = this.profile;
    p.count += rowCount;
    for (let i = 0; i < rowCount; i++) {
      const cell = cells[i];
      if (cell === null || cell === undefined) {
        p.null_count++;
        continue;
      }
      if (this.numeric) this.addNumeric(cell);
      else this.addCategory(cell);
    }
  }

  /**
   * The numeric hot path: one pass splits missing and infinite values from the finite ones, then the
   * finite block goes to the moments and the exact store (or the sketches) in bulk.
   */
  private addNumbers(values: Float64Array, rowCount: number): void {
    const p = this.profile;
    p.count += rowCount;
    if (this.finite.length < rowCount) this.finite = new Float64Array(rowCount);
    const finite = this.finite;
    let n = 0;
    let missing = 0;
    for (let i = 0; i < rowCount; i++) {
      const x = values[i]!;
      // x - x is 0 for a finite x and NaN for NaN and ±Infinity: one test for the common case.
      if (x - x === 0) finite[n++] = x;
      else if (Number.isNaN(x)) missing++;
    }
    const infinite = rowCount - n - missing;
    p.null_count += missing;
    p.infinite_count += infinite;
    if (n === 0) return;
    let block = finite.subarray(0, n);
    const moments = p.moments!;
    moments.addAll(block);
    // The moments have just read the whole block for its extremes: KLL takes them from there.
    let extremes: Moments | undefined = moments;
    const exact = p.values;
    if (exact) {
      const room = this.exactLimit - exact.count;
      if (n <= room) {
        exact.pushAll(block);
        return;
      }
      exact.pushAll(block.subarray(0, room));
      block = block.subarray(room);
      extremes = undefined;
      this.sketchExactValues();
      p.values = undefined;
      p.exact = false;
    }
    // One call, reached by the first batch past the exact limit too: a step here that only later batches
    // reach had no type feedback when the loop above was optimised on the fly, and that code gave up at it
    // on every call (hundreds of deopts a thread).
    this.sketchNumbers(block, extremes);
  }

  /**
   * sketchNumber over a block: KLL (given the block's extremes when `extremes` read this very block) and,
   * once the value counts have overflowed, HyperLogLog in bulk.
   */
  private sketchNumbers(block: Float64Array, extremes: Moments | undefined): void {
    const p = this.profile;
    if (extremes === undefined) p.quantiles!.addAll(block);
    else p.quantiles!.addAllWithin(block, extremes.blockMin, extremes.blockMax);
    const counted = p.value_counts === undefined ? 0 : this.countNumbers(block);
    if (counted < block.length) p.distinct.addNumbers(block.subarray(counted));
  }

  /**
   * countNumber over the block while the value counts hold; returns how many values it took. A function of
   * its own so that sketchNumbers, with KLL inlined, has no loop of its own to be optimised on the fly for.
   */
  private countNumbers(block: Float64Array): number {
    const p = this.profile;
    let i = 0;
    for (; i < block.length && p.value_counts !== undefined; i++) this.countNumber(block[i]!);
    return i;
  }

  private addNumeric(cell: string | number | boolean): void {
    const p = this.profile;
    if (typeof cell === 'string' && cell.trim() === '') {
      p.null_count++;
      return;
    }
    const x = toNumber(cell, p.type);
    if (Number.isNaN(x)) {
      if (typeof cell === 'number' || /^\s*nan\s*$/i.test(String(cell))) p.null_count++;
      else p.invalid_count++;
      return;
    }
    if (!Number.isFinite(x)) {
      p.infinite_count++;
      return;
    }
    p.moments!.add(x);
    const values = p.values;
    if (values) {
      // While the values are kept, the sketches are built from them once (finish, or the moment the
      // limit is passed): a fraction of the cost of updating three sketches per value.
      if (values.count < this.exactLimit) {
        values.push(x);
        return;
      }
      this.sketchExactValues();
      p.values = undefined;
      p.exact = false;
    }
    this.sketchNumber(x);
  }

  private sketchNumber(x: number): void {
    this.profile.quantiles!.add(x);
    this.countNumber(x);
  }

  /** The distinct-count side of sketchNumber: value counts while they hold, HyperLogLog. */
  private countNumber(x: number): void {
    const p = this.profile;
    const counts = p.value_counts;
    if (counts === undefined) {
      p.distinct.addNumber(x);
      return;
    }
    const before = counts.size;
    if (!counts.add(x)) {
      p.value_counts = undefined;
      p.distinct.addNumber(x);
    } else if (counts.size > before) {
      p.distinct.addNumber(x); // HyperLogLog is idempotent: only new values change it
    }
  }

  /** Feeds the exact values to KLL (sorted: no compaction sorts), HyperLogLog and value counts. */
  private sketchExactValues(): void {
    const p = this.profile;
    const sorted = p.values!.sortedView();
    p.quantiles!.addAll(sorted);
    // HyperLogLog ignores repeats: the whole block gives the registers of its distinct values, through
    // the block path (a value at a time cost a store and a reload per value, ~3x the time).
    p.distinct.addNumbers(sorted);
    const counts = p.value_counts;
    if (counts !== undefined && !countRuns(counts, sorted)) p.value_counts = undefined;
  }

  /** Feeds the exact category counts to the frequent-items and distinct sketches. */
  private sketchCategories(): void {
    const p = this.profile;
    for (const [key, count] of Object.entries(p.categories!)) this.sketchString(key, count);
  }

  /** A value into the distinct count and frequent items, which hash it the same way: hashed once. */
  private sketchString(key: string, count: number): void {
    const p = this.profile;
    const hash = hashStringFirst(key);
    p.distinct.addStringWithHash(key, hash);
    p.frequent!.addWithHash(key, hash, count);
  }

  /**
   * A string column's batch as codes (the same rows as its cells): counted per code in an array instead of
   * looked up by string per row. Codes index a dictionary in the order its values first appeared, so the
   * counts turn into the same `categories` (keys in the same order, hence the same frequent items and
   * HyperLogLog at the end) as counting the cells would have built. False, with nothing counted, when the
   * codes cannot stand for the cells: another type, categories no longer exact, another dictionary than
   * the first batch's, or more values in the dictionary than the category limit (whose overflow must happen
   * at the row the cells would meet it: the cells do that).
   */
  private addCodes(coded: StringCodes, rowCount: number): boolean {
    const p = this.profile;
    if (p.type !== 'string' || p.categories === undefined) return false;
    const dictionary = coded.dictionary;
    if (this.dictionary === undefined) {
      if (this.categoryCount !== 0) return false;
      this.dictionary = dictionary;
    } else if (this.dictionary !== dictionary) return false;
    // The dictionary may already hold later batches' values: its size bounds this batch's codes.
    const size = dictionary.length;
    if (size > this.categoryLimit) return false;
    if (this.codeCounts.length < size) {
      const grown = new Float64Array(Math.max(size, this.codeCounts.length * 2));
      grown.set(this.codeCounts);
      this.codeCounts = grown;
    }
    const counts = this.codeCounts;
    const codes = coded.codes;
    let missing = 0;
    for (let i = 0; i < rowCount; i++) {
      const code = codes[i]!;
      if (code < 0) missing++;
      else counts[code]!++;
    }
    p.count += rowCount;
    p.null_count += missing;
    return true;
  }

  /** Moves the counts by code into `categories` (first appearance first); later batches are counted by string. */
  private stopCountingCodes(): void {
    this.countingCodes = false;
    const dictionary = this.dictionary;
    if (dictionary === undefined) return;
    const categories = this.profile.categories!;
    const counts = this.codeCounts;
    for (let code = 0; code < counts.length; code++) {
      const count = counts[code]!;
      if (count === 0) continue;
      categories[dictionary[code]!] = count;
      this.categoryCount++;
    }
    this.dictionary = undefined;
    this.codeCounts = new Float64Array(0);
  }

  /** Completes the sketches of a column still held exactly (called by the dataset builder's finish). */
  finish(): void {
    if (this.countingCodes) this.stopCountingCodes();
    const p = this.profile;
    if (p.values) this.sketchExactValues();
    if (p.categories) this.sketchCategories();
  }

  private addCategory(cell: string | number | boolean): void {
    const p = this.profile;
    let key: string;
    if (p.type === 'boolean') {
      const normalised =
        typeof cell === 'string' ? parseBoolean(cell) : typeof cell === 'boolean' ? cell : undefined;
      if (normalised === undefined) {
        p.invalid_count++;
        return;
      }
      key = String(normalised);
    } else {
      key = typeof cell === 'string' ? cell : String(cell); // a string column's cells need no conversion call
    }
    const categories = p.categories;
    if (categories) {
      const previous = categories[key];
      if (previous !== undefined) {
        categories[key] = previous + 1;
        return;
      }
      if (this.categoryCount < this.categoryLimit) {
        categories[key] = 1;
        this.categoryCount++;
        return;
      }
      this.sketchCategories();
      p.categories = undefined;
      p.exact = false;
    }
    this.sketchString(key, 1);
  }
}

/** Counts a sorted block's values run by run; false as soon as the counts overflow (then drop them). */
function countRuns(counts: ValueCounts, sorted: Float64Array): boolean {
  let start = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i + 1 === sorted.length || sorted[i + 1] !== sorted[i]) {
      if (!counts.addRun(sorted[i]!, i + 1 - start)) return false;
      start = i + 1;
    }
  }
  return true;
}

function parseBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  return undefined;
}

import { FrequentItems, HyperLogLog, KllSketch, Moments } from '@mlops/stats';
import { ExactNumbers } from './exact-numbers.ts';
import { type Cell, type ColumnProfile, type ColumnType, columnKind } from './types.ts';
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
    profile.categories = {};
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

  add(cells: readonly Cell[], rowCount: number): void {
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
    p.quantiles!.add(x);
    p.distinct.addNumber(x);
    if (p.value_counts && !p.value_counts.add(x)) p.value_counts = undefined;
    if (p.values) {
      if (p.values.count < this.exactLimit) p.values.push(x);
      else {
        p.values = undefined;
        p.exact = false;
      }
    }
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
      key = String(cell);
    }
    p.distinct.addString(key);
    p.frequent!.add(key);
    const categories = p.categories;
    if (categories) {
      const previous = categories[key];
      if (previous !== undefined) categories[key] = previous + 1;
      else if (this.categoryCount < this.categoryLimit) {
        categories[key] = 1;
        this.categoryCount++;
      } else {
        p.categories = undefined;
        p.exact = false;
      }
    }
  }
}

function parseBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  return undefined;
}

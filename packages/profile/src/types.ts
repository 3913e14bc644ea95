import type { PROFILE_SCHEMA } from '@mlops/schemas';
import type { FrequentItems, HyperLogLog, KllSketch, Moments } from '@mlops/stats';
import type { ExactNumbers } from './exact-numbers.ts';
import type { ValueCounts } from './value-counts.ts';

/** The `schema` of a saved profile (profile-out, and a reference given as a profile). */

/** One cell as the data readers hand it over: null for a missing value. */
export type Cell = string | number | boolean | null;

/** Column types the readers infer (or the user overrides). */
export type ColumnType = 'number' | 'integer' | 'string' | 'boolean' | 'datetime';

/** A block of rows in column-major form, as streamed by the readers. */
export interface Batch {
  columns: string[];
  rowCount: number;
  /** Numeric columns as float64 with NaN for missing (the readers' form) or as cells. */
  data: Record<string, readonly Cell[] | Float64Array>;
  types: Record<string, ColumnType>;
  /** Optional: string columns also as codes into a dictionary stable for the whole read (see StringCodes). */
  codes?: Record<string, StringCodes>;
}

/**
 * A string column's rows as codes (the CSV reader's `Table.codes`): `codes[row]` indexes `dictionary`, -1
 * where the value is missing; the dictionary is shared by every batch of one read, append-only, its values
 * in the order they first appeared.
 */
export interface StringCodes {
  codes: Int32Array;
  dictionary: readonly string[];
}

/** How a column's values are compared: by value on a line, or as unordered categories. */
export type ColumnKind = 'numeric' | 'categorical';

/**
 * The profile of one column. Sketches are always present (so profiles merge); exact values are kept
 * while they fit (`exact: true`): the numbers themselves for numeric columns, category counts for
 * categorical ones. Serialises with JSON.stringify (every sketch has a toJSON).
 */
export interface ColumnProfile {
  type: ColumnType;
  /** Rows seen for this column (including nulls). */
  count: number;
  /** Null cells, plus NaN in numeric columns (pandas' isna). */
  null_count: number;
  /** +-Infinity in numeric columns: neither null nor usable for statistics (Evidently drops them). */
  infinite_count: number;
  /** Cells that do not parse as the column type (e.g. 'abc' in a number column); excluded. */
  invalid_count: number;
  /** True while every valid value is kept exactly (numeric values / category counts). */
  exact: boolean;
  /** Numeric and datetime columns (datetimes as epoch milliseconds). */
  moments?: Moments;
  quantiles?: KllSketch;
  /** Exact numeric values, sorted ascending once the profile is finished. */
  values?: ExactNumbers;
  /** Exact category counts (categorical columns), while the number of categories fits; a prototype-less table (keyedByData). */
  categories?: Record<string, number>;
  /**
   * Exact counts per value of a numeric column while it has at most 1,024 distinct values (kept after
   * the exact values are dropped, for chi-square / category bins on long low-cardinality columns).
   */
  value_counts?: ValueCounts;
  /** Distinct count sketch of every column (numbers by value, categories by string). */
  distinct: HyperLogLog;
  /** Most frequent categories with error bounds (categorical columns). */
  frequent?: FrequentItems;
}

export interface DatasetProfile {
  schema: typeof PROFILE_SCHEMA;
  rows: number;
  columns: Record<string, ColumnProfile>;
}

export interface ProfileOptions {
  /** Exact numeric values kept per column before falling back to sketches only (default 200,000). */
  exactLimit?: number;
  /** Exact category counts kept per column before falling back to sketches only (default 10,000). */
  categoryLimit?: number;
}

export const DEFAULT_EXACT_LIMIT = 200_000;
export const DEFAULT_CATEGORY_LIMIT = 10_000;

/**
 * Number, integer and datetime columns are compared on a line; strings and booleans as categories.
 *
 * @example columnKind('boolean'); // => 'categorical'
 */
export function columnKind(type: ColumnType): ColumnKind {
  return type === 'string' || type === 'boolean' ? 'categorical' : 'numeric';
}

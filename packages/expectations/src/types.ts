import type { ColumnType } from '@mlops/data';

export type Severity = 'error' | 'warning';

/** A value bound: numbers, or ISO dates / strings compared in the column's type. */
export type Bound = number | string;

export interface RangeSpec {
  min?: Bound;
  max?: Bound;
  /** Exclusive bounds (Great Expectations' strict_min / strict_max). */
  strictMin?: boolean;
  strictMax?: boolean;
}

interface BaseCheck {
  severity: Severity;
  /** Great Expectations' `mostly`: the share of non-null values that must pass (row checks only). */
  mostly?: number;
  /** Where the check came from, for messages: `columns.age.min` or a GE expectation type. */
  origin: string;
}

/** Checks evaluated value by value as batches stream past. */
export type RowCheck = BaseCheck &
  (
    | { check: 'min'; bound: Bound; strict: boolean }
    | { check: 'max'; bound: Bound; strict: boolean }
    | { check: 'between'; range: RangeSpec }
    | { check: 'allowed_values'; values: unknown[] }
    | { check: 'not_allowed_values'; values: unknown[] }
    | { check: 'regex'; pattern: string; flags: string; match: 'full' | 'search' }
    | { check: 'not_regex'; pattern: string; flags: string; match: 'full' | 'search' }
    | { check: 'length'; range: RangeSpec }
    | { check: 'type'; type: ColumnType }
  );

/** Statistics of a whole column, compared against a range once the data has been read. */
export type StatisticName = 'mean' | 'median' | 'stdev' | 'sum' | 'min_value' | 'max_value';

export type ColumnCheck =
  | RowCheck
  /** implicit: added for every named column (reported only when it fails; a missing column stops the run). */
  | (BaseCheck & { check: 'exists'; implicit?: boolean })
  | (BaseCheck & { check: 'not_null' })
  | (BaseCheck & { check: 'max_null_share'; share: number })
  | (BaseCheck & { check: 'unique' })
  | (BaseCheck & { check: 'contains_values'; values: unknown[] })
  | (BaseCheck & { check: StatisticName; range: RangeSpec })
  | (BaseCheck & { check: 'quantile'; quantile: number; range: RangeSpec })
  | (BaseCheck & { check: 'distinct_count'; range: RangeSpec })
  | (BaseCheck & { check: 'proportion_unique'; range: RangeSpec });

export type TableCheck =
  | (BaseCheck & { check: 'row_count'; range: RangeSpec })
  | (BaseCheck & { check: 'columns_match'; columns: string[]; exact: boolean })
  | (BaseCheck & { check: 'compound_unique'; columns: string[] });

/** Per-column drift settings, passed on to @mlops/profile's DriftOptions.perColumn. */
export interface ColumnDriftOverride {
  method?: string;
  threshold?: number;
  /** false: leave the column out of drift. */
  enabled?: boolean;
}

export interface ColumnExpectations {
  name: string;
  checks: ColumnCheck[];
  drift?: ColumnDriftOverride;
  /** Forced read type (from `type` with `coerce: true`); otherwise `type` only checks. */
}

/** A parsed, validated expectations file (YAML or Great Expectations JSON). */
export interface ExpectationSuite {
  /** The file it came from. */
  source: string;
  columns: ColumnExpectations[];
  table: TableCheck[];
  /** Things the user should know but that do not stop the run (e.g. GE expectations we do not support). */
  warnings: string[];
}

/** One check's outcome: the validate-data report contract (`checks[]`), snake_case. */
export interface CheckResult {
  column: string | null;
  check: string;
  passed: boolean;
  severity: Severity;
  /** Offending values (row checks), offending rows (uniqueness) or 0/1 for aggregate checks. */
  unexpected: number;
  /** unexpected over the non-null values (row checks), over all rows (not_null, null share). */
  unexpected_share: number;
  message: string;
  /** Up to 5 offending values. */
  examples?: unknown[];
  /** The observed statistic for aggregate checks. */
  observed?: unknown;
  mostly?: number;
  /** True when the observed statistic came from a sketch (rank-error guarantee), not an exact computation. */
  approximate?: boolean;
}

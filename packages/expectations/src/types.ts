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
  /** Where the check came from, for messages: `e.yml line 4: columns.age.min`, `suite.json line 9: expectations[2].kwargs (expect_...)`. */
  origin: string;
  /**
   * Set when a Great Expectations argument was null (`value_set: null`, `type_: null`): GX reads that as
   * "no constraint", so every value passes; the text says which argument, for the report.
   */
  unconstrained?: string;
  /** GX's row_condition on a table-level check (column checks carry it on their ColumnExpectations). */
  condition?: RowCondition;
}

/** Great Expectations' ignore_row_if for multi-column checks: which rows are left out before counting. */
export type IgnoreRowIf = 'all_values_are_missing' | 'any_value_is_missing' | 'never';

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
    /** `anyOf`: a value passes when it conforms to any of these (expect_column_values_to_be_in_type_list). */
    | { check: 'type'; type: ColumnType; anyOf?: ColumnType[] }
  );

/** Statistics of a whole column, compared against a range once the data has been read. */
export type StatisticName = 'mean' | 'median' | 'stdev' | 'sum' | 'min_value' | 'max_value';

export type ColumnCheck =
  | RowCheck
  /** implicit: added for every named column (reported only when it fails; a missing column stops the run). */
  | (BaseCheck & { check: 'exists'; implicit?: boolean; index?: number })
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
  | (BaseCheck & { check: 'compound_unique'; columns: string[]; ignoreRowIf?: IgnoreRowIf })
  /** expect_select_column_values_to_be_unique_within_record: no two of the columns equal within a row. */
  | (BaseCheck & { check: 'unique_within_record'; columns: string[]; ignoreRowIf: IgnoreRowIf });

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
  /** GX's row_condition: the checks run only on the rows where it holds. */
  condition?: RowCondition;
}

/** A parsed pandas-style row condition (see row-condition.ts). */
export interface RowCondition {
  /** As the user wrote it, for messages and the report. */
  text: string;
  expression: ConditionNode;
}

export type ConditionLiteral = number | string | boolean | null;

export type ConditionNode =
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'not'; operand: ConditionNode }
  | {
      kind: 'compare';
      op: '==' | '!=' | '<' | '<=' | '>' | '>=';
      left: ConditionOperand;
      right: ConditionOperand;
    }
  | { kind: 'in'; negate: boolean; column: string; values: ConditionLiteral[] }
  | { kind: 'null'; negate: boolean; column: string }
  | { kind: 'truthy'; column: string }
  | { kind: 'literal'; value: boolean };

export type ConditionOperand = { column: string } | { value: ConditionLiteral };

/** A parsed, validated expectations file (YAML or Great Expectations JSON). */
export interface ExpectationSuite {
  /** The file it came from. */
  source: string;
  columns: ColumnExpectations[];
  table: TableCheck[];
  /** Things the user should know but that do not stop the run (e.g. GE expectations we do not support). */
  warnings: string[];
  /**
   * A column the suite names but the data lacks: 'error' stops the run (our format: a configuration
   * mistake); 'fail' fails its checks, as Great Expectations reports them (a GX suite).
   */
  missingColumns?: 'error' | 'fail';
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
  /** GX's row_condition the check ran under (only the rows where it holds were checked). */
  row_condition?: string;
}

// @mlops/profile: mergeable dataset profiles (exact values while they fit, sketches beyond) and the
// drift engine that compares two of them. No I/O: readers hand in batches, actions write the JSON.
export {
  ColumnProfileBuilder,
  emptyColumnProfile,
  FREQUENT_ITEMS_CAPACITY,
  HLL_LG_K,
  KLL_K,
} from './column-builder.ts';
export {
  type DataVerdict,
  type DataVerdictInput,
  dataVerdict,
  FAIL_ON,
  type FailOn,
} from './data-verdict.ts';
export { DatasetProfileBuilder } from './dataset-builder.ts';
export { detectDrift } from './detect-drift.ts';
export type {
  ColumnDrift,
  ColumnDriftOptions,
  DriftHistogram,
  DriftMethodOption,
  DriftOptions,
  DriftReport,
  SkippedColumn,
} from './drift-types.ts';
export { DRIFT_METHOD_OPTIONS } from './drift-types.ts';
export { ExactNumbers, type ExactNumbersJson } from './exact-numbers.ts';
export { mergeProfiles } from './merge.ts';
export { parseProfile } from './parse.ts';
export {
  type Batch,
  type Cell,
  type ColumnKind,
  type ColumnProfile,
  type ColumnType,
  columnKind,
  type DatasetProfile,
  DEFAULT_CATEGORY_LIMIT,
  DEFAULT_EXACT_LIMIT,
  type ProfileOptions,
} from './types.ts';
export { ValueCounts, type ValueCountsJson } from './value-counts.ts';

export { COLUMN_KEYS, suiteFromConfig, TABLE_KEYS } from './config.ts';
export { suiteFromGreatExpectations } from './great-expectations.ts';
export { cyrb53 } from './hash.ts';
export { loadExpectations, parseExpectations } from './load.ts';
export {
  type AggregateLookup,
  type ColumnAggregates,
  ExpectationRunner,
  type RunnerOptions,
} from './runner.ts';
export { sortedQuantile } from './statistics.ts';
export type {
  Bound,
  CheckResult,
  ColumnCheck,
  ColumnDriftOverride,
  ColumnExpectations,
  ExpectationSuite,
  RangeSpec,
  RowCheck,
  Severity,
  TableCheck,
} from './types.ts';

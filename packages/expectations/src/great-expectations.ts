import type { ColumnType } from '@mlops/data';
import { didYouMean, UserError } from '@mlops/kit';
import type {
  ColumnCheck,
  ColumnExpectations,
  ExpectationSuite,
  RangeSpec,
  Severity,
  TableCheck,
} from './types.ts';

type Kwargs = Record<string, unknown>;
type Importer = (kwargs: Kwargs, at: string) => ColumnCheck[] | TableCheck[];

/** Great Expectations' type names (pandas dtypes and Python types) mapped to ours. */
const GE_TYPES: Record<string, ColumnType> = {
  int: 'integer',
  int8: 'integer',
  int16: 'integer',
  int32: 'integer',
  int64: 'integer',
  Int64: 'integer',
  INTEGER: 'integer',
  BIGINT: 'integer',
  float: 'number',
  float32: 'number',
  float64: 'number',
  FLOAT: 'number',
  DOUBLE: 'number',
  DECIMAL: 'number',
  NUMERIC: 'number',
  str: 'string',
  string: 'string',
  object: 'string',
  VARCHAR: 'string',
  TEXT: 'string',
  bool: 'boolean',
  boolean: 'boolean',
  BOOLEAN: 'boolean',
  datetime64: 'datetime',
  'datetime64[ns]': 'datetime',
  datetime: 'datetime',
  Timestamp: 'datetime',
  TIMESTAMP: 'datetime',
  DATE: 'datetime',
};

function fail(at: string, message: string): never {
  throw new UserError(`${at}: ${message}`);
}

function num(kwargs: Kwargs, key: string, at: string): number | undefined {
  const value = kwargs[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') fail(at, `${key} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

function bound(kwargs: Kwargs, key: string, at: string): number | string | undefined {
  const value = kwargs[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return fail(at, `${key} must be a number or a date, got ${JSON.stringify(value)}`);
}

function range(kwargs: Kwargs, at: string): RangeSpec {
  const spec: RangeSpec = {};
  const min = bound(kwargs, 'min_value', at);
  const max = bound(kwargs, 'max_value', at);
  if (min !== undefined) spec.min = min;
  if (max !== undefined) spec.max = max;
  if (kwargs.strict_min === true) spec.strictMin = true;
  if (kwargs.strict_max === true) spec.strictMax = true;
  if (min === undefined && max === undefined) fail(at, 'needs min_value or max_value');
  return spec;
}

function list(kwargs: Kwargs, key: string, at: string): unknown[] {
  const value = kwargs[key];
  if (!Array.isArray(value)) fail(at, `${key} must be a list`);
  return value;
}

function common(kwargs: Kwargs, at: string, severity: Severity) {
  const mostly = num(kwargs, 'mostly', at);
  if (mostly !== undefined && (mostly < 0 || mostly > 1))
    fail(at, `mostly must be between 0 and 1, got ${mostly}`);
  return { severity, origin: at, ...(mostly === undefined ? {} : { mostly }) };
}

function importers(severity: Severity): Record<string, Importer> {
  const c = (kwargs: Kwargs, at: string) => common(kwargs, at, severity);
  const stat =
    (check: 'mean' | 'median' | 'stdev' | 'sum' | 'min_value' | 'max_value'): Importer =>
    (k, at) => [{ check, range: range(k, at), severity, origin: at }];
  return {
    expect_column_to_exist: (_k, at) => [{ check: 'exists', severity, origin: at }],
    expect_column_values_to_not_be_null: (k, at) => [{ check: 'not_null', ...c(k, at) }],
    expect_column_values_to_be_between: (k, at) => [{ check: 'between', range: range(k, at), ...c(k, at) }],
    expect_column_values_to_be_in_set: (k, at) => [
      { check: 'allowed_values', values: list(k, 'value_set', at), ...c(k, at) },
    ],
    expect_column_values_to_not_be_in_set: (k, at) => [
      { check: 'not_allowed_values', values: list(k, 'value_set', at), ...c(k, at) },
    ],
    expect_column_values_to_be_unique: (k, at) => [{ check: 'unique', ...c(k, at) }],
    // GE's match_regex is re.search semantics, not a full match.
    expect_column_values_to_match_regex: (k, at) => [
      { check: 'regex', pattern: regex(k, at), flags: '', match: 'search', ...c(k, at) },
    ],
    expect_column_values_to_not_match_regex: (k, at) => [
      { check: 'not_regex', pattern: regex(k, at), flags: '', match: 'search', ...c(k, at) },
    ],
    expect_column_value_lengths_to_be_between: (k, at) => [
      { check: 'length', range: range(k, at), ...c(k, at) },
    ],
    expect_column_value_lengths_to_equal: (k, at) => {
      const value = num(k, 'value', at) ?? fail(at, 'needs value');
      return [{ check: 'length', range: { min: value, max: value }, ...c(k, at) }];
    },
    expect_column_values_to_be_of_type: (k, at) => [
      { check: 'type', type: geType(k.type_, at), ...c(k, at) },
    ],
    expect_column_values_to_be_in_type_list: (k, at) => {
      const types = list(k, 'type_list', at).map((t) => geType(t, at));
      const widest = types.includes('string') ? 'string' : types.includes('number') ? 'number' : types[0]!;
      return [{ check: 'type', type: widest, ...c(k, at) }];
    },
    expect_column_mean_to_be_between: stat('mean'),
    expect_column_median_to_be_between: stat('median'),
    expect_column_stdev_to_be_between: stat('stdev'),
    expect_column_sum_to_be_between: stat('sum'),
    expect_column_min_to_be_between: stat('min_value'),
    expect_column_max_to_be_between: stat('max_value'),
    expect_column_unique_value_count_to_be_between: (k, at) => [
      { check: 'distinct_count', range: range(k, at), severity, origin: at },
    ],
    expect_column_proportion_of_unique_values_to_be_between: (k, at) => [
      { check: 'proportion_unique', range: range(k, at), severity, origin: at },
    ],
    expect_column_quantile_values_to_be_between: (k, at) => {
      const spec = (k.quantile_ranges ?? {}) as { quantiles?: unknown; value_ranges?: unknown };
      const quantiles = Array.isArray(spec.quantiles)
        ? spec.quantiles
        : fail(at, 'quantile_ranges.quantiles must be a list');
      const ranges = Array.isArray(spec.value_ranges)
        ? spec.value_ranges
        : fail(at, 'quantile_ranges.value_ranges must be a list');
      if (quantiles.length !== ranges.length) fail(at, 'quantiles and value_ranges differ in length');
      return quantiles.map((q, i) => {
        const [lo, hi] = (ranges[i] ?? []) as [unknown, unknown];
        if (typeof q !== 'number') fail(at, `quantile ${JSON.stringify(q)} is not a number`);
        return {
          check: 'quantile' as const,
          quantile: q,
          range: range({ min_value: lo, max_value: hi }, at),
          severity,
          origin: at,
        };
      });
    },
    expect_column_distinct_values_to_be_in_set: (k, at) => [
      { check: 'allowed_values', values: list(k, 'value_set', at), severity, origin: at },
    ],
    expect_column_distinct_values_to_contain_set: (k, at) => [
      { check: 'contains_values', values: list(k, 'value_set', at), severity, origin: at },
    ],
    expect_column_distinct_values_to_equal_set: (k, at) => [
      { check: 'allowed_values', values: list(k, 'value_set', at), severity, origin: at },
      { check: 'contains_values', values: list(k, 'value_set', at), severity, origin: at },
    ],
    expect_table_row_count_to_be_between: (k, at) => [
      { check: 'row_count', range: range(k, at), severity, origin: at },
    ],
    expect_table_row_count_to_equal: (k, at) => {
      const value = num(k, 'value', at) ?? fail(at, 'needs value');
      return [{ check: 'row_count', range: { min: value, max: value }, severity, origin: at }];
    },
    expect_table_columns_to_match_set: (k, at) => [
      {
        check: 'columns_match',
        columns: list(k, 'column_set', at).map(String),
        exact: k.exact_match !== false,
        severity,
        origin: at,
      },
    ],
    expect_compound_columns_to_be_unique: (k, at) => [
      { check: 'compound_unique', columns: list(k, 'column_list', at).map(String), severity, origin: at },
    ],
    expect_select_column_values_to_be_unique_within_record: () => [],
  };
}

/** GE expectations we know but do not run; they are listed as warnings instead of failing the import. */
const KNOWN_UNSUPPORTED = [
  'expect_column_values_to_be_null',
  'expect_column_values_to_be_increasing',
  'expect_column_values_to_be_decreasing',
  'expect_column_values_to_be_dateutil_parseable',
  'expect_column_values_to_be_json_parseable',
  'expect_column_values_to_match_json_schema',
  'expect_column_values_to_match_strftime_format',
  'expect_column_values_to_match_regex_list',
  'expect_column_values_to_not_match_regex_list',
  'expect_column_values_to_match_like_pattern',
  'expect_column_value_z_scores_to_be_less_than',
  'expect_column_most_common_value_to_be_in_set',
  'expect_column_kl_divergence_to_be_less_than',
  'expect_column_pair_values_a_to_be_greater_than_b',
  'expect_column_pair_values_to_be_equal',
  'expect_column_pair_values_to_be_in_set',
  'expect_multicolumn_sum_to_equal',
  'expect_table_columns_to_match_ordered_list',
  'expect_table_column_count_to_be_between',
  'expect_table_column_count_to_equal',
  'expect_table_row_count_to_equal_other_table',
  'expect_column_values_to_be_in_type_list',
];

function regex(kwargs: Kwargs, at: string): string {
  const pattern = kwargs.regex;
  if (typeof pattern !== 'string') fail(at, 'regex must be a string');
  // Python's named groups (?P<name>...) are (?<name>...) in JavaScript.
  const translated = pattern.replace(/\(\?P</g, '(?<');
  try {
    new RegExp(translated);
  } catch (error) {
    fail(at, `invalid regular expression: ${(error as Error).message}`);
  }
  return translated;
}

function geType(value: unknown, at: string): ColumnType {
  if (typeof value !== 'string') fail(at, 'type_ must be a string');
  const type = GE_TYPES[value] ?? GE_TYPES[value.replace(/\[.*$/, '')];
  if (type === undefined) fail(at, `unknown type '${value}'${didYouMean(value, Object.keys(GE_TYPES))}`);
  return type;
}

/** `ExpectColumnValuesToNotBeNull` (GX 1.x class names) to the snake_case name GE suites use. */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Imports a Great Expectations expectation suite (0.x `expectation_type` + `kwargs`, or 1.x `type` with the
 * kwargs inline) into our checks. Severity comes from `meta.severity` (or 1.x `severity`: critical / warning).
 * Unknown expectation names are an error with the nearest supported one suggested; expectations GE has but
 * we do not run are returned as warnings.
 */
export function suiteFromGreatExpectations(document: unknown, source: string): ExpectationSuite {
  if (
    document === null ||
    typeof document !== 'object' ||
    !Array.isArray((document as Kwargs).expectations)
  ) {
    throw new UserError(
      `${source}: not a Great Expectations suite (expected an object with an 'expectations' list)`,
    );
  }
  const columns = new Map<string, ColumnExpectations>();
  const table: TableCheck[] = [];
  const warnings: string[] = [];
  const tableNames = new Set(['row_count', 'columns_match', 'compound_unique']);
  ((document as Kwargs).expectations as unknown[]).forEach((raw, index) => {
    const entry = (raw ?? {}) as Kwargs;
    const rawName = entry.expectation_type ?? entry.type;
    const at = `${source}: expectations[${index}]`;
    if (typeof rawName !== 'string') fail(at, "has no 'expectation_type'");
    const name = rawName.startsWith('expect_') ? rawName : snakeCase(rawName);
    const kwargs = (entry.kwargs ?? entry) as Kwargs;
    const meta = (entry.meta ?? {}) as Kwargs;
    const level = (meta.severity ?? entry.severity) as unknown;
    const severity: Severity = level === 'warning' || level === 'info' ? 'warning' : 'error';
    const table_ = importers(severity);
    const importer = table_[name];
    if (importer === undefined) {
      if (KNOWN_UNSUPPORTED.includes(name)) {
        warnings.push(`${at}: ${name} is not supported and was skipped`);
        return;
      }
      fail(at, `unknown expectation '${name}'${didYouMean(name, Object.keys(table_))}`);
    }
    const checks = importer(kwargs, `${at} (${name})`);
    for (const check of checks) {
      if (tableNames.has(check.check)) {
        table.push(check as TableCheck);
        continue;
      }
      const column = kwargs.column;
      if (typeof column !== 'string' || column === '') fail(at, `${name} needs a 'column'`);
      let entryFor = columns.get(column);
      if (entryFor === undefined) {
        entryFor = { name: column, checks: [{ check: 'exists', severity, origin: at, implicit: true }] };
        columns.set(column, entryFor);
      }
      if (check.check !== 'exists') entryFor.checks.push(check as ColumnCheck);
      else entryFor.checks[0] = check as ColumnCheck; // an explicit expect_column_to_exist is reported
    }
  });
  return { source, columns: [...columns.values()], table, warnings };
}

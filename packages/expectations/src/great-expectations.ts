import type { ColumnType } from '@mlops/data';
import { didYouMean, UserError } from '@mlops/kit';
import { ownEntry } from '@mlops/kit/keyed-by-data';
import { describe, type LineOf, pathText } from './config.ts';
import { ConditionSyntaxError, parseRowCondition } from './row-condition.ts';
import type {
  ColumnCheck,
  ColumnExpectations,
  ExpectationSuite,
  IgnoreRowIf,
  RangeSpec,
  RowCondition,
  Severity,
  TableCheck,
} from './types.ts';

type Kwargs = Record<string, unknown>;
type Segment = string | number;

/**
 * Great Expectations' type names mapped to ours: numpy / pandas dtype spellings (what `df.dtypes` prints and
 * what GX's pandas backend passes to `np.dtype`), Python type names, Spark and SQL type names. Widths
 * (int8 ... int64, float32 / float64) are one type here: CSV and JSON carry no width.
 */
const GE_TYPES: Record<string, ColumnType> = {
  // integers
  int: 'integer',
  long: 'integer',
  int_: 'integer',
  intc: 'integer',
  intp: 'integer',
  longlong: 'integer',
  int8: 'integer',
  int16: 'integer',
  int32: 'integer',
  int64: 'integer',
  uint8: 'integer',
  uint16: 'integer',
  uint32: 'integer',
  uint64: 'integer',
  Int8: 'integer',
  Int16: 'integer',
  Int32: 'integer',
  Int64: 'integer',
  UInt8: 'integer',
  UInt16: 'integer',
  UInt32: 'integer',
  UInt64: 'integer',
  i1: 'integer',
  i2: 'integer',
  i4: 'integer',
  i8: 'integer',
  INTEGER: 'integer',
  INT: 'integer',
  BIGINT: 'integer',
  SMALLINT: 'integer',
  TINYINT: 'integer',
  IntegerType: 'integer',
  LongType: 'integer',
  ShortType: 'integer',
  ByteType: 'integer',
  // floating point
  float: 'number',
  float_: 'number',
  double: 'number',
  float16: 'number',
  float32: 'number',
  float64: 'number',
  Float32: 'number',
  Float64: 'number',
  f2: 'number',
  f4: 'number',
  f8: 'number',
  FLOAT: 'number',
  REAL: 'number',
  DOUBLE: 'number',
  DOUBLE_PRECISION: 'number',
  DECIMAL: 'number',
  NUMERIC: 'number',
  NUMBER: 'number',
  FloatType: 'number',
  DoubleType: 'number',
  DecimalType: 'number',
  // text: pandas keeps strings in object columns ('O', 'object', 'object_')
  str: 'string',
  str_: 'string',
  string: 'string',
  string_types: 'string',
  unicode_: 'string',
  U: 'string',
  O: 'string',
  object: 'string',
  object_: 'string',
  VARCHAR: 'string',
  TEXT: 'string',
  CHAR: 'string',
  STRING: 'string',
  StringType: 'string',
  // booleans
  bool: 'boolean',
  bool_: 'boolean',
  boolean: 'boolean',
  '?': 'boolean',
  BOOLEAN: 'boolean',
  BIT: 'boolean',
  BooleanType: 'boolean',
  // dates and times
  datetime64: 'datetime',
  'datetime64[ns]': 'datetime',
  'datetime64[us]': 'datetime',
  'datetime64[ms]': 'datetime',
  'datetime64[s]': 'datetime',
  M8: 'datetime',
  '<M8[ns]': 'datetime',
  'M8[ns]': 'datetime',
  datetime: 'datetime',
  date: 'datetime',
  Timestamp: 'datetime',
  DatetimeTZDtype: 'datetime',
  DatetimeTZDtypeType: 'datetime',
  TIMESTAMP: 'datetime',
  DATETIME: 'datetime',
  DATE: 'datetime',
  TimestampType: 'datetime',
  DateType: 'datetime',
};

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
];

const IGNORE_ROW_IF: IgnoreRowIf[] = ['all_values_are_missing', 'any_value_is_missing', 'never'];

/**
 * The arguments of one expectation, read with their key path (`expectations[3].kwargs.mostly`) and line,
 * so a refusal says "suite.json line 12: expectations[3].kwargs.mostly (expect_...): expected ..., got ...".
 */
class Args {
  constructor(
    readonly source: string,
    readonly base: readonly Segment[],
    readonly kwargs: Kwargs,
    readonly name: string,
    readonly lineOf: LineOf,
  ) {}

  where(key?: Segment | readonly Segment[]): string {
    const path = [...this.base, ...(key === undefined ? [] : Array.isArray(key) ? key : [key as Segment])];
    const line = this.lineOf(path);
    return `${this.source}${line === undefined ? '' : ` line ${line}`}: ${pathText(path)} (${this.name})`;
  }

  /** Refuses the argument at `key`: what was expected, and what the file holds. */
  fail(key: Segment | readonly Segment[], expected: string, found?: unknown): never {
    const value = found !== undefined || Array.isArray(key) ? found : this.kwargs[key as string];
    throw new UserError(`${this.where(key)}: ${expected}, got ${describe(value)}`);
  }

  has(key: string): boolean {
    return this.kwargs[key] !== undefined && this.kwargs[key] !== null;
  }

  number(key: string, options: { integer?: boolean; min?: number } = {}): number | undefined {
    const value = this.kwargs[key];
    if (value === undefined || value === null) return undefined;
    const what = options.integer ? 'a whole number' : 'a number';
    const atLeast = options.min === undefined ? '' : ` of at least ${options.min}`;
    if (typeof value !== 'number' || Number.isNaN(value)) this.fail(key, `expected ${what}${atLeast}`);
    if (options.integer && !Number.isInteger(value)) this.fail(key, `expected ${what}${atLeast}`);
    if (options.min !== undefined && value < options.min) this.fail(key, `expected ${what}${atLeast}`);
    return value;
  }

  required(key: string, options: { integer?: boolean; min?: number } = {}): number {
    const value = this.number(key, options);
    if (value === undefined) this.fail(key, `expected ${options.integer ? 'a whole number' : 'a number'}`);
    return value;
  }

  bound(key: string): number | string | undefined {
    const value = this.kwargs[key];
    if (value === undefined || value === null) return undefined;
    if ((typeof value === 'number' && !Number.isNaN(value)) || typeof value === 'string') return value;
    return this.fail(key, 'expected a number or an ISO date');
  }

  /** min_value / max_value / strict_*; `optional`: neither bound means "report the value, check nothing". */
  range(optional = false): RangeSpec {
    const spec: RangeSpec = {};
    const min = this.bound('min_value');
    const max = this.bound('max_value');
    if (min !== undefined) spec.min = min;
    if (max !== undefined) spec.max = max;
    if (this.kwargs.strict_min === true) spec.strictMin = true;
    if (this.kwargs.strict_max === true) spec.strictMax = true;
    if (!optional && min === undefined && max === undefined)
      this.fail('min_value', 'expected min_value or max_value (or both)');
    if (typeof min === 'number' && typeof max === 'number' && min > max)
      this.fail('min_value', `expected min_value at most max_value (${max})`);
    return spec;
  }

  /** A list argument; null is returned as null (the caller decides what GX makes of it). */
  list(key: string, options: { nullable?: boolean } = {}): unknown[] | null {
    const value = this.kwargs[key];
    if ((value === null || value === undefined) && options.nullable) return null;
    if (!Array.isArray(value)) this.fail(key, 'expected a list');
    return value;
  }

  columns(key: string): string[] {
    const list = this.list(key)!;
    if (list.length < 2) this.fail(key, 'expected a list of two or more column names');
    list.forEach((item, index) => {
      if (typeof item !== 'string' || item === '') this.fail([key, index], 'expected a column name', item);
    });
    return list as string[];
  }

  /** GX validates mostly as a number in [0, 1] ("mostly_set_incorrectly" in its test definitions). */
  mostly(): number | undefined {
    const value = this.number('mostly');
    if (value !== undefined && (value < 0 || value > 1))
      this.fail('mostly', 'expected a number between 0 and 1');
    return value;
  }

  ignoreRowIf(): IgnoreRowIf {
    const value = this.kwargs.ignore_row_if;
    if (value === undefined || value === null) return 'all_values_are_missing';
    if (typeof value !== 'string' || !(IGNORE_ROW_IF as string[]).includes(value))
      this.fail('ignore_row_if', `expected one of ${IGNORE_ROW_IF.join(', ')}`);
    return value as IgnoreRowIf;
  }

  type(value: unknown, at: Segment | readonly Segment[]): ColumnType {
    if (typeof value !== 'string' || value === '')
      this.fail(at, 'expected a type name such as int64, float64, str', value);
    const type = ownEntry(GE_TYPES, value);
    if (type === undefined) {
      this.fail(
        at,
        `expected a type we can check (numpy / pandas such as int64, float64, object, bool, datetime64[ns]; Python int, float, str, bool; SQL or Spark type names)${didYouMean(value, Object.keys(GE_TYPES))}`,
        value,
      );
    }
    return type;
  }

  regex(): string {
    const pattern = this.kwargs.regex;
    if (typeof pattern !== 'string') this.fail('regex', 'expected a regular expression (a string)');
    // Python's named groups (?P<name>...) are (?<name>...) in JavaScript.
    const translated = pattern.replace(/\(\?P</g, '(?<');
    try {
      new RegExp(translated);
    } catch (error) {
      this.fail('regex', `expected a valid regular expression (${(error as Error).message})`);
    }
    return translated;
  }

  /** The row_condition, parsed when its condition_parser is pandas; anything else is refused. */
  condition(): RowCondition | undefined {
    const text = this.kwargs.row_condition;
    if (text === undefined || text === null || text === '') return undefined;
    if (typeof text !== 'string') this.fail('row_condition', 'expected a pandas query string');
    const parser = this.kwargs.condition_parser;
    if (parser !== 'pandas') {
      this.fail(
        'condition_parser',
        `expected 'pandas' for row_condition ${JSON.stringify(text)} (conditions in pandas query syntax are supported; rewrite it that way)`,
      );
    }
    try {
      return { text, expression: parseRowCondition(text) };
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      throw new UserError(
        `${this.where('row_condition')}: expected a pandas condition (==, !=, <, <=, >, >=, in, not in, &, |, ~, .isnull(), .notnull(), parentheses), got ${JSON.stringify(text)}: ${error.message}`,
      );
    }
  }
}

type Importer = (args: Args, common: Common) => (ColumnCheck | TableCheck)[];
interface Common {
  severity: Severity;
  origin: string;
  mostly?: number;
}

const STATISTIC =
  (check: 'mean' | 'median' | 'stdev' | 'sum' | 'min_value' | 'max_value', optional: boolean): Importer =>
  (a, { severity, origin }) => [{ check, range: a.range(optional), severity, origin }];

/** Row checks carry mostly; aggregates do not (GX ignores mostly on them). */
function row(common: Common): Common {
  return common;
}
function aggregate({ severity, origin }: Common): Common {
  return { severity, origin };
}

const IMPORTERS: Record<string, Importer> = {
  expect_column_to_exist: (a, c) => {
    const index = a.number('column_index', { integer: true, min: 0 });
    return [{ check: 'exists', ...aggregate(c), ...(index === undefined ? {} : { index }) }];
  },
  expect_column_values_to_not_be_null: (_a, c) => [{ check: 'not_null', ...row(c) }],
  expect_column_values_to_be_between: (a, c) => [{ check: 'between', range: a.range(), ...row(c) }],
  expect_column_values_to_be_in_set: (a, c) => {
    // GX's pandas metric: value_set null is "vacuously true"; an empty list is isin([]) (nothing passes).
    const values = a.list('value_set', { nullable: true });
    return [
      {
        check: 'allowed_values',
        values: values ?? [],
        ...row(c),
        ...(values === null ? { unconstrained: 'value_set is null' } : {}),
      },
    ];
  },
  expect_column_values_to_not_be_in_set: (a, c) => [
    { check: 'not_allowed_values', values: a.list('value_set')!, ...row(c) },
  ],
  expect_column_values_to_be_unique: (_a, c) => [{ check: 'unique', ...row(c) }],
  // GE's match_regex is re.search semantics, not a full match.
  expect_column_values_to_match_regex: (a, c) => [
    { check: 'regex', pattern: a.regex(), flags: '', match: 'search', ...row(c) },
  ],
  expect_column_values_to_not_match_regex: (a, c) => [
    { check: 'not_regex', pattern: a.regex(), flags: '', match: 'search', ...row(c) },
  ],
  expect_column_value_lengths_to_be_between: (a, c) => [{ check: 'length', range: a.range(), ...row(c) }],
  expect_column_value_lengths_to_equal: (a, c) => {
    const value = a.required('value', { integer: true, min: 0 });
    return [{ check: 'length', range: { min: value, max: value }, ...row(c) }];
  },
  expect_column_values_to_be_of_type: (a, c) => {
    if (!a.has('type_'))
      return [{ check: 'type', type: 'string', ...row(c), unconstrained: 'type_ is null' }];
    return [{ check: 'type', type: a.type(a.kwargs.type_, 'type_'), ...row(c) }];
  },
  expect_column_values_to_be_in_type_list: (a, c) => {
    const list = a.list('type_list', { nullable: true });
    if (list === null)
      return [{ check: 'type', type: 'string', ...row(c), unconstrained: 'type_list is null' }];
    if (list.length === 0) a.fail('type_list', 'expected a non-empty list of type names');
    const types = [...new Set(list.map((t, i) => a.type(t, ['type_list', i])))];
    return [{ check: 'type', type: types[0]!, ...(types.length > 1 ? { anyOf: types } : {}), ...row(c) }];
  },
  // GX reports the statistic and succeeds when neither bound is given ("vacuously_true" test cases) for
  // these; sum, min and max refuse it ("raise_valueerror_with_both_max_and_min_are_missing").
  expect_column_mean_to_be_between: STATISTIC('mean', true),
  expect_column_median_to_be_between: STATISTIC('median', true),
  expect_column_stdev_to_be_between: STATISTIC('stdev', true),
  expect_column_sum_to_be_between: STATISTIC('sum', false),
  expect_column_min_to_be_between: STATISTIC('min_value', false),
  expect_column_max_to_be_between: STATISTIC('max_value', false),
  expect_column_unique_value_count_to_be_between: (a, c) => [
    { check: 'distinct_count', range: a.range(true), ...aggregate(c) },
  ],
  expect_column_proportion_of_unique_values_to_be_between: (a, c) => [
    { check: 'proportion_unique', range: a.range(true), ...aggregate(c) },
  ],
  expect_column_quantile_values_to_be_between: (a: Args, c) => {
    const spec = a.kwargs.quantile_ranges;
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
      a.fail('quantile_ranges', 'expected a mapping with quantiles and value_ranges');
    const { quantiles, value_ranges: ranges } = spec as { quantiles?: unknown; value_ranges?: unknown };
    if (!Array.isArray(quantiles)) a.fail(['quantile_ranges', 'quantiles'], 'expected a list', quantiles);
    if (!Array.isArray(ranges)) a.fail(['quantile_ranges', 'value_ranges'], 'expected a list', ranges);
    if (quantiles.length !== ranges.length)
      a.fail(
        ['quantile_ranges', 'value_ranges'],
        `expected one range per quantile (${quantiles.length})`,
        ranges,
      );
    return quantiles.map((q, i) => {
      if (typeof q !== 'number' || q < 0 || q > 1)
        a.fail(['quantile_ranges', 'quantiles', i], 'expected a number between 0 and 1', q);
      const pair = ranges[i];
      if (!Array.isArray(pair) || pair.length !== 2)
        a.fail(['quantile_ranges', 'value_ranges', i], 'expected [min, max]', pair);
      const inner = new Args(
        a.source,
        [...a.base, 'quantile_ranges', 'value_ranges', i],
        { min_value: pair[0], max_value: pair[1] },
        a.name,
        a.lineOf,
      );
      return { check: 'quantile' as const, quantile: q, range: inner.range(), ...aggregate(c) };
    });
  },
  expect_column_distinct_values_to_be_in_set: (a, c) => {
    // GX: `value_set or []`, and an empty set is success (every value allowed).
    const values = a.list('value_set', { nullable: true });
    return [
      {
        check: 'allowed_values',
        values: values ?? [],
        ...aggregate(c),
        ...(values === null || values.length === 0
          ? { unconstrained: `value_set is ${values === null ? 'null' : 'empty'}` }
          : {}),
      },
    ];
  },
  expect_column_distinct_values_to_contain_set: (a, c) => [
    { check: 'contains_values', values: a.list('value_set')!, ...aggregate(c) },
  ],
  expect_column_distinct_values_to_equal_set: (a, c) => [
    { check: 'allowed_values', values: a.list('value_set')!, ...aggregate(c) },
    { check: 'contains_values', values: a.list('value_set')!, ...aggregate(c) },
  ],
  expect_table_row_count_to_be_between: (a, c) => [
    { check: 'row_count', range: a.range(true), ...aggregate(c) },
  ],
  expect_table_row_count_to_equal: (a, c) => {
    const value = a.required('value', { integer: true, min: 0 });
    return [{ check: 'row_count', range: { min: value, max: value }, ...aggregate(c) }];
  },
  expect_table_columns_to_match_set: (a, c) => {
    // GX: column_set null is the empty set (exact_match fails on every column, otherwise passes).
    const list = a.list('column_set', { nullable: true }) ?? [];
    list.forEach((item, index) => {
      if (typeof item !== 'string') a.fail(['column_set', index], 'expected a column name', item);
    });
    const exact = a.kwargs.exact_match;
    if (exact !== undefined && exact !== null && typeof exact !== 'boolean')
      a.fail('exact_match', 'expected true or false');
    return [{ check: 'columns_match', columns: list as string[], exact: exact !== false, ...aggregate(c) }];
  },
  expect_compound_columns_to_be_unique: (a, c) => [
    { check: 'compound_unique', columns: a.columns('column_list'), ignoreRowIf: a.ignoreRowIf(), ...row(c) },
  ],
  expect_select_column_values_to_be_unique_within_record: (a, c) => [
    {
      check: 'unique_within_record',
      columns: a.columns('column_list'),
      ignoreRowIf: a.ignoreRowIf(),
      ...row(c),
    },
  ],
};

const TABLE_CHECKS = new Set(['row_count', 'columns_match', 'compound_unique', 'unique_within_record']);

/** `ExpectColumnValuesToNotBeNull` (GX 1.x class names) to the snake_case name GE suites use. */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Imports a Great Expectations expectation suite (0.x `expectation_type` + `kwargs`, or 1.x `type` with the
 * kwargs inline) into our checks. Severity comes from `meta.severity` (or 1.x `severity`: critical / warning).
 * Unknown expectation names are an error with the nearest supported one suggested; expectations GE has but
 * we do not run are returned as warnings. As in GX, a column the data lacks fails its checks rather than
 * stopping the run, and `row_condition` (pandas syntax) restricts a check to the rows where it holds.
 */
export function suiteFromGreatExpectations(
  document: unknown,
  source: string,
  lineOf: LineOf = () => undefined,
): ExpectationSuite {
  if (
    document === null ||
    typeof document !== 'object' ||
    !Array.isArray((document as Kwargs).expectations)
  ) {
    const line = lineOf(['expectations']);
    throw new UserError(
      `${source}${line === undefined ? '' : ` line ${line}`}: expectations: expected a Great Expectations suite (an object with an 'expectations' list), got ${describe((document as Kwargs | null)?.expectations)}`,
    );
  }
  const columns = new Map<string, ColumnExpectations>();
  const table: TableCheck[] = [];
  const warnings: string[] = [];
  ((document as Kwargs).expectations as unknown[]).forEach((raw, index) => {
    const at: Segment[] = ['expectations', index];
    const where = (path: Segment[]) => {
      const line = lineOf(path);
      return `${source}${line === undefined ? '' : ` line ${line}`}: ${pathText(path)}`;
    };
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw new UserError(`${where(at)}: expected an expectation (a mapping), got ${describe(raw)}`);
    const entry = raw as Kwargs;
    const nameKey = entry.expectation_type !== undefined ? 'expectation_type' : 'type';
    const rawName = entry[nameKey];
    if (typeof rawName !== 'string' || rawName === '')
      throw new UserError(
        `${where([...at, nameKey])}: expected an expectation name such as expect_column_values_to_not_be_null, got ${describe(rawName)}`,
      );
    const name = rawName.startsWith('expect_') ? rawName : snakeCase(rawName);
    const importer = IMPORTERS[name];
    if (importer === undefined) {
      if (KNOWN_UNSUPPORTED.includes(name)) {
        warnings.push(`${where(at)}: ${name} is not supported and was skipped`);
        return;
      }
      throw new UserError(
        `${where([...at, nameKey])}: unknown expectation '${name}'${didYouMean(name, Object.keys(IMPORTERS))}`,
      );
    }
    const inline = entry.kwargs === undefined;
    if (!inline && (entry.kwargs === null || typeof entry.kwargs !== 'object' || Array.isArray(entry.kwargs)))
      throw new UserError(
        `${where([...at, 'kwargs'])}: expected a mapping of arguments, got ${describe(entry.kwargs)}`,
      );
    const kwargs = (inline ? entry : entry.kwargs) as Kwargs;
    const args: Args = new Args(source, inline ? at : [...at, 'kwargs'], kwargs, name, lineOf);
    const meta = (entry.meta ?? {}) as Kwargs;
    const level = (meta.severity ?? entry.severity) as unknown;
    const severity: Severity = level === 'warning' || level === 'info' ? 'warning' : 'error';
    const mostly = args.mostly();
    const origin = args.where();
    const common: Common = { severity, origin, ...(mostly === undefined ? {} : { mostly }) };
    const condition = args.condition();
    const checks = importer(args, common);
    for (const check of checks) {
      if (TABLE_CHECKS.has(check.check)) {
        table.push({ ...(check as TableCheck), ...(condition === undefined ? {} : { condition }) });
        continue;
      }
      const column = kwargs.column;
      if (typeof column !== 'string' || column === '') args.fail('column', 'expected a column name');
      // Checks under one row_condition share a pass over the rows where it holds.
      const key =
        condition === undefined || check.check === 'exists' ? column : `${column}\u0000${condition.text}`;
      let entryFor = columns.get(key);
      if (entryFor === undefined) {
        entryFor = {
          name: column,
          checks: [{ check: 'exists', severity, origin, implicit: true }],
          ...(condition === undefined || check.check === 'exists' ? {} : { condition }),
        };
        columns.set(key, entryFor);
      }
      if (check.check !== 'exists') entryFor.checks.push(check as ColumnCheck);
      else entryFor.checks[0] = check as ColumnCheck; // an explicit expect_column_to_exist is reported
    }
  });
  return { source, columns: [...columns.values()], table, warnings, missingColumns: 'fail' };
}

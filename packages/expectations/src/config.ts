import { COLUMN_TYPES, type ColumnType, parseDatetime } from '@mlops/data';
import { didYouMean, UserError } from '@mlops/kit';
import { DRIFT_METHOD_OPTIONS as DRIFT_METHODS } from '@mlops/profile';
import type {
  Bound,
  ColumnCheck,
  ColumnDriftOverride,
  ColumnExpectations,
  ExpectationSuite,
  RangeSpec,
  Severity,
  StatisticName,
  TableCheck,
} from './types.ts';

/** Every key a column entry accepts, for "did you mean" hints. */
export const COLUMN_KEYS = [
  'type',
  'nullable',
  'not_null',
  'max_null_share',
  'min',
  'max',
  'strict_min',
  'strict_max',
  'allowed_values',
  'not_allowed_values',
  'contains_values',
  'unique',
  'regex',
  'not_regex',
  'length',
  'min_length',
  'max_length',
  'mean',
  'median',
  'stdev',
  'sum',
  'min_value',
  'max_value',
  'quantiles',
  'distinct_count',
  'proportion_unique',
  'mostly',
  'severity',
  'drift',
  'description',
] as const;

export const TABLE_KEYS = [
  'version',
  'description',
  'severity',
  'row_count',
  'columns',
  'strict_columns',
  'compound_unique',
] as const;

const STATISTICS: StatisticName[] = ['mean', 'median', 'stdev', 'sum', 'min_value', 'max_value'];

type Json = Record<string, unknown>;

/** Finds the line of a key path in the file (the YAML loader's `lineOf`); undefined when unknown. */
export type LineOf = (path: readonly (string | number)[]) => number | undefined;

/** `columns.age.min`, `compound_unique[0]`: the key path as users read it. */
export function pathText(segments: readonly (string | number)[]): string {
  let text = '';
  for (const segment of segments) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  }
  return text;
}

/**
 * A reader of one YAML node that knows its key path (`columns.age.min`) and, through the loader, its line,
 * so every refusal reads "e.yml line 4: columns.age.min: expected a number, got string "abc"".
 */
class Node {
  constructor(
    readonly source: string,
    readonly segments: readonly (string | number)[],
    readonly value: unknown,
    readonly lineOf: LineOf = () => undefined,
  ) {}

  get path(): string {
    return pathText(this.segments);
  }

  /** "e.yml line 4: columns.age.min" (the line of the nearest key that exists in the file). */
  where(): string {
    const line = this.lineOf(this.segments);
    const file = line === undefined ? this.source : `${this.source} line ${line}`;
    return this.segments.length === 0 ? file : `${file}: ${this.path}`;
  }

  error(message: string): UserError {
    return new UserError(`${this.where()}: ${message}`);
  }

  fail(expected: string): never {
    throw this.error(`${expected}, got ${describe(this.value)}`);
  }

  child(key: string): Node {
    const value = this.isMapping() ? (this.value as Json)[key] : undefined;
    return new Node(this.source, [...this.segments, key], value, this.lineOf);
  }

  item(index: number): Node {
    return new Node(this.source, [...this.segments, index], (this.value as unknown[])[index], this.lineOf);
  }

  isMapping(): boolean {
    return this.value !== null && typeof this.value === 'object' && !Array.isArray(this.value);
  }

  mapping(): Json {
    if (!this.isMapping()) this.fail('expected a mapping (key: value)');
    return this.value as Json;
  }

  keys(allowed: readonly string[], what: string): string[] {
    const keys = Object.keys(this.mapping());
    for (const key of keys) {
      if (!allowed.includes(key)) {
        throw this.child(key).error(
          `unknown ${what} '${key}'${didYouMean(key, allowed)}; expected one of ${allowed.join(', ')}`,
        );
      }
    }
    return keys;
  }

  number(options: { min?: number; max?: number; integer?: boolean } = {}): number {
    const value = this.value;
    if (typeof value !== 'number' || Number.isNaN(value)) this.fail('expected a number');
    if (options.integer && !Number.isInteger(value)) this.fail('expected a whole number');
    if (options.min !== undefined && value < options.min) this.fail(`expected at least ${options.min}`);
    if (options.max !== undefined && value > options.max) this.fail(`expected at most ${options.max}`);
    return value;
  }

  share(): number {
    const value = this.value;
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || value > 1)
      this.fail('expected a share between 0 and 1 (0.95 is 95%)');
    return value;
  }

  boolean(): boolean {
    if (typeof this.value !== 'boolean') this.fail('expected true or false');
    return this.value;
  }

  string(): string {
    if (typeof this.value !== 'string' || this.value === '') this.fail('expected a non-empty string');
    return this.value;
  }

  bound(): Bound {
    if (typeof this.value === 'number' && !Number.isNaN(this.value)) return this.value;
    if (this.value instanceof Date) return this.value.toISOString();
    if (typeof this.value === 'string' && !Number.isNaN(parseDatetime(this.value))) return this.value;
    return this.fail('expected a number (or an ISO date such as 2024-01-31 for datetime columns)');
  }

  list(): unknown[] {
    if (!Array.isArray(this.value)) this.fail('expected a list');
    return this.value;
  }

  present(): boolean {
    return this.value !== undefined && this.value !== null;
  }
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value))
    return value.length === 0
      ? 'an empty list'
      : `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty mapping' : `a mapping with ${keys.join(', ')}`;
  }
  return `${typeof value} ${JSON.stringify(value)}`;
}

function severityOf(node: Node, fallback: Severity): Severity {
  if (!node.present()) return fallback;
  const value = node.value;
  if (value !== 'error' && value !== 'warning') node.fail("expected 'error' or 'warning'");
  return value as Severity;
}

/** A range written as {min, max, strict_min, strict_max} (at least one bound); min <= max. */
function readRange(node: Node): RangeSpec {
  node.keys(['min', 'max', 'strict_min', 'strict_max', 'severity', 'mostly'], 'range key');
  const range: RangeSpec = {};
  if (node.child('min').present()) range.min = node.child('min').bound();
  if (node.child('max').present()) range.max = node.child('max').bound();
  if (range.min === undefined && range.max === undefined) node.fail('expected at least one of min, max');
  if (node.child('strict_min').present()) range.strictMin = node.child('strict_min').boolean();
  if (node.child('strict_max').present()) range.strictMax = node.child('strict_max').boolean();
  checkOrder(node, range.min, range.max);
  return range;
}

function checkOrder(node: Node, min: Bound | undefined, max: Bound | undefined): void {
  if (min === undefined || max === undefined) return;
  const a = typeof min === 'number' ? min : Date.parse(min);
  const b = typeof max === 'number' ? max : Date.parse(max);
  if (!Number.isNaN(a) && !Number.isNaN(b) && a > b) {
    throw node.error(`min (${min}) is greater than max (${max}); no value can pass`);
  }
}

function compileRegex(node: Node, pattern: string, flags: string): void {
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    throw node.error(
      `expected a valid regular expression, got ${JSON.stringify(pattern)}: ${(error as Error).message}`,
    );
  }
}

/** The check's own mostly / severity when written in the long form `{value: .., mostly: .., severity: ..}`. */
function options(node: Node, defaults: { severity: Severity; mostly?: number }) {
  const severity = node.isMapping()
    ? severityOf(node.child('severity'), defaults.severity)
    : defaults.severity;
  const mostlyNode = node.isMapping() ? node.child('mostly') : undefined;
  const mostly = mostlyNode?.present() ? mostlyNode.share() : defaults.mostly;
  return { severity, origin: node.where(), ...(mostly === undefined ? {} : { mostly }) };
}

function readColumn(node: Node, name: string, suiteSeverity: Severity): ColumnExpectations {
  if (!node.present())
    return {
      name,
      checks: [{ check: 'exists', severity: suiteSeverity, origin: node.where(), implicit: true }],
    };
  const keys = node.keys(COLUMN_KEYS, 'check');
  const severity = severityOf(node.child('severity'), suiteSeverity);
  const mostlyNode = node.child('mostly');
  const mostly = mostlyNode.present() ? mostlyNode.share() : undefined;
  const defaults = { severity, ...(mostly === undefined ? {} : { mostly }) };
  const checks: ColumnCheck[] = [{ check: 'exists', severity, origin: node.where(), implicit: true }];
  let drift: ColumnDriftOverride | undefined;
  const strictMin = node.child('strict_min').present() ? node.child('strict_min').boolean() : false;
  const strictMax = node.child('strict_max').present() ? node.child('strict_max').boolean() : false;

  for (const key of keys) {
    const child = node.child(key);
    switch (key) {
      case 'type': {
        const type = child.string();
        if (!(COLUMN_TYPES as readonly string[]).includes(type)) {
          throw child.error(
            `unknown type '${type}'${didYouMean(type, COLUMN_TYPES)}; expected one of ${COLUMN_TYPES.join(', ')}`,
          );
        }
        checks.push({ check: 'type', type: type as ColumnType, ...options(child, defaults) });
        break;
      }
      case 'nullable':
        if (!child.boolean()) checks.push({ check: 'not_null', ...options(child, defaults) });
        break;
      case 'not_null':
        if (child.isMapping()) {
          child.keys(['mostly', 'severity'], 'key');
          checks.push({ check: 'not_null', ...options(child, defaults) });
        } else if (child.boolean()) checks.push({ check: 'not_null', ...options(child, defaults) });
        break;
      case 'max_null_share':
        checks.push({ check: 'max_null_share', share: child.share(), severity, origin: child.where() });
        break;
      case 'min':
      case 'max': {
        const long = child.isMapping();
        if (long) child.keys(['value', 'strict', 'mostly', 'severity'], 'key');
        const bound = (long ? child.child('value') : child).bound();
        const strictNode = child.child('strict');
        const strict =
          long && strictNode.present() ? strictNode.boolean() : key === 'min' ? strictMin : strictMax;
        checks.push({ check: key, bound, strict, ...options(child, defaults) });
        break;
      }
      case 'strict_min':
      case 'strict_max':
      case 'mostly':
      case 'severity':
      case 'description':
        break;
      case 'allowed_values':
      case 'not_allowed_values':
      case 'contains_values': {
        const long = child.isMapping();
        if (long) child.keys(['values', 'mostly', 'severity'], 'key');
        const values = (long ? child.child('values') : child).list();
        if (values.length === 0 && key !== 'not_allowed_values') child.fail('expected a non-empty list');
        checks.push({ check: key, values, ...options(child, defaults) } as ColumnCheck);
        break;
      }
      case 'unique':
        if (child.isMapping()) {
          child.keys(['mostly', 'severity'], 'key');
          checks.push({ check: 'unique', ...options(child, defaults) });
        } else if (child.boolean()) checks.push({ check: 'unique', ...options(child, defaults) });
        break;
      case 'regex':
      case 'not_regex': {
        const long = child.isMapping();
        if (long) child.keys(['pattern', 'flags', 'match', 'mostly', 'severity'], 'key');
        const pattern = (long ? child.child('pattern') : child).string();
        const flags = long && child.child('flags').present() ? child.child('flags').string() : '';
        const matchNode = child.child('match');
        const match = long && matchNode.present() ? matchNode.string() : 'full';
        if (match !== 'full' && match !== 'search') matchNode.fail("expected 'full' or 'search'");
        compileRegex(child, pattern, flags);
        checks.push({
          check: key,
          pattern,
          flags,
          match: match as 'full' | 'search',
          ...options(child, defaults),
        });
        break;
      }
      case 'length': {
        if (typeof child.value === 'number') {
          const exact = child.number({ min: 0, integer: true });
          checks.push({ check: 'length', range: { min: exact, max: exact }, ...options(child, defaults) });
        } else checks.push({ check: 'length', range: readRange(child), ...options(child, defaults) });
        break;
      }
      case 'min_length':
      case 'max_length': {
        const limit = child.number({ min: 0, integer: true });
        const range = key === 'min_length' ? { min: limit } : { max: limit };
        checks.push({ check: 'length', range, ...options(child, defaults) });
        break;
      }
      case 'quantiles': {
        child.list().forEach((_, index) => {
          const item = child.item(index);
          item.keys(['quantile', 'min', 'max', 'strict_min', 'strict_max', 'severity'], 'quantile key');
          const quantile = item.child('quantile').share();
          const { quantile: _q, ...rest } = item.mapping();
          const range = readRange(new Node(item.source, item.segments, rest, item.lineOf));
          checks.push({
            check: 'quantile',
            quantile,
            range,
            severity: severityOf(item.child('severity'), severity),
            origin: item.where(),
          });
        });
        break;
      }
      case 'distinct_count':
      case 'proportion_unique':
        checks.push({
          check: key,
          range: readRange(child),
          severity: severityOf(child.child('severity'), severity),
          origin: child.where(),
        });
        break;
      case 'drift':
        drift = readDrift(child);
        break;
      default:
        if ((STATISTICS as string[]).includes(key)) {
          checks.push({
            check: key as StatisticName,
            range: readRange(child),
            severity: severityOf(child.child('severity'), severity),
            origin: child.where(),
          });
        }
    }
  }
  // A single min and max may contradict each other.
  const min = checks.find((c) => c.check === 'min');
  const max = checks.find((c) => c.check === 'max');
  if (min && max && min.check === 'min' && max.check === 'max') checkOrder(node, min.bound, max.bound);
  return { name, checks, ...(drift === undefined ? {} : { drift }) };
}

function readDrift(node: Node): ColumnDriftOverride {
  if (node.value === false) return { enabled: false };
  node.keys(['method', 'threshold', 'enabled'], 'drift key');
  const drift: ColumnDriftOverride = {};
  if (node.child('method').present()) {
    const method = node.child('method').string();
    if (!(DRIFT_METHODS as readonly string[]).includes(method)) {
      throw node
        .child('method')
        .error(
          `unknown drift method '${method}'${didYouMean(method, DRIFT_METHODS)}; expected one of ${DRIFT_METHODS.join(', ')}`,
        );
    }
    drift.method = method;
  }
  if (node.child('threshold').present()) drift.threshold = node.child('threshold').number({ min: 0 });
  if (node.child('enabled').present()) drift.enabled = node.child('enabled').boolean();
  return drift;
}

/** Validates a parsed YAML document into an ExpectationSuite; every mistake names its path. */
export function suiteFromConfig(
  document: unknown,
  source: string,
  lineOf: LineOf = () => undefined,
): ExpectationSuite {
  const root = new Node(source, [], document, lineOf);
  if (!root.isMapping()) {
    throw new UserError(
      `${source}: expected a mapping with 'columns' (see docs/expectations.md), got ${describe(document)}`,
    );
  }
  root.keys(TABLE_KEYS, 'top-level key');
  if (root.child('version').present() && root.child('version').value !== 1)
    root.child('version').fail('expected 1');
  const severity = severityOf(root.child('severity'), 'error');
  const table: TableCheck[] = [];
  const rowCount = root.child('row_count');
  if (rowCount.present()) {
    if (typeof rowCount.value === 'number') {
      const exact = rowCount.number({ min: 0, integer: true });
      table.push({
        check: 'row_count',
        range: { min: exact, max: exact },
        severity,
        origin: rowCount.where(),
      });
    } else {
      table.push({
        check: 'row_count',
        range: readRange(rowCount),
        severity: severityOf(rowCount.child('severity'), severity),
        origin: rowCount.where(),
      });
    }
  }
  const columnsNode = root.child('columns');
  const columns: ColumnExpectations[] = [];
  if (columnsNode.present()) {
    for (const name of Object.keys(columnsNode.mapping())) {
      columns.push(readColumn(columnsNode.child(name), name, severity));
    }
  }
  const strict = root.child('strict_columns');
  if (strict.present() && strict.boolean()) {
    table.push({
      check: 'columns_match',
      columns: columns.map((c) => c.name),
      exact: true,
      severity,
      origin: strict.where(),
    });
  }
  const compound = root.child('compound_unique');
  if (compound.present()) {
    compound.list().forEach((_, index) => {
      const item = compound.item(index);
      const long = item.isMapping();
      if (long) item.keys(['columns', 'severity'], 'key');
      const list = (long ? item.child('columns') : item).list();
      if (list.length < 2 || !list.every((c) => typeof c === 'string'))
        item.fail('expected a list of two or more column names');
      table.push({
        check: 'compound_unique',
        columns: list as string[],
        severity: long ? severityOf(item.child('severity'), severity) : severity,
        origin: item.where(),
      });
    });
  }
  if (columns.length === 0 && table.length === 0) {
    throw new UserError(`${source}: no checks: add 'columns' or 'row_count' (see docs/expectations.md)`);
  }
  return { source, columns, table, warnings: [] };
}

import { type Cell, type ColumnType, parseDatetime, parseNumber } from '@mlops/data';
import { UserError } from '@mlops/kit';
import type { Bound, RangeSpec, RowCheck } from './types.ts';

/** Keeps the first few offending values for the report (distinct, as text). */
export const MAX_EXAMPLES = 5;

/** A compiled row check: `test` is true when a non-null value passes. */
export interface RowEvaluator {
  readonly spec: RowCheck;
  readonly test: (value: Exclude<Cell, null>) => boolean;
  /** What a passing value is, for messages: "at least 0", "in {Yes, No}". */
  readonly expectation: string;
  /** A numeric range check's bounds: a block of numbers whose min and max pass, passes whole. */
  readonly range?: NumericRange;
  unexpected: number;
  examples: unknown[];
}

function isNumeric(type: ColumnType): boolean {
  return type === 'number' || type === 'integer' || type === 'datetime';
}

/** Numeric bounds as a range check applies them (missing bounds as infinities). */
export interface NumericRange {
  lo: number;
  hi: number;
  strictLo: boolean;
  strictHi: boolean;
}

/** Whether every number in [min, max] passes the range (so a block with that min and max passes whole). */
export function holds(range: NumericRange, min: number, max: number): boolean {
  return (
    (range.strictLo ? min > range.lo : min >= range.lo) && (range.strictHi ? max < range.hi : max <= range.hi)
  );
}

/** A bound in the column's representation: epoch ms for datetimes, numbers for numeric columns. */
function compileBound(bound: Bound, type: ColumnType, origin: string): number | string {
  if (type === 'datetime') {
    const time = typeof bound === 'number' ? bound : parseDatetime(bound);
    if (Number.isNaN(time))
      throw new UserError(
        `${origin}: expected an ISO date (the column is datetime), got ${JSON.stringify(bound)}`,
      );
    return time;
  }
  if (isNumeric(type)) {
    const value = typeof bound === 'number' ? bound : parseNumber(bound);
    if (Number.isNaN(value))
      throw new UserError(
        `${origin}: expected a number (the column is ${type}), got ${JSON.stringify(bound)}`,
      );
    return value;
  }
  return bound;
}

/** Values of a string column compared against numeric bounds are read as numbers (text that is not: fails). */
function comparable(value: Exclude<Cell, null>, numericBound: boolean): number | string {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return numericBound ? parseNumber(value) : value;
}

function rangeTest(
  range: RangeSpec,
  type: ColumnType,
  origin: string,
): { test: (value: Exclude<Cell, null>) => boolean; numeric?: NumericRange } {
  const min = range.min === undefined ? undefined : compileBound(range.min, type, origin);
  const max = range.max === undefined ? undefined : compileBound(range.max, type, origin);
  const numeric = typeof (min ?? max) === 'number';
  const strictMin = range.strictMin === true;
  const strictMax = range.strictMax === true;
  if (isNumeric(type) && numeric) {
    // The hot case: a numeric column against numeric bounds, one comparison per bound.
    const lo = (min as number | undefined) ?? Number.NEGATIVE_INFINITY;
    const hi = (max as number | undefined) ?? Number.POSITIVE_INFINITY;
    const numericRange = { lo, hi, strictLo: strictMin, strictHi: strictMax };
    if (!strictMin && !strictMax)
      return { test: (value) => (value as number) >= lo && (value as number) <= hi, numeric: numericRange };
    return {
      test: (value) =>
        (strictMin ? (value as number) > lo : (value as number) >= lo) &&
        (strictMax ? (value as number) < hi : (value as number) <= hi),
      numeric: numericRange,
    };
  }
  return {
    test: (value) => {
      const v = comparable(value, numeric);
      if (typeof v === 'number' && Number.isNaN(v)) return false;
      if (min !== undefined && (strictMin ? !(v > min) : !(v >= min))) return false;
      if (max !== undefined && (strictMax ? !(v < max) : !(v <= max))) return false;
      return true;
    },
  };
}

/** The value set in the column's representation, so 1 (YAML) matches '1' in a string column and vice versa. */
export function valueSet(values: unknown[], type: ColumnType): Set<Exclude<Cell, null>> {
  const set = new Set<Exclude<Cell, null>>();
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (type === 'string') set.add(value instanceof Date ? value.toISOString() : String(value));
    else if (type === 'boolean') {
      if (typeof value === 'boolean') set.add(value);
      else if (/^true$/i.test(String(value))) set.add(true);
      else if (/^false$/i.test(String(value))) set.add(false);
    } else if (type === 'datetime') {
      const time =
        value instanceof Date
          ? value.getTime()
          : typeof value === 'number'
            ? value
            : parseDatetime(String(value));
      if (!Number.isNaN(time)) set.add(time);
    } else {
      const number = typeof value === 'number' ? value : parseNumber(String(value));
      if (!Number.isNaN(number)) set.add(number);
    }
  }
  return set;
}

export function describeValues(values: unknown[], limit = 8): string {
  const shown = values.slice(0, limit).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return `{${shown.join(', ')}${values.length > limit ? `, … ${values.length - limit} more` : ''}}`;
}

function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) length--;
  }
  return length;
}

function asText(value: Exclude<Cell, null>, type: ColumnType): string {
  return type === 'datetime' && typeof value === 'number' ? new Date(value).toISOString() : String(value);
}

/** The test of a check that every value passes by construction (a column read as the expected type). */
export const ALWAYS = (): boolean => true;

/** Whether a value of a column read as `actual` conforms to the `expected` type. */
function typeTest(expected: ColumnType, actual: ColumnType): (value: Exclude<Cell, null>) => boolean {
  if (expected === actual || (expected === 'number' && actual === 'integer')) return ALWAYS;
  if (actual !== 'string') {
    // A numeric column read as number but expected integer: the fractional values are the offenders.
    if (expected === 'integer' && actual === 'number') return (v) => Number.isInteger(v);
    return () => false;
  }
  switch (expected) {
    case 'number':
      return (v) => !Number.isNaN(parseNumber(String(v)));
    case 'integer':
      return (v) => Number.isInteger(parseNumber(String(v)));
    case 'boolean':
      return (v) => /^(true|false)$/i.test(String(v));
    case 'datetime':
      return (v) => !Number.isNaN(parseDatetime(String(v)));
    case 'string':
      return () => true;
  }
}

function boundText(bound: Bound, strict: boolean, side: 'min' | 'max'): string {
  return `${side === 'min' ? (strict ? 'greater than' : 'at least') : strict ? 'less than' : 'at most'} ${bound}`;
}

export function rangeText(range: RangeSpec): string {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(boundText(range.min, range.strictMin === true, 'min'));
  if (range.max !== undefined) parts.push(boundText(range.max, range.strictMax === true, 'max'));
  return parts.join(' and ');
}

/** Compiles a row check against the column's type (known once the first batch arrives). */
export function compileRowCheck(spec: RowCheck, type: ColumnType): RowEvaluator {
  const make = (test: RowEvaluator['test'], expectation: string, range?: NumericRange): RowEvaluator => ({
    spec,
    test,
    expectation,
    ...(range === undefined ? {} : { range }),
    unexpected: 0,
    examples: [],
  });
  if (spec.unconstrained !== undefined) return make(ALWAYS, `unconstrained (${spec.unconstrained})`);
  switch (spec.check) {
    case 'min':
    case 'max': {
      const range: RangeSpec =
        spec.check === 'min'
          ? { min: spec.bound, strictMin: spec.strict }
          : { max: spec.bound, strictMax: spec.strict };
      const { test, numeric } = rangeTest(range, type, spec.origin);
      return make(test, rangeText(range), numeric);
    }
    case 'between': {
      const { test, numeric } = rangeTest(spec.range, type, spec.origin);
      return make(test, rangeText(spec.range), numeric);
    }
    case 'allowed_values': {
      const set = valueSet(spec.values, type);
      return make((v) => set.has(v), `in ${describeValues(spec.values)}`);
    }
    case 'not_allowed_values': {
      const set = valueSet(spec.values, type);
      return make((v) => !set.has(v), `not in ${describeValues(spec.values)}`);
    }
    case 'regex':
    case 'not_regex': {
      const source = spec.match === 'full' ? `^(?:${spec.pattern})$` : spec.pattern;
      const regex = new RegExp(source, spec.flags.replace(/[gy]/g, ''));
      const negate = spec.check === 'not_regex';
      const verb = spec.match === 'full' ? 'match' : 'contain a match of';
      return make(
        (v) => regex.test(asText(v, type)) !== negate,
        `${negate ? 'not ' : ''}${verb} /${spec.pattern}/`,
      );
    }
    case 'length': {
      const min = typeof spec.range.min === 'number' ? spec.range.min : undefined;
      const max = typeof spec.range.max === 'number' ? spec.range.max : undefined;
      return make(
        (v) => {
          const length = codePointLength(asText(v, type));
          return (min === undefined || length >= min) && (max === undefined || length <= max);
        },
        `of length ${rangeText(spec.range)}`,
      );
    }
    case 'type': {
      if (spec.anyOf === undefined) return make(typeTest(spec.type, type), `of type ${spec.type}`);
      const tests = spec.anyOf.map((expected) => typeTest(expected, type));
      if (tests.includes(ALWAYS)) return make(ALWAYS, `of type ${spec.anyOf.join(' or ')}`);
      return make((v) => tests.some((test) => test(v)), `of type ${spec.anyOf.join(' or ')}`);
    }
  }
}

/** Records an offending value (first MAX_EXAMPLES distinct ones are kept as examples). */
export function recordMiss(evaluator: RowEvaluator, value: Exclude<Cell, null>, type: ColumnType): void {
  evaluator.unexpected++;
  if (evaluator.examples.length < MAX_EXAMPLES)
    keepExample(
      evaluator,
      type === 'datetime' && typeof value === 'number' ? new Date(value).toISOString() : value,
    );
}

/** Keeps an offending value as an example unless already kept; false once the examples are full. */
export function keepExample(evaluator: RowEvaluator, shown: unknown): boolean {
  if (!evaluator.examples.includes(shown)) evaluator.examples.push(shown);
  return evaluator.examples.length < MAX_EXAMPLES;
}

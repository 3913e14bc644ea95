import { type Cell, type Column, type ColumnType, cellAt, type StringCodes, type Table } from '@mlops/data';
import { didYouMean, UserError } from '@mlops/kit';
import { keyedByData, ownEntry } from '@mlops/kit/keyed-by-data';
import type { ColumnProfile } from '@mlops/profile';
import { Moments } from '@mlops/stats';
import { CodedColumn } from './coded-column.ts';
import { ExactValues } from './exact-values.ts';
import { cyrb53, valueKey } from './hash.ts';
import { ConditionTypeError, conditionColumns, evaluateCondition } from './row-condition.ts';
import {
  ALWAYS,
  compileRowCheck,
  describeValues,
  holds,
  keepExample,
  MAX_EXAMPLES,
  type RowEvaluator,
  rangeText,
  recordMiss,
  valueSet,
} from './row-evaluators.ts';
import { type ColumnAggregates, sortedQuantile } from './statistics.ts';
import type {
  CheckResult,
  ColumnCheck,
  ColumnDriftOverride,
  ColumnExpectations,
  ExpectationSuite,
  IgnoreRowIf,
  RangeSpec,
  RowCheck,
  RowCondition,
  Severity,
  TableCheck,
} from './types.ts';

export type { ColumnAggregates } from './statistics.ts';

/** Sketch-backed statistics for a column (from @mlops/profile), used when exact accumulation is off. */
export type AggregateLookup = (column: string) => ColumnAggregates | undefined;

/**
 * Values / distinct keys kept per column for exact medians, quantiles and distinct counts: the same bound
 * as the profile's exact store, past which both answer from the same sketches (1.6 MB per column).
 */
export const DEFAULT_EXACT_LIMIT = 200_000;

export interface RunnerOptions {
  /**
   * Most values (for exact median / quantiles) or distinct keys (for distinct counts) kept per column.
   * Beyond it the runner drops its exact copy and takes the statistic from the profile's sketches, and
   * the result says `approximate: true`. Uniqueness checks are always exact: their memory grows with the
   * number of distinct values (one Map entry each; strings as 53-bit hashes).
   */
  exactLimit?: number;
  /**
   * The profile being built from the same batches, each given to the runner first and then to it
   * (validate-data's one pass): a numeric column's moments and exact values are then read from the profile
   * instead of being accumulated a second time. They are the same numbers: the profile's moments take each
   * batch's finite values in one block, as the runner's take its present ones, and it keeps the same exact
   * values up to the same limit. A column that meets an infinity or a batch of cells (where the two
   * differ) takes its own accumulators back from the profile's state before that batch. Not for a column
   * under a row_condition (its rows are not the profile's).
   */
  profile?: ProfileSoFar;
}

/** What the runner reads of a profile under construction (a DatasetProfileBuilder). */
export interface ProfileSoFar {
  /** Exact values the profile keeps per column: shared only when it equals the runner's exactLimit. */
  readonly exactLimit: number;
  /** The column's profile so far (undefined before its first batch). */
  columnSoFar(column: string): ColumnProfile | undefined;
}

const ROW_CHECKS = new Set([
  'min',
  'max',
  'between',
  'allowed_values',
  'not_allowed_values',
  'regex',
  'not_regex',
  'length',
  'type',
]);

type ResultBase = { column: string | null; check: string; severity: Severity };

/** A check that could not be evaluated (column missing or of the wrong type): failed, as Great Expectations does. */
function notEvaluated(base: ResultBase, message: string): CheckResult {
  return { ...base, passed: false, unexpected: 1, unexpected_share: 1, message };
}

/** Whether GX leaves the row out of a multi-column check (pandas dropna how='all' / 'any' / never). */
function ignored(values: Cell[], rule: IgnoreRowIf): boolean {
  if (rule === 'never') return false;
  let missing = 0;
  for (const value of values) if (value === null) missing++;
  return rule === 'all_values_are_missing' ? missing === values.length : missing > 0;
}

/** One key per row over several columns, for compound uniqueness. */
function compoundKey(values: Cell[]): number {
  let text = '';
  for (const value of values) text += `${cellKey(value)}\u0001`;
  return cyrb53(text);
}

/** A cell as text that tells types apart (1 the number from '1' the string); missing is its own value. */
function cellKey(value: Cell): string {
  return value === null ? '\u0000' : typeof value === 'string' ? `s${value}` : `${typeof value}${value}`;
}

/**
 * pandas `nunique(dropna=False, axis=1) >= len(columns)`: every value of the row differs from the others,
 * a missing value counting as one value (two missing values in a row are a repeat).
 */
function distinctWithinRecord(values: Cell[]): boolean {
  const seen = new Set<string>();
  for (const value of values) {
    const key = typeof value === 'number' ? `n${value}` : cellKey(value);
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

/** The rows of a column where the mask is set, as a column of the same kind. */
function selectRows(values: Column, mask: Uint8Array, count: number): Column {
  if (values instanceof Float64Array) {
    const out = new Float64Array(count);
    let at = 0;
    for (let r = 0; r < mask.length; r++) if (mask[r]) out[at++] = values[r]!;
    return out;
  }
  const out: Cell[] = new Array(count);
  let at = 0;
  for (let r = 0; r < mask.length; r++) if (mask[r]) out[at++] = (values as readonly Cell[])[r]!;
  return out;
}

/** A batch's codes for the rows where the mask is set (the rows selectRows keeps). */
function selectCodes(coded: StringCodes, mask: Uint8Array, count: number): StringCodes {
  const codes = new Int32Array(count);
  let at = 0;
  for (let r = 0; r < mask.length; r++) if (mask[r]) codes[at++] = coded.codes[r]!;
  return { codes, dictionary: coded.dictionary };
}

function countSet(mask: Uint8Array): number {
  let count = 0;
  for (let r = 0; r < mask.length; r++) count += mask[r]!;
  return count;
}

class DuplicateCounter {
  readonly counts = new Map<number | string, number>();
  examples: unknown[] = [];
  add(key: number | string, shown: unknown): void {
    const count = this.counts.get(key);
    if (count === undefined) this.counts.set(key, 1);
    else {
      this.counts.set(key, count + 1);
      if (count === 1 && this.examples.length < MAX_EXAMPLES) this.examples.push(shown);
    }
  }
  /** Great Expectations counts every copy of a duplicated value as unexpected. */
  duplicatedRows(): number {
    let total = 0;
    for (const count of this.counts.values()) if (count > 1) total += count;
    return total;
  }
}

class ColumnState {
  type: ColumnType = 'string';
  rows = 0;
  nulls = 0;
  evaluators: RowEvaluator[] = [];
  unique?: DuplicateCounter;
  moments?: Moments;
  values?: ExactValues;
  /** The collected values sorted once, for every median / quantile check of the column. */
  sorted?: Float64Array;
  distinct?: Set<number | string>;
  distinctOverflow = false;
  /** contains_values: column-typed value -> the listed values it satisfies; the listed values seen. */
  contains?: { lookup: Map<Exclude<Cell, null>, unknown[]>; seen: Set<unknown> };
  compiled = false;
  /** While the column's batches come with string codes: what its checks remember per code. */
  coded?: CodedColumn;
  /** While its moments and exact values are the profile's (RunnerOptions.profile). */
  shared = false;
  /** Why the row_condition could not be applied (a column it names is missing, a type mismatch). */
  conditionError?: string;

  constructor(readonly spec: ColumnExpectations) {}

  needs(check: ColumnCheck['check']): boolean {
    return this.spec.checks.some((c) => c.check === check);
  }
}

/**
 * Runs an expectation suite over a stream of batches in one pass: row checks value by value, aggregates
 * from exact accumulators (moments always; values and distinct keys up to `exactLimit`), uniqueness from
 * exact counts. Call `add` per batch, then `finish` once.
 */
export class ExpectationRunner {
  private readonly states: ColumnState[];
  private columns: string[] | undefined;
  private rows = 0;
  private readonly compound: {
    spec: TableCheck & { check: 'compound_unique' | 'unique_within_record' };
    counter: DuplicateCounter;
    /** Rows considered (after ignore_row_if and the row_condition). */
    rows: number;
    /** unique_within_record: rows where two of the columns hold the same value. */
    repeats: number;
    examples: unknown[];
    conditionError?: string;
  }[];
  /** Table-level row counts under a row_condition, by condition text. */
  private readonly conditionRows = new Map<string, { rows: number; error?: string }>();
  private readonly exactLimit: number;
  private readonly profile: ProfileSoFar | undefined;
  /** Scratch space for a numeric batch's present values (reused across columns and batches). */
  private block = new Float64Array(0);

  constructor(
    readonly suite: ExpectationSuite,
    options: RunnerOptions = {},
  ) {
    this.exactLimit = options.exactLimit ?? DEFAULT_EXACT_LIMIT;
    this.profile = options.profile;
    this.states = suite.columns.map((spec) => new ColumnState(spec));
    this.compound = suite.table
      .filter(
        (c): c is TableCheck & { check: 'compound_unique' | 'unique_within_record' } =>
          c.check === 'compound_unique' || c.check === 'unique_within_record',
      )
      .map((spec) => ({ spec, counter: new DuplicateCounter(), rows: 0, repeats: 0, examples: [] }));
    for (const check of suite.table) {
      if (check.check === 'row_count' && check.condition)
        this.conditionRows.set(check.condition.text, { rows: 0 });
    }
  }

  /** Per-column drift settings from the suite, for DriftOptions.perColumn. */
  driftOverrides(): Record<string, ColumnDriftOverride> {
    const out = keyedByData<ColumnDriftOverride>();
    for (const column of this.suite.columns) if (column.drift) out[column.name] = column.drift;
    return out;
  }

  add(batch: Table): void {
    if (this.columns === undefined) {
      this.columns = [...batch.columns];
      this.checkColumns(batch.columns);
    }
    this.rows += batch.rowCount;
    // One evaluation per distinct row_condition per batch, shared by every check under it.
    const masks = new Map<string, { mask: Uint8Array; count: number } | { error: string }>();
    const maskFor = (condition: RowCondition) => {
      let entry = masks.get(condition.text);
      if (entry === undefined) {
        try {
          const mask = evaluateCondition(condition.expression, batch);
          entry = { mask, count: countSet(mask) };
        } catch (error) {
          if (!(error instanceof ConditionTypeError)) throw error;
          entry = {
            error: `row_condition ${JSON.stringify(condition.text)} cannot be applied: ${error.message}`,
          };
        }
        masks.set(condition.text, entry);
      }
      return entry;
    };
    for (const state of this.states) {
      let values = ownEntry(batch.data, state.spec.name);
      if (values === undefined || state.conditionError !== undefined) continue;
      let codes = ownEntry(batch.codes, state.spec.name);
      let rowCount = batch.rowCount;
      const condition = state.spec.condition;
      if (condition !== undefined) {
        const selected = maskFor(condition);
        if ('error' in selected) {
          state.conditionError = selected.error;
          continue;
        }
        values = selectRows(values, selected.mask, selected.count);
        if (codes !== undefined) codes = selectCodes(codes, selected.mask, selected.count);
        rowCount = selected.count;
      }
      this.addColumn(state, values, ownEntry(batch.types, state.spec.name) ?? 'string', rowCount, codes);
    }
    for (const [text, counter] of this.conditionRows) {
      if (counter.error !== undefined) continue;
      const check = this.suite.table.find((c) => c.condition?.text === text)!;
      const selected = maskFor(check.condition!);
      if ('error' in selected) counter.error = selected.error;
      else counter.rows += selected.count;
    }
    for (const entry of this.compound) {
      if (entry.conditionError !== undefined) continue;
      const columns = entry.spec.columns.map((name) => ownEntry(batch.data, name));
      if (columns.some((c) => c === undefined)) continue;
      let mask: Uint8Array | undefined;
      if (entry.spec.condition !== undefined) {
        const selected = maskFor(entry.spec.condition);
        if ('error' in selected) {
          entry.conditionError = selected.error;
          continue;
        }
        mask = selected.mask;
      }
      const row: Cell[] = new Array(columns.length);
      const within = entry.spec.check === 'unique_within_record';
      for (let r = 0; r < batch.rowCount; r++) {
        if (mask !== undefined && !mask[r]) continue;
        for (let j = 0; j < columns.length; j++) row[j] = cellAt(columns[j]!, r);
        if (ignored(row, entry.spec.ignoreRowIf ?? 'all_values_are_missing')) continue;
        entry.rows++;
        const shown = () => Object.fromEntries(entry.spec.columns.map((name, j) => [name, row[j]]));
        if (within) {
          if (!distinctWithinRecord(row)) {
            entry.repeats++;
            if (entry.examples.length < MAX_EXAMPLES) entry.examples.push(shown());
          }
        } else entry.counter.add(compoundKey(row), shown());
      }
    }
  }

  /**
   * A column named in the expectations but absent from the data is a configuration mistake, not a data
   * finding: stop before reading further, name it and suggest the nearest column.
   */
  private checkColumns(columns: readonly string[]): void {
    // A GX suite reports such a column as failed checks, as GX does (see finish).
    if (this.suite.missingColumns === 'fail') {
      for (const state of this.states) {
        const missing = conditionColumns(
          state.spec.condition?.expression ?? { kind: 'literal', value: true },
        ).filter((name) => !columns.includes(name));
        if (missing.length > 0)
          state.conditionError = `row_condition ${JSON.stringify(state.spec.condition!.text)} names ${describeValues(missing)}, not in the data${didYouMean(missing[0]!, columns)}`;
      }
      return;
    }
    const named = new Set<string>();
    for (const state of this.states) named.add(state.spec.name);
    for (const entry of this.compound) for (const name of entry.spec.columns) named.add(name);
    const missing = [...named].filter((name) => !columns.includes(name));
    if (missing.length === 0) return;
    const shown =
      columns.length > 20
        ? `${columns.slice(0, 20).join(', ')}, … ${columns.length - 20} more`
        : columns.join(', ');
    // Where the first missing column is named: "e.yml line 4: columns.gluc".
    const first = missing[0]!;
    const where =
      this.states.find((state) => state.spec.name === first)?.spec.checks[0]?.origin ??
      this.compound.find((entry) => entry.spec.columns.includes(first))?.spec.origin ??
      this.suite.source;
    throw new UserError(
      `${where}: column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} named in the expectations ${missing.length > 1 ? 'are' : 'is'} not in the data${didYouMean(missing[0]!, columns)} (columns: ${shown})`,
    );
  }

  private compile(state: ColumnState, type: ColumnType): void {
    state.type = type;
    state.evaluators = state.spec.checks
      .filter((check): check is RowCheck => ROW_CHECKS.has(check.check))
      .map((check) => compileRowCheck(check, type));
    if (state.needs('unique')) state.unique = new DuplicateCounter();
    const numeric = type === 'number' || type === 'integer' || type === 'datetime';
    if (
      numeric &&
      ['mean', 'stdev', 'sum', 'min_value', 'max_value', 'median', 'quantile'].some((c) =>
        state.needs(c as ColumnCheck['check']),
      )
    ) {
      state.moments = new Moments();
    }
    // pandas and GX take True / False as 1 / 0: the mean of a flag is the share of True.
    if (type === 'boolean' && ['mean', 'stdev', 'sum'].some((c) => state.needs(c as ColumnCheck['check'])))
      state.moments = new Moments();
    if (numeric && (state.needs('median') || state.needs('quantile')))
      state.values = new ExactValues(this.exactLimit);
    state.shared =
      numeric &&
      state.moments !== undefined &&
      state.spec.condition === undefined &&
      this.profile?.exactLimit === this.exactLimit;
    if (state.needs('distinct_count') || state.needs('proportion_unique')) state.distinct = new Set();
    for (const check of state.spec.checks) {
      if (check.check !== 'contains_values') continue;
      // Match in the column's representation (1 in YAML finds '1' in a string column).
      state.contains ??= { lookup: new Map(), seen: new Set() };
      for (const wanted of check.values) {
        for (const normalised of valueSet([wanted], type)) {
          const originals = state.contains.lookup.get(normalised) ?? [];
          originals.push(wanted);
          state.contains.lookup.set(normalised, originals);
        }
      }
    }
    state.compiled = true;
  }

  private addColumn(
    state: ColumnState,
    values: Column,
    type: ColumnType,
    rowCount: number,
    codes: StringCodes | undefined,
  ): void {
    if (!state.compiled) this.compile(state, type);
    else if (type !== state.type) {
      // An inferred integer column widened to number mid-stream: recompile for the wider type.
      const evaluators = state.evaluators;
      state.type = type;
      state.evaluators = evaluators.map((old) => {
        const next = compileRowCheck(old.spec, type);
        next.unexpected = old.unexpected;
        next.examples = old.examples;
        return next;
      });
    }
    // Checks every value passes by construction (the column's own type) cost nothing per value.
    const evaluators = state.evaluators.filter((evaluator) => evaluator.test !== ALWAYS);
    state.rows += rowCount;
    if (state.shared && !(values instanceof Float64Array)) this.stopSharing(state);
    if (values instanceof Float64Array) this.addNumbers(state, values, rowCount, evaluators);
    else if (codes !== undefined && state.type === 'string')
      this.addCodes(state, values as readonly Cell[], codes, rowCount, evaluators);
    else this.addCells(state, values as readonly Cell[], rowCount, evaluators);
    const distinct = state.distinct;
    if (distinct !== undefined && distinct.size > this.exactLimit) {
      state.distinctOverflow = true;
      distinct.clear();
    }
  }

  private addCells(
    state: ColumnState,
    cells: readonly Cell[],
    rowCount: number,
    evaluators: RowEvaluator[],
  ): void {
    const type = state.type;
    const count = evaluators.length;
    const unique = state.unique;
    const moments = state.moments;
    const distinct = state.distinct;
    const exact = state.values;
    const contains = state.contains;
    let nulls = 0;
    for (let r = 0; r < rowCount; r++) {
      const value = cells[r]!;
      if (value === null) {
        nulls++;
        continue;
      }
      for (let k = 0; k < count; k++) {
        const evaluator = evaluators[k]!;
        if (!evaluator.test(value)) recordMiss(evaluator, value, type);
      }
      if (moments !== undefined) {
        if (typeof value === 'number') moments.add(value);
        else if (typeof value === 'boolean') moments.add(value ? 1 : 0);
      }
      if (unique !== undefined) unique.add(valueKey(value), value);
      if (distinct !== undefined && !state.distinctOverflow) distinct.add(valueKey(value));
      if (exact !== undefined && typeof value === 'number') exact.add(value);
      if (contains !== undefined) this.markContains(state, value);
    }
    state.nulls += nulls;
  }

  /**
   * A string column's batch by its codes (the same rows as its cells): a row check decides each distinct
   * value once per read and counts its rows by code, the distinct set and the contains lookup take each
   * value once; only the examples (the first offending values in row order) and uniqueness (its own
   * examples in row order) walk the rows. The results are those of addCells on the cells.
   */
  private addCodes(
    state: ColumnState,
    cells: readonly Cell[],
    coded: StringCodes,
    rowCount: number,
    evaluators: RowEvaluator[],
  ): void {
    state.coded ??= new CodedColumn();
    const column = state.coded;
    state.nulls += column.countBatch(coded, rowCount);
    for (const evaluator of evaluators) {
      const failing = column.failingRows(evaluator);
      if (failing === 0) continue;
      evaluator.unexpected += failing;
      if (evaluator.examples.length < MAX_EXAMPLES)
        column.eachFailing(evaluator, coded, rowCount, (value) => keepExample(evaluator, value));
    }
    const { distinct, contains } = state;
    if (distinct !== undefined || contains !== undefined) {
      for (let t = 0; t < column.touchedCount; t++) {
        const code = column.touchedCode(t);
        if (!column.firstMet(code)) continue;
        const value = column.valueOf(code);
        if (distinct !== undefined && !state.distinctOverflow) distinct.add(valueKey(value));
        if (contains !== undefined) this.markContains(state, value);
      }
    }
    column.endBatch();
    const unique = state.unique;
    if (unique === undefined) return;
    for (let r = 0; r < rowCount; r++) {
      const value = cells[r]!;
      if (value !== null) unique.add(valueKey(value), value);
    }
  }

  /**
   * A reader's numeric column (float64, NaN for missing) in bulk: one pass sets the present values apart
   * with the batch's min and max; a range check whose bounds hold that min and max passes the whole batch
   * without a test per value (the usual case), and the moments and the exact store take the block at once.
   */
  private addNumbers(
    state: ColumnState,
    values: Float64Array,
    rowCount: number,
    evaluators: RowEvaluator[],
  ): void {
    // One pass for the count of present values and their extremes; they are copied out only for what
    // needs them one by one.
    let n = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < rowCount; r++) {
      const x = values[r]!;
      if (Number.isNaN(x)) continue;
      n++;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    state.nulls += rowCount - n;
    if (state.shared && (min === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY))
      this.stopSharing(state);
    if (n === 0) return;
    const { unique, distinct, contains } = state;
    const testing = evaluators.some(
      (evaluator) => evaluator.range === undefined || !holds(evaluator.range, min, max),
    );
    const accumulating = !state.shared && (state.moments !== undefined || state.values !== undefined);
    if (!testing && !accumulating && unique === undefined && distinct === undefined && contains === undefined)
      return;
    const present = this.presentValues(values, rowCount, n);
    const type = state.type;
    for (const evaluator of evaluators) {
      if (evaluator.range !== undefined && holds(evaluator.range, min, max)) continue;
      const test = evaluator.test;
      for (let i = 0; i < n; i++) if (!test(present[i]!)) recordMiss(evaluator, present[i]!, type);
    }
    if (!state.shared) {
      state.moments?.addAll(present);
      state.values?.addAll(present);
    }
    if (unique === undefined && distinct === undefined && contains === undefined) return;
    for (let i = 0; i < n; i++) {
      const value = present[i]!;
      if (unique !== undefined) unique.add(value, value);
      if (distinct !== undefined && !state.distinctOverflow) distinct.add(value);
      if (contains !== undefined) this.markContains(state, value);
    }
  }

  /** The batch's `n` present values, in row order, in the runner's scratch block. */
  private presentValues(values: Float64Array, rowCount: number, n: number): Float64Array {
    if (this.block.length < rowCount) this.block = new Float64Array(rowCount);
    const block = this.block;
    let at = 0;
    for (let r = 0; r < rowCount; r++) {
      const x = values[r]!;
      if (!Number.isNaN(x)) block[at++] = x;
    }
    return block.subarray(0, n);
  }

  /**
   * From this batch on the column's moments and exact values are the runner's own, starting from the
   * profile's state before the batch (which it has not been given yet): the numbers the runner would have
   * accumulated itself.
   */
  private stopSharing(state: ColumnState): void {
    state.shared = false;
    const profile = this.profile!.columnSoFar(state.spec.name);
    state.moments = new Moments();
    if (profile?.moments !== undefined) state.moments.merge(profile.moments);
    if (state.values === undefined || profile === undefined) return;
    if (profile.values !== undefined) state.values.addAll(profile.values.view());
    else state.values.giveUp();
  }

  /** A shared column's moments and exact values, from the profile (given every batch by now). */
  private takeShared(state: ColumnState): void {
    if (!state.shared) return;
    const profile = this.profile!.columnSoFar(state.spec.name);
    if (profile?.moments === undefined) throw new Error(`the profile has no moments of '${state.spec.name}'`);
    state.shared = false;
    state.moments = profile.moments;
    if (state.values === undefined) return;
    // Sorted in place, as the profile's finish does, in TypedArray sort's order (-0 before 0).
    if (profile.values !== undefined) state.sorted = profile.values.sortedView();
    else state.values.giveUp();
  }

  private markContains(state: ColumnState, value: Exclude<Cell, null>): void {
    const originals = state.contains!.lookup.get(value);
    if (originals !== undefined) for (const original of originals) state.contains!.seen.add(original);
  }

  /** Every check's result, column checks in suite order, then table checks. */
  finish(lookup?: AggregateLookup): CheckResult[] {
    const columns = this.columns ?? [];
    const results: CheckResult[] = [];
    for (const state of this.states) this.takeShared(state);
    for (const state of this.states) {
      const name = state.spec.name;
      const condition = state.spec.condition;
      const under = (result: CheckResult): CheckResult =>
        condition === undefined
          ? result
          : {
              ...result,
              row_condition: condition.text,
              message: `where ${condition.text}: ${result.message}`,
            };
      if (!columns.includes(name)) {
        const missing = `column '${name}' is not in the data${didYouMean(name, columns)}`;
        if (this.suite.missingColumns === 'fail') {
          // As GX reports it: the explicit expect_column_to_exist fails, and so does every check of the column.
          for (const check of state.spec.checks) {
            if (check.check === 'exists' && check.implicit) continue;
            const base = { column: name, check: resultName(check), severity: check.severity };
            results.push(
              under(notEvaluated(base, check.check === 'exists' ? missing : `${missing}; not evaluated`)),
            );
          }
          continue;
        }
        const exists = state.spec.checks.find((c) => c.check === 'exists')!;
        results.push(
          notEvaluated(
            { column: name, check: 'exists', severity: exists.severity },
            `${missing}; its other ${state.spec.checks.length - 1} checks were not run`,
          ),
        );
        continue;
      }
      for (const check of state.spec.checks) {
        if (check.check === 'exists' && check.implicit) continue; // present: it would only add noise
        if (state.conditionError !== undefined && check.check !== 'exists') {
          const base = { column: name, check: resultName(check), severity: check.severity };
          results.push(under(notEvaluated(base, `${state.conditionError}; not evaluated`)));
          continue;
        }
        if (check.check === 'exists') {
          results.push(existsResult(name, check, columns));
          continue;
        }
        // The profile's sketches describe the whole column, not the rows a row_condition keeps.
        const aggregates = condition === undefined ? lookup?.(name) : undefined;
        results.push(under(this.columnResult(state, check, aggregates)));
      }
    }
    for (const check of this.suite.table) {
      const result = this.tableResult(check, columns);
      results.push(
        check.condition === undefined
          ? result
          : {
              ...result,
              row_condition: check.condition.text,
              message: `where ${check.condition.text}: ${result.message}`,
            },
      );
    }
    return results;
  }

  private columnResult(
    state: ColumnState,
    check: ColumnCheck,
    aggregates: ColumnAggregates | undefined,
  ): CheckResult {
    const name = state.spec.name;
    const nonNull = state.rows - state.nulls;
    const base = { column: name, check: check.check, severity: check.severity as Severity };
    const mostlyPart = check.mostly === undefined ? {} : { mostly: check.mostly };
    const rowShare = (unexpected: number) => (nonNull === 0 ? 0 : unexpected / nonNull);
    // Great Expectations' mostly: the share of non-null values that pass must reach `mostly` (default all).
    const rowPassed = (unexpected: number) =>
      check.mostly === undefined
        ? unexpected === 0
        : nonNull === 0 || (nonNull - unexpected) / nonNull >= check.mostly;
    switch (check.check) {
      case 'exists':
        return { ...base, passed: true, unexpected: 0, unexpected_share: 0, message: 'present' };
      case 'not_null': {
        const share = state.rows === 0 ? 0 : state.nulls / state.rows;
        const passed =
          check.mostly === undefined ? state.nulls === 0 : state.rows === 0 || 1 - share >= check.mostly;
        return {
          ...base,
          ...mostlyPart,
          passed,
          unexpected: state.nulls,
          unexpected_share: share,
          message: `${state.nulls} of ${state.rows} values missing${check.mostly === undefined ? '' : ` (at least ${pct(check.mostly)} must be present)`}`,
        };
      }
      case 'max_null_share': {
        const share = state.rows === 0 ? 0 : state.nulls / state.rows;
        return {
          ...base,
          passed: share <= check.share,
          unexpected: state.nulls,
          unexpected_share: share,
          observed: share,
          message: `${pct(share)} missing (${state.nulls} of ${state.rows}); at most ${pct(check.share)} allowed`,
        };
      }
      case 'unique': {
        const duplicated = state.unique?.duplicatedRows() ?? 0;
        return {
          ...base,
          ...mostlyPart,
          passed: rowPassed(duplicated),
          unexpected: duplicated,
          unexpected_share: rowShare(duplicated),
          message:
            duplicated === 0
              ? `all ${nonNull} non-null values are distinct`
              : `${duplicated} of ${nonNull} values are copies of a repeated value`,
          examples: state.unique?.examples ?? [],
        };
      }
      case 'contains_values': {
        const missing = check.values.filter((value) => state.contains?.seen.has(value) !== true);
        return {
          ...base,
          passed: missing.length === 0,
          unexpected: missing.length,
          unexpected_share: check.values.length === 0 ? 0 : missing.length / check.values.length,
          message:
            missing.length === 0
              ? `contains all of ${describeValues(check.values)}`
              : `never contains ${describeValues(missing)}`,
          examples: missing.slice(0, MAX_EXAMPLES),
        };
      }
      case 'distinct_count':
      case 'proportion_unique': {
        let distinct: number | undefined;
        let approximate = false;
        if (state.distinct !== undefined && !state.distinctOverflow) distinct = state.distinct.size;
        else if (aggregates?.distinctCount) {
          distinct = aggregates.distinctCount();
          approximate = aggregates.approximate;
        }
        if (distinct === undefined) return this.unavailable(base, 'distinct count', state);
        const observed = check.check === 'distinct_count' ? distinct : nonNull === 0 ? 0 : distinct / nonNull;
        return this.rangeResult(
          base,
          check.range,
          observed,
          approximate,
          check.check === 'distinct_count' ? 'distinct values' : 'share of distinct values',
        );
      }
      case 'mean':
      case 'stdev':
      case 'sum':
      case 'min_value':
      case 'max_value': {
        const moments = state.moments;
        const flagOnly =
          state.type === 'boolean' && (check.check === 'min_value' || check.check === 'max_value');
        if (moments === undefined || flagOnly) return this.notNumeric(base, state);
        const observed =
          check.check === 'mean'
            ? moments.count === 0
              ? Number.NaN
              : moments.mean
            : check.check === 'stdev'
              ? moments.std(1)
              : check.check === 'sum'
                ? moments.total()
                : check.check === 'min_value'
                  ? moments.min
                  : moments.max;
        return this.rangeResult(
          base,
          check.range,
          observed,
          false,
          check.check.replace('_value', '').replace('stdev', 'standard deviation'),
        );
      }
      case 'median':
      case 'quantile': {
        if (state.moments === undefined || state.type === 'boolean') return this.notNumeric(base, state);
        const q = check.check === 'quantile' ? check.quantile : 0.5;
        let observed: number | undefined;
        let approximate = false;
        if (state.values !== undefined && !state.values.overflow) {
          state.sorted ??= state.values.sorted();
          observed = sortedQuantile(state.sorted, q);
        } else if (aggregates?.quantile) {
          observed = aggregates.quantile(q);
          approximate = aggregates.approximate;
        }
        if (observed === undefined) return this.unavailable(base, `quantile ${q}`, state);
        const label = check.check === 'median' ? 'median' : `quantile ${q}`;
        return {
          ...this.rangeResult(base, check.range, observed, approximate, label),
          ...(check.check === 'quantile' ? { check: `quantile_${q}` } : {}),
        };
      }
      default: {
        const evaluator = state.evaluators.find((e) => e.spec === check);
        if (evaluator === undefined) throw new Error(`no evaluator for ${check.check}`);
        const unexpected = evaluator.unexpected;
        const share = rowShare(unexpected);
        const passed = rowPassed(unexpected);
        const result = { ...base, ...mostlyPart, passed, unexpected, unexpected_share: share };
        if (check.unconstrained !== undefined)
          return {
            ...result,
            message: `${check.unconstrained}: Great Expectations reads that as no constraint, so all ${nonNull} non-null values pass`,
          };
        return {
          ...result,
          message:
            unexpected === 0
              ? `all ${nonNull} non-null values ${verb(check.check)} ${evaluator.expectation}`
              : `${unexpected} of ${nonNull} non-null values (${pct(share)}) are not ${evaluator.expectation}${check.mostly === undefined ? '' : `; at least ${pct(check.mostly)} must be`}`,
          examples: evaluator.examples,
        };
      }
    }
  }

  private rangeResult(
    base: { column: string | null; check: string; severity: Severity },
    range: RangeSpec,
    observed: number,
    approximate: boolean,
    label: string,
  ): CheckResult {
    // GX: an aggregate with neither bound reports the value and succeeds ("vacuously true").
    const unbounded = range.min === undefined && range.max === undefined;
    const passed = unbounded || inRange(observed, range);
    return {
      ...base,
      passed,
      unexpected: passed ? 0 : 1,
      unexpected_share: passed ? 0 : 1,
      observed,
      ...(approximate ? { approximate: true } : {}),
      message: `${label} ${approximate ? '≈ ' : 'is '}${formatNumber(observed)}; ${unbounded ? 'no bounds given (reported, not checked)' : `expected ${rangeText(range)}`}`,
    };
  }

  private notNumeric(base: ResultBase, state: ColumnState): CheckResult {
    return notEvaluated(
      base,
      `column is ${state.type}, not numeric; set its type with column-types if it holds numbers`,
    );
  }

  private unavailable(base: ResultBase, what: string, state: ColumnState): CheckResult {
    return notEvaluated(
      base,
      `${what} not available: more than ${this.exactLimit} values in '${state.spec.name}' and no profile sketch was given`,
    );
  }

  private tableResult(check: TableCheck, columns: string[]): CheckResult {
    const base = { column: null, check: check.check, severity: check.severity };
    switch (check.check) {
      case 'row_count': {
        if (check.condition === undefined)
          return this.rangeResult(base, check.range, this.rows, false, 'row count');
        const counted = this.conditionRows.get(check.condition.text)!;
        if (counted.error !== undefined) return notEvaluated(base, `${counted.error}; not evaluated`);
        return this.rangeResult(base, check.range, counted.rows, false, 'row count');
      }
      case 'columns_match': {
        const missing = check.columns.filter((name) => !columns.includes(name));
        const extra = check.exact ? columns.filter((name) => !check.columns.includes(name)) : [];
        const unexpected = missing.length + extra.length;
        const parts = [
          missing.length > 0 ? `missing ${describeValues(missing)}` : '',
          extra.length > 0 ? `unexpected ${describeValues(extra)}` : '',
        ].filter(Boolean);
        return {
          ...base,
          passed: unexpected === 0,
          unexpected,
          unexpected_share:
            columns.length === 0 ? 0 : unexpected / Math.max(columns.length, check.columns.length),
          message:
            unexpected === 0 ? 'columns match the expected set' : `columns differ: ${parts.join('; ')}`,
          examples: [...missing, ...extra].slice(0, MAX_EXAMPLES),
        };
      }
      case 'compound_unique':
      case 'unique_within_record': {
        const entry = this.compound.find((e) => e.spec === check)!;
        const named = { ...base, column: check.columns.join(', ') };
        const missing = check.columns.filter((name) => !columns.includes(name));
        if (missing.length > 0) {
          return notEvaluated(
            named,
            `column${missing.length > 1 ? 's' : ''} ${describeValues(missing)} not in the data${didYouMean(missing[0]!, columns)}`,
          );
        }
        if (entry.conditionError !== undefined)
          return notEvaluated(named, `${entry.conditionError}; not evaluated`);
        const within = check.check === 'unique_within_record';
        const unexpected = within ? entry.repeats : entry.counter.duplicatedRows();
        // GX's mostly: the share of the rows considered (after ignore_row_if) that pass.
        const passed =
          check.mostly === undefined
            ? unexpected === 0
            : entry.rows === 0 || (entry.rows - unexpected) / entry.rows >= check.mostly;
        const list = check.columns.join(', ');
        return {
          ...named,
          ...(check.mostly === undefined ? {} : { mostly: check.mostly }),
          passed,
          unexpected,
          unexpected_share: entry.rows === 0 ? 0 : unexpected / entry.rows,
          message: within
            ? unexpected === 0
              ? `in all ${entry.rows} rows the values of (${list}) differ from each other`
              : `${unexpected} of ${entry.rows} rows repeat a value across (${list})${check.mostly === undefined ? '' : `; at least ${pct(check.mostly)} must not`}`
            : unexpected === 0
              ? `all ${entry.rows} (${list}) combinations are distinct`
              : `${unexpected} of ${entry.rows} rows repeat a (${list}) combination${check.mostly === undefined ? '' : `; at least ${pct(check.mostly)} must not`}`,
          examples: within ? entry.examples : entry.counter.examples,
        };
      }
    }
  }
}

function resultName(check: ColumnCheck): string {
  return check.check === 'quantile' ? `quantile_${check.quantile}` : check.check;
}

/** expect_column_to_exist: present, and at column_index when one is given (0-based, as GX counts). */
function existsResult(
  name: string,
  check: ColumnCheck & { check: 'exists' },
  columns: readonly string[],
): CheckResult {
  const base = { column: name, check: 'exists', severity: check.severity };
  const at = columns.indexOf(name);
  if (check.index === undefined || check.index === at)
    return {
      ...base,
      passed: true,
      unexpected: 0,
      unexpected_share: 0,
      message: check.index === undefined ? 'present' : `present at index ${at}`,
    };
  return {
    ...base,
    passed: false,
    unexpected: 1,
    unexpected_share: 1,
    observed: at,
    message: `present at index ${at}, expected at index ${check.index} (counting from 0)`,
  };
}

function inRange(value: number, range: RangeSpec): boolean {
  if (Number.isNaN(value)) return false;
  const min =
    range.min === undefined ? undefined : typeof range.min === 'number' ? range.min : Date.parse(range.min);
  const max =
    range.max === undefined ? undefined : typeof range.max === 'number' ? range.max : Date.parse(range.max);
  if (min !== undefined && (range.strictMin ? !(value > min) : !(value >= min))) return false;
  if (max !== undefined && (range.strictMax ? !(value < max) : !(value <= max))) return false;
  return true;
}

function verb(check: string): string {
  return check === 'regex' || check === 'not_regex' ? '' : 'are';
}

function pct(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

import { UserError } from '@mlops/kit';
import { keyedByData, ownEntry } from '@mlops/kit/keyed-by-data';
import { PROFILE_SCHEMA } from '@mlops/schemas';
import { ColumnProfileBuilder } from './column-builder.ts';
import {
  type Batch,
  type ColumnProfile,
  type ColumnType,
  type DatasetProfile,
  DEFAULT_CATEGORY_LIMIT,
  DEFAULT_EXACT_LIMIT,
  type ProfileOptions,
  type StringCodes,
} from './types.ts';

/**
 * Builds a dataset profile from streamed batches in constant memory (per column: counters, moments,
 * KLL quantiles, HyperLogLog, frequent items, plus exact values while they fit).
 *
 * @example
 * const b = new DatasetProfileBuilder();
 * b.add({ columns: ['x'], rowCount: 3, data: { x: [1, null, 3] }, types: { x: 'number' } });
 * b.finish().columns.x?.null_count; // => 1
 */
export class DatasetProfileBuilder {
  private readonly columns = new Map<string, ColumnProfileBuilder>();
  private rows = 0;
  /** The row count expectRows announced the table will reach. */
  private expectedRows = 0;
  /** Exact numeric values kept per column (ProfileOptions.exactLimit). */
  readonly exactLimit: number;
  private readonly categoryLimit: number;
  private finished = false;
  private result: DatasetProfile | undefined;

  constructor(options: ProfileOptions = {}) {
    this.exactLimit = options.exactLimit ?? DEFAULT_EXACT_LIMIT;
    this.categoryLimit = options.categoryLimit ?? DEFAULT_CATEGORY_LIMIT;
    if (!(this.exactLimit >= 0) || !(this.categoryLimit >= 0))
      throw new RangeError('profile limits must be >= 0');
  }

  add(batch: Batch): void {
    if (this.finished) throw new Error('DatasetProfileBuilder: add() after finish()');
    for (const name of batch.columns) {
      const type = ownEntry(batch.types, name);
      if (type === undefined) throw new Error(`batch has no type for column '${name}'`);
      const codes = batch.codes === undefined ? undefined : ownEntry(batch.codes, name);
      this.addColumn(name, type, ownEntry(batch.data, name) ?? [], batch.rowCount, codes);
    }
    const present = new Set(batch.columns);
    for (const [name, column] of this.columns) if (!present.has(name)) column.addMissing(batch.rowCount);
    this.rows += batch.rowCount;
  }

  /**
   * Adds the next `rowCount` rows of one column, for a table read column by column (a Parquet file, column
   * chunk by column chunk); `addRows` then counts rows every column has been given. Given each column's
   * values in the batches `add` would have seen, the profile is the same: columns do not share state.
   */
  addColumn(
    name: string,
    type: ColumnType,
    values: Batch['data'][string],
    rowCount: number,
    codes?: StringCodes,
  ): void {
    if (this.finished) throw new Error('DatasetProfileBuilder: addColumn() after finish()');
    let column = this.columns.get(name);
    if (column === undefined) {
      column = new ColumnProfileBuilder(type, this.exactLimit, this.categoryLimit);
      // Rows before the column first appeared (JSON Lines) count as missing values.
      column.addMissing(this.rows);
      this.columns.set(name, column);
      this.expectValues(column);
    } else if (column.profile.type !== type) {
      column.profile.type = widenType(name, column.profile.type, type);
    }
    column.add(values, rowCount, codes);
  }

  /** One column's profile so far, undefined before its first batch (the expectation runner reads it). */
  columnSoFar(name: string): ColumnProfile | undefined {
    return this.columns.get(name)?.profile;
  }

  /**
   * Rows the next part of the table holds, when the reader knows them before its first batch (a Parquet
   * file's row count): each numeric column's exact values grow in one step to the room they will need, up
   * to the exact limit, instead of by doubling. Only memory changes, not the profile.
   */
  expectRows(rows: number): void {
    this.expectedRows = this.rows + rows;
    for (const column of this.columns.values()) this.expectValues(column);
  }

  private expectValues(column: ColumnProfileBuilder): void {
    const values = column.profile.values;
    const ahead = this.expectedRows - this.rows;
    if (values !== undefined && ahead > 0) values.expect(Math.min(this.exactLimit, values.count + ahead));
  }

  /** Counts rows given column by column (addColumn). */
  addRows(rowCount: number): void {
    this.rows += rowCount;
  }

  finish(): DatasetProfile {
    // Finishing feeds the exact values to the sketches: do it once, later calls return the same profile.
    if (this.result) return this.result;
    this.finished = true;
    const columns = keyedByData<DatasetProfile['columns'][string]>();
    for (const [name, builder] of this.columns) {
      builder.finish();
      const profile = builder.profile;
      profile.values?.sortedView();
      profile.values?.compact();
      columns[name] = profile;
    }
    this.result = { schema: PROFILE_SCHEMA, rows: this.rows, columns };
    return this.result;
  }
}

/** integer and number mix into number; any other change of type is a data error. */
export function widenType(column: string, a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) return a;
  const numeric = new Set<ColumnType>(['integer', 'number']);
  if (numeric.has(a) && numeric.has(b)) return 'number';
  throw new UserError(
    `column '${column}' is ${a} in one part of the data and ${b} in another; set its type explicitly`,
  );
}

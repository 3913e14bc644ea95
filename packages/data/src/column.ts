import type { Cell, Column, ColumnType, NumericColumn } from './types.ts';

/** Whether a column type is stored as a NumericColumn. */
export function isNumericType(type: ColumnType): boolean {
  return type === 'number' || type === 'integer' || type === 'datetime';
}

/**
 * The row's value as a cell: null where missing.
 *
 * @example cellAt(new Float64Array([1, Number.NaN]), 1); // => null
 */
export function cellAt(column: Column, row: number): Cell {
  if (column instanceof Float64Array) {
    const value = column[row]!;
    return Number.isNaN(value) ? null : value;
  }
  return column[row] ?? null;
}

/** The column as cells (allocates one array; for small or cold paths). */
export function toCells(column: Column): Cell[] {
  if (!(column instanceof Float64Array)) return column as Cell[];
  const out: Cell[] = new Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const value = column[i]!;
    out[i] = Number.isNaN(value) ? null : value;
  }
  return out;
}

/**
 * A numeric column as float64 values with NaN for missing: the column itself when it already is one,
 * otherwise a converted copy (cells that are not numbers become NaN).
 *
 * @example numericValues([1, null, 3]); // => Float64Array [1, NaN, 3]
 */
export function numericValues(column: Column): NumericColumn {
  if (column instanceof Float64Array) return column;
  const out = new Float64Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const value = column[i];
    out[i] = typeof value === 'number' ? value : Number.NaN;
  }
  return out;
}

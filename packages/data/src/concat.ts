import { copyKeyedByData, keyedByData } from '@mlops/kit/keyed-by-data';
import { cellAt } from './column.ts';
import type { Cell, Column, Table } from './types.ts';

/** Concatenates batches of one schema; the types are the last batch's (an integer column may widen). */
export function concatTables(batches: Table[]): Table {
  const first = batches[0];
  if (first === undefined) return { columns: [], rowCount: 0, data: keyedByData(), types: keyedByData() };
  if (batches.length === 1) return first;
  const last = batches[batches.length - 1]!;
  const data = keyedByData<Column>();
  for (const name of first.columns) data[name] = concatColumns(batches.map((batch) => batch.data[name]!));
  return {
    columns: [...first.columns],
    rowCount: batches.reduce((sum, batch) => sum + batch.rowCount, 0),
    data,
    types: copyKeyedByData(last.types),
  };
}

/** One column's parts end to end: float64 when every part is, cells (null for NaN) otherwise. */
export function concatColumns(parts: Column[]): Column {
  return parts.every((part) => part instanceof Float64Array)
    ? concatNumbers(parts as Float64Array[])
    : concatCells(parts);
}

function concatCells(parts: Column[]): Cell[] {
  const out: Cell[] = new Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    if (part instanceof Float64Array) for (let i = 0; i < part.length; i++) out[at++] = cellAt(part, i);
    else for (let i = 0; i < part.length; i++) out[at++] = part[i]!;
  }
  return out;
}

function concatNumbers(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

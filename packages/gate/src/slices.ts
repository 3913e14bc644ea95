// Row groups by the values of a column (slices, sensitive attributes): one pass, index arrays per group.
import type { Cell } from '@mlops/data';
import { keyedByData } from '@mlops/kit/keyed-by-data';
import type { Predictions } from './predictions.ts';

/** How a missing slice value is shown: a group of its own, never dropped. */
export const MISSING_GROUP = '(missing)';

export function groupKey(cell: Cell | undefined): string {
  return cell === null || cell === undefined || (typeof cell === 'number' && Number.isNaN(cell))
    ? MISSING_GROUP
    : String(cell);
}

/**
 * Row indices of each distinct value, groups in order of first appearance unless `only` is given. Two
 * passes: a group number per row (with the counts), then each group's rows into an Int32Array of its size.
 */
export function groupRows(cells: readonly Cell[], only?: readonly string[]): Map<string, Int32Array> {
  const numbers = new Map<string, number>();
  const names: string[] = [];
  const counts: number[] = [];
  for (const group of only ?? []) {
    numbers.set(group, names.length);
    names.push(group);
    counts.push(0);
  }
  const groupOf = new Int32Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const key = groupKey(cells[i]);
    let group = numbers.get(key);
    if (group === undefined) {
      group = only ? -1 : names.length;
      if (!only) {
        numbers.set(key, group);
        names.push(key);
        counts.push(0);
      }
    }
    groupOf[i] = group;
    if (group >= 0) counts[group]!++;
  }
  const rows = counts.map((count) => new Int32Array(count));
  const filled = new Int32Array(names.length);
  for (let i = 0; i < cells.length; i++) {
    const group = groupOf[i]!;
    if (group >= 0) rows[group]![filled[group]!++] = i;
  }
  return new Map(names.map((name, group) => [name, rows[group]!]));
}

function gather(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]!]!;
  return out;
}

/** The predictions restricted to some rows (a slice), for the same metric and comparison code. */
export function subsetPredictions(predictions: Predictions, rows: Int32Array): Predictions {
  const subset: Predictions = {
    ...predictions,
    n: rows.length,
    labels: gather(predictions.labels, rows),
    challenger: gather(predictions.challenger, rows),
    groups: keyedByData(),
  };
  if (predictions.champion) subset.champion = gather(predictions.champion, rows);
  else delete subset.champion;
  if (predictions.weights) subset.weights = gather(predictions.weights, rows);
  if (predictions.ids) subset.ids = Array.from(rows, (row) => predictions.ids![row]!);
  if (predictions.probabilities) {
    const { challenger, champion } = predictions.probabilities;
    subset.probabilities = {
      challenger: challenger.map((column) => gather(column, rows)),
      ...(champion ? { champion: champion.map((column) => gather(column, rows)) } : {}),
    };
  }
  return subset;
}

// The golden set: known input rows joined to their offline predictions, by id or by row order.
import { cellAt, type Table } from '@mlops/data';
import { didYouMean, UserError } from '@mlops/kit';
import type { FeatureKind, FeatureValue, GoldenRow, GoldenSet } from './types.ts';

export interface GoldenOptions {
  requestsFile: string;
  expectedFile: string;
  /** An id that is not a feature; joins the two files when both have it. Empty: row order. */
  idColumn?: string;
  predictionColumn: string;
}

/**
 * Builds the golden set. Every column of the requests file except the id is a feature, in file order (the
 * order a `[rows, features]` tensor carries them). The expected file joins by id when an id column is given
 * (every request id must have exactly one expected row), else by row order (the row counts must agree).
 * Throws a UserError naming the file, column and row for anything that would make the comparison wrong.
 */
export function buildGoldenSet(requests: Table, expected: Table, options: GoldenOptions): GoldenSet {
  const { requestsFile, expectedFile, idColumn, predictionColumn } = options;
  if (requests.rowCount === 0) throw new UserError(`${requestsFile}: no rows to send`);
  if (idColumn !== undefined && !requests.data[idColumn]) {
    throw new UserError(
      `${requestsFile}: no id column '${idColumn}'${didYouMean(idColumn, requests.columns)}; columns: ${requests.columns.join(', ')}`,
    );
  }
  const predictions = expected.data[predictionColumn];
  if (!predictions) {
    throw new UserError(
      `${expectedFile}: no prediction column '${predictionColumn}'${didYouMean(predictionColumn, expected.columns)}; columns: ${expected.columns.join(', ')} (set 'prediction-column')`,
    );
  }
  const features = requests.columns.filter((column) => column !== idColumn);
  if (features.length === 0) throw new UserError(`${requestsFile}: no feature columns besides the id`);
  const kinds = features.map((column): FeatureKind => {
    const type = requests.types[column];
    return type === 'string' || type === 'datetime' ? 'string' : type === 'boolean' ? 'boolean' : 'number';
  });

  const ids: string[] = [];
  const seen = new Map<string, number>();
  for (let row = 0; row < requests.rowCount; row++) {
    const id = idColumn === undefined ? String(row + 1) : idText(cellAt(requests.data[idColumn]!, row));
    if (id === '') throw new UserError(`${requestsFile}: column '${idColumn}' row ${row + 1} has no id`);
    if (seen.has(id)) {
      throw new UserError(
        `${requestsFile}: id '${id}' in column '${idColumn}' appears on rows ${seen.get(id)! + 1} and ${row + 1}; ids must be unique`,
      );
    }
    seen.set(id, row);
    ids.push(id);
  }

  const expectedFor = joinExpected(expected, ids, { ...options, predictions: predictionColumn });
  const rows: GoldenRow[] = ids.map((id, index) => ({
    id,
    index,
    values: features.map((column, f) => featureValue(cellAt(requests.data[column]!, index), kinds[f]!)),
    expected: expectedFor.values[index]!,
  }));
  return { features, kinds, rows, target: targetKind(rows), joinedBy: expectedFor.joinedBy };
}

function joinExpected(
  expected: Table,
  ids: string[],
  options: GoldenOptions & { predictions: string },
): { values: number[]; joinedBy: GoldenSet['joinedBy'] } {
  const { expectedFile, idColumn, predictions } = options;
  const column = expected.data[predictions]!;
  const valueAt = (row: number): number => {
    const cell = cellAt(column, row);
    const value = typeof cell === 'boolean' ? Number(cell) : typeof cell === 'number' ? cell : Number.NaN;
    if (!Number.isFinite(value)) {
      throw new UserError(
        `${expectedFile}: column '${predictions}' row ${row + 1} is '${String(cell)}': expected a finite number (a probability, class index or value)`,
      );
    }
    return value;
  };
  if (idColumn !== undefined && expected.data[idColumn]) {
    const byId = new Map<string, number>();
    for (let row = 0; row < expected.rowCount; row++) {
      const id = idText(cellAt(expected.data[idColumn]!, row));
      if (byId.has(id)) {
        throw new UserError(
          `${expectedFile}: id '${id}' in column '${idColumn}' appears on rows ${byId.get(id)! + 1} and ${row + 1}; ids must be unique`,
        );
      }
      byId.set(id, row);
    }
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      throw new UserError(
        `${expectedFile}: no expected prediction for ${missing.length} request id(s) in column '${idColumn}', e.g. ${missing
          .slice(0, 5)
          .map((id) => `'${id}'`)
          .join(', ')}`,
      );
    }
    return { values: ids.map((id) => valueAt(byId.get(id)!)), joinedBy: 'id' };
  }
  if (expected.rowCount !== ids.length) {
    throw new UserError(
      `${expectedFile}: ${expected.rowCount} rows but the requests have ${ids.length}; without an id column ('id-column' in both files) rows are joined by order, so the counts must agree`,
    );
  }
  return { values: ids.map((_, row) => valueAt(row)), joinedBy: 'row order' };
}

function idText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number' && Number.isNaN(cell)) return '';
  return String(cell);
}

function featureValue(cell: unknown, kind: FeatureKind): FeatureValue {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') {
    if (Number.isNaN(cell)) return null;
    return kind === 'string' ? String(cell) : cell;
  }
  if (typeof cell === 'boolean' || typeof cell === 'string') return cell;
  return String(cell);
}

/**
 * Probabilities when every expected value lies in [0, 1] and at least one is strictly between (a file of
 * 0 / 1 only is read as classes); classes when every value is a whole number; values otherwise.
 */
export function targetKind(rows: readonly { expected: number }[]): GoldenSet['target'] {
  const values = rows.map((row) => row.expected);
  if (values.every((value) => value >= 0 && value <= 1) && values.some((value) => value > 0 && value < 1))
    return 'probability';
  if (values.every((value) => Number.isInteger(value))) return 'class';
  return 'value';
}

/** The rows in batches of at most `size`. */
export function batches<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < rows.length; start += size) out.push(rows.slice(start, start + size));
  return out;
}

// A predictions table (CSV / Parquet / JSONL, read by @mlops/data) -> typed arrays the statistics run on.
// Everything a gate could silently get wrong is refused here with the file, column and row: labels that are
// not binary, probabilities outside [0, 1], missing scores, duplicate ids, a champion file that does not line
// up with the challenger's rows.
import { type Cell, type Column, cellAt, type Table, toCells } from '@mlops/data';
import { didYouMean, UserError } from '@mlops/kit';
import { keyedByData } from '@mlops/kit/keyed-by-data';
import type { Task } from './config-types.ts';

export interface PredictionColumns {
  label: string;
  challenger: string;
  champion: string;
  weight?: string;
  id?: string;
}

export interface LoadOptions {
  /** File name for messages. */
  file: string;
  columns: PredictionColumns;
  task?: Task;
  /** Which label value is the positive class when labels are text. */
  positiveLabel?: string;
  /**
   * Columns the gate groups by (slices, fairness): they must exist. `where` is the gate file's place that
   * names the column (`gate.yml line 4: slices[0].column`), for the message when it does not.
   */
  groupColumns?: readonly { column: string; key: string; where?: string }[];
  /** The champion's scores from a second file (joined on the id column, else by row order). */
  championTable?: Table & { file: string };
}

export interface Predictions {
  task: Task;
  n: number;
  /** binary: 0 / 1; multiclass: class index into `classes`; regression: the target. */
  labels: Float64Array;
  /** binary: probability of the positive class; multiclass: predicted class index; regression: prediction. */
  challenger: Float64Array;
  champion?: Float64Array;
  weights?: Float64Array;
  /** Class names: binary [negative, positive]; multiclass in sorted order. */
  classes?: string[];
  /**
   * Multiclass with per-class probability columns (`<challenger>_<class>`, `<champion>_<class>`): one column
   * per class in `classes` order; `challenger` / `champion` then hold the argmax class.
   */
  probabilities?: { challenger: Float64Array[]; champion?: Float64Array[] };
  /** The id column's values as text, when the gate names one (flipped rows are listed by id). */
  ids?: string[];
  /** Raw values of the slice / sensitive columns, by column name. */
  groups: Record<string, Cell[]>;
  columns: PredictionColumns;
  /** Why there is no champion, when there is none (for the report). */
  championMissing?: string;
}

const TRUE_LIKE = new Set(['1', 'true', 'yes', 'y', 'positive', 'pos']);
const FALSE_LIKE = new Set(['0', 'false', 'no', 'n', 'negative', 'neg']);
/** Integer labels with at most this many distinct values, and predictions among them, read as multiclass. */
const MAX_INFERRED_CLASSES = 50;

/**
 * @throws UserError for every malformed or inconsistent input, naming the file, column and data row
 * (1-based, header not counted).
 */
export function loadPredictions(table: Table, options: LoadOptions): Predictions {
  const { file, columns } = options;
  if (table.rowCount === 0) throw new UserError(`${file}: no rows: the gate needs at least one prediction`);
  const column = (name: string, what: string): Column => {
    const values = table.data[name];
    if (!values) {
      throw new UserError(
        `${file}: no ${what} column '${name}'${didYouMean(name, table.columns)}; columns: ${table.columns.join(', ')}`,
      );
    }
    return values;
  };
  const labelCells = column(columns.label, 'label');
  // Multiclass scores may come as one probability column per class instead of a predicted class.
  const probabilityColumns = table.data[columns.challenger]
    ? undefined
    : classColumns(table, columns.challenger);
  if (probabilityColumns) return loadClassProbabilities(table, options, labelCells, probabilityColumns);
  const challengerCells = column(columns.challenger, 'challenger');
  for (const group of options.groupColumns ?? []) groupColumn(table, file, group);

  const task = options.task ?? inferTask(labelCells, challengerCells);
  const result: Predictions = {
    task,
    n: table.rowCount,
    labels: new Float64Array(0),
    challenger: new Float64Array(0),
    groups: keyedByData(),
    columns,
  };
  if (columns.id !== undefined) {
    const idCells = toCells(column(columns.id, 'id'));
    checkUniqueIds(file, columns.id, idCells);
    result.ids = idCells.map((cell) => String(cell));
  }

  let championCells: Column | undefined;
  if (options.championTable) {
    championCells = alignChampion(table, options.championTable, columns, file);
  } else if (table.data[columns.champion]) {
    championCells = table.data[columns.champion]!;
  } else {
    result.championMissing = `no '${columns.champion}' column in ${file}: absolute gates only (a first model)`;
  }

  if (task === 'binary') {
    const { labels, classes } = binaryLabels(file, columns.label, labelCells, options.positiveLabel);
    result.labels = labels;
    result.classes = classes;
    result.challenger = scores(file, columns.challenger, challengerCells, true);
    if (championCells) result.champion = scores(file, columns.champion, championCells, true);
  } else if (task === 'regression') {
    result.labels = scores(file, columns.label, labelCells, false);
    result.challenger = scores(file, columns.challenger, challengerCells, false);
    if (championCells) result.champion = scores(file, columns.champion, championCells, false);
  } else {
    const classes = classNames(file, columns.label, toCells(labelCells));
    const index = new Map(classes.map((name, position) => [name, position]));
    result.classes = classes;
    result.labels = classIndices(file, columns.label, toCells(labelCells), index, classes);
    result.challenger = classIndices(file, columns.challenger, toCells(challengerCells), index, classes);
    if (championCells)
      result.champion = classIndices(file, columns.champion, toCells(championCells), index, classes);
  }
  if (columns.weight !== undefined)
    result.weights = readWeights(file, columns.weight, column(columns.weight, 'weight'));
  for (const { column: name } of options.groupColumns ?? []) result.groups[name] = toCells(table.data[name]!);
  return result;
}

/** binary when the labels take two values; multiclass when predictions are labels; else regression. */
export function inferTask(labels: Column, scores: Column): Task {
  const distinct = new Set<string>();
  let numeric = true;
  let integers = true;
  for (let i = 0; i < labels.length; i++) {
    const cell = cellAt(labels, i);
    if (cell === null) continue;
    if (typeof cell !== 'number') numeric = false;
    else if (!Number.isInteger(cell)) integers = false;
    distinct.add(String(cell));
    if (distinct.size > MAX_INFERRED_CLASSES && numeric) return 'regression';
  }
  // Two label values is a binary task whatever the scores look like: scores outside [0, 1] are then a
  // mistake to report, not a hint that the task is regression.
  if (distinct.size <= 2) return 'binary';
  if (numeric && !integers) return 'regression';
  const cells = toCells(scores);
  const predictionsAreLabels = cells.every((cell) => cell === null || distinct.has(String(cell)));
  if (!numeric || predictionsAreLabels) return 'multiclass';
  // Integer labels scored with probabilities: a binary gate whose labels are wrong (reported as such), far
  // likelier than a regression of small integers predicted inside [0, 1].
  const probabilities = cells.every(
    (cell) => cell === null || (typeof cell === 'number' && cell >= 0 && cell <= 1),
  );
  return probabilities ? 'binary' : 'regression';
}

function binaryLabels(
  file: string,
  name: string,
  cells: Column,
  positiveLabel: string | undefined,
): { labels: Float64Array; classes: string[] } {
  // Each row's label as an index into `values` (at most two), stringified once per distinct cell.
  const values: string[] = [];
  const seenCells: Cell[] = [];
  const seenCodes: number[] = [];
  const codes = new Uint8Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const cell = cellAt(cells, i);
    if (cell === null || (typeof cell === 'number' && !Number.isFinite(cell))) {
      throw new UserError(`${file}: label column '${name}' row ${i + 1} is empty: every row needs a label`);
    }
    let seen = seenCells.indexOf(cell);
    if (seen === -1) {
      const key = String(cell);
      let code = values.indexOf(key);
      if (code === -1) {
        code = values.push(key) - 1;
        if (values.length > 2) {
          const shown = values.map((value) => `'${value}'`).join(', ');
          throw new UserError(
            `${file}: label column '${name}' is not binary: it has ${shown} (row ${i + 1}); a binary gate needs two classes (0/1); set task if this is a multiclass or regression gate`,
          );
        }
      }
      seen = seenCells.push(cell) - 1;
      seenCodes.push(code);
    }
    codes[i] = seenCodes[seen]!;
  }
  let positive: string;
  if (positiveLabel !== undefined) {
    if (!values.includes(positiveLabel)) {
      throw new UserError(
        `${file}: positive_label '${positiveLabel}' does not occur in label column '${name}' (values: ${values.join(', ')})`,
      );
    }
    positive = positiveLabel;
  } else {
    const positives = values.filter((value) => TRUE_LIKE.has(value.toLowerCase()));
    const negatives = values.filter((value) => FALSE_LIKE.has(value.toLowerCase()));
    if (positives.length === 1 && positives.length + negatives.length === values.length)
      positive = positives[0]!;
    else if (values.length === 1 && negatives.length === 1) positive = '1';
    else {
      throw new UserError(
        `${file}: label column '${name}' has values ${values.map((value) => `'${value}'`).join(', ')}: set positive_label in the gate file to say which is the positive class`,
      );
    }
  }
  const positiveCode = values.indexOf(positive);
  const labels = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) labels[i] = codes[i] === positiveCode ? 1 : 0;
  const negative = values.find((value) => value !== positive) ?? '0';
  return { labels, classes: [negative, positive] };
}

function scores(file: string, name: string, column: Column, probability: boolean): Float64Array {
  const out = new Float64Array(column.length);
  const numbers = column instanceof Float64Array ? column : undefined;
  for (let i = 0; i < column.length; i++) {
    let value: number;
    if (numbers !== undefined) value = numbers[i]!;
    else {
      const cell = column[i];
      value = typeof cell === 'boolean' ? Number(cell) : typeof cell === 'number' ? cell : Number.NaN;
      if (typeof cell === 'string') {
        throw new UserError(`${file}: column '${name}' row ${i + 1} is '${cell.slice(0, 40)}', not a number`);
      }
    }
    if (Number.isNaN(value)) {
      throw new UserError(
        `${file}: column '${name}' row ${i + 1} is empty (or NaN): every row needs a score; drop or re-score such rows before gating`,
      );
    }
    if (!Number.isFinite(value))
      throw new UserError(`${file}: column '${name}' row ${i + 1} is ${value}: scores must be finite`);
    if (probability && (value < 0 || value > 1)) {
      throw new UserError(
        `${file}: column '${name}' row ${i + 1} is ${value}, outside [0, 1]: a binary gate needs probabilities of the positive class (predict_proba), not raw scores`,
      );
    }
    out[i] = value;
  }
  return out;
}

function classNames(file: string, name: string, cells: readonly Cell[]): string[] {
  const distinct = new Set<string>();
  for (let i = 0; i < cells.length; i++) {
    if (cells[i] === null)
      throw new UserError(`${file}: label column '${name}' row ${i + 1} is empty: every row needs a label`);
    distinct.add(String(cells[i]));
  }
  const numeric = [...distinct].every((value) => Number.isFinite(Number(value)));
  return [...distinct].sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
}

function classIndices(
  file: string,
  name: string,
  cells: readonly Cell[],
  index: ReadonlyMap<string, number>,
  classes: readonly string[],
): Float64Array {
  const out = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === null)
      throw new UserError(
        `${file}: column '${name}' row ${i + 1} is empty: every row needs a predicted class`,
      );
    const position = index.get(String(cell));
    if (position === undefined) {
      throw new UserError(
        `${file}: column '${name}' row ${i + 1} predicts class '${String(cell)}', which no label has (classes: ${classes.slice(0, 10).join(', ')})`,
      );
    }
    out[i] = position;
  }
  return out;
}

/** Columns named `<prefix>_<class>`, by class; undefined when there are none. */
function classColumns(table: Table, prefix: string): Map<string, string> | undefined {
  const found = new Map<string, string>();
  for (const name of table.columns) {
    if (name.startsWith(`${prefix}_`) && name.length > prefix.length + 1)
      found.set(name.slice(prefix.length + 1), name);
  }
  return found.size >= 2 ? found : undefined;
}

/**
 * Multiclass predictions given as per-class probabilities: every label's class needs a column, each value
 * must be a probability, and the predicted class is the first class with the largest probability (numpy
 * argmax, scikit-learn's predict).
 */
function loadClassProbabilities(
  table: Table,
  options: LoadOptions,
  labelColumn: Column,
  challengerColumns: Map<string, string>,
): Predictions {
  const { file, columns } = options;
  if (options.task !== undefined && options.task !== 'multiclass') {
    throw new UserError(
      `${file}: no '${columns.challenger}' column, only per-class columns ${[...challengerColumns.values()].slice(0, 4).join(', ')}: per-class probabilities are for task multiclass`,
    );
  }
  const labelCells = toCells(labelColumn);
  const labelClasses = classNames(file, columns.label, labelCells);
  const classes = [...new Set([...labelClasses, ...challengerColumns.keys()])];
  const numeric = classes.every((name) => Number.isFinite(Number(name)));
  classes.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  const index = new Map(classes.map((name, position) => [name, position]));
  const read = (prefix: string, found: Map<string, string>) =>
    classes.map((name) => {
      const columnName = found.get(name);
      if (columnName === undefined) {
        throw new UserError(
          `${file}: no probability column '${prefix}_${name}' for class '${name}' (per-class columns found: ${[...found.values()].slice(0, 8).join(', ')})`,
        );
      }
      return scores(file, columnName, table.data[columnName]!, true);
    });
  const challenger = read(columns.challenger, challengerColumns);
  const result: Predictions = {
    task: 'multiclass',
    n: table.rowCount,
    labels: classIndices(file, columns.label, labelCells, index, classes),
    challenger: argmax(challenger),
    classes,
    probabilities: { challenger },
    groups: keyedByData(),
    columns,
  };
  const championColumns = classColumns(table, columns.champion);
  if (championColumns) {
    const champion = read(columns.champion, championColumns);
    result.probabilities!.champion = champion;
    result.champion = argmax(champion);
  } else {
    result.championMissing = `no '${columns.champion}_<class>' columns in ${file}: absolute gates only (a first model)`;
  }
  if (options.championTable) {
    throw new UserError(
      'champion-predictions with per-class probability columns is not supported; put both models in one file',
    );
  }
  if (columns.id !== undefined) {
    const idCells = toCells(table.data[columns.id] ?? missingColumn(table, file, columns.id));
    checkUniqueIds(file, columns.id, idCells);
    result.ids = idCells.map((cell) => String(cell));
  }
  if (columns.weight !== undefined) {
    result.weights = readWeights(
      file,
      columns.weight,
      table.data[columns.weight] ?? missingColumn(table, file, columns.weight, 'weight'),
    );
  }
  for (const group of options.groupColumns ?? [])
    result.groups[group.column] = toCells(groupColumn(table, file, group));
  return result;
}

function readWeights(file: string, name: string, cells: Column): Float64Array {
  const weights = scores(file, name, cells, false);
  for (let i = 0; i < weights.length; i++) {
    if (weights[i]! < 0)
      throw new UserError(`${file}: weight column '${name}' row ${i + 1}: negative weight ${weights[i]}`);
  }
  return weights;
}

function groupColumn(
  table: Table,
  file: string,
  group: { column: string; key: string; where?: string },
): Column {
  const values = table.data[group.column];
  if (values) return values;
  if (!group.where) return missingColumn(table, file, group.column, group.key);
  throw new UserError(
    `${group.where}: ${file} has no ${group.key} column '${group.column}'${didYouMean(group.column, table.columns)}; its columns: ${table.columns.join(', ')}`,
  );
}

function missingColumn(table: Table, file: string, name: string, what = 'id'): never {
  throw new UserError(
    `${file}: no ${what} column '${name}'${didYouMean(name, table.columns)}; columns: ${table.columns.join(', ')}`,
  );
}

/** Per row, the first column with the largest value. */
function argmax(columns: readonly Float64Array[]): Float64Array {
  const n = columns[0]!.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = columns[0]![i]!;
    for (let k = 1; k < columns.length; k++) {
      if (columns[k]![i]! > best) {
        best = columns[k]![i]!;
        out[i] = k;
      }
    }
  }
  return out;
}

function checkUniqueIds(file: string, name: string, cells: readonly Cell[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === null) throw new UserError(`${file}: id column '${name}' row ${i + 1} is empty`);
    const key = String(cell);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new UserError(
        `${file}: duplicate id '${key.slice(0, 60)}' in column '${name}' (rows ${first + 1} and ${i + 1}): each example must be scored once`,
      );
    }
    seen.set(key, i);
  }
  return seen;
}

/** The champion's cells in the challenger table's row order. */
function alignChampion(
  table: Table,
  championTable: Table & { file: string },
  columns: PredictionColumns,
  file: string,
): Column {
  const championFile = championTable.file;
  const cells = championTable.data[columns.champion];
  if (!cells) {
    throw new UserError(
      `${championFile}: no champion column '${columns.champion}'${didYouMean(columns.champion, championTable.columns)}; columns: ${championTable.columns.join(', ')}`,
    );
  }
  if (columns.id === undefined) {
    if (championTable.rowCount !== table.rowCount) {
      throw new UserError(
        `different row counts: ${file} has ${table.rowCount} rows but ${championFile} has ${championTable.rowCount}; both models must be scored on the same rows (set id_column to join them by id)`,
      );
    }
    const championLabels = championTable.data[columns.label];
    const labels = table.data[columns.label]!;
    if (championLabels) {
      for (let i = 0; i < labels.length; i++) {
        const label = cellAt(labels, i);
        const championLabel = cellAt(championLabels, i);
        if (label !== championLabel && String(championLabel) !== String(label)) {
          throw new UserError(
            `${file} and ${championFile} disagree on the label of row ${i + 1} ('${label}' vs '${championLabel}'): the rows are not in the same order (set id_column to join them by id)`,
          );
        }
      }
    }
    return cells;
  }
  const ids = toCells(table.data[columns.id]!);
  const championIds = championTable.data[columns.id];
  if (!championIds) {
    throw new UserError(
      `${championFile}: no id column '${columns.id}'${didYouMean(columns.id, championTable.columns)}`,
    );
  }
  const position = checkUniqueIds(championFile, columns.id, toCells(championIds));
  if (championTable.rowCount !== table.rowCount) {
    throw new UserError(
      `different row counts: ${file} has ${table.rowCount} rows but ${championFile} has ${championTable.rowCount}; both models must be scored on the same rows`,
    );
  }
  const aligned: Cell[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const row = position.get(String(ids[i]));
    if (row === undefined)
      throw new UserError(
        `${championFile}: no row with id '${String(ids[i]).slice(0, 60)}' (row ${i + 1} of ${file})`,
      );
    aligned[i] = cellAt(cells, row);
  }
  return aligned;
}

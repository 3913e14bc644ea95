import { UserError } from '@mlops/kit';
import { copyKeyedByData } from '@mlops/kit/keyed-by-data';
import { InferredTypeMismatch, TableSchema } from './batch-assembler.ts';
import { concatTables } from './concat.ts';
import { readDelimitedBatches } from './delimited-reader.ts';
import { detectFormat } from './format.ts';
import { readJsonLinesBatches } from './jsonl-reader.ts';
import {
  type ColumnType,
  DEFAULT_BATCH_SIZE,
  type ReadOptions,
  type Table,
  type TablePart,
} from './types.ts';

export { concatTables };

/**
 * Streams files as one logical table in batches of `batchSize` rows: constant memory whatever the file
 * size. The first file fixes the columns and (from its first batch, or the Parquet schema) the types;
 * every later file must have the same columns.
 */
export async function* readBatches(files: string[], options: ReadOptions = {}): AsyncGenerator<Table> {
  const { batchSize, schema } = startRead(files, options);
  for (const file of files) yield* readFileBatches(file, schema, batchSize, options);
}

/** A read's batch size and table schema, its arguments checked (readBatches, readColumnParts). */
function startRead(files: string[], options: ReadOptions): { batchSize: number; schema: TableSchema } {
  if (files.length === 0) throw new UserError('no data files to read');
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(batchSize >= 1)) throw new UserError(`batchSize must be at least 1, got ${batchSize}`);
  return { batchSize, schema: new TableSchema(options.columnTypes, options.inferenceRows) };
}

/** One file's batches, its columns bound to (or, for the first file, setting) the table's schema. */
async function* readFileBatches(
  file: string,
  schema: TableSchema,
  batchSize: number,
  options: ReadOptions,
): AsyncGenerator<Table> {
  const format = await detectFormat(file, options.format);
  switch (format) {
    case 'csv':
    case 'tsv':
      yield* readDelimitedBatches(file, {
        delimiter: options.delimiter ?? (format === 'tsv' ? '\t' : ','),
        schema,
        batchSize,
        maxRecordBytes: options.maxRecordBytes,
        allowEmpty: options.allowEmpty,
        transientBatches: options.transientBatches,
      });
      break;
    case 'jsonl':
      yield* readJsonLinesBatches(file, schema, batchSize, options.maxRecordBytes);
      break;
    case 'parquet': {
      // Loaded on the first Parquet file: hyparquet is not part of every action's start-up.
      const { readParquetBatches } = await import('./parquet-reader.ts');
      yield* readParquetBatches(file, schema, batchSize, options.transientBatches === true);
      break;
    }
  }
}

/**
 * Streams files as readBatches does, for a caller that works column by column and keeps nothing of a part
 * past the next (a profile): Parquet files column chunk by column chunk (one decoded column in memory
 * instead of a row group's every column), every other format as batches of every column. Each column's
 * values come in the batches readBatches would make, with `transientBatches` set.
 */
export async function* readColumnParts(
  files: string[],
  options: ReadOptions = {},
): AsyncGenerator<TablePart> {
  const { batchSize, schema } = startRead(files, options);
  for (const file of files) {
    // Detected once: a file without a known extension is detected by reading its first bytes.
    const format = await detectFormat(file, options.format);
    if (format === 'parquet') {
      const { readParquetParts } = await import('./parquet-reader.ts');
      yield* readParquetParts(file, schema, batchSize);
    } else {
      const transient = { ...options, format, transientBatches: true };
      for await (const table of readFileBatches(file, schema, batchSize, transient)) yield { table };
    }
  }
}

/**
 * Reads a whole file into memory (for small files such as predictions), typed as if inferred from every
 * row: types come from the first rows as in a stream, and a column that later holds a value of another
 * kind (rare) is read again as text, as inference over every row would have typed it.
 */
export async function readTable(file: string, options: ReadOptions = {}): Promise<Table & { file: string }> {
  let columnTypes: Record<string, ColumnType> | undefined = options.columnTypes;
  // Streamed batches then one concatenation: cheaper than one ever-growing batch. JSON Lines is read as
  // one batch so that every key of the file is a column, wherever it first appears.
  const format = await detectFormat(file, options.format);
  const batchSize = options.batchSize ?? (format === 'jsonl' ? 2 ** 31 : DEFAULT_BATCH_SIZE);
  for (;;) {
    try {
      const batches: Table[] = [];
      const whole = { ...options, format, columnTypes, batchSize };
      for await (const batch of readBatches([file], whole)) batches.push(batch);
      // Without the codes a one-batch read carries: a whole table is read to be used, not profiled, and its
      // columns may be changed by the caller, which the codes would not follow.
      const { codes: _codes, ...table } = concatTables(batches);
      return { file, ...table };
    } catch (error) {
      if (!(error instanceof InferredTypeMismatch)) throw error;
      columnTypes = copyKeyedByData(columnTypes);
      columnTypes[error.column] = 'string';
    }
  }
}

import { UserError } from '@mlops/kit';
import { TableSchema } from './batch-assembler.ts';
import { readDelimitedBatches } from './delimited-reader.ts';
import { detectFormat } from './format.ts';
import { readJsonLinesBatches } from './jsonl-reader.ts';
import { readParquetBatches } from './parquet-reader.ts';
import { type Cell, DEFAULT_BATCH_SIZE, type ReadOptions, type Table } from './types.ts';

/**
 * Streams files as one logical table in batches of `batchSize` rows: constant memory whatever the file
 * size. The first file fixes the columns and (from its first batch, or the Parquet schema) the types;
 * every later file must have the same columns.
 */
export async function* readBatches(files: string[], options: ReadOptions = {}): AsyncGenerator<Table> {
  if (files.length === 0) throw new UserError('no data files to read');
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(batchSize >= 1)) throw new UserError(`batchSize must be at least 1, got ${batchSize}`);
  const schema = new TableSchema(options.columnTypes, options.inferenceRows);
  for (const file of files) {
    const format = await detectFormat(file, options.format);
    switch (format) {
      case 'csv':
      case 'tsv':
        yield* readDelimitedBatches(
          file,
          options.delimiter ?? (format === 'tsv' ? '\t' : ','),
          schema,
          batchSize,
        );
        break;
      case 'jsonl':
        yield* readJsonLinesBatches(file, schema, batchSize);
        break;
      case 'parquet':
        yield* readParquetBatches(file, schema, batchSize);
        break;
    }
  }
}

/**
 * Reads a whole file into memory (for small files such as predictions). Types are inferred from every row,
 * not just the first batch.
 */
export async function readTable(file: string, options: ReadOptions = {}): Promise<Table & { file: string }> {
  const batches: Table[] = [];
  for await (const batch of readBatches([file], { ...options, batchSize: options.batchSize ?? 2 ** 31 })) {
    batches.push(batch);
  }
  return { file, ...concatTables(batches) };
}

/** Concatenates batches of one schema; the types are the last batch's (an integer column may widen). */
export function concatTables(batches: Table[]): Table {
  const first = batches[0];
  if (first === undefined) return { columns: [], rowCount: 0, data: {}, types: {} };
  if (batches.length === 1) return first;
  const last = batches[batches.length - 1]!;
  const data: Record<string, Cell[]> = {};
  for (const name of first.columns) data[name] = batches.flatMap((batch) => batch.data[name]!);
  return {
    columns: [...first.columns],
    rowCount: batches.reduce((sum, batch) => sum + batch.rowCount, 0),
    data,
    types: { ...last.types },
  };
}

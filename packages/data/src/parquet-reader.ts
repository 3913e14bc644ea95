import { open } from 'node:fs/promises';
import { UserError } from '@mlops/kit';
import { keyedByData } from '@mlops/kit/keyed-by-data';
import {
  asyncBufferFromFile,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type SchemaElement,
} from 'hyparquet';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { BatchAssembler, type TableSchema } from './batch-assembler.ts';
import { assertReadableFile } from './byte-source.ts';
import { convertJsonValue, MISMATCH } from './cell-codec.ts';
import { concatTables } from './concat.ts';
import { type ParquetCompressors, parquetCompressors } from './parquet-codecs.ts';
import {
  type ColumnDecoder,
  decodeColumnChunk,
  type FastKind,
  fastKind,
  readColumnChunkGeneral,
  UnsupportedPage,
  Utf8Column,
  type ValueArray,
} from './parquet-pages.ts';
import type { Cell, ColumnType, Table } from './types.ts';

/**
 * Streams a Parquet file one row group at a time (hyparquet reads only that group's byte ranges), so memory
 * is bounded by the largest row group, not the file. Every codec in hyparquet-compressors is available
 * (snappy, gzip, zstd, brotli, lz4, lz4_raw). Column types come from the Parquet schema unless overridden.
 */
export async function* readParquetBatches(
  file: string,
  schema: TableSchema,
  batchSize: number,
  transient = false,
): AsyncGenerator<Table> {
  await assertReadableFile(file);
  const buffer = await asyncBufferFromFile(file);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new UserError(
      `${file} is not a readable Parquet file; it is truncated or corrupt (${(error as Error).message})`,
    );
  }
  const compressors = await parquetCompressors(
    metadata.row_groups.flatMap((group) =>
      group.columns.map((chunk) => chunk.meta_data?.codec ?? 'UNCOMPRESSED'),
    ),
  );
  const elements = parquetSchema(metadata).children.map((child) => child.element);
  const names = elements.map((element) => element.name);
  const nativeTypes = elements.map(parquetColumnType);
  const order = schema.bind(file, names, '');
  if (!schema.typed) {
    const columns = schema.columns!;
    schema.types = columns.map((name) => schema.columnTypes[name] ?? nativeTypes[names.indexOf(name)]!);
    schema.forced = columns.map((name) => schema.columnTypes[name] !== undefined);
    schema.sampleRows = Number(metadata.num_rows);
  }
  const kinds = names.map((_, k) => fastKind(elements[k]!, schema.types[order[k]!]!));
  if (kinds.every((kind) => kind !== undefined)) {
    yield* readFlatColumns(
      file,
      metadata,
      compressors,
      kinds as FastKind[],
      names,
      order,
      schema,
      batchSize,
      transient,
    );
    return;
  }
  const assembler = new BatchAssembler(file, schema, batchSize, convertParquetValue);
  const width = names.length;
  const row: unknown[] = new Array(width);
  let groupStart = 0;
  for (const [group, rowGroup] of metadata.row_groups.entries()) {
    const groupRows = Number(rowGroup.num_rows);
    const columns: unknown[][] = names.map(() => new Array(groupRows));
    try {
      await parquetRead({
        file: buffer,
        metadata,
        compressors: compressors.owned,
        rowStart: groupStart,
        rowEnd: groupStart + groupRows,
        onChunk: (chunk) => {
          const target = columns[names.indexOf(chunk.columnName)];
          if (target === undefined) return;
          const data = chunk.columnData as ArrayLike<unknown>;
          for (let k = 0; k < data.length; k++) {
            const at = chunk.rowStart - groupStart + k;
            if (at >= 0 && at < groupRows) target[at] = data[k];
          }
        },
      });
    } catch (error) {
      throw new UserError(
        `${file}: row group ${group + 1} of ${metadata.row_groups.length} cannot be read; the file is truncated or corrupt (${(error as Error).message})`,
      );
    }
    for (let r = 0; r < groupRows; r++) {
      for (let j = 0; j < width; j++) row[order[j]!] = columns[j]![r];
      assembler.add(row, groupStart + r + 1);
    }
    yield* assembler.take();
    groupStart += groupRows;
  }
  assembler.flush();
  yield* assembler.take();
}

/**
 * The fast path for files whose every column is flat and numeric or text (what pandas, pyarrow, DuckDB
 * and Spark write for ordinary tables): row group by row group, column chunk by column chunk, each chunk
 * read from the file on its own and decoded straight into its typed column (decodeColumnChunk), then
 * handed on in batches. Memory is one row group's columns plus one compressed column chunk, whatever the
 * file size; before, every value went through hyparquet's row assembly and a per-value conversion
 * (bench/validate-data.md).
 */
async function* readFlatColumns(
  file: string,
  metadata: FileMetaData,
  compressors: ParquetCompressors,
  kinds: FastKind[],
  names: string[],
  order: number[],
  schema: TableSchema,
  batchSize: number,
  transient: boolean,
): AsyncGenerator<Table> {
  const tree = parquetSchema(metadata);
  const columns = schema.columns!;
  // A batch copies its rows out of the row group's columns, which the next row group overwrites; when the
  // caller is done with each batch before the next (transientBatches), numeric columns are views instead,
  // which spares a megabyte of array buffers per column and row group (bench/parquet.md). A batch that
  // waits for the next row group's rows (the tail) is always a copy.
  const slice = (data: RowGroupColumn[], start: number, end: number, view: boolean): Table => {
    const table: Table = {
      columns: [...columns],
      rowCount: end - start,
      data: keyedByData(),
      types: keyedByData(),
    };
    columns.forEach((name, j) => {
      const column = data[j]!;
      table.data[name] =
        column instanceof Utf8Column
          ? column.strings(start, end)
          : view && column instanceof Float64Array
            ? column.subarray(start, end)
            : column.slice(start, end);
      table.types[name] = schema.types[j]!;
    });
    return table;
  };
  let tail: Table | undefined;
  let chunkBuffer = Buffer.alloc(0);
  // Each column's decoded values, reused by the next row group: every batch copies its rows out of them.
  const reused: (RowGroupColumn | undefined)[] = names.map(() => undefined);
  const handle = await open(file, 'r');
  try {
    for (const [group, rowGroup] of metadata.row_groups.entries()) {
      const rows = Number(rowGroup.num_rows);
      const data: RowGroupColumn[] = new Array(columns.length);
      for (const chunk of rowGroup.columns) {
        const meta = chunk.meta_data;
        const k = meta === undefined ? -1 : names.indexOf(meta.path_in_schema[0]!);
        if (meta === undefined || k === -1 || meta.path_in_schema.length !== 1) {
          throw new UserError(
            `${file}: row group ${group + 1} has a column chunk that matches no column of the schema`,
          );
        }
        const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
        const length = Number(meta.total_compressed_size);
        // One buffer for every chunk: the decoded columns copy what they keep out of it.
        if (chunkBuffer.length < length)
          chunkBuffer = Buffer.allocUnsafe(Math.max(length, 2 * chunkBuffer.length));
        const bytes = chunkBuffer.subarray(0, length);
        const { bytesRead } = await handle.read(bytes, 0, length, start);
        const child = tree.children[k]!;
        const decoder: ColumnDecoder = {
          pathInSchema: meta.path_in_schema,
          type: meta.type,
          element: child.element,
          schemaPath: [tree, child],
          codec: meta.codec,
          parsers: DEFAULT_PARSERS,
          compressors: compressors.transient,
        };
        try {
          if (bytesRead < length) throw new Error(`column '${names[k]}' ends past the end of the file`);
          data[order[k]!] = reused[k] = decodeColumnChunk(bytes, decoder, kinds[k]!, rows, reused[k]);
        } catch (error) {
          if (error instanceof UnsupportedPage) {
            const general = { ...decoder, compressors: compressors.owned };
            data[order[k]!] = readColumnChunkGeneral(bytes, general, kinds[k]!, rows);
            continue;
          }
          throw new UserError(
            `${file}: row group ${group + 1} of ${metadata.row_groups.length} cannot be read; the file is truncated or corrupt (${(error as Error).message})`,
          );
        }
      }
      const missing = columns.findIndex((_, j) => data[j] === undefined);
      if (missing !== -1) {
        throw new UserError(`${file}: row group ${group + 1} has no data for column '${columns[missing]}'`);
      }
      // Batches run across row groups as the row-wise path's did, so every batch is batchSize rows.
      let start = 0;
      if (tail !== undefined) {
        start = Math.min(rows, batchSize - tail.rowCount);
        tail = concatTables([tail, slice(data, 0, start, false)]);
        if (tail.rowCount < batchSize) continue;
        yield tail;
        tail = undefined;
      }
      for (; start < rows; start += batchSize) {
        const end = Math.min(rows, start + batchSize);
        if (end - start < batchSize) tail = slice(data, start, end, false);
        else yield slice(data, start, end, transient);
      }
    }
    if (tail !== undefined) yield tail;
  } finally {
    await handle.close();
  }
}

/** A row group's decoded column: numbers, booleans, or text made into strings batch by batch. */
type RowGroupColumn = Float64Array | ValueArray | Utf8Column;

/** Our type for a top-level Parquet column, from its physical and logical / converted type. */
export function parquetColumnType(element: SchemaElement): ColumnType {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if ((element.num_children ?? 0) > 0) return 'string';
  if (logical === 'TIMESTAMP' || logical === 'DATE') return 'datetime';
  if (converted === 'DATE' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS')
    return 'datetime';
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return 'number';
  switch (element.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'integer';
    case 'INT96':
      return 'datetime';
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    default:
      return 'string';
  }
}

/** hyparquet values (bigint, Date, typed arrays, nested objects) to cells of the column type. */
function convertParquetValue(value: unknown, type: ColumnType): Cell | typeof MISMATCH {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return type === 'string' ? value.toString() : convertJsonValue(Number(value), type);
  }
  if (value instanceof Date) {
    const time = value.getTime();
    if (type === 'datetime' || type === 'number' || type === 'integer') return time;
    return type === 'string' ? value.toISOString() : MISMATCH;
  }
  if (typeof value === 'number' && Number.isNaN(value)) return null;
  if (value instanceof Uint8Array)
    return type === 'string' ? Buffer.from(value).toString('base64') : MISMATCH;
  if (typeof value === 'object' && type === 'string') {
    return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return convertJsonValue(value, type);
}

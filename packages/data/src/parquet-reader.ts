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
import { concatColumns, concatTables } from './concat.ts';
import { type ParquetCompressors, parquetCompressors } from './parquet-codecs.ts';
import {
  type ChunkReserve,
  type ColumnDecoder,
  decodeColumnChunk,
  type FastKind,
  fastKind,
  readColumnChunkGeneral,
  UnsupportedPage,
  Utf8Column,
  type ValueArray,
} from './parquet-pages.ts';
import type { Cell, Column, ColumnType, Table, TablePart } from './types.ts';

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
  const parquet = await openParquet(file, schema);
  if (parquet.kinds === undefined) yield* readRowWise(parquet, schema, batchSize);
  else yield* readFlatColumns(parquet, parquet.kinds, schema, batchSize, transient);
}

/**
 * Streams a Parquet file column chunk by column chunk, for a caller that needs no whole rows (a profile
 * is built column by column): one decoded column chunk is in memory at a time instead of a row group's
 * every column. Each column's values come in the batches readParquetBatches would have made (batchSize
 * rows, running across row groups), so what the caller computes from them is the same. A file the flat
 * decoding does not cover is read row-wise, as batches of every column.
 */
export async function* readParquetParts(
  file: string,
  schema: TableSchema,
  batchSize: number,
): AsyncGenerator<TablePart> {
  const parquet = await openParquet(file, schema);
  yield { rowsAhead: Number(parquet.metadata.num_rows) };
  if (parquet.kinds === undefined) {
    for await (const table of readRowWise(parquet, schema, batchSize)) yield { table };
  } else yield* readFlatColumnParts(parquet, parquet.kinds, schema, batchSize);
}

/** A Parquet file's metadata, decompressors, and its columns bound to the table's schema. */
interface OpenParquet {
  file: string;
  buffer: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  metadata: FileMetaData;
  compressors: ParquetCompressors;
  /** The file's columns, in the file's order. */
  names: string[];
  /** For each of the file's columns, its index in the table's columns. */
  order: number[];
  /** The flat decoding of each of the file's columns; undefined when one needs hyparquet's general reader. */
  kinds: FastKind[] | undefined;
}

async function openParquet(file: string, schema: TableSchema): Promise<OpenParquet> {
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
  const flat = kinds.every((kind) => kind !== undefined);
  return {
    file,
    buffer,
    metadata,
    compressors,
    names,
    order,
    kinds: flat ? (kinds as FastKind[]) : undefined,
  };
}

/** Row by row through hyparquet's general reader (nested columns, dates, decimals, forced conversions). */
async function* readRowWise(
  { file, buffer, metadata, compressors, names, order }: OpenParquet,
  schema: TableSchema,
  batchSize: number,
): AsyncGenerator<Table> {
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
  parquet: OpenParquet,
  kinds: FastKind[],
  schema: TableSchema,
  batchSize: number,
  transient: boolean,
): AsyncGenerator<Table> {
  const { metadata, order } = parquet;
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
      table.data[name] = columnRows(data[j]!, start, end, view);
      table.types[name] = schema.types[j]!;
    });
    return table;
  };
  let tail: Table | undefined;
  // Each column's decoded values, reused by the next row group: every batch copies its rows out of them.
  const reused: (RowGroupColumn | undefined)[] = kinds.map(() => undefined);
  const chunks = await openColumnChunks(parquet, kinds);
  try {
    for (const [group, rowGroup] of metadata.row_groups.entries()) {
      const rows = Number(rowGroup.num_rows);
      const data: RowGroupColumn[] = new Array(columns.length);
      const located = chunks.locate(group);
      for (let k = 0; k < kinds.length; k++) {
        data[order[k]!] = reused[k] = await chunks.decode(group, located[k]!, k, rows, reused[k]);
      }
      // Batches run across row groups as the row-wise path's did, so every batch is batchSize rows.
      const cut = cutRowGroup(tail?.rowCount ?? 0, rows, batchSize);
      if (tail !== undefined) {
        tail = concatTables([tail, slice(data, 0, cut.fill, false)]);
        if (!cut.tailDone) continue;
        yield tail;
        tail = undefined;
      }
      for (let start = cut.fill; start < cut.rest; start += batchSize)
        yield slice(data, start, start + batchSize, transient);
      if (cut.rest < rows) tail = slice(data, cut.rest, rows, false);
    }
    if (tail !== undefined) yield tail;
  } finally {
    await chunks.close();
  }
}

/**
 * The fast path, column chunk by column chunk (readParquetParts): each chunk is decoded into one buffer
 * per kind that every column of that kind reuses, and handed on as that column's batches before the next
 * chunk is read. The rows of a column that wait for the next row group to fill a batch (its tail) are
 * copied (ColumnTail); every column's tail has the same rows, so a `rows` step follows each row group.
 */
async function* readFlatColumnParts(
  parquet: OpenParquet,
  kinds: FastKind[],
  schema: TableSchema,
  batchSize: number,
): AsyncGenerator<TablePart> {
  const { metadata, order } = parquet;
  const columns = schema.columns!;
  const fileColumn = new Array<number>(columns.length);
  order.forEach((j, k) => {
    fileColumn[j] = k;
  });
  const reused: Partial<Record<'numbers' | 'text' | 'values', RowGroupColumn>> = {};
  const reuseSlot = (kind: FastKind) =>
    kind === 'utf8' ? 'text' : kind === 'boolean' ? 'values' : 'numbers';
  const tails = columns.map(() => new ColumnTail(batchSize));
  let tailRows = 0;
  const chunks = await openColumnChunks(parquet, kinds);
  try {
    for (const [group, rowGroup] of metadata.row_groups.entries()) {
      const rows = Number(rowGroup.num_rows);
      const located = chunks.locate(group);
      const cut = cutRowGroup(tailRows, rows, batchSize);
      // In the table's column order, as a batch lists them: the profile's columns keep that order.
      for (let j = 0; j < columns.length; j++) {
        const k = fileColumn[j]!;
        const slot = reuseSlot(kinds[k]!);
        const data = await chunks.decode(group, located[k]!, k, rows, reused[slot]);
        reused[slot] = data;
        const part = (values: Column, rowCount: number): TablePart => ({
          column: columns[j]!,
          type: schema.types[j]!,
          values,
          rowCount,
        });
        const tail = tails[j]!;
        if (tailRows > 0) {
          tail.append(data, 0, cut.fill);
          if (cut.tailDone) yield part(tail.take(), batchSize);
        }
        for (let start = cut.fill; start < cut.rest; start += batchSize) {
          yield part(columnRows(data, start, start + batchSize, true), batchSize);
        }
        if (cut.rest < rows) tail.append(data, cut.rest, rows);
      }
      if (cut.rowsDone > 0) yield { rows: cut.rowsDone };
      tailRows = cut.tailRows;
    }
    if (tailRows > 0) {
      for (let j = 0; j < columns.length; j++) {
        yield { column: columns[j]!, type: schema.types[j]!, values: tails[j]!.take(), rowCount: tailRows };
      }
      yield { rows: tailRows };
    }
  } finally {
    await chunks.close();
  }
}

/**
 * How a row group of `rows` rows is cut into batches of `batchSize`, after `tail` rows of the previous
 * groups that wait for a full batch: rows [0, fill) join the tail (a full batch when `tailDone`), rows
 * [fill, rest) are whole batches, rows [rest, rows) wait as the next tail, of `tailRows` rows;
 * `rowsDone` rows are handed on in this group.
 */
export function cutRowGroup(
  tail: number,
  rows: number,
  batchSize: number,
): { fill: number; tailDone: boolean; rest: number; tailRows: number; rowsDone: number } {
  const fill = tail > 0 ? Math.min(rows, batchSize - tail) : 0;
  const tailDone = tail > 0 && tail + fill === batchSize;
  if (tail > 0 && !tailDone) return { fill, tailDone, rest: rows, tailRows: tail + fill, rowsDone: 0 };
  const rest = fill + Math.floor((rows - fill) / batchSize) * batchSize;
  return { fill, tailDone, rest, tailRows: rows - rest, rowsDone: (tailDone ? batchSize : 0) + rest - fill };
}

/**
 * The rows of one column that wait for the next row group to fill a batch (readFlatColumnParts), kept in
 * buffers the column reuses for the whole read. A tail made of fresh arrays (a copy of the numbers, the
 * text's strings) lived through the next row group's other columns, long enough to be promoted to the old
 * generation, where it died: on a file whose row groups do not divide into batches, megabytes per thread
 * that stayed resident until a mark-compact (bench/parquet.md). Numbers are handed on as a view of their
 * buffer, valid until the next append, which comes after the caller's next step; text is kept as bytes
 * and made into strings when the batch is handed on, so they die young with it; booleans are copied.
 */
class ColumnTail {
  private numbers: Float64Array | undefined;
  private text: Utf8Column | undefined;
  private cells: Column | undefined;
  private rows = 0;

  constructor(private readonly batchSize: number) {}

  /** Adds rows [start, end) of a row group's column. */
  append(column: RowGroupColumn, start: number, end: number): void {
    if (column instanceof Float64Array) {
      this.numbers ??= new Float64Array(this.batchSize);
      this.numbers.set(column.subarray(start, end), this.rows);
    } else if (column instanceof Utf8Column) {
      if (this.text === undefined) this.text = new Utf8Column().reset(this.batchSize);
      column.copyRows(start, end, this.text, this.rows);
    } else {
      const rows = columnRows(column, start, end, false);
      this.cells = this.cells === undefined ? rows : concatColumns([this.cells, rows]);
    }
    this.rows += end - start;
  }

  /** The rows added since the last take, and starts over. */
  take(): Column {
    const rows = this.rows;
    const cells = this.cells;
    this.rows = 0;
    this.cells = undefined;
    if (cells !== undefined) return cells;
    if (this.text !== undefined) {
      const strings = this.text.strings(0, rows);
      this.text.reset(this.batchSize);
      return strings;
    }
    return this.numbers!.subarray(0, rows);
  }
}

/** Rows [start, end) of a row group's column: strings made now, numbers a view when `view`, else a copy. */
function columnRows(column: RowGroupColumn, start: number, end: number, view: boolean): Column {
  if (column instanceof Utf8Column) return column.strings(start, end);
  return view && column instanceof Float64Array ? column.subarray(start, end) : column.slice(start, end);
}

/**
 * Reads and decodes a file's column chunks one at a time: each chunk's bytes are read into one buffer that
 * every chunk reuses (the decoded columns copy what they keep out of it).
 */
async function openColumnChunks(
  { file, metadata, compressors, names }: OpenParquet,
  kinds: FastKind[],
): Promise<{
  /** The chunk of each of the file's columns in a row group. */
  locate(group: number): ColumnChunkMeta[];
  decode(
    group: number,
    meta: ColumnChunkMeta,
    k: number,
    rows: number,
    reuse?: RowGroupColumn,
  ): Promise<RowGroupColumn>;
  close(): Promise<void>;
}> {
  const tree = parquetSchema(metadata);
  const groups = metadata.row_groups.length;
  const reserve = chunkReserve(metadata, names, kinds);
  const handle = await open(file, 'r');
  let chunkBuffer = Buffer.alloc(0);
  return {
    locate(group) {
      const located = new Array<ColumnChunkMeta>(names.length);
      for (const chunk of metadata.row_groups[group]!.columns) {
        const meta = chunk.meta_data;
        const k = meta === undefined ? -1 : names.indexOf(meta.path_in_schema[0]!);
        if (meta === undefined || k === -1 || meta.path_in_schema.length !== 1) {
          throw new UserError(
            `${file}: row group ${group + 1} has a column chunk that matches no column of the schema`,
          );
        }
        located[k] = meta;
      }
      const missing = names.findIndex((_, k) => located[k] === undefined);
      if (missing !== -1) {
        throw new UserError(`${file}: row group ${group + 1} has no data for column '${names[missing]}'`);
      }
      return located;
    },
    async decode(group, meta, k, rows, reuse) {
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const length = Number(meta.total_compressed_size);
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
        return decodeColumnChunk(bytes, decoder, kinds[k]!, rows, reuse, reserve);
      } catch (error) {
        if (error instanceof UnsupportedPage) {
          return readColumnChunkGeneral(
            bytes,
            { ...decoder, compressors: compressors.owned },
            kinds[k]!,
            rows,
          );
        }
        throw new UserError(
          `${file}: row group ${group + 1} of ${groups} cannot be read; the file is truncated or corrupt (${(error as Error).message})`,
        );
      }
    },
    close: () => handle.close(),
  };
}

/**
 * The rows and text bytes a decoded column chunk may need in any row group of the file (decodeColumnChunk's
 * reused buffers are sized for them at once): the largest row group, and the largest uncompressed chunk of
 * a text column that has PLAIN pages (its values' bytes are part of that size). A size past
 * MAX_RESERVED_TEXT_BYTES, which only a damaged footer would claim, is not reserved: the buffer then grows
 * with the pages actually read.
 */
function chunkReserve(metadata: FileMetaData, names: string[], kinds: FastKind[]): ChunkReserve {
  let rows = 0;
  let textBytes = 0;
  for (const group of metadata.row_groups) {
    rows = Math.max(rows, Number(group.num_rows));
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (meta === undefined || !meta.encodings.includes('PLAIN')) continue;
      if (kinds[names.indexOf(meta.path_in_schema[0]!)] !== 'utf8') continue;
      textBytes = Math.max(textBytes, Number(meta.total_uncompressed_size));
    }
  }
  return { rows, textBytes: textBytes <= MAX_RESERVED_TEXT_BYTES ? textBytes : 0 };
}

const MAX_RESERVED_TEXT_BYTES = 64 * 2 ** 20;

type ColumnChunkMeta = NonNullable<FileMetaData['row_groups'][number]['columns'][number]['meta_data']>;

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

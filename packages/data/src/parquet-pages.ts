import type { SchemaElement } from 'hyparquet';
import { parquetHeader, readColumn } from 'hyparquet/src/column.js';
import { convert } from 'hyparquet/src/convert.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { readPlain } from 'hyparquet/src/plain.js';
import type { ColumnType } from './types.ts';

/**
 * How a flat Parquet column chunk is decoded straight into its table column: float64 (NaN for null) for
 * the numeric physical types, strings or booleans (null for null) for UTF-8 byte arrays and booleans.
 * Anything else (dates, decimals, unsigned 32/64-bit, nested columns, forced types that need a conversion) goes through
 * hyparquet's general reader.
 */
export type FastKind = 'double' | 'float' | 'int32' | 'int64' | 'utf8' | 'boolean';

/** A decoded non-numeric column: strings or booleans, null where missing. */
export type ValueArray = (string | boolean | null)[];

const SIGNED_CONVERTED = new Set([undefined, 'INT_8', 'INT_16', 'INT_32', 'INT_64', 'UINT_8', 'UINT_16']);

/** The fast decoding of a top-level column read as `target`, or undefined for the general reader. */
export function fastKind(element: SchemaElement, target: ColumnType): FastKind | undefined {
  if ((element.num_children ?? 0) > 0 || element.repetition_type === 'REPEATED') return undefined;
  const converted = element.converted_type as string | undefined;
  const logical = element.logical_type;
  switch (element.type) {
    case 'DOUBLE':
    case 'FLOAT':
      if (target !== 'number' || converted !== undefined || logical !== undefined) return undefined;
      return element.type === 'DOUBLE' ? 'double' : 'float';
    case 'INT32':
    case 'INT64': {
      if (target !== 'number' && target !== 'integer') return undefined;
      if (!SIGNED_CONVERTED.has(converted)) return undefined;
      if (logical !== undefined) {
        if (logical.type !== 'INTEGER') return undefined;
        if (!logical.isSigned && logical.bitWidth >= 32) return undefined;
      }
      return element.type === 'INT32' ? 'int32' : 'int64';
    }
    case 'BOOLEAN':
      return target === 'boolean' && converted === undefined && logical === undefined ? 'boolean' : undefined;
    case 'BYTE_ARRAY': {
      if (target !== 'string') return undefined;
      const textual = converted === undefined || converted === 'UTF8' || converted === 'ENUM';
      const textualLogical = logical === undefined || logical.type === 'STRING' || logical.type === 'ENUM';
      return textual && textualLogical ? 'utf8' : undefined;
    }
    default:
      return undefined;
  }
}

export type ColumnDecoder = Parameters<typeof readColumn>[2];

/**
 * A flat column chunk through hyparquet's general reader (a page encoding decodeColumnChunk does not
 * handle), into the same shape.
 */
export function readColumnChunkGeneral(
  chunk: Uint8Array,
  decoder: ColumnDecoder,
  kind: FastKind,
  rows: number,
): Float64Array | ValueArray {
  const reader = { view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset: 0 };
  const { data } = readColumn(
    reader,
    { groupStart: 0, groupRows: rows, selectStart: 0, selectEnd: rows },
    decoder,
  );
  const numbers = kind === 'utf8' || kind === 'boolean' ? undefined : new Float64Array(rows).fill(Number.NaN);
  const strings: ValueArray | undefined = numbers === undefined ? new Array(rows).fill(null) : undefined;
  let at = 0;
  for (const part of data) {
    for (let i = 0; i < part.length && at < rows; i++, at++) {
      const value = part[i] as unknown;
      if (value === null || value === undefined) continue;
      if (numbers !== undefined) numbers[at] = Number(value);
      else strings![at] = value as string | boolean;
    }
  }
  return numbers ?? strings!;
}

/**
 * A row group's text column as its UTF-8 bytes (PLAIN pages, copied out of the decompressed page) and
 * dictionary indices, made into strings batch by batch (`strings`). Decoding every string of a row group at
 * once kept ~120,000 of them alive until the row group's last batch, long enough for the garbage collector
 * to move them to the old generation, where they died: a unique-id column filled it with megabytes per row
 * group (bench/parquet.md). A batch's strings now die young, with the batch.
 */
export class Utf8Column {
  /** The PLAIN pages' bytes (length prefixes included); reused by the next row group. */
  private bytes: Buffer = Buffer.alloc(0);
  private used = 0;
  /** Per row: the value's first byte in `bytes`; NULL_VALUE; or DICTIONARY_VALUE - its dictionary index. */
  starts: Int32Array = new Int32Array(0);
  ends: Int32Array = new Int32Array(0);
  dictionary: string[] = [];

  /**
   * Starts a row group of `rows` rows. Buffers that must grow are sized for the file's largest row group
   * (`reserve`), so they grow once.
   */
  reset(rows: number, reserve?: ChunkReserve): this {
    if (this.starts.length < rows) {
      const size = Math.max(rows, reserve?.rows ?? 0);
      this.starts = new Int32Array(size);
      this.ends = new Int32Array(size);
    }
    if (reserve !== undefined && this.bytes.length < reserve.textBytes)
      this.bytes = Buffer.allocUnsafe(reserve.textBytes);
    this.used = 0;
    this.dictionary = [];
    return this;
  }

  /** Copies a page's bytes in; returns where they start. */
  append(page: Uint8Array): number {
    const at = this.used;
    if (at + page.length > this.bytes.length) {
      // By a quarter, not double: the buffer lives through the whole read, sized by the largest column
      // chunk's text, and a chunk a few bytes longer than the last one would otherwise double it.
      const grown = Buffer.allocUnsafe(Math.max(at + page.length, Math.ceil(1.25 * this.bytes.length)));
      this.bytes.copy(grown, 0, 0, at);
      this.bytes = grown;
    }
    this.bytes.set(page, at);
    this.used += page.length;
    return at;
  }

  /**
   * Copies rows [start, end) to rows [at, at + end - start) of `tail`, which then holds them on its own: the
   * text values' bytes (one contiguous range: rows follow each other in the pages), and this dictionary,
   * appended to `tail.dictionary` once if a row uses it (a tail may span row groups, each with its own).
   */
  copyRows(start: number, end: number, tail: Utf8Column, at: number): void {
    const { starts, ends } = this;
    let first = -1;
    let last = 0;
    let coded = false;
    for (let i = start; i < end; i++) {
      const from = starts[i]!;
      if (from >= 0) {
        if (first === -1) first = from;
        last = ends[i]!;
      } else if (from !== NULL_VALUE) coded = true;
    }
    const shift = first === -1 ? 0 : tail.append(this.bytes.subarray(first, last)) - first;
    // Index d of this dictionary is index base + d of the tail's.
    const base = tail.dictionary.length;
    if (coded) for (const value of this.dictionary) tail.dictionary.push(value);
    for (let i = start, j = at; i < end; i++, j++) {
      const from = starts[i]!;
      if (from >= 0) {
        tail.starts[j] = from + shift;
        tail.ends[j] = ends[i]! + shift;
      } else tail.starts[j] = from === NULL_VALUE ? NULL_VALUE : from - base;
    }
  }

  /** Rows [start, end) as strings, null where missing. */
  strings(start: number, end: number): ValueArray {
    const out: ValueArray = new Array(end - start);
    const { bytes, starts, ends, dictionary } = this;
    for (let i = start; i < end; i++) {
      const from = starts[i]!;
      out[i - start] =
        from >= 0
          ? bytes.toString('utf8', from, ends[i]!)
          : from === NULL_VALUE
            ? null
            : dictionary[DICTIONARY_VALUE - from]!;
    }
    return out;
  }
}

const NULL_VALUE = -1;
const DICTIONARY_VALUE = -2;

/**
 * What the buffers a column chunk is decoded into should hold for every row group of the file, from its
 * metadata: the largest row group's rows, and the largest text column chunk's bytes. Sized for the first
 * row group only, a buffer reused by the next ones grew partway through the file (its row groups differ by
 * a few rows), and the outgrown buffer was garbage that stayed resident until a mark-compact.
 */
export interface ChunkReserve {
  rows: number;
  textBytes: number;
}

/** A page this decoder does not handle (an encoding other than PLAIN or dictionary): use the general reader. */
export class UnsupportedPage extends Error {}

/**
 * Decodes one flat column chunk (its bytes from the dictionary page, or the first data page, to the end)
 * into `rows` values: a Float64Array for the numeric kinds, an array of strings otherwise.
 *
 * Written beside hyparquet rather than through parquetRead because its general path assembles every value
 * through nested-list machinery (definition levels as a JS array, one push per value), which cost 8 of the
 * 11 CPU-s a 2M-row, 12-column file took; here definition levels and dictionary indices are decoded into
 * reused typed arrays and values written in place. hyparquet still parses page headers, decompresses and
 * reads dictionary pages.
 */
export function decodeColumnChunk(
  chunk: Uint8Array,
  decoder: ColumnDecoder,
  kind: FastKind,
  rows: number,
  reuse?: Float64Array | ValueArray | Utf8Column,
  reserve?: ChunkReserve,
): Float64Array | ValueArray | Utf8Column {
  // `reuse`: the column this call returned for the previous row group, when its values have been copied
  // out, so a row group allocates no new columns (only its first `rows` entries are meaningful).
  const numeric = kind !== 'utf8' && kind !== 'boolean';
  const size = Math.max(rows, reserve?.rows ?? 0);
  const numbers = numeric
    ? reuse instanceof Float64Array && reuse.length >= rows
      ? reuse
      : new Float64Array(size)
    : undefined;
  const text =
    kind === 'utf8'
      ? (reuse instanceof Utf8Column ? reuse : new Utf8Column()).reset(rows, reserve)
      : undefined;
  const strings: ValueArray | undefined =
    kind !== 'boolean' ? undefined : Array.isArray(reuse) && reuse.length >= rows ? reuse : new Array(size);
  const maxDefinition = decoder.element.repetition_type === 'REQUIRED' ? 0 : 1;
  const reader = { view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset: 0 };
  let dictionaryNumbers: Float64Array | undefined;
  let at = 0;
  while (at < rows && reader.offset < chunk.byteLength) {
    const header = parquetHeader(reader);
    const compressed = chunk.subarray(reader.offset, reader.offset + header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === 'DICTIONARY_PAGE') {
      const page = decompressPage(
        compressed,
        Number(header.uncompressed_page_size),
        decoder.codec,
        decoder.compressors,
      );
      const count = header.dictionary_page_header!.num_values;
      const view = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
      const plain = readPlain(view, decoder.type, count, decoder.element.type_length);
      if (numeric) {
        dictionaryNumbers = new Float64Array(count);
        for (let i = 0; i < count; i++) dictionaryNumbers[i] = Number(plain[i]);
      } else text!.dictionary = convert(plain, decoder) as string[];
      continue;
    }
    let values: Uint8Array;
    let levels: Uint8Array | undefined;
    let count: number;
    let encoding: string;
    if (header.type === 'DATA_PAGE') {
      const data = header.data_page_header!;
      count = data.num_values;
      encoding = data.encoding;
      values = decompressPage(
        compressed,
        Number(header.uncompressed_page_size),
        decoder.codec,
        decoder.compressors,
      );
      if (maxDefinition > 0) {
        const length = values[0]! | (values[1]! << 8) | (values[2]! << 16) | (values[3]! << 24);
        levels = values.subarray(4, 4 + length);
        values = values.subarray(4 + length);
      }
    } else if (header.type === 'DATA_PAGE_V2') {
      const data = header.data_page_header_v2!;
      count = data.num_values;
      encoding = data.encoding;
      const repetitionBytes = data.repetition_levels_byte_length;
      const definitionBytes = data.definition_levels_byte_length;
      if (maxDefinition > 0) levels = compressed.subarray(repetitionBytes, repetitionBytes + definitionBytes);
      const body = compressed.subarray(repetitionBytes + definitionBytes);
      values =
        data.is_compressed === false
          ? body
          : decompressPage(
              body,
              Number(header.uncompressed_page_size) - repetitionBytes - definitionBytes,
              decoder.codec,
              decoder.compressors,
            );
    } else continue; // index pages
    if (at + count > rows) count = rows - at;
    // Which of the page's rows hold a value (1) and which are null (0).
    const defined =
      levels === undefined
        ? undefined
        : decodeHybrid(levels, 0, levels.length, 1, count, scratchLevels(count));
    let present = count;
    if (defined !== undefined) {
      present = 0;
      for (let i = 0; i < count; i++) present += defined[i]!;
    }
    const dictionary = encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY';
    if (kind === 'boolean') {
      // PLAIN: one bit per value; RLE: a 4-byte length, then the hybrid encoding of width 1.
      let bits: Uint8Array;
      if (encoding === 'PLAIN') bits = unpackBits(values, present);
      else if (encoding === 'RLE')
        bits = decodeHybrid(values, 4, values.length, 1, present, new Uint8Array(present));
      else throw new UnsupportedPage(encoding);
      for (let i = 0, k = 0; i < count; i++)
        strings![at + i] = defined === undefined || defined[i] ? bits[k++] === 1 : null;
      at += count;
      continue;
    }
    if (!dictionary && encoding !== 'PLAIN') throw new UnsupportedPage(encoding);
    if (dictionary) {
      const width = values[0]!;
      const indices = decodeHybrid(values, 1, values.length, width, present, scratchIndices(present));
      if (numbers !== undefined) {
        const table = dictionaryNumbers!;
        if (defined === undefined) for (let i = 0; i < count; i++) numbers[at + i] = table[indices[i]!]!;
        else
          for (let i = 0, k = 0; i < count; i++)
            numbers[at + i] = defined[i] ? table[indices[k++]!]! : Number.NaN;
      } else {
        const starts = text!.starts;
        if (defined === undefined)
          for (let i = 0; i < count; i++) starts[at + i] = DICTIONARY_VALUE - indices[i]!;
        else
          for (let i = 0, k = 0; i < count; i++)
            starts[at + i] = defined[i] ? DICTIONARY_VALUE - indices[k++]! : NULL_VALUE;
      }
    } else if (numbers !== undefined) readPlainNumbers(values, kind, defined, count, numbers, at);
    else readPlainStrings(values, defined, count, text!, at);
    at += count;
  }
  // Rows the pages did not cover are missing; a NaN read from the file is a missing value, as everywhere.
  if (numbers !== undefined) return numbers.fill(Number.NaN, at, rows);
  if (text !== undefined) {
    text.starts.fill(NULL_VALUE, at, rows);
    return text;
  }
  for (let i = at; i < rows; i++) strings![i] = null;
  return strings!;
}

function readPlainNumbers(
  page: Uint8Array,
  kind: FastKind,
  defined: Uint8Array | undefined,
  count: number,
  out: Float64Array,
  at: number,
): void {
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const size = kind === 'double' || kind === 'int64' ? 8 : 4;
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (defined !== undefined && defined[i] === 0) {
      out[at + i] = Number.NaN;
      continue;
    }
    let value: number;
    if (kind === 'double') value = view.getFloat64(offset, true);
    else if (kind === 'float') value = view.getFloat32(offset, true);
    else if (kind === 'int32') value = view.getInt32(offset, true);
    // hi * 2^32 and lo are exact doubles, so their sum is rounded once: the same as Number(bigint).
    else value = view.getInt32(offset + 4, true) * 4294967296 + view.getUint32(offset, true);
    offset += size;
    out[at + i] = value;
  }
}

/** A PLAIN page of byte arrays: its bytes into `out`, and where each row's value starts and ends there. */
function readPlainStrings(
  page: Uint8Array,
  defined: Uint8Array | undefined,
  count: number,
  out: Utf8Column,
  at: number,
): void {
  const base = out.append(page);
  const { starts, ends } = out;
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (defined !== undefined && defined[i] === 0) {
      starts[at + i] = NULL_VALUE;
      continue;
    }
    if (offset + 4 > page.length) throw new Error('parquet: a byte array runs past the end of its page');
    const length =
      page[offset]! | (page[offset + 1]! << 8) | (page[offset + 2]! << 16) | (page[offset + 3]! << 24);
    offset += 4;
    if (length < 0 || offset + length > page.length)
      throw new Error('parquet: a byte array runs past the end of its page');
    starts[at + i] = base + offset;
    ends[at + i] = base + offset + length;
    offset += length;
  }
}

function unpackBits(bytes: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
  return out;
}

let levelBuffer = new Uint8Array(0);
let indexBuffer = new Int32Array(0);
function scratchLevels(count: number): Uint8Array {
  if (levelBuffer.length < count) levelBuffer = new Uint8Array(Math.max(count, 2 * levelBuffer.length));
  return levelBuffer;
}
function scratchIndices(count: number): Int32Array {
  if (indexBuffer.length < count) indexBuffer = new Int32Array(Math.max(count, 2 * indexBuffer.length));
  return indexBuffer;
}

/**
 * Parquet's RLE / bit-packing hybrid (definition levels, dictionary indices): `count` values of `width`
 * bits from bytes[start, end) into `out`. Bit-packed runs come in groups of eight, least significant bit
 * first; a run past `count` is padding.
 */
export function decodeHybrid<T extends Uint8Array | Int32Array>(
  bytes: Uint8Array,
  start: number,
  end: number,
  width: number,
  count: number,
  out: T,
): T {
  let pos = start;
  let i = 0;
  const byteWidth = (width + 7) >> 3;
  const mask = width >= 32 ? 0xffffffff : (1 << width) - 1;
  while (i < count && pos < end) {
    let header = 0;
    let scale = 1;
    let byte: number;
    do {
      byte = bytes[pos++]!;
      header += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    if (header % 2 === 1) {
      const total = Math.floor(header / 2) * 8;
      const runEnd = pos + (total * width) / 8;
      const take = Math.min(total, count - i);
      if (width <= 24) {
        let buffer = 0;
        let bits = 0;
        for (let k = 0; k < take; k++) {
          while (bits < width) {
            buffer |= bytes[pos++]! << bits;
            bits += 8;
          }
          out[i++] = buffer & mask;
          buffer >>>= width;
          bits -= width;
        }
      } else {
        let buffer = 0;
        let bits = 0;
        for (let k = 0; k < take; k++) {
          while (bits < width) {
            buffer += bytes[pos++]! * 2 ** bits;
            bits += 8;
          }
          out[i++] = buffer % 2 ** width;
          buffer = Math.floor(buffer / 2 ** width);
          bits -= width;
        }
      }
      pos = runEnd;
    } else {
      const run = Math.min(Math.floor(header / 2), count - i);
      let value = 0;
      for (let b = 0; b < byteWidth; b++) value += bytes[pos++]! * 2 ** (8 * b);
      out.fill(value as never, i, i + run);
      i += run;
    }
  }
  if (i < count) throw new Error(`parquet: ${count - i} of ${count} levels or indices missing in a page`);
  return out;
}

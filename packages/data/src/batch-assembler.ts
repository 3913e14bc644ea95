import { UserError } from '@mlops/kit';
import { copyKeyedByData, keyedByData } from '@mlops/kit/keyed-by-data';
import { appendDigits, exactDecimal, inferType, leadingDigits, MISMATCH, NULL_TOKENS } from './cell-codec.ts';
import { isNumericType } from './column.ts';
import type { RecordScanner, RecordView } from './csv-parser.ts';
import {
  FNV_OFFSET,
  FNV_PRIME,
  internerSlots,
  MISSING_CODE,
  SMALL_HASH,
  StringDictionary,
  StringInterner,
} from './string-interner.ts';
import type { Cell, Column, ColumnType, StringCodes, Table, ValueColumn } from './types.ts';
import { decodeUtf8 } from './utf8.ts';

/** Converts one raw value (CSV text or a JSON value) to a column type. */
export type Converter = (raw: never, type: ColumnType) => Cell | typeof MISMATCH;

/**
 * The column names and types of a logical table read from one or more files. The first file fixes them;
 * later files must have the same columns (in any order) and are read with the same types, so every batch
 * of a multi-file read means the same thing.
 */
export class TableSchema {
  columns: string[] | undefined;
  types: ColumnType[] = [];
  /** True where the type came from `columnTypes` rather than inference. */
  forced: boolean[] = [];
  /** Rows the types were inferred from (for messages). */
  sampleRows = 0;

  /** Declared types by column name: a prototype-less copy, so a column named `constructor` is looked up as data. */
  readonly columnTypes: Readonly<Record<string, ColumnType>>;

  /**
   * Per string column, its codes' dictionary: kept here rather than by each file's assembler, so that a
   * code means the same value in every batch of the read (see Table.codes).
   */
  readonly dictionaries: (StringDictionary | undefined)[] = [];

  constructor(
    columnTypes?: Readonly<Record<string, ColumnType>>,
    readonly inferenceRows = INFERENCE_ROWS,
  ) {
    this.columnTypes = copyKeyedByData(columnTypes);
  }

  get typed(): boolean {
    return this.types.length > 0;
  }

  /** Sets the columns from the first file's header; returns the index of each header column in them. */
  bind(file: string, header: readonly string[], where: string): number[] {
    if (this.columns === undefined) {
      this.columns = [...header];
      const unknown = Object.keys(this.columnTypes).filter((name) => !header.includes(name));
      if (unknown.length > 0) {
        throw new UserError(
          `column-types names ${unknown.map((n) => `'${n}'`).join(', ')}, not a column of ${file} (columns: ${header.join(', ')})`,
        );
      }
      return header.map((_, index) => index);
    }
    const columns = this.columns;
    const missing = columns.filter((name) => !header.includes(name));
    const extra = header.filter((name) => !columns.includes(name));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        missing.length > 0 ? `missing ${missing.map((n) => `'${n}'`).join(', ')}` : '',
        extra.length > 0 ? `extra ${extra.map((n) => `'${n}'`).join(', ')}` : '',
      ].filter(Boolean);
      throw new UserError(
        `${file}${where}: columns differ from the first file's (${parts.join('; ')}); all files of one input are read as one table`,
      );
    }
    return header.map((name) => columns.indexOf(name));
  }

  /** Fixes the types from a sample of `rows` rows: a declared type where given, else column j's `inferred(j)`. */
  inferTypes(inferred: (j: number) => ColumnType, rows: number): void {
    const columns = this.columns!;
    this.types = columns.map((name, j) => this.columnTypes[name] ?? inferred(j));
    this.forced = columns.map((name) => this.columnTypes[name] !== undefined);
    this.sampleRows = rows;
  }
}

/** A byte that ends a field, in the record scan's byte classes (see byteClassesFor). */
const FIELD_END = 1;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const ZERO = 0x30;
const POINT = 0x2e;
const MINUS = 0x2d;
const PLUS = 0x2b;

/** Rows column types are inferred from (the first batch is this large even when batches are smaller). */
export const INFERENCE_ROWS = 65_536;

/** Rows a batch's column buffers start with; they double up to the batch size (readTable's one batch). */
const INITIAL_CAPACITY = 65_536;

/**
 * Values all of a batch's fresh column buffers may hold together before any row arrives (32 MB): a table of
 * a few dozen columns starts at INITIAL_CAPACITY rows, a 10,000-column one at a few hundred and grows as rows
 * come, instead of allocating (and zero-filling) 65,536 rows x 10,000 columns for a file of one row.
 */
const INITIAL_VALUES_BUDGET = 4 * 1024 * 1024;

/**
 * Collects rows into columnar batches of `batchSize`: numeric columns straight into Float64Arrays (NaN for
 * missing), string and boolean columns into arrays. Until the schema has types, the first `inferenceRows`
 * raw values (JSON Lines, through `add`) are kept and the types are inferred from them (per-column overrides
 * win); afterwards each value is converted as it arrives. CSV records (`addRecord`, `scanRecords`) come
 * once the types are known (the delimited reader infers them from a first read of the sample). A value that
 * does not fit a forced type is a UserError naming file, line and column; an integer column that meets a
 * fraction widens to number (same storage).
 */
export class BatchAssembler implements RecordScanner {
  /** Raw values (JSON Lines) while the types are being inferred. */
  private raw: unknown[][] = [];
  private rawLines: number[] = [];
  /** Per column: its float64 buffer (numeric types) or its values (string, boolean); the other undefined. */
  private numbers: (Float64Array | undefined)[] = [];
  private values: (ValueColumn | undefined)[] = [];
  /** Per string column: the batch's codes (see Table.codes); undefined for the other types. */
  private codes: (Int32Array | undefined)[] = [];
  /** False once a row of the batch came in by a path that does not code strings (raw values: JSON Lines). */
  private coded = true;
  private capacity = 0;
  private rows = 0;
  private readonly ready: Table[] = [];
  /** Per string column, made on its first value (numeric columns never need one). */
  private readonly interners: (StringInterner | undefined)[];
  private readonly slotsPerInterner: number;
  /** Records taken by the last scanRecords call. */
  scanned = 0;
  /** Field k's column for scanRecords (undefined: the schema's order). */
  private scanOrder: readonly number[] | undefined;
  private byteClasses: Uint8Array | undefined;
  private byteClassesDelimiter = -1;
  /** Fields of the record being scanned that need the general codec, as (field, start, end) triples. */
  private slowFields = new Int32Array(48);
  /** Buffers of batches flushed and not taken, taken and not yet done with, and done with (see recycle). */
  private flushed: BufferSet[] = [];
  private taken: BufferSet[] = [];
  private spare: BufferSet[] = [];

  constructor(
    private readonly file: string,
    private readonly schema: TableSchema,
    private readonly batchSize: number,
    private readonly convert: (raw: unknown, type: ColumnType) => Cell | typeof MISMATCH,
  ) {
    this.interners = schema.columns!.map(() => undefined);
    this.slotsPerInterner = internerSlots(schema.columns!.length);
    if (schema.typed) this.resetTyped();
    else this.raw = schema.columns!.map(() => []);
  }

  /** Column j's dictionary, made on its first string value (or its batch's end), shared by the read's files. */
  private dictionaryFor(j: number): StringDictionary {
    const dictionary = new StringDictionary(NULL_TOKENS, this.slotsPerInterner);
    this.schema.dictionaries[j] = dictionary;
    return dictionary;
  }

  /** Column j's string cache, made once its dictionary is full. */
  private internerFor(j: number): StringInterner {
    const interner = new StringInterner(NULL_TOKENS, this.slotsPerInterner);
    this.interners[j] = interner;
    return interner;
  }

  get width(): number {
    return this.schema.columns!.length;
  }

  /** Adds one row whose values are in the schema's column order (the array may be reused by the caller). */
  add(values: ArrayLike<unknown>, line: number): void {
    const width = values.length;
    if (!this.schema.typed) {
      for (let j = 0; j < width; j++) this.raw[j]!.push(values[j]);
      this.rawLines.push(line);
      if (++this.rows >= this.schema.inferenceRows) {
        this.inferAndConvert();
        if (this.rows >= this.batchSize) this.flush();
      }
      return;
    }
    if (this.rows === this.capacity) this.grow();
    this.coded = false;
    const types = this.schema.types;
    const convert = this.convert;
    const row = this.rows;
    for (let j = 0; j < width; j++) {
      let cell = convert(values[j], types[j]!);
      if (cell === MISMATCH) cell = this.mismatch(j, values[j], line);
      const numbers = this.numbers[j];
      if (numbers !== undefined) numbers[row] = cell === null ? Number.NaN : (cell as number);
      else this.values[j]![row] = cell as string | boolean | null;
    }
    if (++this.rows >= this.batchSize) this.flush();
  }

  /**
   * Adds one CSV record straight from the parser's spans: numbers are parsed in place and short strings
   * interned, so the common row allocates nothing per numeric value. `order[k]` is field k's column. The
   * schema must have its types.
   */
  addRecord(record: RecordView, order: readonly number[] | undefined): void {
    const width = record.count;
    if (this.rows === this.capacity) this.grow();
    const types = this.schema.types;
    const numbers = this.numbers;
    const values = this.values;
    const row = this.rows;
    const bytes = record.bytes;
    const starts = record.starts;
    const ends = record.ends;
    const parsed = record.numbers;
    const interners = this.interners;
    const dictionaries = this.schema.dictionaries;
    const codes = this.codes;
    for (let k = 0; k < width; k++) {
      const j = order === undefined ? k : order[k]!;
      const escaped = record.hasEscaped ? record.escaped[k] : undefined;
      const start = starts[k]!;
      const end = ends[k]!;
      const type = types[j]!;
      const target = numbers[j];
      if (target !== undefined) {
        // Numeric: the parser has read the plain decimal shape; anything else takes the general codec.
        let value = Number.NaN;
        if (escaped === undefined && start !== end) {
          value = parsed[k]!;
          if (Number.isNaN(value) || (type === 'integer' && !Number.isInteger(value)))
            value = this.numberFromText(decodeUtf8(bytes, start, end), j, record.line);
        } else if (escaped !== undefined) value = this.numberFromText(escaped, j, record.line);
        target[row] = value;
      } else if (type === 'string') {
        // The value's code, and its string from the dictionary; once that is full, the cache.
        let cell: string | null = null;
        let code = MISSING_CODE;
        if (escaped !== undefined || start !== end) {
          const dictionary = dictionaries[j] ?? this.dictionaryFor(j);
          code =
            escaped === undefined ? dictionary.codeOf(bytes, start, end) : dictionary.codeOfText(escaped);
          if (code >= 0) cell = dictionary.values[code]!;
          else if (code !== MISSING_CODE) {
            cell =
              escaped === undefined
                ? (interners[j] ?? this.internerFor(j)).intern(bytes, start, end)
                : (this.convertText(escaped, j, record.line) as string | null);
          }
        }
        codes[j]![row] = code;
        values[j]![row] = cell;
      } else {
        let cell: Cell;
        if (escaped !== undefined) cell = this.convertText(escaped, j, record.line);
        else if (start === end) cell = null;
        else cell = this.convertText(decodeUtf8(bytes, start, end), j, record.line);
        values[j]![row] = cell as string | boolean | null;
      }
    }
    if (++this.rows >= this.batchSize) this.flush();
  }

  /** Whether scanRecords can take records now (the types are known); `order` as for addRecord. */
  scansRecords(order: readonly number[] | undefined): boolean {
    this.scanOrder = order;
    return this.schema.typed && this.width > 1;
  }

  /**
   * The parser's fast path (see RecordScanner): reads whole records of `text[start, end)` straight into the
   * batch's columns, each byte visited once: numbers read by the scan that finds the field's end (as the
   * parser does), strings hashed by it for the dictionary; nothing per record in between. Takes unquoted
   * records of the table's width ending in LF, and gives each the same values, codes and errors as
   * addRecord would (a field the plain scan cannot read is converted after its record is known to be whole,
   * in field order, as addRecord does). Returns the position after the records taken (`scanned` of them):
   * the start of one it does not take (a quoted field, a CR, another field count, a record not complete in
   * `text` or longer than `maxRecordBytes`), or the end of a batch.
   */
  scanRecords(
    text: Buffer,
    start: number,
    end: number,
    firstLine: number,
    delimiter: number,
    maxRecordBytes: number,
  ): number {
    this.scanned = 0;
    const width = this.width;
    const order = this.scanOrder;
    // The number scan below takes digits and a point before looking for the field's end.
    if ((delimiter >= ZERO && delimiter <= ZERO + 9) || delimiter === POINT) return start;
    const classes = this.byteClassesFor(delimiter);
    const view = new DataView(text.buffer, text.byteOffset, text.byteLength);
    const dictionaries = this.schema.dictionaries;
    let i = start;
    while (i < end) {
      if (this.rows === this.capacity) this.grow();
      const types = this.schema.types;
      const numbers = this.numbers;
      const values = this.values;
      const codes = this.codes;
      const row = this.rows;
      const recordStart = i;
      let slow = 0;
      for (let k = 0; ; k++) {
        const j = order === undefined ? k : order[k]!;
        const fieldStart = i;
        if (i < end && text[i] === QUOTE) return recordStart;
        const target = numbers[j];
        const type = types[j]!;
        if (target !== undefined) {
          // The parser's plain-decimal read (CsvParser.parse), as runs of digits around one point: a digit
          // costs one range test (the delimiter is not a digit or a point here), the field's end is tested
          // once, after the runs.
          const first = i < end ? text[i]! : 0;
          let negative = false;
          if ((first === MINUS || first === PLUS) && first !== delimiter) {
            negative = first === MINUS;
            i++;
          }
          let mantissa = 0;
          let long = 0;
          let digits = 0;
          let point = -1;
          for (;;) {
            // A word of four bytes at a time while the mantissa stays in int32 (9 digits); the rest (the
            // text's last bytes, a long mantissa) a byte at a time.
            let runEnded = false;
            while (i + 4 <= end) {
              const word = view.getInt32(i, true);
              const run = leadingDigits(word);
              if (run === 0) {
                runEnded = true;
                break;
              }
              if (digits + run > 9) break;
              mantissa = appendDigits(mantissa, word, run);
              digits += run;
              i += run;
              if (run < 4) {
                runEnded = true;
                break;
              }
            }
            while (!runEnded && i < end) {
              const digit = text[i]! - ZERO;
              if (digit < 0 || digit > 9) break;
              if (digits < 9) mantissa = (Math.imul(mantissa, 10) + digit) | 0;
              else long = (digits === 9 ? mantissa : long) * 10 + digit;
              digits++;
              i++;
            }
            if (point !== -1 || i >= end || text[i] !== POINT) break;
            point = i++;
          }
          let plain = true;
          while (i < end && classes[text[i]!] !== FIELD_END) {
            plain = false;
            i++;
          }
          if (i >= end) return recordStart;
          const value = plain
            ? exactDecimal(digits > 9 ? long : mantissa, digits, point === -1 ? 0 : i - point - 1, negative)
            : Number.NaN;
          if (fieldStart !== i && (Number.isNaN(value) || (type === 'integer' && !Number.isInteger(value))))
            slow = this.slowField(slow, k, fieldStart, i);
          else target[row] = value;
        } else if (type === 'string') {
          let hash = FNV_OFFSET;
          while (i < end) {
            const c = text[i]!;
            if (classes[c] === FIELD_END) break;
            hash = Math.imul(hash ^ c, FNV_PRIME);
            i++;
          }
          // Not before the value is whole: a part of it must not enter the dictionary.
          if (i >= end) return recordStart;
          let cell: string | null = null;
          let code = MISSING_CODE;
          if (fieldStart !== i) {
            const dictionary = dictionaries[j] ?? this.dictionaryFor(j);
            code = dictionary.codeOfHashed(text, fieldStart, i, hash & SMALL_HASH);
            if (code >= 0) cell = dictionary.values[code]!;
            else if (code !== MISSING_CODE)
              cell = (this.interners[j] ?? this.internerFor(j)).intern(text, fieldStart, i);
          }
          codes[j]![row] = code;
          values[j]![row] = cell;
        } else {
          while (i < end) {
            const c = text[i]!;
            if (c === delimiter || c === LF || c === CR) break;
            i++;
          }
          if (i >= end) return recordStart;
          if (fieldStart === i) values[j]![row] = null;
          else slow = this.slowField(slow, k, fieldStart, i);
        }
        const c = text[i]!;
        if (c === delimiter) {
          if (k === width - 1) return recordStart;
          i++;
          continue;
        }
        if (c !== LF || k !== width - 1) return recordStart;
        i++;
        break;
      }
      if (i - recordStart > maxRecordBytes) return recordStart;
      const line = firstLine + this.scanned;
      for (let f = 0; f < slow; f += 3) this.convertSlowField(text, f, order, row, line);
      this.scanned++;
      if (++this.rows >= this.batchSize) {
        this.flush();
        return i;
      }
    }
    return i;
  }

  /**
   * Per byte value, FIELD_END for the delimiter and the line ends: one load per byte in the scan instead of
   * three comparisons.
   */
  private byteClassesFor(delimiter: number): Uint8Array {
    if (this.byteClasses === undefined || this.byteClassesDelimiter !== delimiter) {
      const classes = new Uint8Array(256);
      classes[delimiter] = FIELD_END;
      classes[LF] = FIELD_END;
      classes[CR] = FIELD_END;
      this.byteClasses = classes;
      this.byteClassesDelimiter = delimiter;
    }
    return this.byteClasses;
  }

  /** Notes field k's span for the general codec (see scanRecords); returns the new length of the notes. */
  private slowField(at: number, k: number, start: number, end: number): number {
    if (at + 3 > this.slowFields.length) {
      const grown = new Int32Array(this.slowFields.length * 2);
      grown.set(this.slowFields);
      this.slowFields = grown;
    }
    this.slowFields[at] = k;
    this.slowFields[at + 1] = start;
    this.slowFields[at + 2] = end;
    return at + 3;
  }

  /** A noted field through the general codec, into its column (numeric or boolean), as addRecord does. */
  private convertSlowField(
    text: Buffer,
    at: number,
    order: readonly number[] | undefined,
    row: number,
    line: number,
  ): void {
    const k = this.slowFields[at]!;
    const j = order === undefined ? k : order[k]!;
    const raw = decodeUtf8(text, this.slowFields[at + 1]!, this.slowFields[at + 2]!);
    const target = this.numbers[j];
    if (target !== undefined) target[row] = this.numberFromText(raw, j, line);
    else this.values[j]![row] = this.convertText(raw, j, line) as string | boolean | null;
  }

  /** A numeric column's text through the codec: its number, NaN when missing; mismatches as in convertText. */
  private numberFromText(raw: string, j: number, line: number): number {
    const cell = this.convertText(raw, j, line);
    return cell === null ? Number.NaN : (cell as number);
  }

  private convertText(raw: string, j: number, line: number): Cell {
    const cell = this.convert(raw, this.schema.types[j]!);
    return cell === MISMATCH ? this.mismatch(j, raw, line) : cell;
  }

  /** Emits the rows collected so far as a batch (no-op when empty). */
  flush(): void {
    if (!this.schema.typed) this.inferAndConvert();
    if (this.rows === 0) return;
    const columns = this.schema.columns!;
    const rows = this.rows;
    const table: Table = { columns: [...columns], rowCount: rows, data: keyedByData(), types: keyedByData() };
    let codes: Record<string, StringCodes> | undefined;
    columns.forEach((name, j) => {
      const numbers = this.numbers[j];
      let column: Column;
      if (numbers === undefined) {
        column = this.values[j]!;
        if (column.length > rows) column.length = rows;
      } else column = numbers.length === rows ? numbers : numbers.slice(0, rows);
      table.data[name] = column;
      table.types[name] = this.schema.types[j]!;
      const columnCodes = this.codes[j];
      if (this.coded && columnCodes !== undefined) {
        // A dictionary still open now was open for every row of the batch (it never reopens).
        const dictionary = this.schema.dictionaries[j] ?? this.dictionaryFor(j);
        if (!dictionary.closed) {
          codes ??= keyedByData();
          codes[name] = { codes: columnCodes.subarray(0, rows), dictionary: dictionary.values };
        }
      }
    });
    if (codes !== undefined) table.codes = codes;
    this.ready.push(table);
    this.flushed.push({ numbers: this.numbers, codes: this.codes, capacity: this.capacity });
    this.resetTyped();
  }

  /** Batches completed since the last call. */
  take(): Table[] {
    this.taken.push(...this.flushed);
    this.flushed = [];
    return this.ready.splice(0, this.ready.length);
  }

  /**
   * The caller is done with every batch taken so far and keeps none of their columns (transientBatches):
   * their numeric buffers may hold the next batches, instead of fresh ones for each batch (a 2M-row file
   * of eight numeric columns allocated and zero-filled ~125 MB of buffers that lived one batch each).
   */
  recycle(): void {
    this.spare.push(...this.taken);
    this.taken = [];
  }

  /** The starting rows of fresh buffers: INITIAL_CAPACITY, less for very wide tables (INITIAL_VALUES_BUDGET). */
  private initialCapacity(): number {
    // A slot of a value array costs as much as a float64.
    const columns = this.schema.types.length;
    const budget = Math.max(16, Math.floor(INITIAL_VALUES_BUDGET / Math.max(1, columns)));
    return Math.min(this.batchSize, INITIAL_CAPACITY, budget);
  }

  /** Fresh buffers for the next batch (the emitted batch keeps the old ones), or recycled ones. */
  private resetTyped(capacity = this.initialCapacity()): void {
    const types = this.schema.types;
    const spare = this.spare.pop();
    this.capacity = capacity;
    const reuse = spare !== undefined && spare.capacity === capacity;
    this.numbers = reuse
      ? spare.numbers
      : types.map((type) => (isNumericType(type) ? new Float64Array(capacity) : undefined));
    this.codes = reuse
      ? spare.codes
      : types.map((type) => (type === 'string' ? new Int32Array(capacity) : undefined));
    this.coded = true;
    // Sized up front like the numeric buffers (growing by push copied each array a dozen times a batch).
    // (V8 keeps an array made larger than ~100,000 slots as a dictionary: past that they grow as rows come.)
    const slots = Math.min(capacity, INITIAL_CAPACITY);
    this.values = types.map((type) => (isNumericType(type) ? undefined : new Array(slots)));
    this.rows = 0;
  }

  /** Doubles the numeric buffers (a batch larger than its initial capacity gets here). */
  private grow(): void {
    const capacity = Math.min(this.batchSize, Math.max(16, this.capacity * 2));
    this.numbers = this.numbers.map((numbers) => {
      if (numbers === undefined) return undefined;
      const grown = new Float64Array(capacity);
      grown.set(numbers);
      return grown;
    });
    this.codes = this.codes.map((codes) => {
      if (codes === undefined) return undefined;
      const grown = new Int32Array(capacity);
      grown.set(codes);
      return grown;
    });
    this.capacity = capacity;
  }

  private inferAndConvert(): void {
    const schema = this.schema;
    const columns = schema.columns!;
    schema.inferTypes((j) => inferType(this.raw[j]!), this.rows);
    const rows = this.rows;
    const raw = this.raw;
    const lines = this.rawLines;
    this.raw = [];
    this.rawLines = [];
    this.resetTyped(Math.max(rows, this.initialCapacity()));
    this.rows = rows;
    this.coded = false;
    for (let j = 0; j < columns.length; j++) {
      const column = raw[j]!;
      const numbers = this.numbers[j];
      const values = this.values[j];
      for (let r = 0; r < rows; r++) {
        let cell = this.convert(column[r], schema.types[j]!);
        if (cell === MISMATCH) cell = this.mismatch(j, column[r], lines[r]!);
        if (numbers !== undefined) numbers[r] = cell === null ? Number.NaN : (cell as number);
        else values![r] = cell as string | boolean | null;
      }
    }
  }

  private mismatch(j: number, raw: unknown, line: number): Cell {
    const schema = this.schema;
    const type = schema.types[j]!;
    const name = schema.columns![j]!;
    if (type === 'integer' && !schema.forced[j]) {
      const widened = this.convert(raw, 'number');
      if (widened !== MISMATCH) {
        schema.types[j] = 'number';
        return widened;
      }
    }
    const shown =
      typeof raw === 'string' ? `'${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}'` : JSON.stringify(raw);
    const why = schema.forced[j]
      ? `column-types sets '${name}' to ${type}`
      : `'${name}' was inferred as ${type} from the first ${schema.sampleRows} rows; set column-types '${name}:string' to read it as text`;
    const message = `${this.file}: line ${line}, column '${name}': ${shown} is not ${article(type)} ${type} (${why})`;
    throw schema.forced[j] ? new UserError(message) : new InferredTypeMismatch(message, name);
  }
}

/**
 * The numeric and code buffers one batch was assembled in. Only those are reused: a value array that
 * outlived a batch sits in V8's old generation, and every string of the next batch written into it would
 * then survive the young collections and die in the old one (measured: scavenges of 20 ms instead of 2).
 */
interface BufferSet {
  numbers: (Float64Array | undefined)[];
  codes: (Int32Array | undefined)[];
  capacity: number;
}

/**
 * A value that does not fit a type inferred from the first rows. Streamed reads report it (the message
 * says how to force the type); readTable, which promises types that fit every row, reads the column again
 * as text.
 */
export class InferredTypeMismatch extends UserError {
  override name = 'InferredTypeMismatch';
  constructor(
    message: string,
    readonly column: string,
  ) {
    super(message);
  }
}

function article(type: ColumnType): string {
  return type === 'integer' ? 'an' : 'a';
}

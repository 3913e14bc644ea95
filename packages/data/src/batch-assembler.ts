import { UserError } from '@mlops/kit';
import { inferType, MISMATCH, NULL_TOKENS, parseNumberSpan } from './cell-codec.ts';
import type { RecordView } from './csv-parser.ts';
import { StringInterner } from './string-interner.ts';
import type { Cell, ColumnType, Table } from './types.ts';

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

  constructor(
    readonly columnTypes: Record<string, ColumnType> = {},
    readonly inferenceRows = INFERENCE_ROWS,
  ) {}

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
}

/** Rows column types are inferred from (the first batch is this large even when batches are smaller). */
export const INFERENCE_ROWS = 65_536;

/**
 * Collects rows into columnar batches of `batchSize`. Until the schema has types, the first
 * max(batchSize, INFERENCE_ROWS) rows are kept as raw values and the types are inferred from them (per-column overrides win); afterwards each value is
 * converted as it arrives. A value that does not fit a forced type is a UserError naming file, line and
 * column; an integer column that meets a fraction widens to number.
 */
export class BatchAssembler {
  private raw: unknown[][] = [];
  private rawLines: number[] = [];
  private data: Cell[][] = [];
  private rows = 0;
  private readonly ready: Table[] = [];
  private readonly interners: StringInterner[];

  constructor(
    private readonly file: string,
    private readonly schema: TableSchema,
    private readonly batchSize: number,
    private readonly convert: (raw: unknown, type: ColumnType) => Cell | typeof MISMATCH,
  ) {
    this.interners = schema.columns!.map(() => new StringInterner());
    if (schema.typed) this.resetTyped();
    else this.raw = schema.columns!.map(() => []);
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
      if (++this.rows >= Math.max(this.batchSize, this.schema.inferenceRows)) this.flush();
      return;
    }
    const types = this.schema.types;
    const data = this.data;
    const convert = this.convert;
    for (let j = 0; j < width; j++) {
      let cell = convert(values[j], types[j]!);
      if (cell === MISMATCH) cell = this.mismatch(j, values[j], line);
      data[j]!.push(cell);
    }
    if (++this.rows >= this.batchSize) this.flush();
  }

  /**
   * Adds one CSV record straight from the parser's spans: numbers are parsed in place and short strings
   * interned, so the common row allocates nothing per numeric value. `order[k]` is field k's column.
   */
  addRecord(record: RecordView, order: readonly number[] | undefined): void {
    const width = record.count;
    if (!this.schema.typed) {
      const fields = record.fields();
      if (order === undefined) this.add(fields, record.line);
      else {
        const row = new Array<string>(width);
        for (let k = 0; k < width; k++) row[order[k]!] = fields[k]!;
        this.add(row, record.line);
      }
      return;
    }
    const types = this.schema.types;
    const data = this.data;
    const text = record.text;
    const starts = record.starts;
    const ends = record.ends;
    const interners = this.interners;
    for (let k = 0; k < width; k++) {
      const j = order === undefined ? k : order[k]!;
      const escaped = record.hasEscaped ? record.escaped[k] : undefined;
      let cell: Cell;
      if (escaped !== undefined) cell = this.convertText(escaped, j, record.line);
      else {
        const start = starts[k]!;
        const end = ends[k]!;
        const type = types[j]!;
        if (start === end) cell = null;
        else if (type === 'number' || type === 'integer') {
          const value = parseNumberSpan(text, start, end);
          cell =
            !Number.isNaN(value) && (type === 'number' || Number.isInteger(value))
              ? value
              : this.convertText(text.slice(start, end), j, record.line);
        } else if (type === 'string') {
          const value = interners[j]!.intern(text, start, end);
          cell = value.length <= 8 && NULL_TOKENS.has(value) ? null : value;
        } else cell = this.convertText(text.slice(start, end), j, record.line);
      }
      data[j]!.push(cell);
    }
    if (++this.rows >= this.batchSize) this.flush();
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
    const table: Table = { columns: [...columns], rowCount: this.rows, data: {}, types: {} };
    columns.forEach((name, j) => {
      table.data[name] = this.data[j]!;
      table.types[name] = this.schema.types[j]!;
    });
    this.ready.push(table);
    this.resetTyped();
  }

  /** Batches completed since the last call. */
  take(): Table[] {
    return this.ready.splice(0, this.ready.length);
  }

  private resetTyped(): void {
    this.data = this.schema.columns!.map(() => []);
    this.rows = 0;
  }

  private inferAndConvert(): void {
    const schema = this.schema;
    const columns = schema.columns!;
    schema.types = columns.map((name, j) => schema.columnTypes[name] ?? inferType(this.raw[j]!));
    schema.forced = columns.map((name) => schema.columnTypes[name] !== undefined);
    schema.sampleRows = this.rows;
    const rows = this.rows;
    const raw = this.raw;
    const lines = this.rawLines;
    this.raw = [];
    this.rawLines = [];
    this.resetTyped();
    this.rows = rows;
    for (let j = 0; j < columns.length; j++) {
      const column = raw[j]!;
      const out: Cell[] = new Array(rows);
      for (let r = 0; r < rows; r++) {
        let cell = this.convert(column[r], schema.types[j]!);
        if (cell === MISMATCH) cell = this.mismatch(j, column[r], lines[r]!);
        out[r] = cell;
      }
      this.data[j] = out;
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
    throw new UserError(
      `${this.file}: line ${line}, column '${name}': ${shown} is not ${article(type)} ${type} (${why})`,
    );
  }
}

function article(type: ColumnType): string {
  return type === 'integer' ? 'an' : 'a';
}

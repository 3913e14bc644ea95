/** One value of a table: numbers for number / integer / datetime (epoch milliseconds, UTC) columns. */
export type Cell = string | number | boolean | null;

export type ColumnType = 'number' | 'integer' | 'string' | 'boolean' | 'datetime';

export const COLUMN_TYPES: readonly ColumnType[] = ['number', 'integer', 'string', 'boolean', 'datetime'];

/**
 * A number / integer / datetime column: one float64 per row (datetimes as epoch milliseconds, UTC), NaN
 * where the value is missing. NaN means missing, as in pandas: the readers turn every null token ('NA',
 * 'NaN', '', ...), JSON null and Parquet null or NaN into it, so no real value is ever NaN. Stored flat,
 * numbers cost 8 bytes each and nothing for the garbage collector, where an array of cells boxes every
 * number of a column that has a missing value.
 */
export type NumericColumn = Float64Array;

/** A string or boolean column: one value per row, null where missing. */
export type ValueColumn = (string | boolean | null)[];

/**
 * One column of a {@link Table}: a NumericColumn for the numeric types, a ValueColumn otherwise. Tables
 * built by hand (tests, small callers) may also hold numeric columns as cells; consumers read those
 * through `numericValues`.
 */
export type Column = NumericColumn | ValueColumn | Cell[];

/**
 * A columnar slice of rows. A streamed batch and a whole-file table have the same shape, and it is
 * structurally the `Batch` that @mlops/profile's DatasetProfileBuilder.add takes.
 */
export interface Table {
  columns: string[];
  rowCount: number;
  /** Numeric-typed columns are NumericColumns (Float64Array, NaN = missing) when a reader made them. */
  data: Record<string, Column>;
  types: Record<string, ColumnType>;
  /**
   * Optional, beside `data`: string columns as codes into a dictionary the reader keeps for the whole read
   * (the CSV reader, for columns of few distinct values). A consumer that counts values (the profile) counts
   * codes instead of looking each string up again. A column is absent when some row of the batch has no
   * code; `data` always holds every column in full.
   */
  codes?: Record<string, StringCodes>;
}

/**
 * A string column's rows as codes: `codes[row]` is the index of the row's value in `dictionary`, -1 where
 * the value is missing (null in `data`). The dictionary is shared by every batch of one read and only grows
 * (append-only), its values in the order they first appeared in the read; a code never changes meaning.
 */
export interface StringCodes {
  codes: Int32Array;
  dictionary: readonly string[];
}

export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'jsonl';

export interface ReadOptions {
  /** 'auto' (default) decides by extension (.csv, .tsv, .parquet, .jsonl, optionally .gz), then by content. */
  format?: 'auto' | DataFormat;
  /** Forced types per column; a value that does not fit is a UserError naming file, line and column. */
  columnTypes?: Record<string, ColumnType>;
  /**
   * Rows per streamed batch (default 8,192: small batches die young, which keeps the garbage collector's
   * work low). Column types are inferred from the first `inferenceRows` rows before any batch is emitted.
   */
  batchSize?: number;
  /** Rows column types are inferred from (default 65,536; readTable re-reads a column that later differs). */
  inferenceRows?: number;
  /** Field delimiter for delimited text (default ',' for csv, tab for tsv). */
  delimiter?: string;
  /**
   * Longest record (CSV / TSV) or line (JSON Lines) in UTF-8 bytes, default 64 MiB: a longer one is a
   * UserError naming its line, so one huge cell or an unclosed quote cannot hold the job's memory.
   */
  maxRecordBytes?: number;
  /**
   * A CSV / TSV file with a header and no rows yields one batch of its columns and no rows instead of a
   * UserError (validate-data evaluates a suite on it, as Great Expectations does).
   */
  allowEmpty?: boolean;
  /**
   * The caller is done with a batch when it asks for the next, and keeps none of its columns: a reader may
   * then hand out views of buffers it reuses (a Parquet row group's numeric columns) instead of copies.
   */
  transientBatches?: boolean;
}

export const DEFAULT_BATCH_SIZE = 8192;

/**
 * One step of a table read column by column (readColumnParts): a batch of every column (`table`, formats
 * read row by row), the next `rowCount` rows of one column (`column`: a Parquet column chunk, in the
 * batches a row-wise read would have made), `rows`: every column has now been given that many more
 * rows, or `rowsAhead`: the rows of the file about to be read, when its metadata says (Parquet). A
 * column's values are valid until the next step (a view of a reused buffer).
 */
export type TablePart =
  | { table: Table }
  | { column: string; type: ColumnType; values: Column; rowCount: number }
  | { rows: number }
  | { rowsAhead: number };

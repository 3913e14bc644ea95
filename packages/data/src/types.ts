/** One value of a table: numbers for number / integer / datetime (epoch milliseconds, UTC) columns. */
export type Cell = string | number | boolean | null;

export type ColumnType = 'number' | 'integer' | 'string' | 'boolean' | 'datetime';

export const COLUMN_TYPES: readonly ColumnType[] = ['number', 'integer', 'string', 'boolean', 'datetime'];

/**
 * A columnar slice of rows. A streamed batch and a whole-file table have the same shape, and it is
 * structurally the `Batch` that @mlops/profile's DatasetProfileBuilder.add takes.
 */
export interface Table {
  columns: string[];
  rowCount: number;
  data: Record<string, Cell[]>;
  types: Record<string, ColumnType>;
}

export type DataFormat = 'csv' | 'tsv' | 'parquet' | 'jsonl';

export interface ReadOptions {
  /** 'auto' (default) decides by extension (.csv, .tsv, .parquet, .jsonl, optionally .gz), then by content. */
  format?: 'auto' | DataFormat;
  /** Forced types per column; a value that does not fit is a UserError naming file, line and column. */
  columnTypes?: Record<string, ColumnType>;
  /**
   * Rows per streamed batch (default 8,192: small batches die young, which keeps the garbage collector's
   * work low). Column types are inferred from the first max(batchSize, 65,536) rows, which come as the
   * first batch.
   */
  batchSize?: number;
  /** Rows column types are inferred from (default 65,536; readTable infers from every row). */
  inferenceRows?: number;
  /** Field delimiter for delimited text (default ',' for csv, tab for tsv). */
  delimiter?: string;
}

export const DEFAULT_BATCH_SIZE = 8192;

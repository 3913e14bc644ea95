export { BatchAssembler, TableSchema } from './batch-assembler.ts';
export { assertReadableFile, readHead } from './byte-source.ts';
export { inferType, isNullToken, NULL_TOKENS, parseCell, parseDatetime, parseNumber } from './cell-codec.ts';
export { CsvParser } from './csv-parser.ts';
export { detectFormat } from './format.ts';
export { expandGlobs } from './glob.ts';
export { parquetColumnType } from './parquet-reader.ts';
export { concatTables, readBatches, readTable } from './read.ts';
export {
  type Cell,
  COLUMN_TYPES,
  type ColumnType,
  type DataFormat,
  DEFAULT_BATCH_SIZE,
  type ReadOptions,
  type Table,
} from './types.ts';

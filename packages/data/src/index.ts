export { BatchAssembler, InferredTypeMismatch, TableSchema } from './batch-assembler.ts';
export { assertReadableFile, readHead } from './byte-source.ts';
export { inferType, isNullToken, NULL_TOKENS, parseCell, parseDatetime, parseNumber } from './cell-codec.ts';
export { cellAt, isNumericType, numericValues, toCells } from './column.ts';
export { CsvParser, DEFAULT_MAX_RECORD_BYTES } from './csv-parser.ts';
export { detectFormat } from './format.ts';
export { expandGlobs } from './glob.ts';
export { concatTables, readBatches, readColumnParts, readTable } from './read.ts';
export {
  type Cell,
  COLUMN_TYPES,
  type Column,
  type ColumnType,
  type DataFormat,
  DEFAULT_BATCH_SIZE,
  type NumericColumn,
  type ReadOptions,
  type StringCodes,
  type Table,
  type TablePart,
  type ValueColumn,
} from './types.ts';

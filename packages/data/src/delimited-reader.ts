import { UserError } from '@mlops/kit';
import { keyedByData, ownEntry } from '@mlops/kit/keyed-by-data';
import { BatchAssembler, type TableSchema } from './batch-assembler.ts';
import { parseCell, TypeInference } from './cell-codec.ts';
import { CsvParser, type ParsedText } from './csv-parser.ts';
import { ReusedChunks } from './reused-chunks.ts';
import type { ColumnType, Table } from './types.ts';
import { utf8Chunks } from './utf8.ts';

const OTHER_DELIMITERS = [';', '\t', '|', ','];

/**
 * Read size: the parser reads bytes, which live outside V8's heap, so chunks need not stay small as decoded
 * strings must (see byteChunks); 256 KiB rather than 64 KiB is a quarter of the reads (bench/validate-data.md
 * has the figures, and those of the sizes tried since).
 */
const CHUNK_BYTES = 1 << 18;

function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : `'${delimiter}'`;
}

/** How a delimited file is read into batches. */
export interface DelimitedRead {
  delimiter: string;
  /** The read's schema: set by its first file (the types from a sample), bound by the others. */
  schema: TableSchema;
  batchSize: number;
  /** A record longer than this is refused (the parser's default when absent). */
  maxRecordBytes?: number | undefined;
  /** A header without data rows is a table of no rows instead of an error. */
  allowEmpty?: boolean | undefined;
  /** The caller is done with a batch when it asks for the next one: its buffers are used again. */
  transientBatches?: boolean | undefined;
}

/**
 * Streams a CSV / TSV file (optionally gzipped) as typed batches. The first record is the header; blank
 * lines are skipped (as pandas does); every other record must have the header's field count.
 */
export async function* readDelimitedBatches(file: string, read: DelimitedRead): AsyncGenerator<Table> {
  const bytes = new ReusedChunks(file, CHUNK_BYTES);
  yield* readDelimitedChunks(file, utf8Chunks(file, bytes), read, (chunk) => bytes.recycle(chunk));
}

/**
 * readDelimitedBatches over the file's bytes as chunks of valid UTF-8 (see utf8Chunks), which may cut a
 * record anywhere. The first file of a read has no types yet: its first `inferenceRows` rows are parsed for
 * their types alone (sampleTypes), and what was read is then parsed again, typed, from the start: nothing
 * of the sample is kept but its bytes, and it is read into batches by the assembler's record scan, as the
 * rest of the file is, instead of one record view at a time. `recycle` is given each chunk that the typed
 * read is done with (not the sample's), for its buffer to be read into again.
 */
export async function* readDelimitedChunks(
  file: string,
  chunks: AsyncIterable<Buffer>,
  read: DelimitedRead,
  recycle?: (chunk: Buffer) => void,
): AsyncGenerator<Table> {
  const { delimiter, schema, batchSize, maxRecordBytes, allowEmpty = false, transientBatches = false } = read;
  let header: string[] | undefined;
  let order: number[] | undefined;
  let assembler: BatchAssembler | undefined;
  let width = 0;
  let dataRows = 0;
  let firstRow: string[] | undefined;
  const convert = parseCell as (raw: unknown, type: ColumnType) => ReturnType<typeof parseCell>;

  const parser = new CsvParser(
    file,
    delimiter,
    (record) => {
      if (header === undefined) {
        if (record.isBlank()) return; // blank lines before the header
        header = readHeader(file, record.fields(), delimiter);
        width = header.length;
        order = fieldOrder(file, header, schema);
        assembler = new BatchAssembler(file, schema, batchSize, convert);
        return;
      }
      if (record.count !== width) {
        if (record.isBlank()) return;
        throw raggedRow(file, record.line, header, record.fields(), delimiter);
      }
      if (firstRow === undefined) firstRow = record.fields();
      dataRows++;
      assembler!.addRecord(record, order);
      // Once the types are known, the assembler reads the common records from the bytes itself.
      if (parser.scanner === undefined && assembler!.scansRecords(order)) parser.scanner = assembler;
    },
    maxRecordBytes,
  );

  /** Hands on the batches completed so far; recycles their buffers once asked for more. */
  function* completed(): Generator<Table> {
    if (assembler === undefined) return;
    yield* assembler.take();
    // Asked for more: the caller is done with those batches.
    if (transientBatches) assembler.recycle();
  }

  const source = chunks[Symbol.asyncIterator]();
  try {
    if (!schema.typed) {
      // The sample all parsed before a batch is handed on, as when its records were kept.
      parser.parseAgain(await sampleTypes(file, source, read));
      yield* completed();
    }
    for (let next = await source.next(); next.done !== true; next = await source.next()) {
      parser.push(next.value);
      if (recycle !== undefined && !parser.holdsInput) recycle(next.value);
      yield* completed();
    }
  } finally {
    await source.return?.();
  }
  parser.end();
  if (header === undefined) throw new UserError(`${file} is empty (no header, no rows)`);
  if (dataRows === 0) {
    if (!allowEmpty) throw new UserError(`${file} has a header (${header.join(delimiter)}) but no data rows`);
    // The columns and no rows: forced types where given, text otherwise (no value to infer from).
    const types = keyedByData(header.map((name) => [name, ownEntry(schema.columnTypes, name) ?? 'string']));
    yield { columns: header, rowCount: 0, data: keyedByData(header.map((name) => [name, []])), types };
    return;
  }
  if (width === 1) checkSingleColumn(file, header[0]!, firstRow![0]!, delimiter);
  assembler!.flush();
  yield* assembler!.take();
}

/**
 * Parses the first `schema.inferenceRows` data rows from `source` and sets the schema's types from them
 * (none when there is no data row); returns what was read, as the sample's parser parsed it (see
 * CsvParser.parseAgain). The sample's records are checked as the typed read checks them (a header, the
 * header's field count), so a broken one fails here with the message that read would give, and nothing
 * after the sample is looked at: a later record's error comes, in its turn, from the typed read.
 */
async function sampleTypes(
  file: string,
  source: AsyncIterator<Buffer>,
  { delimiter, schema, maxRecordBytes }: DelimitedRead,
): Promise<ParsedText[]> {
  let header: string[] | undefined;
  let order: number[] | undefined;
  let inference: TypeInference[] = [];
  let rows = 0;
  let firstRow: string[] | undefined;
  const sampleRows = schema.inferenceRows;
  const parser = new CsvParser(
    file,
    delimiter,
    (record) => {
      if (header === undefined) {
        if (record.isBlank()) return;
        header = readHeader(file, record.fields(), delimiter);
        order = fieldOrder(file, header, schema);
        inference = header.map(() => new TypeInference());
        return;
      }
      if (record.count !== header.length) {
        if (record.isBlank()) return;
        throw raggedRow(file, record.line, header, record.fields(), delimiter);
      }
      firstRow ??= record.fields();
      for (let k = 0; k < record.count; k++) {
        const column = inference[order === undefined ? k : order[k]!]!;
        const escaped = record.hasEscaped ? record.escaped[k] : undefined;
        if (escaped !== undefined) column.observe(escaped);
        else column.observeField(record.bytes, record.starts[k]!, record.ends[k]!, record.numbers[k]!);
      }
      if (++rows === sampleRows) parser.stop();
    },
    maxRecordBytes,
  );
  parser.parsedTexts = [];
  while (rows < sampleRows) {
    const next = await source.next();
    if (next.done) {
      parser.end();
      // The whole file is the sample: its one-column check comes before its values are converted.
      if (header?.length === 1 && firstRow !== undefined)
        checkSingleColumn(file, header[0]!, firstRow[0]!, delimiter);
      break;
    }
    parser.push(next.value);
  }
  if (rows > 0) schema.inferTypes((j) => inference[j]!.type(), rows);
  return parser.parsedTexts;
}

/** Field k's column in the schema (`order[k]`), or undefined when they are in the schema's order. */
function fieldOrder(file: string, header: string[], schema: TableSchema): number[] | undefined {
  const bound = schema.bind(file, header, '');
  return bound.every((target, index) => target === index) ? undefined : bound;
}

function readHeader(file: string, fields: string[], delimiter: string): string[] {
  const header = fields.map((name, index) => (name.trim() === '' ? `Unnamed: ${index}` : name));
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new UserError(`${file}: line 1: column '${name}' appears twice in the header`);
    seen.add(name);
  }
  if (header.length === 1) {
    // One column whose name holds another delimiter is almost always a file read with the wrong one.
    const other = OTHER_DELIMITERS.find((d) => d !== delimiter && header[0]!.includes(d));
    if (other !== undefined && header[0]!.split(other).length > 1) {
      throw new UserError(
        `${file}: line 1: the header is one column '${header[0]}' split on ${delimiterName(delimiter)}; the delimiter looks like ${delimiterName(other)} (set the 'delimiter' input${other === '\t' ? " or format 'tsv'" : ''})`,
      );
    }
  }
  return header;
}

function checkSingleColumn(file: string, name: string, value: string, delimiter: string): void {
  const other = OTHER_DELIMITERS.find((d) => d !== delimiter && value.includes(d) && name.includes(d));
  if (other !== undefined) {
    throw new UserError(
      `${file}: one column '${name}': the delimiter looks like ${delimiterName(other)}, not ${delimiterName(delimiter)}`,
    );
  }
}

function raggedRow(
  file: string,
  line: number,
  header: string[],
  fields: string[],
  delimiter: string,
): UserError {
  const more = fields.length > header.length;
  const hint = more
    ? `; a value containing ${delimiterName(delimiter)} must be quoted ("a${delimiter}b")`
    : `; the first missing column is '${header[fields.length]}'`;
  return new UserError(
    `${file}: line ${line}: expected ${header.length} fields (as in the header), found ${fields.length}${hint}`,
  );
}

import { jsonErrorOffset, UserError } from '@mlops/kit';
import { BatchAssembler, type TableSchema } from './batch-assembler.ts';
import { byteChunks } from './byte-source.ts';
import { convertJsonValue } from './cell-codec.ts';
import { DEFAULT_MAX_RECORD_BYTES } from './csv-parser.ts';
import type { Table } from './types.ts';
import { utf8Strings } from './utf8.ts';

/**
 * Streams a JSON Lines file (one JSON object per line, optionally gzipped) as typed batches. The columns
 * are the keys met in the first batch in order of appearance, plus the keys named in column-types (which
 * may first appear later); a key missing from a line is null; nested values are kept as their JSON text.
 *
 * A line longer than a chunk is held as its chunks and joined once when its newline arrives (not re-split
 * from its start on every chunk, which made one long line quadratic, issue 20); a line longer than
 * `maxRecordBytes` is a UserError naming it.
 */
export async function* readJsonLinesBatches(
  file: string,
  schema: TableSchema,
  batchSize: number,
  maxRecordBytes = DEFAULT_MAX_RECORD_BYTES,
): AsyncGenerator<Table> {
  let held: string[] = [];
  let heldBytes = 0;
  let line = 0;
  let pending: { value: Record<string, unknown>; line: number }[] = [];
  let assembler: BatchAssembler | undefined;
  let index: Map<string, number> | undefined;
  let row: unknown[] = [];
  let rows = 0;

  const start = () => {
    const keys: string[] = [];
    const seen = new Set<string>();
    for (const { value } of pending) {
      for (const key of Object.keys(value)) {
        if (!seen.has(key)) {
          seen.add(key);
          keys.push(key);
        }
      }
    }
    // A key declared in column-types is a column even when the first rows lack it (it appears later), and
    // a later file's rows may lack any key of the first: JSON Lines records omit what they do not have.
    const known = schema.columns ?? Object.keys(schema.columnTypes);
    for (const key of known) if (!seen.has(key)) keys.push(key);
    const order = schema.bind(file, keys, '');
    index = new Map(keys.map((key, k) => [key, order[k]!]));
    row = new Array(keys.length);
    assembler = new BatchAssembler(file, schema, batchSize, convertJsonValue);
    for (const item of pending) add(item.value, item.line);
    pending = [];
  };

  const add = (value: Record<string, unknown>, at: number) => {
    row.fill(null);
    for (const key in value) {
      const target = index!.get(key);
      if (target === undefined) {
        throw new UserError(
          `${file}: line ${at}: key '${key}' is not among the columns seen in the first ${schema.sampleRows || batchSize} rows (${schema.columns!.join(', ')}); declare it in column-types (e.g. '${key}:number') to read a key that first appears later`,
        );
      }
      row[target] = value[key];
    }
    assembler!.add(row, at);
  };

  const handle = (text: string) => {
    line++;
    const trimmed = text.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      // V8's message quotes the line, which may hold a secret: name the position instead.
      const column = text.length - text.trimStart().length + jsonErrorOffset(trimmed) + 1;
      throw new UserError(`${file}: line ${line}, column ${column}: not valid JSON`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      throw new UserError(`${file}: line ${line}: expected a JSON object per line, got ${kind}`);
    }
    rows++;
    if (assembler === undefined) {
      pending.push({ value: value as Record<string, unknown>, line });
      if (pending.length >= Math.max(batchSize, schema.inferenceRows)) start();
    } else add(value as Record<string, unknown>, line);
  };

  const tooLong = (at: number) =>
    new UserError(`${file}: line ${at} is longer than ${maxRecordBytes} bytes (the max-record-bytes bound)`);
  for await (const text of utf8Strings(file, byteChunks(file))) {
    held.push(text);
    heldBytes += Buffer.byteLength(text);
    if (text.indexOf('\n') === -1) {
      if (heldBytes > maxRecordBytes) throw tooLong(line + 1);
      continue;
    }
    const lines = (held.length === 1 ? text : held.join('')).split('\n');
    const tail = lines.pop()!;
    held = tail === '' ? [] : [tail];
    heldBytes = Buffer.byteLength(tail);
    for (const part of lines) {
      if (part.length > maxRecordBytes) throw tooLong(line + 1);
      handle(part);
    }
    if (assembler !== undefined) yield* assembler.take();
  }
  const carry = held.join('');
  if (carry.length > maxRecordBytes) throw tooLong(line + 1);
  if (carry !== '') handle(carry);
  if (rows === 0) throw new UserError(`${file} is empty (no JSON objects)`);
  if (assembler === undefined) start();
  assembler!.flush();
  yield* assembler!.take();
}

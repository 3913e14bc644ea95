import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchAssembler, TableSchema } from './batch-assembler.ts';
import { parseCell, TypeInference } from './cell-codec.ts';
import { toCells } from './column.ts';
import { CsvParser, RecordView } from './csv-parser.ts';
import { readDelimitedChunks } from './delimited-reader.ts';
import { readBatches } from './read.ts';
import type { ColumnType, Table } from './types.ts';

type Outcome = { tables: unknown[] } | { error: string };

const convert = parseCell as (raw: unknown, type: ColumnType) => ReturnType<typeof parseCell>;
const BATCH_ROWS = 5;

/** `bytes` in pieces cut at `cuts` (any byte, inside a character too). */
function pieces(bytes: Buffer, cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    out.push(bytes.subarray(at, cut));
    at = cut;
  }
  out.push(bytes.subarray(at));
  return out;
}

function outcome(tables: Table[]): Outcome {
  return {
    tables: tables.map((table) => ({
      rows: table.rowCount,
      types: { ...table.types },
      data: table.columns.map((name) => toCells(table.data[name]!)),
      codes: Object.entries(table.codes ?? {}).map(([name, { codes, dictionary }]) => [
        name,
        [...codes],
        dictionary.slice(),
      ]),
    })),
  };
}

/** A ragged record's error, as both reads below name it. */
function raggedLine(message: string): string {
  const match = /line (\d+): expected \d+ fields/.exec(message);
  return match === null ? message : `ragged record at line ${match[1]}`;
}

/**
 * The reader itself (readDelimitedChunks): the sample read for its types, then read again from the start,
 * typed, by the assembler's record scan (and the parser's views for the records the scan leaves).
 */
async function readScanning(
  bytes: Buffer,
  cuts: number[],
  sampleRows: number,
  columnTypes?: Record<string, ColumnType>,
): Promise<Outcome> {
  const schema = new TableSchema(columnTypes, sampleRows);
  async function* chunks(): AsyncGenerator<Buffer> {
    yield* pieces(bytes, cuts);
  }
  const tables: Table[] = [];
  try {
    for await (const table of readDelimitedChunks('t.csv', chunks(), {
      delimiter: ',',
      schema,
      batchSize: BATCH_ROWS,
    }))
      tables.push(table);
  } catch (error) {
    return { error: raggedLine((error as Error).message) };
  }
  return outcome(tables);
}

/**
 * The same read done the plain way: one parse, every record through the parser's views and addRecord; the
 * sample's records kept (copies of their views) until the types are known, then converted.
 */
function readRecordByRecord(
  bytes: Buffer,
  cuts: number[],
  sampleRows: number,
  columnTypes?: Record<string, ColumnType>,
): Outcome {
  const schema = new TableSchema(columnTypes, sampleRows);
  let width = 0;
  let assembler: BatchAssembler | undefined;
  let inference: TypeInference[] = [];
  const kept: RecordView[] = [];
  const typed = () => {
    schema.inferTypes((j) => inference[j]!.type(), kept.length);
    assembler = new BatchAssembler('t.csv', schema, BATCH_ROWS, convert);
    for (const record of kept.splice(0)) assembler.addRecord(record, undefined);
  };
  const tables: Table[] = [];
  try {
    const parser = new CsvParser('t.csv', ',', (record) => {
      if (width === 0) {
        if (record.isBlank()) return;
        width = record.count;
        schema.bind('t.csv', record.fields(), '');
        inference = record.fields().map(() => new TypeInference());
        return;
      }
      if (record.count !== width) {
        if (record.isBlank()) return;
        throw new Error(`ragged record at line ${record.line}`);
      }
      if (assembler !== undefined) {
        assembler.addRecord(record, undefined);
        return;
      }
      const copy = new RecordView();
      copy.bytes = record.bytes;
      copy.line = record.line;
      for (let k = 0; k < width; k++) {
        const escaped = record.hasEscaped ? record.escaped[k] : undefined;
        copy.push(record.starts[k]!, record.ends[k]!, escaped, record.numbers[k]!);
        if (escaped !== undefined) inference[k]!.observe(escaped);
        else inference[k]!.observeField(record.bytes, record.starts[k]!, record.ends[k]!, record.numbers[k]!);
      }
      kept.push(copy);
      if (kept.length === sampleRows) typed();
    });
    for (const piece of pieces(bytes, cuts)) {
      parser.push(piece);
      if (assembler !== undefined) tables.push(...assembler.take());
    }
    parser.end();
    if (assembler === undefined && kept.length > 0) typed();
    assembler?.flush();
    if (assembler !== undefined) tables.push(...assembler.take());
  } catch (error) {
    return { error: (error as Error).message };
  }
  return outcome(tables);
}

const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => x.toFixed(3)),
  fc.integer({ min: -99_999, max: 99_999 }).map(String),
  fc.stringMatching(/^-?[0-9]{8,16}(\.[0-9]{1,3})?$/),
  fc.constantFrom('', 'NA', '-', '1e5', '.5', '+2', '"7.25"', ' 1'),
);
const integerText = fc.oneof(
  fc.integer({ min: -500, max: 500 }).map(String),
  fc.constantFrom('', 'NA', '2.5'),
);
const stringText = fc.oneof(
  fc.constantFrom('a', 'b', 'café', 'NA', '', 'null', 'x"y', '"q,uoted"', '"say ""hi"""', '"two\nlines"'),
  fc.string({ unit: fc.constantFrom('a', 'é', '1', '.', '-', ' '), maxLength: 6 }),
);
const booleanText = fc.constantFrom('true', 'False', '', 'NA');
const row = fc.tuple(numberText, integerText, stringText, booleanText).map((fields) => fields.join(','));

describe('the reader: the sample read for its types, then read again by the record scan', () => {
  it('gives the same batches, codes and errors as one read record by record with the sample kept', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.array(fc.nat(600)),
        fc.integer({ min: 1, max: 12 }),
        async (rows, newline, blankLine, cuts, sampleRows) => {
          const lines = ['num,int,str,bool', ...rows];
          if (blankLine) lines.splice(Math.min(lines.length, 8), 0, '');
          const bytes = Buffer.from(lines.join(newline) + newline, 'utf8');
          expect(await readScanning(bytes, cuts, sampleRows)).toEqual(
            readRecordByRecord(bytes, cuts, sampleRows),
          );
          const forced = { num: 'number', int: 'integer', str: 'string', bool: 'boolean' } as const;
          expect(await readScanning(bytes, cuts, sampleRows, forced)).toEqual(
            readRecordByRecord(bytes, cuts, sampleRows, forced),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves ragged records, a missing last newline and long records to the parser', async () => {
    const head = 'a,b\n1,x\n2,y\n3,z\n4,w\n';
    for (const tail of [
      '5,v\n6\n',
      '5,v\n6,u,t\n',
      '5,v\n6,u',
      '5,v\n\n6,u\n',
      `5,v\n6,${'u'.repeat(100)}\n`,
    ]) {
      const bytes = Buffer.from(head + tail);
      for (const cuts of [[], [head.length + 2], [head.length + 5]])
        for (const sampleRows of [2, 4, 5, 7])
          expect(await readScanning(bytes, cuts, sampleRows)).toEqual(
            readRecordByRecord(bytes, cuts, sampleRows),
          );
    }
  });

  it('reports the first broken record after the sample, not a later one in the same chunk', async () => {
    // Line 4 does not fit the forced type; line 5 is ragged: the sample's parse stops at its last record.
    const bytes = Buffer.from('a,b\n1,x\n2,y\n3.5,z\n4\n');
    const outcome = await readScanning(bytes, [], 2, { a: 'integer' });
    expect(outcome).toEqual({ error: expect.stringMatching(/line 4, column 'a': '3.5' is not an integer/) });
  });

  it('reads a later file whose columns come in another order into the right columns and codes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlops-scan-'));
    const rows = Array.from({ length: 300 }, (_, i) => ({
      n: i * 0.25,
      s: `s${i % 7}`,
      t: i % 3 === 0 ? '' : `t${i}`,
    }));
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    writeFileSync(a, `n,s,t\n${rows.map((r) => `${r.n},${r.s},${r.t}`).join('\n')}\n`);
    writeFileSync(b, `t,n,s\n${rows.map((r) => `${r.t},${r.n},${r.s}`).join('\n')}\n`);
    const seen: { n: unknown[]; s: unknown[]; t: unknown[]; codes: string[] } = {
      n: [],
      s: [],
      t: [],
      codes: [],
    };
    for await (const batch of readBatches([a, b], { batchSize: 64, inferenceRows: 64 })) {
      seen.n.push(...toCells(batch.data['n']!));
      seen.s.push(...toCells(batch.data['s']!));
      seen.t.push(...toCells(batch.data['t']!));
      const { codes, dictionary } = batch.codes!['s']!;
      for (let i = 0; i < batch.rowCount; i++) seen.codes.push(dictionary[codes[i]!]!);
    }
    const expected = [...rows, ...rows];
    expect(seen.n).toEqual(expected.map((r) => r.n));
    expect(seen.s).toEqual(expected.map((r) => r.s));
    expect(seen.codes).toEqual(expected.map((r) => r.s));
    expect(seen.t).toEqual(expected.map((r) => (r.t === '' ? null : r.t)));
  });
});

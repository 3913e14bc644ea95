import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchAssembler, TableSchema } from './batch-assembler.ts';
import { parseCell } from './cell-codec.ts';
import { toCells } from './column.ts';
import { CsvParser } from './csv-parser.ts';
import { readBatches } from './read.ts';
import type { ColumnType, Table } from './types.ts';

type Outcome = { tables: unknown[] } | { error: string };

/**
 * Reads `bytes` (a header, then records) as the delimited reader does, cut into chunks at `cuts`, with the
 * assembler's record scan (`scan`) or with every record through the parser's views and addRecord.
 */
function read(
  bytes: Buffer,
  cuts: number[],
  scan: boolean,
  columnTypes?: Record<string, ColumnType>,
): Outcome {
  const schema = new TableSchema(columnTypes, 4);
  let assembler: BatchAssembler | undefined;
  const convert = parseCell as (raw: unknown, type: ColumnType) => ReturnType<typeof parseCell>;
  const tables: Table[] = [];
  try {
    const parser = new CsvParser('t.csv', ',', (record) => {
      if (assembler === undefined) {
        schema.bind('t.csv', record.fields(), '');
        assembler = new BatchAssembler('t.csv', schema, 5, convert);
        return;
      }
      if (record.isBlank()) return;
      assembler.addRecord(record, undefined);
      if (scan && parser.scanner === undefined && assembler.scansRecords(undefined))
        parser.scanner = assembler;
    });
    let at = 0;
    for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
      if (cut <= at || cut >= bytes.length) continue;
      parser.push(bytes.subarray(at, cut));
      tables.push(...assembler!.take());
      at = cut;
    }
    parser.push(bytes.subarray(at));
    parser.end();
    assembler!.flush();
    tables.push(...assembler!.take());
  } catch (error) {
    return { error: (error as Error).message };
  }
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

describe('the assembler reading records from the bytes (scanRecords)', () => {
  it('gives the same batches, codes and errors as records read one view at a time', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(600)),
        (rows, newline, blankLine, cuts) => {
          const lines = ['num,int,str,bool', ...rows];
          if (blankLine) lines.splice(Math.min(lines.length, 8), 0, '');
          const bytes = Buffer.from(lines.join(newline) + newline, 'utf8');
          expect(read(bytes, cuts, true)).toEqual(read(bytes, cuts, false));
          const forced = { num: 'number', int: 'integer', str: 'string', bool: 'boolean' } as const;
          expect(read(bytes, cuts, true, forced)).toEqual(read(bytes, cuts, false, forced));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves ragged records, a missing last newline and long records to the parser', () => {
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
        expect(read(bytes, cuts, true)).toEqual(read(bytes, cuts, false));
    }
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

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { toCells } from './column.ts';
import { readBatches, readTable } from './read.ts';
import type { Table } from './types.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'mlops-data-'));
function file(name: string, content: string | Uint8Array): string {
  const full = path.join(dir, name);
  writeFileSync(full, content);
  return full;
}

async function collect(files: string[], batchSize: number): Promise<Table[]> {
  const out: Table[] = [];
  for await (const batch of readBatches(files, { batchSize, inferenceRows: batchSize })) out.push(batch);
  return out;
}

async function userError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('readTable (CSV)', () => {
  it('infers types, reads nulls as pandas does, keeps quoted delimiters and newlines', async () => {
    const table = await readTable(
      file(
        'a.csv',
        '\uFEFFid,score,label,flag,when,note\r\n1,0.5,a,true,2024-01-02,"x, y"\r\n2,NA,b,False,2024-01-03T04:05:06,"multi\nline ""q"""\r\n3,1e3,,TRUE,2024-01-04,\r\n',
      ),
    );
    expect(table.columns).toEqual(['id', 'score', 'label', 'flag', 'when', 'note']);
    expect(table.types).toEqual({
      id: 'integer',
      score: 'number',
      label: 'string',
      flag: 'boolean',
      when: 'datetime',
      note: 'string',
    });
    expect(table.rowCount).toBe(3);
    expect(toCells(table.data['score']!)).toEqual([0.5, null, 1000]);
    expect(toCells(table.data['label']!)).toEqual(['a', 'b', null]);
    expect(toCells(table.data['flag']!)).toEqual([true, false, true]);
    expect(toCells(table.data['when']!)).toEqual([
      Date.UTC(2024, 0, 2),
      Date.UTC(2024, 0, 3, 4, 5, 6),
      Date.UTC(2024, 0, 4),
    ]);
    expect(toCells(table.data['note']!)).toEqual(['x, y', 'multi\nline "q"', null]);
  });

  it('parses numbers exactly as Number does', async () => {
    const values = ['0.1', '-2.675', '123456789.123456', '1.7976931348623157e308', '.5', '-0', '+3', '4.'];
    const table = await readTable(file('n.csv', `x\n${values.join('\n')}\n`));
    expect(toCells(table.data['x']!)).toEqual(values.map(Number));
  });

  it('honours a type override and reads gzip by magic bytes, TSV by extension', async () => {
    const gz = file('g.csv.gz', gzipSync('zip,v\n01,1\n02,2\n'));
    const table = await readTable(gz, { columnTypes: { zip: 'string' } });
    expect(toCells(table.data['zip']!)).toEqual(['01', '02']);
    const tsv = await readTable(file('t.tsv', 'a\tb\n1\tx y\n'));
    expect(toCells(tsv.data['b']!)).toEqual(['x y']);
  });

  it('streams records split across chunk boundaries identically', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i},"q${i},\n${i}",${i % 7 === 0 ? '' : i / 4}`);
    const name = file('big.csv', `i,s,f\n${rows.join('\r\n')}\n`);
    const batches = await collect([name], 4096);
    expect(batches.length).toBe(Math.ceil(30_000 / 4096));
    const s = batches.flatMap((b) => toCells(b.data['s']!));
    const f = batches.flatMap((b) => toCells(b.data['f']!));
    expect(s[12_345]).toBe('q12345,\n12345');
    expect(f[12_345]).toBe(12_345 / 4);
    expect(f[7]).toBeNull();
  });

  it('reads the same values while the buffers of its chunks are read into again (multi-byte text, quoted and long records cut by the reads)', async () => {
    // Past the reader's chunk size several times after the type sample; a long record held over chunks.
    const text = (i: number) => (i === 60_000 ? 'é'.repeat(400_000) : i % 3 === 0 ? `"€${i},\n😀"` : `ü${i}`);
    const rows = Array.from({ length: 100_000 }, (_, i) => `${i},${text(i)},${i / 8}`);
    const table = await readTable(file('reused.csv', `i,s,f\n${rows.join('\n')}\n`), { inferenceRows: 100 });
    const expected = Array.from({ length: 100_000 }, (_, i) => text(i).replace(/^"(.*)"$/s, '$1'));
    expect(toCells(table.data['s']!)).toEqual(expected);
    expect(toCells(table.data['f']!)).toEqual(Array.from({ length: 100_000 }, (_, i) => i / 8));
  });

  it('reads several files as one table, columns in any order', async () => {
    const a = file('p1.csv', 'a,b\n1,x\n');
    const b = file('p2.csv', 'b,a\ny,2\n');
    const batches = await collect([a, b], 10);
    expect(batches.map((t) => toCells(t.data['a']!))).toEqual([[1], [2]]);
    expect(batches.map((t) => toCells(t.data['b']!))).toEqual([['x'], ['y']]);
    const c = file('p3.csv', 'a,c\n1,2\n');
    expect(await userError(collect([a, c], 10))).toMatch(/p3\.csv: columns differ .*missing 'b'; extra 'c'/);
  });

  it('widens an inferred integer column to number mid-stream', async () => {
    const batches = await collect([file('w.csv', 'x\n1\n2\n2.5\n')], 2);
    expect(batches[1]!.types['x']).toBe('number');
    expect(toCells(batches[1]!.data['x']!)).toEqual([2.5]);
  });

  it('hands numeric columns over as Float64Array with NaN for missing, others as values', async () => {
    const table = await readTable(file('c.csv', 'n,i,s\n1.5,1,a\nNA,,b\n-2,3,\n'));
    expect(table.data['n']).toBeInstanceOf(Float64Array);
    expect([...(table.data['n'] as Float64Array)]).toEqual([1.5, Number.NaN, -2]);
    expect(table.data['i']).toBeInstanceOf(Float64Array);
    expect(table.types['i']).toBe('integer');
    expect(table.data['s']).toEqual(['a', 'b', null]);
    // Streamed batches too, after the first (inferred) batch and when one batch spans several buffers.
    const rows = Array.from({ length: 70_000 }, (_, i) => (i % 9 === 0 ? '' : String(i)));
    const batches = await collect([file('long.csv', `v\n${rows.join('\n')}\n`)], 30_000);
    expect(batches.every((batch) => batch.data['v'] instanceof Float64Array)).toBe(true);
    const values = batches.flatMap((batch) => toCells(batch.data['v']!));
    expect(values).toEqual(rows.map((text) => (text === '' ? null : Number(text))));
  });

  it('reads a column as text when a value after the inference rows is not a number (readTable)', async () => {
    const rows = Array.from({ length: 70_000 }, (_, i) => `${i},${i === 69_999 ? 'n/a?' : i % 5}`);
    const table = await readTable(file('late.csv', `id,code\n${rows.join('\n')}\n`));
    expect(table.types['code']).toBe('string');
    expect(toCells(table.data['code']!).slice(0, 3)).toEqual(['0', '1', '2']);
    expect(toCells(table.data['code']!).at(-1)).toBe('n/a?');
    expect(table.types['id']).toBe('integer');
    // A stream cannot go back: it names the column and how to read it as text.
    expect(await userError(collect([file('late2.csv', `id,code\n${rows.join('\n')}\n`)], 8192))).toMatch(
      /line 70001, column 'code': 'n\/a\?' is not an integer .*column-types 'code:string'/,
    );
  });
});

describe('bad input', () => {
  it('names a missing file', async () => {
    expect(await userError(readTable(path.join(dir, 'nope.csv')))).toMatch(
      /data file not found: .*nope\.csv/,
    );
  });
  it('empty file and header only', async () => {
    expect(await userError(readTable(file('e.csv', '')))).toMatch(/e\.csv is empty/);
    expect(await userError(readTable(file('h.csv', 'a,b\n')))).toMatch(
      /h\.csv has a header \(a,b\) but no data rows/,
    );
  });
  it('ragged rows name the line and the counts', async () => {
    expect(await userError(readTable(file('r.csv', 'a,b\n1,2\n3,4,5\n')))).toMatch(
      /r\.csv: line 3: expected 2 fields \(as in the header\), found 3/,
    );
    expect(await userError(readTable(file('r2.csv', 'a,b\n"x\ny",2\n3\n')))).toMatch(
      /line 4: .*found 1.*'b'/,
    );
  });
  it('suggests the delimiter', async () => {
    expect(await userError(readTable(file('d.csv', 'a;b;c\n1;2;3\n')))).toMatch(/delimiter looks like ';'/);
    expect(await userError(readTable(file('d.csv.gz', gzipSync('a\tb\n1\t2\n'))))).toMatch(
      /delimiter looks like tab/,
    );
  });
  it('invalid UTF-8 names the line', async () => {
    const bytes = Buffer.concat([
      Buffer.from('a,b\n1,x\n2,'),
      Buffer.from([0xe9, 0x74, 0xe9]),
      Buffer.from('\n'),
    ]);
    expect(await userError(readTable(file('u.csv', bytes)))).toMatch(/u\.csv: line 3 is not valid UTF-8/);
  });
  it('an unclosed quote', async () => {
    expect(await userError(readTable(file('q.csv', 'a,b\n1,"oops\n2,3\n')))).toMatch(
      /line 2: a quoted field is never closed/,
    );
  });
  it('a non-numeric value in a forced number column names line and column', async () => {
    const message = await userError(
      readTable(file('f.csv', 'a,b\n1,2\n3,abc\n'), { columnTypes: { b: 'number' } }),
    );
    expect(message).toMatch(
      /f\.csv: line 3, column 'b': 'abc' is not a number \(column-types sets 'b' to number\)/,
    );
  });
  it('an inferred number column that meets text later says how to override', async () => {
    const message = await userError(collect([file('l.csv', 'a\n1\n2\nabc\n')], 2));
    expect(message).toMatch(/line 4, column 'a': 'abc' is not an integer .*column-types 'a:string'/);
  });
  it('a truncated gzip', async () => {
    const whole = gzipSync(`a\n${'1\n'.repeat(10_000)}`);
    expect(await userError(readTable(file('t.csv.gz', whole.subarray(0, whole.length - 20))))).toMatch(
      /gzip data is corrupt or truncated/,
    );
  });
});

describe('JSON Lines', () => {
  it('reads objects, missing keys as null, nested values as JSON', async () => {
    const table = await readTable(file('j.jsonl', '{"a":1,"b":"x"}\n\n{"a":2.5,"b":"NA","c":{"k":[1]}}\n'));
    expect(toCells(table.data['b']!)).toEqual(['x', 'NA']);
    expect(table.columns).toEqual(['a', 'b', 'c']);
    expect(table.types).toEqual({ a: 'number', b: 'string', c: 'string' });
    expect(toCells(table.data['c']!)).toEqual([null, '{"k":[1]}']);
  });
  it('names a bad line', async () => {
    expect(await userError(readTable(file('bad.jsonl', '{"a":1}\n{"a":\n')))).toMatch(
      /bad\.jsonl: line 2, column 6: not valid JSON$/,
    );
  });

  it('reads a key that first appears after the inference rows when column-types declares it', async () => {
    const lines = Array.from({ length: 70_000 }, (_, i) =>
      JSON.stringify(i < 69_990 ? { id: i } : { id: i, late: i / 2 }),
    );
    const text = `${lines.join('\n')}\n`;
    const stream = async (name: string, options: { columnTypes?: Record<string, 'number'> } = {}) => {
      const batches: Table[] = [];
      for await (const batch of readBatches([file(name, text)], options)) batches.push(batch);
      return batches;
    };
    expect(await userError(stream('late.jsonl'))).toMatch(
      /late\.jsonl: line 69991: key 'late' is not among the columns .* declare it in column-types \(e\.g\. 'late:number'\)/,
    );
    const batches = await stream('late2.jsonl', { columnTypes: { late: 'number' } });
    expect(batches[0]!.columns).toEqual(['id', 'late']);
    const late = batches.flatMap((batch) => toCells(batch.data['late']!));
    expect(late.filter((value) => value !== null)).toHaveLength(10);
    expect(late[69_999]).toBe(69_999 / 2);
    // readTable sees the whole file before fixing the columns.
    expect((await readTable(file('late3.jsonl', text))).columns).toEqual(['id', 'late']);
    // A second file whose rows lack a key of the first reads it as missing.
    const two = await collect([file('p1.jsonl', '{"a":1,"b":2}\n'), file('p2.jsonl', '{"a":3}\n')], 10);
    expect(two.map((batch) => toCells(batch.data['b']!))).toEqual([[2], [null]]);
  });
});

describe('long records (issue 20: linear in the record, bounded)', () => {
  const long = (bytes: number) => 'x'.repeat(bytes);

  it('reads a cell of many chunks, quoted with delimiters, newlines and doubled quotes, and counts lines after it', async () => {
    const cell = `${long(300_000)},\n""${long(300_000)}\r\n${long(100)}`;
    const name = file('long-cell.csv', `a,b\n1,"${cell}"\n2,x\n3\n`);
    expect(await userError(readTable(name))).toMatch(/long-cell\.csv: line 6: expected 2 fields/);
    const table = await readTable(file('long-cell2.csv', `a,b\n1,"${cell}"\n2,${long(200_000)}\n`));
    expect(toCells(table.data['b']!)).toEqual([cell.replaceAll('""', '"'), long(200_000)]);
  });

  it('a quote inside an unquoted long field is text, as in a short one', async () => {
    const value = `5" ${long(200_000)}`;
    const table = await readTable(file('inch.csv', `a,b\n${value},1\n2,3\n`));
    expect(toCells(table.data['a']!)).toEqual([value, '2']);
  });

  it('a small gzip that expands to one huge line stops at max-record-bytes, naming file and line', async () => {
    const bomb = gzipSync(`id,text\n1,${long(8 << 20)}\n`);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const name = file('bomb.csv.gz', bomb);
    expect(await userError(readTable(name, { maxRecordBytes: 1 << 20 }))).toMatch(
      /bomb\.csv\.gz: line 2: one record is longer than 1048576 bytes \(the max-record-bytes bound\)/,
    );
    const lines = file('bomb.jsonl.gz', gzipSync(`{"id":0}\n{"text":"${long(8 << 20)}"}\n`));
    expect(await userError(readTable(lines, { maxRecordBytes: 1 << 20 }))).toMatch(
      /bomb\.jsonl\.gz: line 2 is longer than 1048576 bytes \(the max-record-bytes bound\)/,
    );
  });

  it('an early unbalanced quote stops at the bound instead of reading the rest of the file as one record', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => `${i},value ${i}`).join('\n');
    const name = file('unclosed-early.csv', `a,b\n1,"oops\n${rows}\n`);
    expect(await userError(readTable(name, { maxRecordBytes: 100_000 }))).toMatch(
      /unclosed-early\.csv: line 2: one record is longer than 100000 bytes .* never closed/,
    );
  });

  it('a record within the bound reads (the bound counts UTF-8 bytes of the record)', async () => {
    const value = 'é'.repeat(100_000); // 200,000 bytes
    const name = file('utf8-long.csv', `a\n${value}\n`);
    expect(toCells((await readTable(name, { maxRecordBytes: 300_000 })).data['a']!)).toEqual([value]);
    expect(await userError(readTable(name, { maxRecordBytes: 150_000 }))).toMatch(
      /line 2: one record is longer/,
    );
  });
});

describe('readBatches with transientBatches (CSV)', () => {
  it('hands out the same values while reusing the buffers of batches the caller is done with', async () => {
    const rows = Array.from(
      { length: 40_000 },
      (_, i) => `${i},${(i * 0.37).toFixed(2)},c${i % 7},${i % 11 === 0 ? '' : 'x'}`,
    );
    const csv = file('transient.csv', `id,x,cat,flag\n${rows.join('\n')}\n`);
    const seen = async (transientBatches: boolean) => {
      const out: string[] = [];
      const buffers = new Set<unknown>();
      for await (const batch of readBatches([csv], {
        batchSize: 1000,
        inferenceRows: 1000,
        transientBatches,
      })) {
        buffers.add(batch.data.x);
        for (const name of batch.columns) out.push(JSON.stringify(toCells(batch.data[name]!)));
      }
      return { out, buffers: buffers.size };
    };
    const kept = await seen(false);
    const transient = await seen(true);
    expect(transient.out).toEqual(kept.out);
    expect(kept.buffers).toBe(40);
    expect(transient.buffers).toBeLessThan(40);
  });
});

describe('string codes', () => {
  it('come with streamed batches and not with a whole table', async () => {
    const csv = file(
      'codes.csv',
      `k,x\n${Array.from({ length: 50 }, (_, i) => `c${i % 3},${i}`).join('\n')}\n`,
    );
    const [batch] = await collect([csv], 100);
    expect([...batch!.codes!.k!.codes]).toEqual(Array.from({ length: 50 }, (_, i) => i % 3));
    expect(batch!.codes!.k!.dictionary).toEqual(['c0', 'c1', 'c2']);
    expect((await readTable(csv)).codes).toBeUndefined();
  });
});

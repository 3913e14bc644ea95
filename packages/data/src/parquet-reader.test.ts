import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { UserError } from '@mlops/kit';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { toCells } from './column.ts';
import { cutRowGroup } from './parquet-reader.ts';
import { readBatches, readColumnParts, readTable } from './read.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'mlops-parquet-'));
const n = 1000;
const ids = Array.from({ length: n }, (_, i) => i);
const scores = ids.map((i) => (i % 10 === 0 ? null : i / 8));
const labels = ids.map((i) => (i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : null));
const flags = ids.map((i) => i % 2 === 0);
const when = ids.map((i) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000));

function write(
  name: string,
  codec: 'SNAPPY' | 'GZIP' | 'BROTLI' | 'UNCOMPRESSED',
  rowGroupSize = 300,
): string {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: ids, type: 'INT32' },
      { name: 'score', data: scores, type: 'DOUBLE' },
      { name: 'label', data: labels, type: 'STRING' },
      { name: 'flag', data: flags, type: 'BOOLEAN' },
      { name: 'when', data: when, type: 'TIMESTAMP' },
    ],
    codec,
    compressors: {
      GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)),
      BROTLI: (input: Uint8Array) => new Uint8Array(brotliCompressSync(input)),
    },
    rowGroupSize,
  });
  const file = path.join(dir, name);
  writeFileSync(file, new Uint8Array(buffer));
  return file;
}

// Pages compressed by the codecs' reference tools (zstd CLI, python-lz4): ../fixtures/parquet/generate.mjs.
const fixtures = path.join(__dirname, '../fixtures/parquet');
const fixture = (codec: string) => path.join(fixtures, `${codec.toLowerCase()}.parquet`);

describe('Parquet', () => {
  it('the fixtures use the codecs they are named after', async () => {
    for (const codec of ['ZSTD', 'LZ4_RAW', 'LZ4']) {
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(fixture(codec)));
      const codecs = metadata.row_groups.flatMap((group) => group.columns.map((c) => c.meta_data?.codec));
      expect(new Set(codecs)).toEqual(new Set([codec]));
    }
  });

  it.each(['SNAPPY', 'GZIP', 'BROTLI', 'UNCOMPRESSED', 'ZSTD', 'LZ4_RAW', 'LZ4'] as const)(
    'reads %s row groups with their types and nulls',
    async (codec) => {
      const file =
        codec === 'ZSTD' || codec === 'LZ4_RAW' || codec === 'LZ4'
          ? fixture(codec)
          : write(`t-${codec}.parquet`, codec);
      const table = await readTable(file);
      expect(table.types).toEqual({
        id: 'integer',
        score: 'number',
        label: 'string',
        flag: 'boolean',
        when: 'datetime',
      });
      expect(table.rowCount).toBe(n);
      expect(toCells(table.data['id']!)).toEqual(ids);
      expect(toCells(table.data['score']!)).toEqual(scores);
      expect(toCells(table.data['label']!)).toEqual(labels);
      expect(toCells(table.data['flag']!)).toEqual(flags);
      expect(toCells(table.data['when']!)).toEqual(when.map((d) => d.getTime()));
    },
  );

  it('streams one row group at a time into batches', async () => {
    const file = write('groups.parquet', 'SNAPPY', 100);
    const sizes: number[] = [];
    for await (const batch of readBatches([file], { batchSize: 256 })) sizes.push(batch.rowCount);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(256);
  });

  it('a type override applies (integer read as string)', async () => {
    const table = await readTable(write('o.parquet', 'SNAPPY'), { columnTypes: { id: 'string' } });
    expect(toCells(table.data['id']!).slice(0, 2)).toEqual(['0', '1']);
  });

  it('a truncated file is a UserError naming it', async () => {
    const whole = write('whole.parquet', 'SNAPPY');
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(whole);
    const cut = path.join(dir, 'cut.parquet');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(readTable(cut)).rejects.toThrow(UserError);
    await expect(readTable(cut)).rejects.toThrow(
      /cut\.parquet is not a readable Parquet file; it is truncated or corrupt/,
    );
  });
});

describe('Parquet flat columns (decoded page by page, without hyparquet row assembly)', () => {
  const rows = 2500;
  const ints = Array.from({ length: rows }, (_, i) => ((i * 7919) % 1000) - 500);
  const big = ints.map((i) => BigInt(i) * 3_000_000_000n);
  const doubles = ints.map((i) => (i % 11 === 0 ? null : i / 3));
  const floats = ints.map((i) => i / 4);
  const cats = ints.map((i) => (i % 13 === 0 ? null : `c${Math.abs(i) % 40}`));
  const unique = ints.map((_, i) => (i % 17 === 0 ? null : `id-${i}-é`));
  const bools = ints.map((i) => (i % 5 === 0 ? null : i % 2 === 0));

  function writeFlat(
    name: string,
    codec: 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED',
    encoding?: 'DELTA_BINARY_PACKED',
  ) {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'i32', data: ints, type: 'INT32', nullable: false, ...(encoding ? { encoding } : {}) },
        { name: 'i64', data: big, type: 'INT64' },
        { name: 'f64', data: doubles, type: 'DOUBLE' },
        { name: 'f32', data: floats, type: 'FLOAT' },
        { name: 'cat', data: cats, type: 'STRING' },
        { name: 'uid', data: unique, type: 'STRING' },
        { name: 'flag', data: bools, type: 'BOOLEAN' },
      ],
      codec,
      compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) },
      rowGroupSize: 700,
      pageSize: 2048,
    });
    const file = path.join(dir, name);
    writeFileSync(file, new Uint8Array(buffer));
    return file;
  }

  it.each([
    ['SNAPPY', undefined],
    ['GZIP', undefined],
    ['UNCOMPRESSED', 'DELTA_BINARY_PACKED'],
  ] as const)(
    'reads %s (%s) as hyparquet reads it, in batches of the batch size across row groups',
    async (codec, encoding) => {
      const file = writeFlat(`flat-${codec}.parquet`, codec, encoding);
      const sizes: number[] = [];
      const seen: Record<string, unknown[]> = {};
      // Batches that are views of reused buffers (transientBatches) hold the same values while read.
      const transient: Record<string, unknown[]> = {};
      for await (const batch of readBatches([file], { batchSize: 256, transientBatches: true })) {
        for (const name of batch.columns) {
          transient[name] ??= [];
          transient[name]!.push(...toCells(batch.data[name]!));
        }
      }
      for await (const batch of readBatches([file], { batchSize: 256 })) {
        sizes.push(batch.rowCount);
        for (const name of batch.columns) {
          seen[name] ??= [];
          seen[name]!.push(...toCells(batch.data[name]!));
        }
        expect(batch.data['f64']).toBeInstanceOf(Float64Array);
      }
      expect(sizes.slice(0, -1).every((size) => size === 256)).toBe(true);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(rows);
      expect(seen['i32']).toEqual(ints);
      expect(seen['i64']).toEqual(big.map(Number));
      expect(seen['f64']).toEqual(doubles);
      expect(seen['f32']).toEqual(floats);
      expect(seen['cat']).toEqual(cats);
      expect(seen['uid']).toEqual(unique);
      expect(seen['flag']).toEqual(bools);
      expect(transient).toEqual(seen);
      // hyparquet's general reader, value for value (the outside reference for the page decoding).
      const objects = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
      const expected = (name: string) =>
        objects.map((row) => (typeof row[name] === 'bigint' ? Number(row[name]) : (row[name] ?? null)));
      for (const name of ['i32', 'i64', 'f64', 'f32', 'cat', 'uid', 'flag'])
        expect(seen[name]).toEqual(expected(name));
    },
  );

  it.each([
    [256, 'SNAPPY'],
    [700, 'GZIP'],
    [1000, 'SNAPPY'],
    [4096, 'SNAPPY'],
  ] as const)(
    'column by column (batch size %i, %s): each column in the batches readBatches makes',
    async (batchSize, codec) => {
      const file = writeFlat(`parts-${codec}.parquet`, codec);
      // Per column: the row counts and values of its batches, as readBatches hands them out.
      const expected: Record<string, { sizes: number[]; values: unknown[] }> = {};
      let expectedRows = 0;
      for await (const batch of readBatches([file, file], { batchSize })) {
        expectedRows += batch.rowCount;
        for (const name of batch.columns) {
          expected[name] ??= { sizes: [], values: [] };
          expected[name]!.sizes.push(batch.rowCount);
          expected[name]!.values.push(...toCells(batch.data[name]!));
        }
      }
      const seen: Record<string, { sizes: number[]; values: unknown[] }> = {};
      const order: string[] = [];
      let rows = 0;
      const ahead: number[] = [];
      for await (const part of readColumnParts([file, file], { batchSize })) {
        if ('table' in part) throw new Error('a flat file is read column by column');
        if ('rowsAhead' in part) {
          ahead.push(part.rowsAhead); // each file's row count, before its first column

          continue;
        }
        if ('rows' in part) {
          rows += part.rows;
          // Every column has been given exactly the rows counted so far.
          for (const column of Object.values(seen))
            expect(column.sizes.reduce((a, b) => a + b, 0)).toBe(rows);
          continue;
        }
        if (!order.includes(part.column)) order.push(part.column);
        expect(part.values.length).toBe(part.rowCount);
        seen[part.column] ??= { sizes: [], values: [] };
        seen[part.column]!.sizes.push(part.rowCount);
        seen[part.column]!.values.push(...toCells(part.values));
      }
      expect(order).toEqual(['i32', 'i64', 'f64', 'f32', 'cat', 'uid', 'flag']);
      expect(rows).toBe(expectedRows);
      expect(ahead).toEqual([rows / 2, rows / 2]);
      expect(seen).toEqual(expected);
    },
  );

  it('column by column, a file the flat decoding does not cover comes as whole batches', async () => {
    const file = write('parts-general.parquet', 'SNAPPY');
    let rows = 0;
    for await (const part of readColumnParts([file], { batchSize: 256 })) {
      if ('rowsAhead' in part) continue;
      if (!('table' in part)) throw new Error('expected whole batches');
      rows += part.table.rowCount;
    }
    expect(rows).toBe(n);
  });

  it('cuts a row group into the batches that run across row groups', () => {
    // 700-row groups, batches of 256: 256 + 256, then 188 wait; 68 of the next group fill them.
    expect(cutRowGroup(0, 700, 256)).toEqual({
      fill: 0,
      tailDone: false,
      rest: 512,
      tailRows: 188,
      rowsDone: 512,
    });
    expect(cutRowGroup(188, 700, 256)).toEqual({
      fill: 68,
      tailDone: true,
      rest: 580,
      tailRows: 120,
      rowsDone: 768,
    });
    // A group too small to fill the waiting rows: they all wait.
    expect(cutRowGroup(100, 50, 256)).toEqual({
      fill: 50,
      tailDone: false,
      rest: 50,
      tailRows: 150,
      rowsDone: 0,
    });
    expect(cutRowGroup(0, 512, 256)).toEqual({
      fill: 0,
      tailDone: false,
      rest: 512,
      tailRows: 0,
      rowsDone: 512,
    });
  });

  it('a forced type that needs a conversion takes the general path', async () => {
    const table = await readTable(writeFlat('flat-forced.parquet', 'SNAPPY'), {
      columnTypes: { i32: 'string' },
    });
    expect(toCells(table.data['i32']!).slice(0, 3)).toEqual(ints.slice(0, 3).map(String));
  });

  it('a cut column chunk is a UserError naming the file and row group', async () => {
    const { readFileSync } = await import('node:fs');
    const whole = readFileSync(writeFlat('flat-whole.parquet', 'SNAPPY'));
    const metadata = await parquetMetadataAsync(
      await asyncBufferFromFile(path.join(dir, 'flat-whole.parquet')),
    );
    const chunk = metadata.row_groups[1]!.columns[2]!.meta_data!;
    const at = Number(chunk.data_page_offset) + 30;
    const broken = Buffer.from(whole);
    broken.fill(0xff, at, at + 40);
    const file = path.join(dir, 'flat-broken.parquet');
    writeFileSync(file, broken);
    await expect(readTable(file)).rejects.toThrow(/flat-broken\.parquet: row group 2 of 4 cannot be read/);
  });
});

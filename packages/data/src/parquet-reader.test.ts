import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { UserError } from '@mlops/kit';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { toCells } from './column.ts';
import { readBatches, readTable } from './read.ts';

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

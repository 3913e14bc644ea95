import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { UserError } from '@mlops/kit';
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

describe('Parquet', () => {
  it.each(['SNAPPY', 'GZIP', 'BROTLI', 'UNCOMPRESSED'] as const)(
    'reads %s row groups with their types and nulls',
    async (codec) => {
      const table = await readTable(write(`t-${codec}.parquet`, codec));
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

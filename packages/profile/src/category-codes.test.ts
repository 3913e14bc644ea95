import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readBatches } from '@mlops/data';
import { describe, expect, it } from 'vitest';
import { type Batch, DatasetProfileBuilder, type ProfileOptions } from './index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'mlops-codes-'));

function csv(name: string, header: string, rows: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
  return file;
}

/** The saved profile of the files, from the batches as read (with codes) or with the codes taken away. */
async function profileJson(
  files: string[],
  withCodes: boolean,
  options: ProfileOptions = {},
): Promise<string> {
  const builder = new DatasetProfileBuilder(options);
  let coded = 0;
  for await (const batch of readBatches(files, {
    batchSize: 500,
    inferenceRows: 500,
    transientBatches: true,
  })) {
    coded += Object.keys(batch.codes ?? {}).length;
    const { codes, ...cells } = batch;
    builder.add((withCodes ? batch : cells) as Batch);
  }
  if (withCodes) expect(coded).toBeGreaterThan(0);
  return JSON.stringify(builder.finish());
}

async function expectSameProfile(files: string[], options: ProfileOptions = {}): Promise<void> {
  expect(await profileJson(files, true, options)).toBe(await profileJson(files, false, options));
}

const LEVELS = [
  'b',
  'a',
  '2',
  '10',
  'constructor',
  '__proto__',
  'café',
  '"q,uoted"',
  '"say ""hi"""',
  'NA',
  '',
];

function rows(count: number, seed: number, value: (i: number) => string): string[] {
  return Array.from({ length: count }, (_, i) => `${i},${value(i)},${LEVELS[(i * seed) % LEVELS.length]}`);
}

describe('category counts from the reader codes', () => {
  it('give the same profile as counting the strings: nulls, quoted values, integer-like and prototype names', async () => {
    const file = csv(
      'levels.csv',
      'id,level,other',
      rows(3_000, 7, (i) => LEVELS[(i * i) % LEVELS.length]!),
    );
    await expectSameProfile([file]);
  });

  it('give the same profile when the category limit is passed inside a batch', async () => {
    const file = csv(
      'limit.csv',
      'id,level,other',
      rows(3_000, 3, (i) => `v${i < 1_200 ? i % 4 : i % 40}`),
    );
    await expectSameProfile([file], { categoryLimit: 6 });
    await expectSameProfile([file], { categoryLimit: 39 });
  });

  it('give the same profile when the dictionary fills up mid-read (then the strings are counted)', async () => {
    const file = csv(
      'fills.csv',
      'id,level,other',
      rows(12_000, 5, (i) => (i < 2_000 ? `w${i % 9}` : `u${i}`)),
    );
    await expectSameProfile([file]);
    await expectSameProfile([file], { categoryLimit: 5_000 });
  });

  it('share one dictionary across the files of a read, columns in any order', async () => {
    const a = csv(
      'a.csv',
      'id,level,other',
      rows(1_500, 7, (i) => `x${i % 13}`),
    );
    const b = csv(
      'b.csv',
      'other,id,level',
      Array.from({ length: 1_700 }, (_, i) => `${LEVELS[i % LEVELS.length]},${i},x${(i * 3) % 17}`),
    );
    await expectSameProfile([a, b]);
  });

  it('hand out codes that are the values of the string column', async () => {
    const file = csv(
      'check.csv',
      'id,level,other',
      rows(2_000, 7, (i) => LEVELS[(i * 3) % LEVELS.length]!),
    );
    for await (const batch of readBatches([file], { batchSize: 300, inferenceRows: 300 })) {
      for (const name of ['level', 'other']) {
        const { codes, dictionary } = batch.codes![name]!;
        const cells = batch.data[name]!;
        for (let i = 0; i < batch.rowCount; i++)
          expect(codes[i]! < 0 ? null : dictionary[codes[i]!]).toBe(cells[i]);
      }
    }
  });
});

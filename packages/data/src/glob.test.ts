import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGlobs, segmentRegExp } from './glob.ts';

const root = mkdtempSync(path.join(tmpdir(), 'mlops-glob-'));
for (const file of [
  'a.csv',
  'b.csv',
  'c.tsv',
  '.hidden.csv',
  'sub/d.csv',
  'sub/deep/e.csv',
  'sub/deep/f.parquet',
  'x1.csv',
  'x2.csv',
]) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), 'a\n1\n');
}
const rel = (files: string[]) => files.map((f) => path.relative(root, f));

describe('expandGlobs', () => {
  it('expands *, ?, [..], {a,b} and ** (any depth, including none), sorted and de-duplicated', async () => {
    expect(rel(await expandGlobs(['*.csv'], root))).toEqual(['a.csv', 'b.csv', 'x1.csv', 'x2.csv']);
    expect(rel(await expandGlobs(['x?.csv', '[ab].csv'], root))).toEqual([
      'a.csv',
      'b.csv',
      'x1.csv',
      'x2.csv',
    ]);
    expect(rel(await expandGlobs(['*.{csv,tsv}'], root))).toEqual([
      'a.csv',
      'b.csv',
      'c.tsv',
      'x1.csv',
      'x2.csv',
    ]);
    expect(rel(await expandGlobs(['**/*.csv'], root))).toEqual([
      'a.csv',
      'b.csv',
      'sub/d.csv',
      'sub/deep/e.csv',
      'x1.csv',
      'x2.csv',
    ]);
    expect(rel(await expandGlobs(['sub/**/*.parquet', 'sub/**/*.parquet'], root))).toEqual([
      'sub/deep/f.parquet',
    ]);
    expect(rel(await expandGlobs(['.hidden.csv'], root))).toEqual(['.hidden.csv']);
  });

  it('a plain path must exist; a pattern must match; a directory is refused', async () => {
    await expect(expandGlobs(['nope.csv'], root)).rejects.toThrow(/data file not found: nope\.csv/);
    await expect(expandGlobs(['*.json'], root)).rejects.toThrow(/no file matches '\*\.json'/);
    await expect(expandGlobs(['sub'], root)).rejects.toThrow(/sub is a directory/);
  });

  it('segment patterns escape regex characters and keep dot files hidden', () => {
    expect(segmentRegExp('a+b(1).csv').test('a+b(1).csv')).toBe(true);
    expect(segmentRegExp('*.csv').test('.x.csv')).toBe(false);
    expect(segmentRegExp('[!a]*').test('b')).toBe(true);
    expect(segmentRegExp('[!a]*').test('a')).toBe(false);
  });
});

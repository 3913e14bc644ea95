// detectDrift end to end against the Evidently definitions computed by
// packages/stats/fixtures/drift/generate.py (scipy / numpy / pandas), on generated cases and on
// scikit-learn's bundled real data sets split with real drift.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type Cell,
  type ColumnType,
  type DatasetProfile,
  DatasetProfileBuilder,
  type DriftOptions,
  detectDrift,
} from './index.ts';

function readFixture<T>(name: string): T {
  const url = new URL(`../../stats/fixtures/drift/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

function cell(x: number | string | null, numeric: boolean): Cell {
  if (!numeric || x === null) return x;
  if (x === 'Infinity') return Number.POSITIVE_INFINITY;
  if (x === '-Infinity') return Number.NEGATIVE_INFINITY;
  return x;
}

function profile(
  data: Record<string, Cell[]>,
  types: Record<string, ColumnType>,
  exactLimit?: number,
): DatasetProfile {
  const columns = Object.keys(data);
  const rowCount = data[columns[0]!]!.length;
  const builder = new DatasetProfileBuilder(exactLimit === undefined ? {} : { exactLimit });
  // Two batches, so the streaming path is what is tested.
  const half = Math.floor(rowCount / 2);
  for (const [start, end] of [
    [0, half],
    [half, rowCount],
  ] as const) {
    const slice: Record<string, Cell[]> = {};
    for (const c of columns) slice[c] = data[c]!.slice(start, end);
    builder.add({ columns, rowCount: end - start, data: slice, types });
  }
  return builder.finish();
}

function close(actual: number, expected: number, rtol: number, label: string): void {
  const ok = Math.abs(actual - expected) <= rtol * Math.abs(expected) + 1e-300;
  if (!ok) expect.fail(`${label}: got ${actual}, expected ${expected} (rtol ${rtol})`);
}

const base: DriftOptions = { method: 'auto', driftShare: 0.5, correction: 'none', effectSizeFloor: 0 };

interface MethodCase {
  name: string;
  kind: 'numeric' | 'categorical';
  reference: (number | string | null)[];
  current: (number | string | null)[];
  auto: string;
  expected: Record<string, number | string | null>;
}

describe('detectDrift on exact profiles equals the Evidently definitions', () => {
  const { cases } = readFixture<{ cases: MethodCase[] }>('methods.json');
  for (const c of cases) {
    it(c.name, () => {
      const numeric = c.kind === 'numeric';
      const type: ColumnType = numeric ? 'number' : 'string';
      const ref = profile({ v: c.reference.map((x) => cell(x, numeric)) }, { v: type });
      const cur = profile({ v: c.current.map((x) => cell(x, numeric)) }, { v: type });
      expect(detectDrift(ref, cur, base).columns.v!.method).toBe(c.auto);
      for (const [key, raw] of Object.entries(c.expected)) {
        const expected = raw === 'Infinity' ? Number.POSITIVE_INFINITY : (raw as number);
        const method = (key === 'psi_deciles' ? 'psi' : key) as DriftOptions['method'];
        const psiBins = key === 'psi' ? 'evidently' : 'deciles';
        const result = detectDrift(ref, cur, { ...base, method, psiBins }).columns.v!;
        expect(result.exact).toBe(true);
        close(result.score, expected, 1e-9, `${c.name} ${key}`);
      }
    });
  }
});

interface RealDataset {
  name: string;
  types: Record<string, ColumnType>;
  reference: Record<string, Cell[]>;
  current: Record<string, Cell[]>;
  expected: {
    columns: Record<string, { method: string; score: number; threshold: number; drift: boolean }>;
    share: number;
    detected: boolean;
  };
}

describe('real data (scikit-learn bundled sets) with drift', () => {
  const { datasets } = readFixture<{ datasets: RealDataset[] }>('real.json');
  for (const d of datasets) {
    it(`${d.name}: every column's method, score and verdict, and the dataset verdict`, () => {
      const report = detectDrift(profile(d.reference, d.types), profile(d.current, d.types), base);
      for (const [name, expected] of Object.entries(d.expected.columns)) {
        const got = report.columns[name]!;
        expect(got.method, name).toBe(expected.method);
        close(got.score, expected.score, 1e-9, `${d.name}.${name}`);
        expect(got.threshold).toBe(expected.threshold);
        expect(got.drift, name).toBe(expected.drift);
      }
      close(report.share, d.expected.share, 1e-12, `${d.name} share`);
      expect(report.detected).toBe(d.expected.detected);
    });
  }
});

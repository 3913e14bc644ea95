import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import {
  type Batch,
  type DatasetProfile,
  DatasetProfileBuilder,
  type DriftOptions,
  detectDrift,
} from './index.ts';

function build(batch: Batch): DatasetProfile {
  const b = new DatasetProfileBuilder();
  b.add(batch);
  return b.finish();
}

function table(n: number, shift: number, overrides: Partial<Batch['types']> = {}): Batch {
  const num: number[] = [];
  const cat: string[] = [];
  const when: string[] = [];
  const empty: null[] = [];
  for (let i = 0; i < n; i++) {
    num.push(((i * 7919) % 1000) / 10 + shift * 20);
    cat.push(['a', 'b', 'c'][(i + (shift ? i % 2 : 0)) % 3]!);
    when.push(new Date(Date.UTC(2026, 0, 1) + (i + shift * 1e4) * 3.6e6).toISOString());
    empty.push(null);
  }
  return {
    columns: ['num', 'cat', 'when', 'empty'],
    rowCount: n,
    data: { num, cat, when, empty },
    types: {
      num: 'number',
      cat: 'string',
      when: 'datetime',
      empty: 'number',
      ...overrides,
    } as Batch['types'],
  };
}

const base: DriftOptions = { method: 'auto', driftShare: 0.5, correction: 'none', effectSizeFloor: 0 };
const ref = build(table(400, 0));
const cur = build(table(300, 1));

describe('detectDrift options', () => {
  it('skips datetimes unless listed, and columns without values, saying why', () => {
    const report = detectDrift(ref, cur, base);
    expect(Object.keys(report.columns).sort()).toEqual(['cat', 'num']);
    expect(report.skipped).toEqual([
      { column: 'when', reason: 'datetime columns are compared only when listed in columns' },
      { column: 'empty', reason: 'no non-null values in the reference data' },
    ]);
    const listed = detectDrift(ref, cur, { ...base, columns: ['when'] });
    expect(listed.columns.when).toMatchObject({ method: 'ks', kind: 'numeric', drift: true });
  });

  it('applies per-column methods and thresholds over the global ones', () => {
    const report = detectDrift(ref, cur, {
      ...base,
      method: 'psi',
      perColumn: { num: { method: 'wasserstein', threshold: 0.5 }, cat: { threshold: 0.01 } },
    });
    expect(report.columns.num).toMatchObject({ method: 'wasserstein', threshold: 0.5 });
    expect(report.columns.cat).toMatchObject({ method: 'psi', threshold: 0.01 });
  });

  it('keeps categorical columns on auto under a global numeric-only method, refuses it per column', () => {
    expect(detectDrift(ref, cur, { ...base, method: 'ks' }).columns.cat!.method).toBe('chisquare');
    expect(() => detectDrift(ref, cur, { ...base, perColumn: { cat: { method: 'ks' } } })).toThrow(
      /'ks' needs a numeric column; column 'cat' is string/,
    );
  });

  it('rejects unknown methods and names with a suggestion, and out-of-range settings', () => {
    expect(() => detectDrift(ref, cur, { ...base, method: 'kss' as never })).toThrow(
      /unknown drift method 'kss' \(did you mean 'ks'\?\)/,
    );
    expect(() => detectDrift(ref, cur, { ...base, excludeColumns: ['nmu'] })).toThrow(UserError);
    expect(() => detectDrift(ref, cur, { ...base, driftShare: 0 })).toThrow(/drift share/);
    expect(() => detectDrift(ref, cur, { ...base, effectSizeFloor: 2 })).toThrow(/effect-size floor/);
    expect(() => detectDrift(ref, cur, { ...base, correction: 'bonferroni' as never })).toThrow(
      /none, holm or bh/,
    );
  });

  it('skips a column whose kind changed', () => {
    const changed = build(table(300, 1, { num: 'string' }));
    const report = detectDrift(ref, changed, base);
    expect(report.skipped).toContainEqual({ column: 'num', reason: 'type changed from number to string' });
  });

  it('writes the validate-data contract fields and a chart per column', () => {
    const report = detectDrift(ref, cur, base);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['detected', 'share', 'threshold_share', 'columns']),
    );
    const num = report.columns.num!;
    expect(num.p_value).toBe(num.score);
    expect(num.histogram.edges!.length).toBe(num.histogram.reference.length + 1);
    expect(num.histogram.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(report.columns.cat!.histogram.categories).toEqual(['a', 'b', 'c']);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

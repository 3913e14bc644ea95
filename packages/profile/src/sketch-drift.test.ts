// Drift from sketches (profiles beyond the exact limits) against the exact answer on the same data:
// the documented error bounds of README.md "Drift from sketches".
import { kllRankErrorBound } from '@mlops/stats';
import { describe, expect, it } from 'vitest';
import {
  type Batch,
  type DatasetProfile,
  DatasetProfileBuilder,
  type DriftOptions,
  detectDrift,
  mergeProfiles,
} from './index.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
}

function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
}

function dataset(seed: number, n: number, shift: number): Batch {
  const r = lcg(seed);
  const x: number[] = [];
  const skewed: number[] = [];
  const city: string[] = [];
  const user: string[] = [];
  for (let i = 0; i < n; i++) {
    x.push(normal(r) + shift);
    skewed.push(Math.exp(normal(r) * (1 + shift)));
    city.push(`city${Math.floor(r() ** (1 + shift) * 30)}`);
    user.push(`u${Math.floor(r() * 5000)}`);
  }
  return {
    columns: ['x', 'skewed', 'city', 'user'],
    rowCount: n,
    data: { x, skewed, city, user },
    types: { x: 'number', skewed: 'number', city: 'string', user: 'string' },
  };
}

function build(batch: Batch, options: { exactLimit?: number; categoryLimit?: number } = {}): DatasetProfile {
  const b = new DatasetProfileBuilder(options);
  b.add(batch);
  return b.finish();
}

const base: DriftOptions = { method: 'auto', driftShare: 0.5, correction: 'none', effectSizeFloor: 0 };
const eps = kllRankErrorBound(256);

describe('drift from sketches', () => {
  const refData = dataset(1, 60_000, 0);
  const curData = dataset(2, 50_000, 0.03);
  const exact = [build(refData), build(curData)] as const;
  const sketch = [
    build(refData, { exactLimit: 0, categoryLimit: 0 }),
    build(curData, { exactLimit: 0, categoryLimit: 0 }),
  ] as const;

  it('reports exact: false and keeps the auto method choice', () => {
    const e = detectDrift(exact[0], exact[1], base);
    const s = detectDrift(sketch[0], sketch[1], base);
    expect(e.columns.x!.exact).toBe(true);
    expect(s.columns.x!.exact).toBe(false);
    for (const c of ['x', 'skewed', 'city']) expect(s.columns[c]!.method, c).toBe(e.columns[c]!.method);
  });

  it('KS statistic within 2 ε of the exact one (ε = KLL rank error, 1.05%)', () => {
    const e = detectDrift(exact[0], exact[1], { ...base, method: 'ks' });
    const s = detectDrift(sketch[0], sketch[1], { ...base, method: 'ks' });
    for (const c of ['x', 'skewed']) {
      expect(Math.abs(s.columns[c]!.statistic! - e.columns[c]!.statistic!), c).toBeLessThanOrEqual(2 * eps);
    }
  });

  it('normed Wasserstein within 2 ε · range / std of the exact one', () => {
    const e = detectDrift(exact[0], exact[1], base);
    const s = detectDrift(sketch[0], sketch[1], base);
    for (const c of ['x', 'skewed']) {
      const m = exact[0].columns[c]!.moments!;
      const mc = exact[1].columns[c]!.moments!;
      const range = Math.max(m.max, mc.max) - Math.min(m.min, mc.min);
      const bound = (2 * eps * range) / m.std(0);
      expect(s.columns[c]!.method).toBe('wasserstein');
      expect(Math.abs(s.columns[c]!.score - e.columns[c]!.score), c).toBeLessThanOrEqual(bound);
      // In practice far closer than the worst case (the threshold is 0.1):
      expect(Math.abs(s.columns[c]!.score - e.columns[c]!.score), c).toBeLessThan(0.01);
    }
  });

  it('histogram distances: PSI on deciles within 0.01, JS / Hellinger within their noise floor (0.05)', () => {
    // Bin shares from two independent KLL sketches carry ~ε error per bin; the square-root distances
    // amplify it on near-identical data (README: "Drift from sketches"). Evidently's auto choice never
    // applies them to a continuous column (that is Wasserstein), only to categories and <= 5 values,
    // which stay exact in value_counts / frequent items.
    for (const [method, tolerance] of [
      ['psi', 0.01],
      ['jensenshannon', 0.05],
      ['hellinger', 0.05],
    ] as const) {
      const e = detectDrift(exact[0], exact[1], { ...base, method });
      const s = detectDrift(sketch[0], sketch[1], { ...base, method });
      for (const c of ['x', 'skewed']) {
        expect(Math.abs(s.columns[c]!.score - e.columns[c]!.score), `${method} ${c}`).toBeLessThan(tolerance);
        expect(s.columns[c]!.drift, `${method} ${c}`).toBe(e.columns[c]!.drift);
      }
    }
  });

  it('categories: exact from frequent items while they fit, lumped "(other)" beyond', () => {
    const e = detectDrift(exact[0], exact[1], base);
    const s = detectDrift(sketch[0], sketch[1], base);
    // 30 cities fit in the 1024 frequent-item counters: same counts, same score.
    expect(s.columns.city!.exact).toBe(true);
    expect(s.columns.city!.score).toBeCloseTo(e.columns.city!.score, 12);
    // 5000 user ids do not: the ids beyond the counters are lumped into "(other)" and the score is
    // approximate (and says so).
    expect(s.columns.user!.exact).toBe(false);
    expect(s.columns.user!.method).toBe('jensenshannon');
    expect(s.columns.user!.histogram.categories).toContain('(other)');
    expect(Number.isFinite(s.columns.user!.score)).toBe(true);
  });

  it('shard profiles merge to the whole-data verdicts', () => {
    const shard = (seed: number, shift: number) => build(dataset(seed, 20_000, shift), { exactLimit: 0 });
    const ref = mergeProfiles([shard(11, 0), shard(12, 0), shard(13, 0)]);
    const cur = mergeProfiles([shard(14, 0.5), shard(15, 0.5)]);
    expect(ref.rows).toBe(60_000);
    expect(ref.columns.x!.quantiles!.n).toBe(60_000);
    const report = detectDrift(ref, cur, base);
    expect(report.columns.x!.drift).toBe(true);
    expect(report.columns.skewed!.drift).toBe(true);
    expect(report.detected).toBe(true);
  });
});

describe('multiple comparisons and effect-size floors', () => {
  function manyColumns(seed: number, n: number, columns: number, shift: number): Batch {
    const r = lcg(seed);
    const data: Record<string, number[]> = {};
    const types: Batch['types'] = {};
    for (let c = 0; c < columns; c++) {
      data[`f${c}`] = Array.from({ length: n }, () => normal(r) + (c === 0 ? shift : 0));
      types[`f${c}`] = 'number';
    }
    return { columns: Object.keys(data), rowCount: n, data, types };
  }

  it('Holm and BH adjust p-values across columns; never below the raw ones', () => {
    const ref = build(manyColumns(21, 300, 40, 0));
    const cur = build(manyColumns(22, 300, 40, 0.6));
    const none = detectDrift(ref, cur, base);
    const holm = detectDrift(ref, cur, { ...base, correction: 'holm' });
    const bh = detectDrift(ref, cur, { ...base, correction: 'bh' });
    expect(holm.columns.f0!.drift).toBe(true);
    expect(bh.columns.f0!.drift).toBe(true);
    for (const name of Object.keys(none.columns)) {
      expect(holm.columns[name]!.adjusted_p_value!).toBeGreaterThanOrEqual(none.columns[name]!.score);
      expect(holm.columns[name]!.adjusted_p_value!).toBeGreaterThanOrEqual(
        bh.columns[name]!.adjusted_p_value!,
      );
    }
    expect(holm.number_of_drifted_columns).toBeLessThanOrEqual(none.number_of_drifted_columns);
    expect(holm.number_of_drifted_columns).toBe(1);
  });

  it('an effect-size floor keeps a tiny shift on a big sample from counting as drift', () => {
    const ref = build(manyColumns(31, 9_000, 1, 0));
    const cur = build(manyColumns(32, 9_000, 1, 0.08));
    const plain = detectDrift(ref, cur, { ...base, method: 'ks' });
    expect(plain.columns.f0!.drift).toBe(true);
    expect(plain.columns.f0!.effect_size).toBeLessThan(0.05);
    const floored = detectDrift(ref, cur, { ...base, method: 'ks', effectSizeFloor: 0.05 });
    expect(floored.columns.f0!.drift).toBe(false);
    expect(floored.columns.f0!.p_value).toBe(plain.columns.f0!.p_value);
  });
});

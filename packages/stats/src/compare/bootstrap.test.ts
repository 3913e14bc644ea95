import { describe, expect, it } from 'vitest';
import { StatsError } from '../errors.ts';
import { expectClose, loadFixture } from '../metrics/fixture-testing.ts';
import { rocAucScore } from '../metrics/roc-auc.ts';
import { createRandom } from '../random.ts';
import { aucBootstrapCounts, aucBootstrapInWorker, pairedAucBootstrap } from './auc-bootstrap.ts';
import {
  bcaInterval,
  biasCorrection,
  jackknifeAcceleration,
  percentileInterval,
  percentileOfSorted,
} from './bootstrap-interval.ts';
import { pairedBootstrap } from './paired-bootstrap.ts';

interface Fixture {
  pieces: {
    values: number[];
    estimate: number;
    z0: number;
    jackknife: number[];
    acceleration: number;
    intervals: Record<string, { percentile: [number, number]; bca: [number, number] }>;
  };
  sampled: {
    name: string;
    metric: string;
    task: 'binary' | 'regression';
    y_true: number[];
    scores_a: number[];
    scores_b: number[];
    estimate: number;
    acceleration: number;
    scipy_percentile: { ci: [number, number]; standard_error: number };
    scipy_bca: { ci: [number, number]; standard_error: number };
  }[];
}

const fixture = loadFixture<Fixture>('bootstrap.json');

describe('interval pieces against numpy / scipy (deterministic, 1e-12)', () => {
  const p = fixture.pieces;
  const sorted = Float64Array.from(p.values).sort();
  it('bias correction z0 as scipy', () => expectClose(biasCorrection(sorted, p.estimate), p.z0, 'z0', 1e-12));
  it('jackknife acceleration as scipy', () =>
    expectClose(jackknifeAcceleration(Float64Array.from(p.jackknife)), p.acceleration, 'a', 1e-12));
  for (const [confidence, expected] of Object.entries(p.intervals)) {
    it(`percentile and BCa intervals at ${confidence}`, () => {
      const c = Number(confidence);
      const percentile = percentileInterval(sorted, c);
      expectClose(percentile[0], expected.percentile[0], 'pct lo', 1e-12);
      expectClose(percentile[1], expected.percentile[1], 'pct hi', 1e-12);
      const bca = bcaInterval(sorted, p.estimate, p.acceleration, c).ci;
      expectClose(bca[0], expected.bca[0], 'bca lo', 1e-12);
      expectClose(bca[1], expected.bca[1], 'bca hi', 1e-12);
    });
  }
  it('numpy linear percentile', () => {
    expect(percentileOfSorted(Float64Array.from([1, 2, 3, 4]), 0.5)).toBe(2.5);
    expect(percentileOfSorted(Float64Array.from([1, 2, 3, 4]), 1)).toBe(4);
  });
});

// Monte Carlo tolerance. With B = 4000 the 2.5% quantile of a bootstrap distribution has a standard error
// of ~1.5% of the 95% interval's width; ours and scipy's are independent draws, so endpoints must agree
// within 12% of the width (> 5 standard errors) and standard errors within 8%.
describe('paired bootstrap against scipy.stats.bootstrap(paired) (bootstrap.json)', () => {
  for (const c of fixture.sampled) {
    for (const method of ['percentile', 'bca'] as const) {
      it(`${c.name} ${method}`, () => {
        const scipy = method === 'bca' ? c.scipy_bca : c.scipy_percentile;
        // scipy resamples rows without stratification: compare like with like.
        const metric =
          c.metric === 'roc_auc'
            ? (y: ArrayLike<number>, s: ArrayLike<number>, w: ArrayLike<number> | undefined) =>
                rocAucScore(y, s, { sampleWeight: w })
            : c.metric;
        const r = pairedBootstrap({
          yTrue: c.y_true,
          scoresA: c.scores_a,
          scoresB: c.scores_b,
          metric,
          task: c.task,
          stratify: false,
          nResamples: 4000,
          method,
          seed: 17,
        });
        expectClose(r.difference, c.estimate, 'estimate');
        if (method === 'bca')
          expectClose(r.acceleration!, c.acceleration, 'acceleration (exact jackknife)', 1e-9);
        const width = scipy.ci[1] - scipy.ci[0];
        expect(Math.abs(r.ci[0] - scipy.ci[0])).toBeLessThan(0.12 * width);
        expect(Math.abs(r.ci[1] - scipy.ci[1])).toBeLessThan(0.12 * width);
        expect(Math.abs(r.standardError / scipy.standard_error - 1)).toBeLessThan(0.08);
      });
    }
  }
});

// The Poisson(1) scheme against the same scipy intervals: a different resampling scheme estimating the same
// sampling distribution, so the same Monte Carlo tolerances apply (plus its O(1/n) difference from
// multinomial resampling, far inside them at these sizes).
describe('Poisson AUC bootstrap against scipy.stats.bootstrap(paired) (bootstrap.json)', () => {
  for (const c of fixture.sampled.filter((sampled) => sampled.metric === 'roc_auc')) {
    for (const method of ['percentile', 'bca'] as const) {
      it(`${c.name} ${method}`, () => {
        const scipy = method === 'bca' ? c.scipy_bca : c.scipy_percentile;
        const r = pairedAucBootstrap(c.y_true, c.scores_a, c.scores_b, {
          resamples: 4000,
          seed: 17,
          confidence: 0.95,
          method,
          scheme: 'poisson',
        });
        expect(r.scheme).toBe('poisson');
        expectClose(r.difference, c.estimate, 'estimate');
        const width = scipy.ci[1] - scipy.ci[0];
        expect(Math.abs(r.ci[0] - scipy.ci[0])).toBeLessThan(0.12 * width);
        expect(Math.abs(r.ci[1] - scipy.ci[1])).toBeLessThan(0.12 * width);
        let mean = 0;
        for (const d of r.distribution) mean += d;
        mean /= r.distribution.length;
        let ss = 0;
        for (const d of r.distribution) ss += (d - mean) ** 2;
        const standardError = Math.sqrt(ss / (r.distribution.length - 1));
        expect(Math.abs(standardError / scipy.standard_error - 1)).toBeLessThan(0.08);
      });
    }
  }
});

describe('fast AUC path (sort once, O(n) per resample)', () => {
  const c = fixture.sampled.find((s) => s.metric === 'roc_auc')!;
  const base = { yTrue: c.y_true, scoresA: c.scores_a, scoresB: c.scores_b, nResamples: 3000, seed: 5 };
  it('is the engine for roc_auc and agrees with the generic stratified bootstrap', () => {
    const fast = pairedBootstrap({ ...base, metric: 'roc_auc' });
    const generic = pairedBootstrap({
      ...base,
      metric: (y, s, w) => rocAucScore(y, s, { sampleWeight: w }),
      stratify: true,
    });
    expect(fast.engine).toBe('fast-auc');
    expect(generic.engine).toBe('generic');
    expect(fast.stratified).toBe(true);
    expectClose(fast.difference, c.estimate, 'estimate');
    // The O(n) DeLong-placement jackknife equals the n-fold delete-one jackknife exactly.
    expectClose(fast.acceleration!, generic.acceleration!, 'acceleration', 1e-9);
    expectClose(fast.acceleration!, c.acceleration, 'acceleration vs scipy jackknife', 1e-9);
    const width = generic.ci[1] - generic.ci[0];
    expect(Math.abs(fast.ci[0] - generic.ci[0])).toBeLessThan(0.12 * width);
    expect(Math.abs(fast.ci[1] - generic.ci[1])).toBeLessThan(0.12 * width);
  });
  it('each resample equals roc_auc on the drawn rows (counts as weights), stratified by class', () => {
    // Raw scores (no ties: the tie-free pass) and scores rounded to one decimal (many ties within and
    // across classes: the tie-group pass).
    const round = (v: number) => Math.round(v * 10) / 10;
    const m = c.y_true.filter((y) => y === 1).length;
    for (const [a, b] of [
      [c.scores_a, c.scores_b],
      [c.scores_a.map(round), c.scores_b.map(round)],
    ] as const) {
      const result = pairedAucBootstrap(c.y_true, a, b, {
        resamples: 5,
        seed: 1,
        confidence: 0.95,
        method: 'percentile',
      });
      expectClose(result.aucA, rocAucScore(c.y_true, a), 'full auc a', 1e-15);
      expectClose(result.aucB, rocAucScore(c.y_true, b), 'full auc b', 1e-15);
      for (let r = 0; r < 5; r++) {
        const counts = aucBootstrapCounts(c.y_true, a, b, 1, r);
        let positives = 0;
        let total = 0;
        c.y_true.forEach((y, i) => {
          positives += y * counts[i]!;
          total += counts[i]!;
        });
        expect(positives).toBe(m);
        expect(total).toBe(c.y_true.length);
        const expected =
          rocAucScore(c.y_true, a, { sampleWeight: counts }) -
          rocAucScore(c.y_true, b, { sampleWeight: counts });
        expectClose(result.distribution[r]!, expected, `resample ${r}`, 1e-12, 1e-15);
      }
    }
  });
  it('draws exact multinomial counts per class', () => {
    // 3 positives, 4 negatives: a positive's count is Binomial(3, 1/3), a negative's Binomial(4, 1/4).
    const labels = [1, 0, 1, 0, 1, 0, 0];
    const a = [0.9, 0.1, 0.8, 0.3, 0.2, 0.5, 0.4];
    const b = [0.7, 0.2, 0.9, 0.1, 0.3, 0.6, 0.5];
    const draws = 40000;
    const positiveHistogram = [0, 0, 0, 0];
    const negativeHistogram = [0, 0, 0, 0, 0];
    for (let r = 0; r < draws; r++) {
      const counts = aucBootstrapCounts(labels, a, b, 123, r);
      positiveHistogram[counts[0]!]!++;
      negativeHistogram[counts[1]!]!++;
      expect(counts[0]! + counts[2]! + counts[4]!).toBe(3);
      expect(counts[1]! + counts[3]! + counts[5]! + counts[6]!).toBe(4);
    }
    const binomial = (k: number, size: number, p: number): number => {
      let c = 1;
      for (let i = 0; i < k; i++) c = (c * (size - i)) / (i + 1);
      return c * p ** k * (1 - p) ** (size - k);
    };
    const chiSquare = (histogram: number[], size: number): number =>
      histogram.reduce((sum, observed, k) => {
        const expected = draws * binomial(k, size, 1 / size);
        return sum + (observed - expected) ** 2 / expected;
      }, 0);
    // 99.99th percentiles of chi-square with 3 and 4 degrees of freedom: 21.1 and 23.5.
    expect(chiSquare(positiveHistogram, 3)).toBeLessThan(21.1);
    expect(chiSquare(negativeHistogram, 4)).toBeLessThan(23.5);
  });
  it('gives identical resamples on one thread and on two (one seeded stream per resample)', () => {
    const random = createRandom(3);
    const n = 3000;
    const y = Array.from({ length: n }, () => (random.nextDouble() < 0.35 ? 1 : 0));
    const a = y.map((v) => v + random.nextDouble() * 1.5);
    // Model B with ties, model A without: both passes run in the worker.
    const b = a.map((v) => Math.round((v + random.nextDouble() * 0.8) * 8) / 8);
    const options = { resamples: 64, seed: 9, confidence: 0.95, method: 'bca' as const, parallelAbove: 0 };
    const one = pairedAucBootstrap(y, a, b, { ...options, threads: 1 });
    const two = pairedAucBootstrap(y, a, b, { ...options, threads: 2 });
    expect(one.threads).toBe(1);
    // On a job this small the calling thread may claim every resample before the worker has started, so
    // a run made entirely by a worker is checked too.
    expect(two.threads).toBe(2);
    expect(Array.from(two.distribution)).toEqual(Array.from(one.distribution));
    const inWorker = aucBootstrapInWorker(y, a, b, 9, 64);
    expect(inWorker.madeByCaller).toBe(0);
    expect(Array.from(inWorker.distribution)).toEqual(Array.from(one.distribution));
    expect(two.ci).toEqual(one.ci);
    const swapped = pairedAucBootstrap(y, b, a, { ...options, threads: 2 });
    expect(Array.from(swapped.distribution)).toEqual(
      Array.from(pairedAucBootstrap(y, b, a, { ...options, threads: 1 }).distribution),
    );
    // Through pairedBootstrap as well.
    const viaGeneric = pairedBootstrap({
      yTrue: y,
      scoresA: a,
      scoresB: b,
      metric: 'roc_auc',
      nResamples: 64,
      seed: 9,
      threads: 2,
    });
    expect(Array.from(viaGeneric.distribution)).toEqual(Array.from(one.distribution));
  });
  it('validates its inputs', () => {
    const options = { resamples: 10, seed: 1, confidence: 0.95, method: 'percentile' as const };
    expect(() => pairedAucBootstrap([0, 1, 0, 1], [0.1, 0.2, 0.3], [0.1, 0.2, 0.3, 0.4], options)).toThrow(
      /length mismatch/,
    );
    expect(() => pairedAucBootstrap([0, 2, 0, 1], [1, 2, 3, 4], [1, 2, 3, 4], options)).toThrow(StatsError);
    expect(() =>
      pairedAucBootstrap([0, 1, 0, 1], [1, 2, 3, 4], [1, 2, 3, 4], { ...options, threads: 0 }),
    ).toThrow(/threads/);
    expect(() => pairedAucBootstrap([0, 1, 0, 0], [1, 2, 3, 4], [1, 2, 3, 4], options)).toThrow(
      /at least 2 positives/,
    );
  });
  it('is reproducible by seed and changes with it', () => {
    const a = pairedBootstrap({ ...base, metric: 'roc_auc', nResamples: 200 });
    const b = pairedBootstrap({ ...base, metric: 'roc_auc', nResamples: 200 });
    const other = pairedBootstrap({ ...base, metric: 'roc_auc', nResamples: 200, seed: 6 });
    expect(Array.from(a.distribution)).toEqual(Array.from(b.distribution));
    expect(a.ci).toEqual(b.ci);
    expect(Array.from(other.distribution)).not.toEqual(Array.from(a.distribution));
  });
  it('gives a zero-width interval for identical models', () => {
    const r = pairedBootstrap({ ...base, scoresB: c.scores_a, metric: 'roc_auc', nResamples: 100 });
    expect(r.ci).toEqual([0, 0]);
    expect(r.acceleration).toBe(0);
  });
});

describe('doc-comment examples', () => {
  const yTrue = [0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1];
  const scoresA = [0.1, 0.8, 0.3, 0.7, 0.6, 0.2, 0.9, 0.4, 0.65, 0.35, 0.5, 0.45];
  const scoresB = [0.2, 0.6, 0.4, 0.5, 0.7, 0.3, 0.8, 0.45, 0.1, 0.5, 0.55, 0.6];
  it('pairedBootstrap', () => {
    const r = pairedBootstrap({ yTrue, scoresA, scoresB, metric: 'roc_auc', seed: 1 });
    expect(r.engine).toBe('fast-auc');
    expectClose(r.difference, -0.11111111111111105, 'd', 1e-12);
    expectClose(r.ci[0], -0.4444444444444444, 'lo', 1e-12);
    expectClose(r.ci[1], 0.05555555555555558, 'hi', 1e-12);
  });
  it('pairedAucBootstrap (the same resamples as pairedBootstrap with that seed)', () => {
    const r = pairedAucBootstrap(yTrue, scoresA, scoresB, {
      resamples: 2000,
      seed: 1,
      confidence: 0.95,
      method: 'bca',
    });
    expectClose(r.difference, -0.11111111111111105, 'd', 1e-12);
    expect(r.ci).toEqual([-0.4444444444444444, 0.05555555555555558]);
    expect(r.threads).toBe(1);
  });
});

describe('generic path details', () => {
  it('counts resamples where the metric is undefined instead of failing', () => {
    // 2 positives in 40 rows: unstratified resamples often draw no positive at all.
    const random = createRandom(9);
    const y = Array.from({ length: 40 }, (_, i) => (i < 2 ? 1 : 0));
    const a = y.map((v) => v + random.nextDouble());
    const b = y.map((v) => v * 0.5 + random.nextDouble());
    const r = pairedBootstrap({
      yTrue: y,
      scoresA: a,
      scoresB: b,
      metric: 'average_precision',
      stratify: false,
      nResamples: 300,
      method: 'percentile',
    });
    expect(r.nonFinite).toBeGreaterThan(0);
    expect(r.distribution.length + r.nonFinite).toBe(300);
  });
  it('takes one metric function per model: each reads its own inputs, on the same draws', () => {
    const c = fixture.sampled.find((s) => s.metric === 'roc_auc')!;
    const auc = (scores: number[]) => (y: ArrayLike<number>, _s: ArrayLike<number>, w?: ArrayLike<number>) =>
      rocAucScore(y, scores, { sampleWeight: w });
    const base = { yTrue: c.y_true, nResamples: 300, seed: 9, stratify: true, method: 'percentile' as const };
    // Both functions ignore the score arrays they are handed and read their own model's scores: the result
    // must equal the single-function bootstrap on the real arrays, draw for draw.
    const perModel = pairedBootstrap({
      ...base,
      scoresA: c.scores_a,
      scoresB: c.scores_a,
      metric: { name: 'roc_auc', a: auc(c.scores_a), b: auc(c.scores_b) },
    });
    const single = pairedBootstrap({
      ...base,
      scoresA: c.scores_a,
      scoresB: c.scores_b,
      metric: (y, s, w) => rocAucScore(y, s, { sampleWeight: w }),
    });
    expect(perModel.metric).toBe('roc_auc');
    expect(perModel.estimateB).toBe(single.estimateB);
    expect(Array.from(perModel.distribution)).toEqual(Array.from(single.distribution));
    expect(perModel.ci).toEqual(single.ci);
    // A constant 0 for model B bootstraps model A's metric alone.
    const alone = pairedBootstrap({
      ...base,
      scoresA: c.scores_a,
      scoresB: c.scores_a,
      metric: { a: auc(c.scores_a), b: () => 0 },
    });
    expect(alone.difference).toBe(single.estimateA);
    expect(alone.ci[0]).toBeLessThan(single.estimateA);
    expect(alone.ci[1]).toBeGreaterThan(single.estimateA);
  });
  it('validates its options', () => {
    const y = [0, 1, 0, 1];
    const s = [0.1, 0.9, 0.2, 0.8];
    expect(() => pairedBootstrap({ yTrue: y, scoresA: s, scoresB: s.slice(1), metric: 'roc_auc' })).toThrow(
      /length mismatch/,
    );
    expect(() => pairedBootstrap({ yTrue: y, scoresA: s, scoresB: s, metric: 'roc_acu' })).toThrow(
      /did you mean 'roc_auc'/,
    );
    expect(() =>
      pairedBootstrap({ yTrue: y, scoresA: s, scoresB: s, metric: 'roc_auc', confidence: 95 }),
    ).toThrow(StatsError);
    expect(() =>
      pairedBootstrap({ yTrue: y, scoresA: s, scoresB: s, metric: 'roc_auc', nResamples: 1 }),
    ).toThrow(/nResamples/);
    expect(() =>
      pairedBootstrap({
        yTrue: [1, 1, 0],
        scoresA: [0.1, 0.2, 0.3],
        scoresB: [0.1, 0.2, 0.3],
        metric: 'roc_auc',
      }),
    ).toThrow(/at least 2 positives and 2 negatives/);
  });
});

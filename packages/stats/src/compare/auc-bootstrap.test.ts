import { describe, expect, it } from 'vitest';
import { argsortAscending } from '../metrics/argsort.ts';
import { expectClose } from '../metrics/fixture-testing.ts';
import { rocAucScore } from '../metrics/roc-auc.ts';
import { createRandom } from '../random.ts';
import {
  type AucBootstrapScheme,
  aucBootstrapCounts,
  aucBootstrapInWorker,
  POISSON_AUTO_MIN_CLASS,
  pairedAucBootstrap,
  startPairedAucBootstrap,
} from './auc-bootstrap.ts';

/** Each resample of pairedAucBootstrap against roc_auc_score with the resample's counts as weights. */
function expectResamplesExact(
  labels: number[],
  a: number[],
  b: number[],
  seed: number,
  resamples: number,
  scheme: AucBootstrapScheme = 'multinomial',
): void {
  const result = pairedAucBootstrap(labels, a, b, {
    resamples,
    seed,
    confidence: 0.95,
    method: 'percentile',
    scheme,
  });
  expect(result.scheme).toBe(scheme);
  expectClose(result.aucA, rocAucScore(labels, a), 'full auc a', 1e-15);
  expectClose(result.aucB, rocAucScore(labels, b), 'full auc b', 1e-15);
  for (let r = 0; r < resamples; r++) {
    const counts = aucBootstrapCounts(labels, a, b, seed, r, scheme);
    const expected =
      rocAucScore(labels, a, { sampleWeight: counts }) - rocAucScore(labels, b, { sampleWeight: counts });
    expectClose(result.distribution[r]!, expected, `seed ${seed}, resample ${r}`, 1e-12, 1e-15);
  }
}

describe('pairedAucBootstrap with tied scores (runs marked in the slot order, negatives first)', () => {
  it('equals weighted roc_auc per resample for every density of ties', () => {
    // From no ties to two distinct values, with runs that span the kernel's 64-row blocks, runs of one
    // class only, and runs that start a block.
    const random = createRandom(11);
    for (const levels of [0, 1000, 97, 12, 2]) {
      const n = 1501; // odd: the last block of the Poisson pass uses half an output
      const labels = Array.from({ length: n }, () => (random.nextDouble() < 0.3 ? 1 : 0));
      const quantise = (v: number) => (levels === 0 ? v : Math.round(v * levels) / levels);
      const a = labels.map((y) => quantise(1 / (1 + Math.exp(-(y + random.nextDouble() * 2 - 1)))));
      const b = labels.map((y) => quantise(1 / (1 + Math.exp(-(0.6 * y + random.nextDouble() * 2 - 1)))));
      expectResamplesExact(labels, a, b, levels + 1, 3);
      expectResamplesExact(labels, a, b, levels + 1, 3, 'poisson');
    }
  });
  it('stays exact when one tied run carries more than 100,000 negative draws into a block', () => {
    // 180,000 rows tied at 0.5 (their negatives, ~126,000 draws, exceed the int32 bound of the block
    // pass, which then sums those blocks in doubles), the rest spread on either side.
    const random = createRandom(5);
    const n = 240_000;
    const labels = Array.from({ length: n }, () => (random.nextDouble() < 0.3 ? 1 : 0));
    const a = labels.map((y, i) => (i % 4 === 0 ? y * 0.3 + random.nextDouble() * 0.7 : 0.5));
    const b = labels.map((y) => Math.round((y * 0.2 + random.nextDouble()) * 50) / 50);
    expectResamplesExact(labels, a, b, 2, 2);
    expectResamplesExact(labels, a, b, 2, 2, 'poisson');
  });
  it('counts a tied positive and negative one half', () => {
    // Model A ties each positive with one negative; model B has no ties.
    const labels = [0, 1, 0, 1, 1, 0, 0, 1];
    const a = [0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4];
    const b = [0.15, 0.1, 0.25, 0.2, 0.3, 0.35, 0.45, 0.4];
    const result = pairedAucBootstrap(labels, a, b, {
      resamples: 4,
      seed: 3,
      confidence: 0.9,
      method: 'percentile',
    });
    // AUC_A: positives 0.1 (tied with a negative: ½), 0.2 (1 below + ½), 0.3 (2 below + ½), 0.4 (3 below + ½).
    expect(result.aucA).toBe((0.5 + 1.5 + 2.5 + 3.5) / 16);
    expect(result.aucB).toBe(rocAucScore(labels, b));
    expectResamplesExact(labels, a, b, 3, 4);
  });
});

describe('startPairedAucBootstrap and given sort orders', () => {
  const random = createRandom(21);
  const n = 2000;
  const labels = Array.from({ length: n }, () => (random.nextDouble() < 0.3 ? 1 : 0));
  // Model A with ties (2 decimals), model B without.
  const a = labels.map((y) => Math.round((y * 0.4 + random.nextDouble()) * 100) / 100);
  const b = labels.map((y) => y * 0.3 + random.nextDouble());
  const options = { resamples: 40, seed: 4, confidence: 0.9, method: 'bca' as const };
  const reference = pairedAucBootstrap(labels, a, b, options);

  it('gives the AUCs at once and the same result at finish, on one thread or two', () => {
    for (const threads of [1, 2]) {
      const running = startPairedAucBootstrap(labels, a, b, { ...options, threads, parallelAbove: 0 });
      expect(running.aucA).toBe(rocAucScore(labels, a));
      expect(running.aucB).toBe(rocAucScore(labels, b));
      const result = running.finish();
      expect(Array.from(result.distribution)).toEqual(Array.from(reference.distribution));
      expect(result.ci).toEqual(reference.ci);
      expect(result.acceleration).toBe(reference.acceleration);
      expect(running.finish()).toBe(result);
    }
  });
  it('takes both models sort orders instead of sorting, with the same resamples', () => {
    const orders = { a: argsortAscending(a), b: argsortAscending(b) };
    const result = pairedAucBootstrap(labels, a, b, { ...options, orders });
    expect(Array.from(result.distribution)).toEqual(Array.from(reference.distribution));
    expect(result.ci).toEqual(reference.ci);
  });
  it('refuses orders that are not sort orders of the rows', () => {
    const good = { a: argsortAscending(a), b: argsortAscending(b) };
    const reversed = good.a.slice().reverse();
    expect(() => pairedAucBootstrap(labels, a, b, { ...options, orders: { ...good, a: reversed } })).toThrow(
      /does not sort/,
    );
    const repeated = good.b.slice();
    repeated[5] = repeated[6]!;
    expect(() => pairedAucBootstrap(labels, a, b, { ...options, orders: { ...good, b: repeated } })).toThrow(
      /every row exactly once/,
    );
    expect(() =>
      pairedAucBootstrap(labels, a, b, { ...options, orders: { ...good, a: good.a.subarray(1) } }),
    ).toThrow(/expected 2000/);
  });
});

describe('the Poisson(1) scheme', () => {
  const random = createRandom(31);
  const n = 3000;
  const labels = Array.from({ length: n }, () => (random.nextDouble() < 0.3 ? 1 : 0));
  const a = labels.map((y) => Math.round((y * 0.4 + random.nextDouble()) * 300) / 300);
  const b = labels.map((y) => y * 0.3 + random.nextDouble());
  it('draws Poisson(1) weights, independent of the class (chi-square over 300 resamples)', () => {
    const histogram = new Array<number>(6).fill(0);
    let total = 0;
    for (let r = 0; r < 300; r++) {
      for (const w of aucBootstrapCounts(labels, a, b, 9, r, 'poisson')) {
        histogram[Math.min(w, 5)]!++;
        total++;
      }
    }
    const pmf = (k: number) => Math.exp(-1) / [1, 1, 2, 6, 24][k]!;
    const expected = [0, 1, 2, 3, 4].map(pmf);
    expected.push(1 - expected.reduce((x, y) => x + y, 0));
    const chiSquare = histogram.reduce(
      (sum, observed, k) => sum + (observed - total * expected[k]!) ** 2 / (total * expected[k]!),
      0,
    );
    // 99.99th percentile of chi-square with 5 degrees of freedom: 25.7.
    expect(chiSquare).toBeLessThan(25.7);
  });
  it('gives resamples that are not shifted copies of one another (weights of successive resamples uncorrelated)', () => {
    const w0 = aucBootstrapCounts(labels, a, b, 9, 0, 'poisson');
    const w1 = aucBootstrapCounts(labels, a, b, 9, 1, 'poisson');
    let correlation = 0;
    for (let i = 0; i < n; i++) correlation += (w0[i]! - 1) * (w1[i]! - 1);
    // Independent Poisson(1) weights: sum of n products with variance 1 each; 5 standard deviations.
    expect(Math.abs(correlation)).toBeLessThan(5 * Math.sqrt(n));
    for (let shift = 1; shift < 50; shift++) {
      let same = 0;
      for (let i = 0; i + shift < n; i++) if (w0[i + shift] === w1[i]) same++;
      // Two independent Poisson(1) weights agree with probability Σ p_k² = 0.3085.
      expect(same / (n - shift)).toBeLessThan(0.36);
    }
  });
  it('gives identical resamples on one thread, on two, and made by a worker alone', () => {
    const options = {
      resamples: 48,
      seed: 2,
      confidence: 0.95,
      method: 'bca' as const,
      scheme: 'poisson' as const,
    };
    const one = pairedAucBootstrap(labels, a, b, { ...options, threads: 1 });
    const two = pairedAucBootstrap(labels, a, b, { ...options, threads: 2, parallelAbove: 0 });
    expect(Array.from(two.distribution)).toEqual(Array.from(one.distribution));
    const inWorker = aucBootstrapInWorker(labels, a, b, 2, 48, 'poisson');
    expect(inWorker.madeByCaller).toBe(0);
    expect(Array.from(inWorker.distribution)).toEqual(Array.from(one.distribution));
  });
  it('auto takes it from 10,000 rows of each class, and refuses it below 30', () => {
    const options = { resamples: 2, seed: 1, confidence: 0.95, method: 'percentile' as const };
    expect(pairedAucBootstrap(labels, a, b, options).scheme).toBe('multinomial');
    const big = 2 * POISSON_AUTO_MIN_CLASS + 10;
    const y = Array.from({ length: big }, (_, i) => i % 2);
    const s = y.map((v, i) => v * 0.2 + ((i * 7919) % 1000) / 1000);
    expect(pairedAucBootstrap(y, s, s.slice().reverse(), options).scheme).toBe('poisson');
    expect(() =>
      pairedAucBootstrap([1, 0, 1, 0, 0, 0], [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 6, 5], {
        ...options,
        scheme: 'poisson',
      }),
    ).toThrow(/at least 30 rows of each class/);
  });
});

import { describe, expect, it } from 'vitest';
import { argsortAscending } from '../metrics/argsort.ts';
import { expectClose } from '../metrics/fixture-testing.ts';
import { rocAucScore } from '../metrics/roc-auc.ts';
import { createRandom } from '../random.ts';
import { aucBootstrapCounts, pairedAucBootstrap, startPairedAucBootstrap } from './auc-bootstrap.ts';

/** Each resample of pairedAucBootstrap against roc_auc_score with the resample's counts as weights. */
function expectResamplesExact(
  labels: number[],
  a: number[],
  b: number[],
  seed: number,
  resamples: number,
): void {
  const result = pairedAucBootstrap(labels, a, b, {
    resamples,
    seed,
    confidence: 0.95,
    method: 'percentile',
  });
  expectClose(result.aucA, rocAucScore(labels, a), 'full auc a', 1e-15);
  expectClose(result.aucB, rocAucScore(labels, b), 'full auc b', 1e-15);
  for (let r = 0; r < resamples; r++) {
    const counts = aucBootstrapCounts(labels, a, b, seed, r);
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
      const n = 1500;
      const labels = Array.from({ length: n }, () => (random.nextDouble() < 0.3 ? 1 : 0));
      const quantise = (v: number) => (levels === 0 ? v : Math.round(v * levels) / levels);
      const a = labels.map((y) => quantise(1 / (1 + Math.exp(-(y + random.nextDouble() * 2 - 1)))));
      const b = labels.map((y) => quantise(1 / (1 + Math.exp(-(0.6 * y + random.nextDouble() * 2 - 1)))));
      expectResamplesExact(labels, a, b, levels + 1, 3);
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

import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { aucBootstrapInWorker, pairedAucBootstrap } from './auc-bootstrap.ts';
import { aucBootstrapSimdModule, wasm } from './auc-bootstrap-simd.ts';

/** Labels and two models' scores rounded to `levels` steps (0: continuous). */
function data(seed: number, n: number, levels: number) {
  const random = createRandom(seed);
  const labels = Array.from({ length: n }, () => (random.nextDouble() < 0.3 ? 1 : 0));
  const quantise = (v: number) => (levels === 0 ? v : Math.round(v * levels) / levels);
  const a = labels.map((y) => quantise(1 / (1 + Math.exp(-(y + random.nextDouble() * 2 - 1)))));
  const b = labels.map((y) => quantise(1 / (1 + Math.exp(-(0.6 * y + random.nextDouble() * 2 - 1)))));
  return { labels, a, b };
}

const poisson = { confidence: 0.95, method: 'percentile' as const, scheme: 'poisson' as const };

describe('the Poisson bootstrap on WebAssembly SIMD', () => {
  it('is available on this runtime (Node 20: SIMD is on by default)', () => {
    // Poisson(1)'s CDF thresholds on 32-bit integers, as the bootstrap builds them.
    const thresholds: number[] = [];
    let probability = Math.exp(-1);
    let cdf = 0;
    for (let k = 0; Math.round((cdf + probability) * 2 ** 32) < 2 ** 32; k++) {
      cdf += probability;
      probability /= k + 1;
      thresholds.push(Math.round(cdf * 2 ** 32));
    }
    expect(wasm?.validate(aucBootstrapSimdModule(thresholds))).toBe(true);
  });
  it('gives every resample of the JavaScript kernel bit for bit, for every density of ties', () => {
    // Odd and even lengths (the last output's low half unused), lengths around the 512-row blocks, tied
    // runs that span blocks, runs of one class, resample counts not a multiple of the 8 or 16 lanes.
    for (const [n, levels, resamples] of [
      [1501, 0, 19],
      [1501, 2, 9],
      [1024, 12, 8],
      [1025, 97, 11],
      [3001, 1000, 17],
      [200, 3, 5],
      [20_001, 300, 24],
    ] as const) {
      const { labels, a, b } = data(n + levels, n, levels);
      const options = { ...poisson, resamples, seed: levels + 3, threads: 1 };
      const javascript = pairedAucBootstrap(labels, a, b, { ...options, simd: false });
      const simd = pairedAucBootstrap(labels, a, b, options);
      expect(javascript.simd).toBe(false);
      expect(simd.simd).toBe(true);
      expect(Array.from(simd.distribution)).toEqual(Array.from(javascript.distribution));
      expect(simd.ci).toEqual(javascript.ci);
    }
  });
  it('draws the rare weights exactly: buckets holding a threshold and the largest weights', () => {
    // 200 resamples of 3,000 rows: ~110 rows per resample fall in a threshold bucket or above weight 4.
    const { labels, a, b } = data(77, 3000, 50);
    const options = { ...poisson, resamples: 200, seed: 12, threads: 1 };
    const javascript = pairedAucBootstrap(labels, a, b, { ...options, simd: false });
    const simd = pairedAucBootstrap(labels, a, b, options);
    expect(Array.from(simd.distribution)).toEqual(Array.from(javascript.distribution));
  });
  it('is the same on two threads and in a worker alone', () => {
    const { labels, a, b } = data(5, 4000, 200);
    const options = { ...poisson, resamples: 45, seed: 8, method: 'bca' as const };
    const javascript = pairedAucBootstrap(labels, a, b, { ...options, threads: 1, simd: false });
    const two = pairedAucBootstrap(labels, a, b, { ...options, threads: 2, parallelAbove: 0 });
    expect(two.simd).toBe(true);
    expect(Array.from(two.distribution)).toEqual(Array.from(javascript.distribution));
    expect(two.ci).toEqual(javascript.ci);
    const worker = aucBootstrapInWorker(labels, a, b, 8, 45, 'poisson');
    expect(worker.simd).toBe(true);
    expect(worker.madeByCaller).toBe(0);
    expect(Array.from(worker.distribution)).toEqual(Array.from(javascript.distribution));
  });
  it('leaves a tied run with more negatives than the JavaScript pass keeps in int32 to that kernel', () => {
    // 12,000 tied negatives can carry more than 100,000 weight into a block: the JavaScript pass then draws
    // that block's weights differently, so the SIMD passes step aside (same numbers as before).
    const random = createRandom(9);
    const n = 20_000;
    const labels = Array.from({ length: n }, (_, i) => (i < 12_000 ? 0 : random.nextDouble() < 0.5 ? 1 : 0));
    const a = labels.map((y, i) => (i < 12_000 ? 0.5 : y * 0.3 + random.nextDouble() * 0.7));
    const b = labels.map((y) => y * 0.2 + random.nextDouble());
    const result = pairedAucBootstrap(labels, a, b, { ...poisson, resamples: 3, seed: 1, threads: 1 });
    expect(result.simd).toBe(false);
  });
});

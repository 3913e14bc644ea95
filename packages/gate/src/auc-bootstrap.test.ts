import { createRandom, pairedBootstrap, rocAucScore } from '@mlops/stats';
import { describe, expect, it } from 'vitest';
import { aucBootstrapKernel, pairedAucBootstrap } from './auc-bootstrap.ts';

function data(n: number, seed: number, ties = false) {
  const random = createRandom(seed);
  const labels = new Float64Array(n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = random.nextDouble() < 0.35 ? 1 : 0;
    const signal = labels[i]! + random.nextDouble() * 1.5;
    a[i] = ties ? Math.round(signal * 4) / 4 : signal + random.nextDouble() * 0.3;
    b[i] = ties ? Math.round((signal + random.nextDouble()) * 4) / 4 : signal + random.nextDouble() * 0.8;
  }
  return { labels, a, b };
}

describe('pairedAucBootstrap', () => {
  it('a resample with every count 1 is the full-sample AUC difference (the weighted pass is exact, ties included)', () => {
    const { labels, a, b } = data(400, 1, true);
    // One resample of a data set of one positive and one negative per stratum draws each row once.
    const tiny = pairedAucBootstrap([1, 0, 1, 0], [0.9, 0.1, 0.4, 0.4], [0.2, 0.3, 0.8, 0.1], {
      resamples: 50,
      seed: 1,
      confidence: 0.9,
      method: 'percentile',
    });
    expect(tiny.difference).toBeCloseTo(
      rocAucScore([1, 0, 1, 0], [0.9, 0.1, 0.4, 0.4]) - rocAucScore([1, 0, 1, 0], [0.2, 0.3, 0.8, 0.1]),
      15,
    );
    const result = pairedAucBootstrap(labels, a, b, {
      resamples: 10,
      seed: 2,
      confidence: 0.95,
      method: 'percentile',
    });
    expect(result.difference).toBeCloseTo(rocAucScore(labels, a) - rocAucScore(labels, b), 14);
  });

  it('gives the same resamples on one thread and on several', () => {
    const { labels, a, b } = data(3000, 3);
    const options = {
      resamples: 64,
      seed: 9,
      confidence: 0.95,
      method: 'percentile' as const,
      parallelAbove: 0,
    };
    const one = pairedAucBootstrap(labels, a, b, { ...options, threads: 1 });
    const three = pairedAucBootstrap(labels, a, b, { ...options, threads: 3 });
    expect(three.threads).toBe(3);
    expect(Array.from(three.distribution)).toEqual(Array.from(one.distribution));
    // More threads than chunks of work: idle workers change nothing.
    const many = pairedAucBootstrap(labels, a, b, { ...options, resamples: 20, threads: 8 });
    expect(Array.from(many.distribution)).toEqual(Array.from(one.distribution.slice(0, 20)));
  });

  it('matches the stratified bootstrap of @mlops/stats in distribution (sd and interval)', () => {
    const { labels, a, b } = data(2000, 4, true);
    const ours = pairedAucBootstrap(labels, a, b, {
      resamples: 3000,
      seed: 5,
      confidence: 0.95,
      method: 'bca',
    });
    const reference = pairedBootstrap({
      yTrue: labels,
      scoresA: a,
      scoresB: b,
      metric: 'roc_auc',
      nResamples: 3000,
      seed: 6,
      method: 'bca',
    });
    const sd = (values: Float64Array) => {
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1));
    };
    // Monte-Carlo error of an sd from 3000 resamples is ~1.3%; of an interval end ~4% of the sd.
    expect(sd(ours.distribution) / reference.standardError).toBeGreaterThan(0.94);
    expect(sd(ours.distribution) / reference.standardError).toBeLessThan(1.06);
    expect(ours.acceleration).toBeCloseTo(reference.acceleration!, 12);
    for (const index of [0, 1])
      expect(Math.abs(ours.ci[index]! - reference.ci[index]!)).toBeLessThan(0.2 * reference.standardError);
  });

  it('draws every slot of a stratum equally often (no modulo bias, nothing out of range)', () => {
    // 2 positives and 3 negatives, many resamples: each resample's difference is a function of the counts,
    // so the count frequencies show through the mean of a statistic that reads one slot.
    const out = new Float64Array(4000);
    // Model A orders [neg 2, neg 3, neg 4, pos 0, pos 1]: AUC_A = 1 always; model B puts positive 0 lowest.
    const slotA = Int32Array.from([2, 3, 4, 0, 1]);
    const slotB = Int32Array.from([0, 2, 3, 4, 1]);
    const starts = Uint8Array.from([1, 1, 1, 1, 1]);
    aucBootstrapKernel(slotA, slotB, starts, starts, 2, 3, 77, 0, out.length, out);
    // AUC_B = share of positive draws that are slot 1 (above every negative): mean 1/2, so the mean difference is 1/2.
    const mean = out.reduce((sum, value) => sum + value, 0) / out.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(0.125 / out.length));
  });
});

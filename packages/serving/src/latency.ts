// Latency of the endpoint: percentiles with the bootstrap intervals evaluate-gate uses (@mlops/gate's
// latencyPercentiles, so the two actions judge latency the same way), ceilings judged on the interval, and
// a histogram for the report.
import { type LatencyPercentileKey, latencyPercentiles } from '@mlops/gate';
import type { LatencyPercentile, LatencySummary } from './types.ts';

export interface LatencyOptions {
  warmup: number;
  repeats: number;
  concurrency: number;
  rowsPerRequest: number;
  confidence: number;
  resamples: number;
  seed: number;
  /** Ceilings in ms. */
  max?: Partial<Record<LatencyPercentileKey, number>>;
  bins?: number;
}

const KEYS: readonly LatencyPercentileKey[] = ['p50_ms', 'p95_ms', 'p99_ms'];

/**
 * Percentiles (numpy.percentile's default, linear) with percentile-bootstrap intervals. A ceiling passes
 * only when the upper end of the interval is within it: a server that may well be slower than the
 * ceiling does not pass on a lucky run (more repeats narrow the interval).
 */
export function summariseLatency(samples: readonly number[], options: LatencyOptions): LatencySummary {
  if (samples.length < 2) throw new Error(`latency needs at least 2 samples, got ${samples.length}`);
  const result = latencyPercentiles({ challenger: Float64Array.from(samples) }, KEYS, {
    confidence: options.confidence,
    resamples: options.resamples,
    seed: options.seed,
    file: 'serving-check',
  });
  const percentiles = result.percentiles.map((entry): LatencyPercentile => {
    const max = options.max?.[entry.key];
    return {
      key: entry.key,
      value: entry.challenger.value,
      ci: entry.challenger.ci,
      ...(max === undefined ? {} : { max, passed: entry.challenger.ci[1] <= max }),
    };
  });
  return {
    samples: samples.length,
    warmup: options.warmup,
    repeats: options.repeats,
    concurrency: options.concurrency,
    rows_per_request: options.rowsPerRequest,
    confidence: options.confidence,
    resamples: options.resamples,
    percentiles,
    mean_ms: samples.reduce((sum, value) => sum + value, 0) / samples.length,
    histogram: histogram(samples, options.bins ?? 12),
  };
}

/**
 * Equal-width bins over [min, max], the last bin closed (numpy.histogram(values, bins)).
 * @example histogram([1, 2, 2, 3], 2) // => { edges: [1, 2, 3], counts: [1, 3] }
 */
export function histogram(values: readonly number[], bins: number): { edges: number[]; counts: number[] } {
  let min = Math.min(...values);
  let max = Math.max(...values);
  // numpy widens a zero-width range by 0.5 on each side.
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const edges = Array.from({ length: bins + 1 }, (_, index) => min + ((max - min) * index) / bins);
  edges[bins] = max;
  const counts = new Array<number>(bins).fill(0);
  for (const value of values) {
    let bin = Math.floor(((value - min) / (max - min)) * bins);
    if (bin >= bins) bin = bins - 1;
    // Float rounding can put a value on the wrong side of an edge; numpy corrects with the edges themselves.
    while (bin > 0 && value < edges[bin]!) bin--;
    while (bin < bins - 1 && value >= edges[bin + 1]!) bin++;
    counts[bin]!++;
  }
  return { edges, counts };
}

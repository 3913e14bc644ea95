// The pure checks against numpy (test/fixtures/serving/generate.py wrote the reference values).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { histogram, summariseLatency } from './latency.ts';
import { parity, withinTolerance } from './parity.ts';

const fixture = JSON.parse(
  readFileSync(
    path.resolve(
      path.dirname(fileURLToPath(import.meta.url)),
      '../../../test/fixtures/serving/reference.json',
    ),
    'utf8',
  ),
) as {
  latency: {
    samples: number[];
    percentiles: Record<string, number>;
    histogram: { edges: number[]; counts: number[] };
  }[];
  parity: { offline: number[]; served: number[]; cases: { atol: number; rtol: number; match: boolean[] }[] };
};

describe('latency percentiles and histogram against numpy', () => {
  for (const entry of fixture.latency) {
    it(`${entry.samples.length} samples: numpy.percentile (linear) and numpy.histogram`, () => {
      const summary = summariseLatency(entry.samples, {
        warmup: 0,
        repeats: entry.samples.length,
        concurrency: 1,
        rowsPerRequest: 1,
        confidence: 0.95,
        resamples: 200,
        seed: 1,
      });
      const byKey = Object.fromEntries(summary.percentiles.map((p) => [p.key, p]));
      expect(byKey.p50_ms!.value).toBeCloseTo(entry.percentiles['50']!, 9);
      expect(byKey.p95_ms!.value).toBeCloseTo(entry.percentiles['95']!, 9);
      expect(byKey.p99_ms!.value).toBeCloseTo(entry.percentiles['99']!, 9);
      for (const p of summary.percentiles) {
        expect(p.ci[0]).toBeLessThanOrEqual(p.ci[1]);
        expect(p.ci[0]).toBeGreaterThanOrEqual(Math.min(...entry.samples));
        expect(p.ci[1]).toBeLessThanOrEqual(Math.max(...entry.samples));
      }
      const bins = histogram(entry.samples, 12);
      expect(bins.counts).toEqual(entry.histogram.counts);
      bins.edges.forEach((edge, index) => {
        expect(edge).toBeCloseTo(entry.histogram.edges[index]!, 9);
      });
    });
  }
});

describe('parity rule against numpy.isclose', () => {
  const { offline, served, cases } = fixture.parity;
  for (const { atol, rtol, match } of cases) {
    it(`atol ${atol}, rtol ${rtol}`, () => {
      const ours = offline.map((value, index) => withinTolerance(served[index]!, value, atol, rtol));
      expect(ours).toEqual(match);
      const rows = offline.map((expected, index) => ({ id: `r${index}`, index, values: [], expected }));
      const result = parity(rows, served, { atol, rtol });
      expect(result.mismatches).toBe(match.filter((ok) => !ok).length);
      // The fixture mixes exact rows, small and large errors: each case must see both outcomes.
      expect(result.mismatches).toBeGreaterThan(0);
      expect(result.mismatches).toBeLessThan(offline.length);
    });
  }
});

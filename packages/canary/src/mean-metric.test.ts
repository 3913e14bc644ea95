// kind: mean against numpy / scipy (fixtures/generate.py "mean_difference"): means, sample sds, the plug-in
// se of the difference and the normal-mixture bounds; and its calibration over repeated looks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type AnalysisInput, type ArmCounts, analyseCanary } from './analyse.ts';
import { parseCanaryConfig } from './config.ts';

interface MeanCase {
  canary: number[];
  baseline: number[];
  max_difference: number;
  alpha_side: number;
  canary_mean: number;
  canary_sd: number;
  baseline_mean: number;
  baseline_sd: number;
  difference: number;
  lower: number;
  upper: number;
}
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/reference.json', import.meta.url), 'utf8'),
) as {
  mean_difference: MeanCase[];
};

function config(maxDifference: number, alpha: number, worse = 'higher') {
  return parseCanaryConfig(
    `source: file
traffic: { canary_percent: 10 }
soak: 1m
step: 1m
alpha: ${alpha}
min_requests: 2
metrics:
  - { name: latency, kind: mean, value: latency_ms, max_difference: ${maxDifference}, worse: ${worse} }
`,
    'mean.yml',
  );
}

/** One look after the start holding every value (cumulative sums as the file source makes them). */
function counts(values: readonly number[]): ArmCounts {
  const sum = values.reduce((total, value) => total + value, 0);
  const squares = values.reduce((total, value) => total + value * value, 0);
  return {
    trials: Float64Array.from([0, values.length]),
    events: new Float64Array(2),
    sum: Float64Array.from([0, sum]),
    sumSquares: Float64Array.from([0, squares]),
  };
}

function input(
  cfg: ReturnType<typeof config>,
  baseline: ArmCounts,
  canary: ArmCounts,
  looks = 1,
): AnalysisInput {
  return {
    config: cfg,
    baseline: 'v1',
    canary: 'v2',
    startedAt: 0,
    now: looks * 60_000,
    times: Array.from({ length: looks + 1 }, (_, k) => k * 60_000),
    metrics: [{ name: 'latency', baseline, canary }],
    source: {},
  };
}

describe('kind: mean against numpy', () => {
  it.each(reference.mean_difference.map((row, index) => ({ ...row, index })))('case $index', (row) => {
    const report = analyseCanary(
      input(config(row.max_difference, 2 * row.alpha_side), counts(row.baseline), counts(row.canary)),
    );
    const metric = report.metrics[0]!;
    const close = (actual: number | null | undefined, expected: number) =>
      expect(Math.abs(actual! - expected)).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected)));
    close(metric.canary.mean, row.canary_mean);
    close(metric.canary.sd, row.canary_sd);
    close(metric.baseline.mean, row.baseline_mean);
    close(metric.baseline.sd, row.baseline_sd);
    close(metric.difference, row.difference);
    close(metric.difference_bounds![0], row.lower);
    close(metric.difference_bounds![1], row.upper);
    expect(metric.alpha_side).toBeCloseTo(row.alpha_side, 12);
    const expected = row.lower > 0 ? 'regressed' : row.upper < row.max_difference ? 'within' : 'undecided';
    expect(metric.status).toBe(expected);
  });

  it('worse: lower flips the sign (a drop of a score is the regression)', () => {
    const row = reference.mean_difference[1]!; // the canary's values are 8 higher
    const report = analyseCanary(
      input(config(row.max_difference, 0.05, 'lower'), counts(row.baseline), counts(row.canary)),
    );
    expect(report.metrics[0]!.difference).toBeCloseTo(-row.difference, 9);
    expect(report.metrics[0]!.status).toBe('within');
    expect(report.decision).toBe('promote');
  });

  it('refuses kind: mean from Prometheus and proportion keys on a mean', () => {
    expect(() =>
      parseCanaryConfig(
        'traffic: { canary_percent: 10 }\nmetrics:\n  - { name: l, kind: mean, value: v, max_difference: 5 }\n',
        'c.yml',
      ),
    ).toThrow(/c\.yml line 3: metrics\[0\]\.kind: kind: mean needs per-request values \(source: file\)/);
    expect(() =>
      parseCanaryConfig(
        'source: file\ntraffic: { canary_percent: 10 }\nmetrics:\n  - { name: l, kind: mean, value: v, max_difference: 5, max_increase: 0.2 }\n',
        'c.yml',
      ),
    ).toThrow(/metrics\[0\]\.max_increase: is for kind: proportion/);
    expect(() =>
      parseCanaryConfig(
        'source: file\ntraffic: { canary_percent: 10 }\nmetrics:\n  - { name: l, kind: mean, value: v }\n',
        'c.yml',
      ),
    ).toThrow(/max_difference is required for kind: mean/);
  });
});

describe('kind: mean over repeated looks', () => {
  it('200 healthy rollouts x 12 looks: false rollbacks within alpha; a shift of 0.6 sd is caught', () => {
    let seed = 7;
    const uniform = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    const cfg = config(5, 0.05);
    const run = (shift: number) => {
      const arms = [0, 1].map(() => ({
        trials: new Float64Array(13),
        events: new Float64Array(13),
        sum: new Float64Array(13),
        sumSquares: new Float64Array(13),
      }));
      for (let k = 1; k <= 12; k++) {
        for (const [arm, n, delta] of [
          [0, 270, 0],
          [1, 30, shift],
        ] as const) {
          const a = arms[arm]!;
          let sum = 0;
          let squares = 0;
          for (let i = 0; i < n; i++) {
            const value = 50 + delta + 20 * gaussian();
            sum += value;
            squares += value * value;
          }
          a.trials[k] = a.trials[k - 1]! + n;
          a.sum[k] = a.sum[k - 1]! + sum;
          a.sumSquares[k] = a.sumSquares[k - 1]! + squares;
        }
      }
      return analyseCanary(input(cfg, arms[0]!, arms[1]!, 12)).decision;
    };
    const healthy = Array.from({ length: 200 }, () => run(0));
    const falseRollbacks = healthy.filter((decision) => decision === 'rollback').length / 200;
    expect(falseRollbacks).toBeLessThanOrEqual(0.05 + 2 * Math.sqrt((0.05 * 0.95) / 200));
    const shifted = Array.from({ length: 50 }, () => run(12));
    expect(shifted.filter((decision) => decision === 'rollback').length).toBeGreaterThanOrEqual(45);
    expect(shifted).not.toContain('promote');
  });
});

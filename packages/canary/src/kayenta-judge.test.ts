// judge: kayenta — NetflixACAJudge-style scoring (reference/online-gate.md), and the decision it drives.
import { describe, expect, it } from 'vitest';
import { type ArmCounts, analyseCanary } from './analyse.ts';
import { parseCanaryConfig } from './config.ts';
import { kayentaJudge } from './kayenta-judge.ts';

const high = { canary: [5, 6, 7, 6, 5, 7, 6, 8], baseline: [1, 2, 1, 2, 1, 2, 1, 2] };
const same = { canary: [1, 2, 1, 2, 1, 2, 1, 2], baseline: [2, 1, 2, 1, 2, 1, 2, 1] };
const options = { passScore: 95, marginalScore: 75 };

describe('kayentaJudge scoring', () => {
  it('group score, weights, direction and the thresholds', () => {
    const result = kayentaJudge(
      [
        { name: 'errors', group: 'errors', critical: false, direction: 'increase', ...high },
        { name: 'latency', group: 'latency', critical: false, direction: 'increase', ...same },
        { name: 'p99', group: 'latency', critical: false, direction: 'increase', ...same },
        { name: 'score', group: 'quality', critical: false, direction: 'decrease', ...high },
      ],
      { ...options, groupWeights: { errors: 20 } },
    );
    expect(result.metrics.map((metric) => [metric.classification, metric.failed])).toEqual([
      ['High', true],
      ['Pass', false],
      ['Pass', false],
      ['High', false], // an increase of a metric whose failure is a decrease passes
    ]);
    // errors 0 (weight 20), latency 100 (40), quality 100 (40): 80, marginal.
    expect(result.score).toBe(80);
    expect(result.verdict).toBe('Marginal');
  });

  it('a failed critical metric forces 0; no data is Nodata', () => {
    const critical = kayentaJudge(
      [
        { name: 'errors', group: 'errors', critical: true, direction: 'increase', ...high },
        { name: 'latency', group: 'latency', critical: false, direction: 'increase', ...same },
      ],
      options,
    );
    expect(critical).toMatchObject({ score: 0, verdict: 'Fail', critical_failure: true });
    const empty = kayentaJudge(
      [
        {
          name: 'errors',
          group: 'errors',
          critical: false,
          direction: 'increase',
          canary: [],
          baseline: [1],
        },
      ],
      options,
    );
    expect(empty).toMatchObject({ score: null, verdict: 'Nodata' });
  });
});

const CONFIG = `traffic: { canary_percent: 10 }
soak: 30m
judge: kayenta
kayenta: { bucket: 5m, pass_score: 95, marginal_score: 75 }
metrics:
  - { name: error_rate, events: e, trials: t, critical: true }
`;

function arm(minutes: number, perMinute: number, rates: (minute: number) => number): ArmCounts {
  const trials = new Float64Array(minutes + 1);
  const events = new Float64Array(minutes + 1);
  for (let k = 1; k <= minutes; k++) {
    trials[k] = trials[k - 1]! + perMinute;
    events[k] = events[k - 1]! + Math.round(perMinute * rates(k));
  }
  return { trials, events };
}

function run(config: string, baseline: ArmCounts, canary: ArmCounts, minutes = 40) {
  return analyseCanary({
    config: parseCanaryConfig(config, 'k.yml'),
    baseline: 'v1',
    canary: 'v2',
    startedAt: 0,
    now: minutes * 60_000,
    times: Array.from({ length: minutes + 1 }, (_, k) => k * 60_000),
    metrics: [{ name: 'error_rate', baseline, canary }],
    source: {},
  });
}

describe('judge: kayenta decisions', () => {
  const wobble = (base: number) => (minute: number) => base * (1 + 0.3 * Math.sin(minute));

  it('rolls back a clearly worse canary, and says this judge does not control repeated looks', () => {
    const report = run(CONFIG, arm(40, 9000, wobble(0.01)), arm(40, 1000, wobble(0.03)));
    expect(report.decision).toBe('rollback');
    expect(report.reason).toMatch(
      /^The Kayenta-style judge fails the canary: score 0 below the marginal threshold 75 \(error_rate High, critical\)/,
    );
    expect(report.reason).toContain('does not control the false-alarm rate over repeated looks');
    expect(report.kayenta).toMatchObject({ verdict: 'Fail', buckets: 8, bucket_minutes: 5 });
    expect(report.warnings.join(' ')).toMatch(/does not control the false-alarm rate/);
    expect(report.method).toMatch(/^Kayenta-style NetflixACAJudge/);
  });

  it('promotes a healthy canary after the soak, holds it before', () => {
    expect(run(CONFIG, arm(40, 9000, wobble(0.01)), arm(40, 1000, wobble(0.01))).decision).toBe('promote');
    expect(run(CONFIG, arm(20, 9000, wobble(0.01)), arm(20, 1000, wobble(0.01)), 20).decision).toBe(
      'continue',
    );
  });

  it('kayenta#377: sparse canary errors against a zero-error baseline pass it; the sequential judge rolls back', () => {
    // 6 errors in 40 minutes on the canary, none on the baseline: most 5-minute buckets are 0 on both sides.
    const errorsAt = new Set([3, 11, 19, 24, 31, 38]);
    const canary = arm(40, 100, (minute) => (errorsAt.has(minute) ? 0.01 : 0));
    const baseline = arm(40, 900, () => 0);
    expect(run(CONFIG, baseline, canary).decision).toBe('promote');
    const sequential = run(
      CONFIG.replace('judge: kayenta\nkayenta: { bucket: 5m, pass_score: 95, marginal_score: 75 }\n', ''),
      baseline,
      canary,
    );
    expect(sequential.decision).toBe('rollback');
  });

  it('refuses kayenta settings that cannot work', () => {
    expect(() => parseCanaryConfig(CONFIG.replace('bucket: 5m', 'bucket: 90s'), 'k.yml')).toThrow(
      /k\.yml line 4: kayenta\.bucket: must be a whole number of steps/,
    );
    expect(() =>
      parseCanaryConfig(CONFIG.replace('marginal_score: 75', 'marginal_score: 99'), 'k.yml'),
    ).toThrow(/kayenta\.marginal_score: must not be above pass_score \(95\)/);
    expect(() =>
      parseCanaryConfig(
        CONFIG.replace('marginal_score: 75 }', 'marginal_score: 75, groups: { latency: 50 } }'),
        'k.yml',
      ),
    ).toThrow(/kayenta\.groups\.latency: no metric is in group 'latency'/);
    expect(() => parseCanaryConfig(CONFIG.replace('judge: kayenta\n', ''), 'k.yml')).toThrow(
      /kayenta: is read only with judge: kayenta/,
    );
  });
});

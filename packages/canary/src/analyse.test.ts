import { describe, expect, it } from 'vitest';
import { type AnalysisInput, type ArmCounts, analyseCanary } from './analyse.ts';
import { type CanaryConfig, nextStep, parseCanaryConfig } from './config.ts';

const CONFIG = `source: prometheus
version_label: model_version
traffic: { canary_percent: 10 }
soak: 30m
alpha: 0.05
step: 1m
metrics:
  - name: error_rate
    kind: proportion
    events: sum by (model_version) (model_requests_total{code=~"5.."})
    trials: sum by (model_version) (model_requests_total)
    max_increase: 0.25
steps: [10, 25, 50, 100]
`;

/** Deterministic counts: `perMinute` requests per minute at `rate` errors, over `minutes` looks. */
function arm(minutes: number, perMinute: number, rate: number): ArmCounts {
  const trials = new Float64Array(minutes + 1);
  const events = new Float64Array(minutes + 1);
  for (let k = 0; k <= minutes; k++) {
    trials[k] = k * perMinute;
    events[k] = Math.round(k * perMinute * rate);
  }
  return { trials, events };
}

function input(
  config: CanaryConfig,
  minutes: number,
  baseline: ArmCounts | undefined,
  canary: ArmCounts | undefined,
): AnalysisInput {
  const startedAt = Date.UTC(2026, 11, 7, 8, 0, 0);
  return {
    config,
    baseline: 'v1',
    canary: 'v2',
    startedAt,
    now: startedAt + minutes * 60_000,
    times: Array.from({ length: minutes + 1 }, (_, k) => startedAt + k * 60_000),
    metrics: [{ name: 'error_rate', ...(baseline ? { baseline } : {}), ...(canary ? { canary } : {}) }],
    source: { kind: 'test' },
  };
}

describe('decide', () => {
  const config = parseCanaryConfig(CONFIG, 'canary.yml');

  it('rolls back a canary with twice the error rate and says why', () => {
    const report = analyseCanary(input(config, 30, arm(30, 9000, 0.01), arm(30, 1000, 0.02)));
    expect(report.decision).toBe('rollback');
    expect(report.next_traffic_percent).toBe(0);
    expect(report.reason).toMatch(/^error_rate is worse on the canary/);
    expect(report.metrics[0]!.ratio_bounds[0]).toBeGreaterThan(1);
    expect(report.metrics[0]!.rollback_at_minutes).toBeLessThan(30);
    // The reason quotes the bound at the look that proved it, which clears the rollback limit.
    expect(report.metrics[0]!.rollback_bound).toBeGreaterThan(1);
    expect(report.reason).toMatch(/ratio at least 1\.\d+ when first shown/);
  });

  it('promotes a healthy canary after the soak, to the next step', () => {
    const report = analyseCanary(input(config, 40, arm(40, 45_000, 0.01), arm(40, 5000, 0.01)));
    expect(report.decision).toBe('promote');
    expect(report.next_traffic_percent).toBe(25);
    expect(report.metrics[0]!.ratio_bounds[1]).toBeLessThan(1.25);
  });

  it('holds a healthy canary before the soak time', () => {
    const report = analyseCanary(input(config, 20, arm(20, 45_000, 0.01), arm(20, 5000, 0.01)));
    expect(report.decision).toBe('continue');
    expect(report.reason).toMatch(/soak time is not over \(20 of 30 minutes\)/);
  });

  it('continues with how much more it needs when nothing is proven', () => {
    const report = analyseCanary(input(config, 10, arm(10, 900, 0.01), arm(10, 100, 0.01)));
    expect(report.decision).toBe('continue');
    expect(report.reason).toMatch(
      /needs about [\d,]+ more canary requests \(about \d+ minutes at the current traffic\)/,
    );
    expect(report.needs.canary_requests).toBeGreaterThan(1000);
  });

  it('calls a broken split inconclusive, never promote', () => {
    const report = analyseCanary(input(config, 40, arm(40, 45_000, 0.01), arm(40, 8000, 0.01)));
    expect(report.traffic.srm.broken).toBe(true);
    expect(report.decision).toBe('inconclusive');
    expect(report.reason).toMatch(/sample ratio mismatch.*15.1 % of requests where 10 % was expected/);
  });

  it('calls a canary without traffic inconclusive', () => {
    const none = analyseCanary(input(config, 40, arm(40, 9000, 0.01), undefined));
    expect(none.decision).toBe('inconclusive');
    expect(none.reason).toMatch(/canary \(v2\) has no requests/);
    const zero = analyseCanary(input(config, 40, arm(40, 9000, 0.01), arm(40, 0, 0)));
    expect(zero.decision).toBe('inconclusive');
  });

  it('calls too few requests inconclusive', () => {
    const report = analyseCanary(input(config, 40, arm(40, 9, 0.01), arm(40, 1, 0.01)));
    expect(report.decision).toBe('inconclusive');
    expect(report.reason).toMatch(/Too few requests/);
  });

  it('the normal-mixture method agrees on clear cases', () => {
    const normal = { ...config, method: 'normal' as const };
    expect(analyseCanary(input(normal, 30, arm(30, 9000, 0.01), arm(30, 1000, 0.02))).decision).toBe(
      'rollback',
    );
    expect(analyseCanary(input(normal, 40, arm(40, 45_000, 0.01), arm(40, 5000, 0.01))).decision).toBe(
      'promote',
    );
  });
});

describe('config', () => {
  it('reads the issue example with defaults', () => {
    const config = parseCanaryConfig(CONFIG, 'canary.yml');
    expect(config.soak_ms).toBe(30 * 60_000);
    expect(config.step_ms).toBe(60_000);
    expect(config.metrics[0]!.rollback_margin).toBe(0);
    expect(config.srm).toEqual({ test: 'chi-square', p_value: 0.001 });
    expect(nextStep(config.steps, 10)).toBe(25);
    expect(nextStep(config.steps, 50)).toBe(100);
  });
  it.each([
    [
      CONFIG.replace('max_increase: 0.25', 'max_increas: 0.25'),
      /canary\.yml line 12: metrics\[0\]\.max_increas: unknown key \(did you mean 'max_increase'\?\)/,
    ],
    [
      CONFIG.replace('canary_percent: 10', 'canary_percent: 120'),
      /line 3: traffic\.canary_percent: must be less than 100/,
    ],
    [CONFIG.replace('[10, 25, 50, 100]', '[10, 50, 25, 100]'), /line 13: steps\[2\]: steps must rise/],
    [
      CONFIG.replace('    max_increase: 0.25', '    max_increase: 0.25\n    rollback_margin: 0.5'),
      /rollback_margin: must be below max_increase/,
    ],
    [CONFIG.replace('soak: 30m', 'soak: soon'), /line 4: soak: expected a duration/],
    [CONFIG.replace(/ {4}trials: .*\n/, ''), /metrics\[0\]\.trials: expected a non-empty string/],
    [
      'source: file\ntraffic: { canary_percent: 10 }\nmetrics:\n  - name: e\n    events: status >>= 5\n',
      /line 5: metrics\[0\]\.events: expected a row condition/,
    ],
  ])('refuses %#', (text, message) => {
    expect(() => parseCanaryConfig(text, 'canary.yml')).toThrow(message);
  });
});

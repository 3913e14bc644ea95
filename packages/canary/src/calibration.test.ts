// The promise of the online gate, measured: polled at every look, healthy canaries are rolled back at most
// alpha of the time (within simulation error), a canary with twice the error rate is rolled back, and the
// anchors' repeated-threshold rules on the same counts are not calibrated. Fixed seeds; the larger runs and
// their figures are in bench/canary.md (npm run bench -- canary).
import { describe, expect, it } from 'vitest';
import {
  medianRollbackMinutes,
  rollbackRate,
  type Scenario,
  simulate,
} from '../../../bench/canary-simulation.ts';
import { type ArmCounts, analyseCanary } from './analyse.ts';
import { parseCanaryConfig } from './config.ts';

const base: Omit<Scenario, 'ratio'> = {
  requestsPerLook: 2000,
  canaryShare: 0.1,
  baselineRate: 0.01,
  looks: 12,
  lookMinutes: 5,
};

describe('calibration over repeated looks', () => {
  it('400 healthy rollouts x 12 looks: false rollbacks within alpha; the anchors rules are not', () => {
    const rollouts = 400;
    const healthy = simulate({ ...base, ratio: 1 }, rollouts, 20261207);
    const alpha = 0.05;
    const simulationError = 2 * Math.sqrt((alpha * (1 - alpha)) / rollouts);
    const ours = rollbackRate(healthy.ours);
    expect(ours).toBeLessThanOrEqual(alpha + simulationError);
    // The rollback side gets half the budget; the mixture is conservative, so it sits well below that too.
    expect(ours).toBeLessThanOrEqual(alpha / 2 + simulationError);
    expect(rollbackRate(healthy.flagger)).toBeGreaterThan(0.1);
    expect(rollbackRate(healthy.argo)).toBeGreaterThan(0.5);
  });

  it('a canary with twice the error rate at 10 % traffic is rolled back, never promoted', () => {
    const regressed = simulate({ ...base, ratio: 2 }, 200, 7);
    expect(rollbackRate(regressed.ours)).toBeGreaterThanOrEqual(0.85);
    expect(regressed.ours.some((outcome) => outcome.promoted)).toBe(false);
    const delay = medianRollbackMinutes(regressed.ours);
    expect(delay).not.toBeNull();
    expect(delay!).toBeLessThan(base.looks * base.lookMinutes);
  });
});

describe('planning', () => {
  it('after the requests it says it needs, at the observed rates, the canary is promoted', () => {
    const config = parseCanaryConfig(
      'traffic: { canary_percent: 10 }\nsoak: 10m\nmetrics:\n  - { name: error_rate, events: e, trials: t }\n',
      'plan.yml',
    );
    const counts = (minutes: number, perMinute: number, rate: number): ArmCounts => {
      const trials = Float64Array.from({ length: minutes + 1 }, (_, k) => k * perMinute);
      return { trials, events: trials.map((n) => Math.round(n * rate)) };
    };
    const run = (minutes: number) =>
      analyseCanary({
        config,
        baseline: 'v1',
        canary: 'v2',
        startedAt: 0,
        now: minutes * 60_000,
        times: Array.from({ length: minutes + 1 }, (_, k) => k * 60_000),
        metrics: [
          { name: 'error_rate', baseline: counts(minutes, 900, 0.02), canary: counts(minutes, 100, 0.02) },
        ],
        source: {},
      });
    const early = run(20);
    expect(early.decision).toBe('continue');
    const needed = early.needs.canary_requests!;
    expect(early.needs.minutes).toBe(Math.ceil(needed / 100));
    const later = run(20 + Math.ceil(needed / 100));
    expect(later.decision).toBe('promote');
    // ...and not much earlier: the estimate is not padded.
    expect(run(20 + Math.floor((0.8 * needed) / 100)).decision).toBe('continue');
  });
});

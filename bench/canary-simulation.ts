// Calibration of the canary judge: simulated rollouts polled at every look, judged by ours (analyseCanary,
// which re-judges every look since the start) and by the anchors' rules on the same counts: a Flagger-style
// repeated threshold (a failed check when the last interval's canary error rate is above a limit; roll back
// after `threshold` failed checks), an Argo-style one (roll back at the first failed measurement,
// failureLimit 0) and a Kayenta-style judge (Mann-Whitney on the per-interval rates at every look; High is a
// rollback). Used by packages/canary/src/calibration.test.ts (fast, fixed seed) and bench/canary.bench.ts.
import { analyseCanary, type CanaryConfig, kayentaClassify, parseCanaryConfig } from '@mlops/canary';
import { loadYamlParser } from '@mlops/kit/yaml-source';
import { createRandom, type Random } from '@mlops/stats';

await loadYamlParser();

export interface Scenario {
  /** Requests per look, both versions together. */
  requestsPerLook: number;
  canaryShare: number;
  baselineRate: number;
  /** Canary error rate = baselineRate × ratio. */
  ratio: number;
  looks: number;
  lookMinutes: number;
}

export interface Outcome {
  rolledBack: boolean;
  /** Minutes since the start of the first look that rolled back, when it did. */
  rollbackMinutes: number | null;
  promoted: boolean;
}

export interface JudgeRates {
  ours: Outcome[];
  flagger: Outcome[];
  argo: Outcome[];
  kayenta: Outcome[];
}

export function simulationConfig(scenario: Scenario, alpha = 0.05): CanaryConfig {
  return parseCanaryConfig(
    `source: prometheus
traffic: { canary_percent: ${scenario.canaryShare * 100} }
soak: ${scenario.lookMinutes * Math.ceil(scenario.looks / 2)}m
alpha: ${alpha}
step: ${scenario.lookMinutes}m
min_requests: 50
metrics:
  - name: error_rate
    events: errors
    trials: requests
    max_increase: 0.25
`,
    'simulation.yml',
  );
}

function poisson(random: Random, mean: number): number {
  if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random.nextDouble();
  while (p > limit) {
    k++;
    p *= random.nextDouble();
  }
  return k;
}

function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
}

/** Binomial(n, p) by inversion from 0 (p small: the loop runs about n·p steps). */
function binomial(random: Random, n: number, p: number): number {
  if (n === 0 || p <= 0) return 0;
  const u = random.nextDouble();
  let k = 0;
  let probability = (1 - p) ** n;
  let cumulative = probability;
  while (u > cumulative && k < n) {
    probability *= ((n - k) / (k + 1)) * (p / (1 - p));
    k++;
    cumulative += probability;
  }
  return k;
}

export function simulate(
  scenario: Scenario,
  rollouts: number,
  seed: number,
  options: { flaggerLimitRatio?: number; flaggerThreshold?: number; alpha?: number } = {},
): JudgeRates {
  const random = createRandom(seed);
  const config = simulationConfig(scenario, options.alpha);
  const limit = scenario.baselineRate * (options.flaggerLimitRatio ?? 1.5);
  const flaggerThreshold = options.flaggerThreshold ?? 5;
  const result: JudgeRates = { ours: [], flagger: [], argo: [], kayenta: [] };
  const looks = scenario.looks;
  for (let run = 0; run < rollouts; run++) {
    const arms = [0, 1].map(() => ({
      trials: new Float64Array(looks + 1),
      events: new Float64Array(looks + 1),
    }));
    const intervalRates: [number[], number[]] = [[], []];
    let flaggerFailures = 0;
    let flagger: Outcome = { rolledBack: false, rollbackMinutes: null, promoted: false };
    let argo: Outcome = { rolledBack: false, rollbackMinutes: null, promoted: false };
    let kayenta: Outcome = { rolledBack: false, rollbackMinutes: null, promoted: false };
    for (let k = 1; k <= looks; k++) {
      const minutes = k * scenario.lookMinutes;
      for (const [arm, share, rate] of [
        [0, 1 - scenario.canaryShare, scenario.baselineRate],
        [1, scenario.canaryShare, scenario.baselineRate * scenario.ratio],
      ] as const) {
        const n = poisson(random, scenario.requestsPerLook * share);
        const e = binomial(random, n, rate);
        arms[arm]!.trials[k] = arms[arm]!.trials[k - 1]! + n;
        arms[arm]!.events[k] = arms[arm]!.events[k - 1]! + e;
        intervalRates[arm]!.push(n > 0 ? e / n : Number.NaN);
      }
      const canaryRate = intervalRates[1][k - 1]!;
      if (!flagger.rolledBack && canaryRate > limit && ++flaggerFailures >= flaggerThreshold)
        flagger = { rolledBack: true, rollbackMinutes: minutes, promoted: false };
      if (!argo.rolledBack && canaryRate > limit)
        argo = { rolledBack: true, rollbackMinutes: minutes, promoted: false };
      if (!kayenta.rolledBack && kayentaClassify(intervalRates[1], intervalRates[0]) === 'High')
        kayenta = { rolledBack: true, rollbackMinutes: minutes, promoted: false };
    }
    const startedAt = 0;
    const times = Array.from({ length: looks + 1 }, (_, k) => startedAt + k * scenario.lookMinutes * 60_000);
    const report = analyseCanary({
      config,
      baseline: 'v1',
      canary: 'v2',
      startedAt,
      now: times[looks]!,
      times,
      metrics: [{ name: 'error_rate', baseline: arms[0]!, canary: arms[1]! }],
      source: { kind: 'simulation' },
    });
    result.ours.push({
      rolledBack: report.decision === 'rollback',
      rollbackMinutes: report.metrics[0]!.rollback_at_minutes,
      promoted: report.decision === 'promote',
    });
    result.flagger.push(flagger);
    result.argo.push(argo);
    result.kayenta.push(kayenta);
  }
  return result;
}

export function rollbackRate(outcomes: readonly Outcome[]): number {
  return outcomes.filter((outcome) => outcome.rolledBack).length / outcomes.length;
}

export function medianRollbackMinutes(outcomes: readonly Outcome[]): number | null {
  const times = outcomes
    .map((outcome) => outcome.rollbackMinutes)
    .filter((minutes): minutes is number => minutes !== null)
    .sort((a, b) => a - b);
  if (times.length === 0) return null;
  const middle = Math.floor(times.length / 2);
  return times.length % 2 === 1 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
}

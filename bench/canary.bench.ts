// canary-analysis: calibration (false rollbacks of healthy canaries, detection of a 2x error rate, the
// anchors' rules on the same simulated counts) and speed (judging 4 h of 15 s looks for 10 metrics, the
// queries aside). Figures go to bench/canary.md. Run: npm run bench -- canary
import { type AnalysisInput, type ArmCounts, analyseCanary, parseCanaryConfig } from '@mlops/canary';
import { loadYamlParser } from '@mlops/kit/yaml-source';
import { medianRollbackMinutes, rollbackRate, type Scenario, simulate } from './canary-simulation.ts';

const ROLLOUTS = Number(process.env.BENCH_ROLLOUTS ?? 1000);
const base: Omit<Scenario, 'ratio'> = {
  requestsPerLook: 2000,
  canaryShare: 0.1,
  baselineRate: 0.01,
  looks: 16,
  lookMinutes: 5,
};
const share = (outcomes: { promoted: boolean }[]) =>
  outcomes.filter((outcome) => outcome.promoted).length / outcomes.length;
const calibration: Record<string, unknown> = {};
for (const [name, ratio, seed] of [
  ['healthy', 1, 1],
  ['errors-1.5x', 1.5, 3],
  ['errors-2x', 2, 2],
] as const) {
  const started = performance.now();
  const rates = simulate({ ...base, ratio }, ROLLOUTS, seed);
  calibration[name] = {
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    rollback: Object.fromEntries(
      Object.entries(rates).map(([judge, outcomes]) => [judge, rollbackRate(outcomes)]),
    ),
    median_rollback_minutes: Object.fromEntries(
      Object.entries(rates).map(([judge, outcomes]) => [judge, medianRollbackMinutes(outcomes)]),
    ),
    ours_promoted: share(rates.ours),
  };
  console.log(name, JSON.stringify(calibration[name]));
}

// Speed: 4 hours of 15-second looks (961) for 10 metrics, one analyseCanary call (every look re-judged).
const looks = 4 * 60 * 4 + 1;
const metricCount = 10;
await loadYamlParser();
const config = parseCanaryConfig(
  `source: prometheus
traffic: { canary_percent: 10 }
soak: 30m
step: 15s
metrics:
${Array.from({ length: metricCount }, (_, index) => `  - { name: m${index}, events: e${index}, trials: t${index} }`).join('\n')}
`,
  'speed.yml',
);
function arm(perLook: number, rate: number, seed: number): ArmCounts {
  let state = seed;
  const trials = new Float64Array(looks);
  const events = new Float64Array(looks);
  for (let k = 1; k < looks; k++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const jitter = Math.round((state / 2147483648 - 0.5) * 0.2 * perLook);
    trials[k] = trials[k - 1]! + perLook + jitter;
    events[k] = Math.round(trials[k]! * rate);
  }
  return { trials, events };
}
const input: AnalysisInput = {
  config,
  baseline: 'v1',
  canary: 'v2',
  startedAt: 0,
  now: (looks - 1) * 15_000,
  times: Array.from({ length: looks }, (_, k) => k * 15_000),
  metrics: Array.from({ length: metricCount }, (_, index) => ({
    name: `m${index}`,
    baseline: arm(1350, 0.01 + index * 0.002, index + 1),
    canary: arm(150, (0.01 + index * 0.002) * (index === 9 ? 1.1 : 1), index + 101),
  })),
  source: { kind: 'bench' },
};
const timings: number[] = [];
for (let repeat = 0; repeat < 7; repeat++) {
  const started = performance.now();
  analyseCanary(input);
  timings.push(performance.now() - started);
}
timings.sort((a, b) => a - b);
const speed = {
  looks,
  metrics: metricCount,
  median_ms: Number(timings[3]!.toFixed(1)),
  min_ms: Number(timings[0]!.toFixed(1)),
};
console.log('speed', JSON.stringify(speed));
console.log(JSON.stringify({ bench: 'canary', rollouts: ROLLOUTS, scenario: base, calibration, speed }));

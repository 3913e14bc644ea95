// Latency bounds judged with their noise: an absolute ceiling on the challenger's percentile (point
// estimate), and a regression ratio judged on the upper end of the bootstrap interval of
// challenger / champion, the same burden of proof as the metric's non-inferiority margin.
import type { LatencyConfig } from './config-types.ts';
import type { LatencyResult } from './latency.ts';
import type { GateResult } from './report-types.ts';

export function evaluateLatency(result: LatencyResult, config: LatencyConfig): GateResult[] {
  const gates: GateResult[] = [];
  for (const percentile of result.percentiles) {
    const bound = config.bounds[percentile.key];
    if (!bound) continue;
    const label = percentile.key.replace('_ms', '').toUpperCase();
    if (bound.max !== undefined) {
      const value = percentile.challenger.value;
      const passed = value <= bound.max;
      gates.push({
        name: `latency ${percentile.key} max`,
        kind: 'latency',
        passed,
        severity: 'error',
        observed: value,
        threshold: { max: bound.max },
        ci: percentile.challenger.ci,
        message: `challenger ${label} ${ms(value)} ms (CI ${ms(percentile.challenger.ci[0])}–${ms(percentile.challenger.ci[1])}) ${passed ? 'is within' : 'is above'} the maximum ${bound.max} ms`,
      });
    }
    if (bound.max_regression_ratio !== undefined) {
      const limit = bound.max_regression_ratio;
      if (!percentile.ratio) {
        gates.push({
          name: `latency ${percentile.key} regression`,
          kind: 'latency',
          passed: false,
          severity: 'warning',
          observed: null,
          threshold: { max_regression_ratio: limit },
          message: `${label} regression not checked: no latency samples for the champion ('${config.champion}') in ${result.file}`,
        });
        continue;
      }
      const [low, high] = percentile.ratio.ci;
      const passed = high <= limit;
      gates.push({
        name: `latency ${percentile.key} regression`,
        kind: 'latency',
        passed,
        severity: 'error',
        observed: percentile.ratio.value,
        threshold: { max_regression_ratio: limit },
        ci: [low, high],
        message: passed
          ? `challenger ${label} is ${ratio(percentile.ratio.value)}x the champion's (CI ${ratio(low)}–${ratio(high)}), within ${limit}x`
          : `challenger ${label} may be more than ${limit}x the champion's: ratio ${ratio(percentile.ratio.value)}x, CI ${ratio(low)}–${ratio(high)} (${ms(percentile.challenger.value)} vs ${ms(percentile.champion!.value)} ms)`,
      });
    }
  }
  return gates;
}

function ms(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

function ratio(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

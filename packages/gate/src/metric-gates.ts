// The gates of one metric on one set of rows: absolute floors and ceilings (on the estimate or on the
// conservative end of its interval), non-inferiority within a margin, and superiority, from the comparison.
import type { ResolvedGate } from './comparison-plan.ts';
import { fmt, fmtInterval, fmtP, pct, signed } from './format.ts';
import { metricInfo } from './metric-catalog.ts';
import type { ComparisonReport, GateResult } from './report-types.ts';

export interface GateNaming {
  name: string;
  /** The challenger's interval of the metric, computed only when absolute_on is interval. */
  interval: () => [number, number];
}

/** Absolute, non-inferiority and superiority gates of one metric. */
export function metricGates(
  metric: string,
  gate: ResolvedGate,
  estimate: number | null,
  comparison: ComparisonReport | undefined,
  naming: GateNaming,
): GateResult[] {
  const results: GateResult[] = [];
  if (gate.min !== undefined || gate.max !== undefined)
    results.push(absoluteGate(metric, gate, estimate, naming));
  if (comparison) results.push(...comparisonGates(metric, gate, comparison, naming.name));
  return results;
}

/** The floor and / or ceiling of one metric; on the interval when absolute_on is interval. */
function absoluteGate(
  metric: string,
  gate: ResolvedGate,
  estimate: number | null,
  naming: GateNaming,
): GateResult {
  const threshold: Record<string, number> = {};
  if (gate.min !== undefined) threshold.min = gate.min;
  if (gate.max !== undefined) threshold.max = gate.max;
  let ci: [number, number] | undefined;
  if (gate.absolute_on === 'interval' && estimate !== null) ci = naming.interval();
  // On the interval, a floor is judged on the lower end and a ceiling on the upper end: the bound must hold
  // for every value the data cannot rule out.
  const low = ci ? ci[0] : estimate;
  const high = ci ? ci[1] : estimate;
  const problems: string[] = [];
  if (estimate === null) problems.push('is undefined on these rows');
  else {
    if (gate.min !== undefined && low! < gate.min) {
      problems.push(
        `${ci ? `lower confidence bound ${fmt(low!)}` : fmt(low!)} is below the minimum ${gate.min}`,
      );
    }
    if (gate.max !== undefined && high! > gate.max) {
      problems.push(
        `${ci ? `upper confidence bound ${fmt(high!)}` : fmt(high!)} is above the maximum ${gate.max}`,
      );
    }
  }
  const result: GateResult = {
    name: `${naming.name} ${gate.min !== undefined && gate.max !== undefined ? 'range' : gate.min !== undefined ? 'min' : 'max'}`,
    kind: 'absolute',
    passed: problems.length === 0,
    severity: 'error',
    observed: estimate,
    threshold,
    message:
      problems.length === 0
        ? `${metric} ${fmt(estimate!)}${ci ? ` (CI [${fmt(ci[0])}, ${fmt(ci[1])}])` : ''} ${describeBounds(threshold)}`
        : `${metric} ${problems.join(' and ')}`,
  };
  if (ci) result.ci = ci;
  return result;
}

/** Non-inferiority (max_regression) and superiority (require_improvement) from the paired comparison. */
function comparisonGates(
  metric: string,
  gate: ResolvedGate,
  comparison: ComparisonReport,
  name: string,
): GateResult[] {
  const info = metricInfo(metric);
  const results: GateResult[] = [];
  const [lower] = comparison.improvement_ci;
  const betterWord = info.higherIsBetter ? 'higher' : 'lower';
  if (gate.max_regression !== undefined) {
    const passed = lower > -gate.max_regression;
    results.push({
      name: `${name} non-inferiority`,
      kind: 'non_inferiority',
      passed,
      severity: 'error',
      observed: comparison.difference,
      threshold: { max_regression: gate.max_regression },
      ci: comparison.ci,
      message: passed
        ? `the challenger is at most ${gate.max_regression} worse than the champion on ${metric} with ${pct(comparison.confidence)} confidence (difference ${signed(comparison.difference)}, CI ${fmtInterval(comparison.ci)}, ${comparison.method})`
        : `the challenger may be worse than the champion by more than ${gate.max_regression} on ${metric}: the CI of the difference ${fmtInterval(comparison.ci)} (${comparison.method}) reaches ${signed(info.higherIsBetter ? comparison.ci[0] : comparison.ci[1])}`,
    });
  }
  if (gate.require_improvement) {
    const passed = lower > 0;
    results.push({
      name: `${name} improvement`,
      kind: 'superiority',
      passed,
      severity: 'error',
      observed: comparison.difference,
      threshold: { min_improvement: 0 },
      ci: comparison.ci,
      message: passed
        ? `the challenger's ${metric} is ${betterWord} than the champion's with ${pct(comparison.confidence)} confidence (difference ${signed(comparison.difference)}, CI ${fmtInterval(comparison.ci)}, ${comparison.method}, p ${fmtP(comparison.p_value)})`
        : `no evidence that the challenger's ${metric} is ${betterWord}: the CI of the difference ${fmtInterval(comparison.ci)} (${comparison.method}, p ${fmtP(comparison.p_value)}) does not lie entirely on the better side of zero`,
    });
  }
  return results;
}

function describeBounds(threshold: Record<string, number>): string {
  if (threshold.min !== undefined && threshold.max !== undefined)
    return `is within [${threshold.min}, ${threshold.max}]`;
  return threshold.min !== undefined
    ? `meets the minimum ${threshold.min}`
    : `meets the maximum ${threshold.max}`;
}

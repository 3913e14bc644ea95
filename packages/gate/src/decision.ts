// From gate results to the verdict, and the one plain sentence that says why.
import { fmt, fmtInterval, pct } from './format.ts';
import type { Decision, GateReport, GateResult } from './report-types.ts';

/**
 * passed: no gate of severity error failed. decision: promote when passed; otherwise retain-champion when the
 * only failures are "no evidence of improvement" (the challenger is acceptable, just not shown better), and
 * reject when the challenger failed a floor, a non-inferiority margin, a slice, fairness or latency gate.
 */
export function decide(
  gates: readonly GateResult[],
  hasChampion: boolean,
): { passed: boolean; decision: Decision } {
  const failed = gates.filter((gate) => !gate.passed && gate.severity === 'error');
  if (failed.length === 0) return { passed: true, decision: 'promote' };
  if (hasChampion && failed.every((gate) => gate.kind === 'superiority'))
    return { passed: false, decision: 'retain-champion' };
  return { passed: false, decision: 'reject' };
}

const MAX_LISTED = 3;

/** One or two sentences a reviewer reads first: the verdict, the primary comparison, and what failed. */
export function explain(report: GateReport): string {
  const errors = report.gates.filter((gate) => gate.severity === 'error');
  const failed = errors.filter((gate) => !gate.passed);
  const warned = report.gates.filter((gate) => gate.severity === 'warning' && !gate.passed);
  const primary = report.settings.primary_metric;
  const challenger = report.models.challenger.metrics[primary];
  const comparison = report.comparison;
  let headline: string;
  if (comparison) {
    const champion = report.models.champion?.metrics[primary];
    headline = `the challenger's ${primary} is ${fmtMaybe(challenger)} vs the champion's ${fmtMaybe(champion)} (difference ${fmtSigned(comparison.difference)}, ${pct(comparison.confidence)} CI ${fmtInterval(comparison.ci)}, ${methodName(comparison.method)})`;
  } else {
    headline = `there is no champion to compare with, so only absolute gates ran; the challenger's ${primary} is ${fmtMaybe(challenger)}`;
  }
  const warning =
    warned.length > 0
      ? ` ${warned.length === 1 ? 'One warning' : `${warned.length} warnings`}: ${warned
          .slice(0, MAX_LISTED)
          .map((gate) => gate.message)
          .join('; ')}.`
      : '';
  if (report.decision === 'promote') {
    const count = errors.length === 1 ? 'the one gate' : `all ${errors.length} gates`;
    return `Promote: ${headline}, and ${errors.length === 0 ? 'no gate was configured' : `${count} passed`}.${warning}`;
  }
  const reasons = failed
    .slice(0, MAX_LISTED)
    .map((gate) => gate.message)
    .join('; ');
  const more = failed.length > MAX_LISTED ? ` (and ${failed.length - MAX_LISTED} more)` : '';
  if (report.decision === 'retain-champion') {
    return `Keep the champion: ${headline}; the challenger passed every other gate, but ${reasons}.${warning}`;
  }
  return `Reject: ${failed.length} of ${errors.length} gates failed: ${reasons}${more}. For reference, ${headline}.${warning}`;
}

function methodName(method: string): string {
  return method === 'delong' ? 'DeLong' : method === 'mcnemar' ? 'McNemar / Tango' : 'paired bootstrap';
}

function fmtMaybe(value: number | null | undefined): string {
  return value === null || value === undefined ? 'undefined' : fmt(value);
}

function fmtSigned(value: number): string {
  return `${value > 0 ? '+' : ''}${fmt(value)}`;
}

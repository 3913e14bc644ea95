// Per-slice gates: the rows of each group of a column get the same metrics table, comparisons and metric
// gates as the whole file, after a minimum-support check that says "not enough data" instead of passing.
import { challengerInterval } from './comparison.ts';
import { type ResolvedGate, resolveGate, startComparisons } from './comparison-plan.ts';
import type { GateConfig, SliceConfig } from './config-types.ts';
import { metricInfo } from './metric-catalog.ts';
import { metricGates } from './metric-gates.ts';
import { metricsTable } from './metrics-table.ts';
import { type MetricContext, needsBothClasses } from './model-metrics.ts';
import type { Predictions } from './predictions.ts';
import type { GateResult, SliceReport } from './report-types.ts';
import { type ModelOrders, ordersByGroup } from './score-orders.ts';
import { groupRows, subsetPredictions } from './slices.ts';

interface SliceSettings {
  primary: string;
  context: MetricContext;
  config: GateConfig;
  /** The whole file's score orders, computed on first use. */
  orders: (() => ModelOrders) | undefined;
}

/** Every group of one slice column: a report per group and its gates. */
export function evaluateSlices(
  predictions: Predictions,
  slice: SliceConfig,
  settings: SliceSettings,
): { reports: SliceReport[]; gates: GateResult[] } {
  const groups = groupRows(predictions.groups[slice.column]!, slice.groups);
  const ordersOf = groupOrders(groups, settings.orders, predictions.n);
  const metrics = Object.keys(slice.metrics);
  const shown = [...new Set([settings.primary, ...metrics])].filter((metric) =>
    metricInfo(metric).tasks.includes(predictions.task),
  );
  const classSensitive =
    predictions.task === 'binary' &&
    metrics.some((metric) => needsBothClasses(metric) || ['precision', 'recall', 'f1'].includes(metric));
  const largestK = Math.max(0, ...metrics.map((metric) => metricInfo(metric).k ?? 0));
  const reports: SliceReport[] = [];
  const gates: GateResult[] = [];
  for (const [group, rows] of groups) {
    const subset = subsetPredictions(predictions, rows);
    const positives = predictions.task === 'binary' ? countPositives(subset.labels) : undefined;
    const report: SliceReport = {
      column: slice.column,
      group,
      n: rows.length,
      ...(positives !== undefined ? { positives } : {}),
      metrics: { challenger: {} },
      status: 'passed',
      passed: true,
      message: '',
    };
    reports.push(report);
    const lacking = lackingSupport(slice, rows.length, classSensitive ? positives : undefined, largestK);
    if (lacking) {
      gates.push(insufficientGate(slice, report, lacking));
      continue;
    }
    const orders = ordersOf && (() => ordersOf(group));
    gates.push(...evaluateGroup(subset, slice, report, shown, { ...settings, orders }));
  }
  return { reports, gates };
}

/** Each group's score orders from the whole file's, made for every group at once on first use. */
function groupOrders(
  groups: Map<string, Int32Array>,
  orders: (() => ModelOrders) | undefined,
  total: number,
): ((group: string) => ModelOrders) | undefined {
  if (!orders) return undefined;
  let byGroup: ModelOrders[] | undefined;
  const groupIndex = new Map([...groups.keys()].map((group, g) => [group, g]));
  return (group) => {
    byGroup ??= ordersByGroup(orders(), [...groups.values()], total);
    return byGroup[groupIndex.get(group)!]!;
  };
}

/**
 * Why a group has too little data, or undefined. `positives` only when a gated metric needs both classes;
 * `largestK` the largest cut-off of the slice's metrics at k (0 without one).
 */
function lackingSupport(
  slice: SliceConfig,
  n: number,
  positives: number | undefined,
  largestK: number,
): string | undefined {
  if (n < slice.min_support) return `${n} rows, at least ${slice.min_support} needed`;
  if (n < largestK) return `${n} rows, fewer than the k = ${largestK} of a metric at k`;
  if (positives !== undefined && Math.min(positives, n - positives) < slice.min_class_support) {
    return `${positives} positive and ${n - positives} negative rows, at least ${slice.min_class_support} of each needed`;
  }
  return undefined;
}

function insufficientGate(slice: SliceConfig, report: SliceReport, lacking: string): GateResult {
  const name = `slice ${slice.column}=${report.group}`;
  const warn = slice.on_insufficient === 'warn';
  report.status = 'insufficient';
  report.passed = false;
  report.message = `not enough data: ${lacking}`;
  return {
    name,
    kind: 'slice',
    passed: false,
    severity: warn ? 'warning' : 'error',
    observed: null,
    threshold: { min_support: slice.min_support },
    message: `${name}: ${report.message}${warn ? ' (warning only: on_insufficient is warn)' : ''}`,
  };
}

/** The metrics table and the metric gates of one group with enough data; fills in its report. */
function evaluateGroup(
  subset: Predictions,
  slice: SliceConfig,
  report: SliceReport,
  shown: readonly string[],
  settings: SliceSettings,
): GateResult[] {
  const { config, context } = settings;
  const name = `slice ${slice.column}=${report.group}`;
  const gates: Record<string, ResolvedGate> = {};
  for (const [metric, raw] of Object.entries(slice.metrics)) {
    gates[metric] = resolveGate(metric, raw, {
      weighted: subset.weights !== undefined,
      require_improvement: false,
      absolute_on: config.absolute_on,
    }).gate;
  }
  // Comparisons first: DeLong and the bootstrap compute both models' values on the way, which saves
  // sorting each group again for the metrics table.
  const comparisonSettings = { confidence: config.confidence, bootstrap: config.bootstrap, context };
  const plan = startComparisons(subset, gates, {
    ...comparisonSettings,
    ...(settings.orders ? { orders: settings.orders } : {}),
  });
  const compared = new Map([...plan.started].map(([metric, started]) => [metric, started.finish().report]));
  report.metrics = metricsTable(subset, shown, context, plan.known);
  const results: GateResult[] = [];
  for (const [metric, gate] of Object.entries(gates)) {
    results.push(
      ...metricGates(metric, gate, report.metrics.challenger[metric] ?? null, compared.get(metric), {
        name: `${name} ${metric}`,
        interval: challengerInterval(subset, metric, comparisonSettings),
      }).map((result) => ({ ...result, kind: 'slice' as const })),
    );
  }
  const failed = results.filter((result) => !result.passed);
  report.passed = failed.length === 0;
  report.status = report.passed ? 'passed' : 'failed';
  report.message = report.passed
    ? `${subset.n} rows; every slice gate passed`
    : failed.map((result) => result.message).join('; ');
  return results;
}

export function countPositives(labels: Float64Array): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  return positives;
}

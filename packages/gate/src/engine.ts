// The decision engine: validated config + typed predictions -> every gate, the decision and the report.
// Pure: no file or runner access (latency samples come in already read), so it is tested directly.
import { UserError } from '@mlops/kit';
import { EVALUATE_GATE_SCHEMA } from '@mlops/schemas';
import { type CompareOptions, modelInterval, type StartedComparison, startComparison } from './comparison.ts';
import type {
  AbsoluteOn,
  ComparisonMethod,
  GateConfig,
  MetricGateConfig,
  SliceConfig,
  Task,
} from './config-types.ts';
import { calibrationCurve, rocCurvePoints } from './curves.ts';
import { decide, explain } from './decision.ts';
import { evaluateFairness } from './fairness-gates.ts';
import { fmt, fmtInterval, fmtP, pct, signed } from './format.ts';
import { latencyPercentiles } from './latency.ts';
import { evaluateLatency } from './latency-gates.ts';
import {
  DEFAULT_PRIMARY,
  METRICS,
  MULTICLASS_PROBABILITY_METRICS,
  metricInfo,
  needsProbabilities,
  REPORTED_METRICS,
} from './metric-catalog.ts';
import { hasBothClasses, type MetricContext, modelMetrics, needsBothClasses } from './model-metrics.ts';
import type { Predictions } from './predictions.ts';
import type {
  ComparisonReport,
  FairnessReport,
  GateReport,
  GateResult,
  MetricValues,
  SliceReport,
} from './report-types.ts';
import { lazyOrders, type ModelOrders, ordersByGroup } from './score-orders.ts';
import { groupRows, subsetPredictions } from './slices.ts';

export interface LatencyInput {
  file: string;
  samples: { challenger: Float64Array; champion?: Float64Array };
}

export interface EvaluateOptions {
  /** The predictions file as the user named it (for the report). */
  predictionsFile: string;
  latency?: LatencyInput;
}

/** A metric's gate with the file-level defaults applied. */
interface ResolvedGate extends MetricGateConfig {
  method: ComparisonMethod;
  require_improvement: boolean;
  absolute_on: AbsoluteOn;
}

/**
 * Evaluates every gate of `config` on `predictions`.
 * @throws UserError when the gate cannot be evaluated as configured (a metric for another task, a ranking
 * metric with one class, fairness on a regression task).
 */
export function evaluateGate(
  predictions: Predictions,
  config: GateConfig,
  options: EvaluateOptions,
): GateReport {
  const task = predictions.task;
  const warnings: string[] = [];
  const configured =
    Object.keys(config.metrics).length > 0 ? config.metrics : { [DEFAULT_PRIMARY[task]]: {} };
  const primary = config.primary ?? Object.keys(configured)[0]!;
  const gates = resolveGates(configured, primary, config, task, predictions, warnings);
  checkGateable(predictions, config, gates);

  const context: MetricContext = {
    task,
    threshold: config.threshold,
    bins: config.calibration_bins,
    ...(predictions.classes ? { classes: predictions.classes.length } : {}),
  };
  // Comparisons first: DeLong and the AUC bootstrap compute both models' AUCs on the way, which saves a
  // sort of every row per model for the metrics table. Both models' score orders are sorted once and shared
  // by every comparison that walks the rows in score order, on the whole file and on each slice group. An
  // AUC bootstrap only starts here: its worker threads resample while this thread computes the metrics
  // table, the slices, fairness and latency; its report is finished (the rest of the resamples made here)
  // when the gates need it.
  const orders = predictions.champion ? lazyOrders(predictions) : undefined;
  const started = new Map<string, StartedComparison>();
  const known: Record<string, [number, number]> = {};
  for (const [metric, gate] of Object.entries(gates)) {
    const needsComparison =
      metric === primary || gate.max_regression !== undefined || gate.require_improvement;
    if (!predictions.champion || !needsComparison) continue;
    const comparison = startComparison(predictions, metric, {
      method: gate.method,
      confidence: config.confidence,
      bootstrap: config.bootstrap,
      context,
      ...(gate.max_regression !== undefined ? { margin: gate.max_regression } : {}),
      ...(orders ? { orders } : {}),
    });
    started.set(metric, comparison);
    if (comparison.estimates) known[metric] = comparison.estimates;
  }
  const reported = [
    ...new Set([
      ...REPORTED_METRICS[task],
      ...(predictions.probabilities ? MULTICLASS_PROBABILITY_METRICS : []),
      ...Object.keys(gates),
    ]),
  ];
  const missing = reported.filter((metric) => known[metric] === undefined);
  // average_precision walks the rows in score order: the shared orders save its sorts (when sorted anyway).
  const sortedOrders =
    orders && task === 'binary' && missing.includes('average_precision') ? orders() : undefined;
  const challengerMetrics = modelMetrics(
    missing,
    predictions.labels,
    predictions.challenger,
    context,
    predictions.weights,
    predictions.probabilities?.challenger,
    sortedOrders?.challenger,
  );
  const championMetrics = predictions.champion
    ? modelMetrics(
        missing,
        predictions.labels,
        predictions.champion,
        context,
        predictions.weights,
        predictions.probabilities?.champion,
        sortedOrders?.champion,
      )
    : undefined;
  for (const [metric, [challengerValue, championValue]] of Object.entries(known)) {
    challengerMetrics[metric] = challengerValue;
    if (championMetrics) championMetrics[metric] = championValue;
  }

  const slices: SliceReport[] = [];
  const sliceGates: GateResult[] = [];
  for (const slice of config.slices) {
    const evaluated = evaluateSlices(predictions, slice, primary, context, config, orders);
    slices.push(...evaluated.reports);
    sliceGates.push(...evaluated.gates);
  }
  const fairness: FairnessReport[] = [];
  const fairnessGates: GateResult[] = [];
  for (const entry of config.fairness) {
    const evaluated = evaluateFairness(predictions, entry, config.threshold);
    fairness.push(evaluated.report);
    fairnessGates.push(evaluated.gate);
  }
  let latency: GateReport['latency'];
  const latencyGates: GateResult[] = [];
  if (config.latency && options.latency) {
    const keys = Object.keys(config.latency.bounds) as (keyof typeof config.latency.bounds)[];
    latency = latencyPercentiles(options.latency.samples, keys, {
      confidence: config.confidence,
      resamples: config.bootstrap.resamples,
      seed: config.bootstrap.seed,
      file: options.latency.file,
    });
    latencyGates.push(...evaluateLatency(latency, config.latency));
  }
  const curvesReport = task === 'binary' ? curves(predictions, config.calibration_bins) : undefined;

  const comparisonOf = new Map<string, ComparisonReport>();
  for (const [metric, comparison] of started) comparisonOf.set(metric, comparison.finish().report);
  const results: GateResult[] = [];
  const comparisons: ComparisonReport[] = [...comparisonOf.values()];
  for (const [metric, gate] of Object.entries(gates)) {
    const comparison = comparisonOf.get(metric);
    results.push(
      ...metricGates(metric, gate, challengerMetrics[metric] ?? null, comparison, {
        name: metric,
        interval: () =>
          modelInterval(predictions.labels, predictions.challenger, metric, {
            confidence: config.confidence,
            bootstrap: config.bootstrap,
            context,
            ...(predictions.weights ? { weights: predictions.weights } : {}),
            ...(predictions.probabilities ? { probabilities: predictions.probabilities.challenger } : {}),
          }),
      }),
    );
    if (!predictions.champion && (gate.max_regression !== undefined || gate.require_improvement)) {
      warnings.push(
        `${metric}: ${gate.require_improvement ? 'require_improvement' : 'max_regression'} not checked: there is no champion to compare with`,
      );
    }
  }
  results.push(...sliceGates, ...fairnessGates, ...latencyGates);

  const primaryComparison = comparisons.find((comparison) => comparison.metric === primary) ?? null;
  const { passed, decision } = decide(results, predictions.champion !== undefined);
  const report: GateReport = {
    schema: EVALUATE_GATE_SCHEMA,
    passed,
    decision,
    explanation: '',
    task,
    n: predictions.n,
    ...(task === 'binary'
      ? { positives: countPositives(predictions.labels), threshold: config.threshold }
      : {}),
    ...(predictions.classes && task === 'multiclass' ? { classes: predictions.classes } : {}),
    has_champion: predictions.champion !== undefined,
    ...(predictions.championMissing ? { champion_note: predictions.championMissing } : {}),
    predictions: {
      file: options.predictionsFile,
      label_column: predictions.columns.label,
      challenger_column: predictions.columns.challenger,
      champion_column: predictions.champion ? predictions.columns.champion : null,
    },
    models: {
      challenger: { metrics: orderedMetrics(reported, challengerMetrics) },
      ...(championMetrics ? { champion: { metrics: orderedMetrics(reported, championMetrics) } } : {}),
    },
    comparison: primaryComparison,
    comparisons,
    slices,
    fairness,
    ...(latency ? { latency } : {}),
    gates: results,
    ...(curvesReport ? { curves: curvesReport } : {}),
    settings: {
      primary_metric: primary,
      confidence: config.confidence,
      require_improvement: config.require_improvement,
      absolute_on: config.absolute_on,
      bootstrap: { ...config.bootstrap },
    },
    warnings,
  };
  report.explanation = explain(report);
  return report;
}

function resolveGates(
  configured: Record<string, MetricGateConfig>,
  primary: string,
  config: GateConfig,
  task: Task,
  predictions: Predictions,
  warnings: string[],
): Record<string, ResolvedGate> {
  const gates: Record<string, ResolvedGate> = {};
  for (const [metric, gate] of Object.entries(configured)) {
    const info = METRICS[metric]!;
    if (!info.tasks.includes(task)) {
      throw new UserError(
        `metric '${metric}' is for ${info.tasks.join(' / ')} models but the task is ${task}; ${task} metrics: ${Object.values(
          METRICS,
        )
          .filter((candidate) => candidate.tasks.includes(task))
          .map((candidate) => candidate.name)
          .join(', ')}`,
      );
    }
    let method = gate.method ?? info.defaultMethod;
    if (predictions.weights && method !== 'bootstrap') {
      warnings.push(
        `${metric}: ${method} has no weighted form; compared with the weighted paired bootstrap instead`,
      );
      method = 'bootstrap';
    }
    gates[metric] = {
      ...gate,
      method,
      require_improvement: gate.require_improvement ?? (metric === primary && config.require_improvement),
      absolute_on: gate.absolute_on ?? config.absolute_on,
    };
  }
  return gates;
}

/** Refuses configurations the data cannot answer, before any heavy work. */
function checkGateable(
  predictions: Predictions,
  config: GateConfig,
  gates: Record<string, ResolvedGate>,
): void {
  if (predictions.task === 'binary' && !hasBothClasses(predictions.labels)) {
    const only = predictions.labels[0] === 1 ? 'positive' : 'negative';
    const ranking = Object.keys(gates).filter(needsBothClasses);
    if (ranking.length > 0) {
      throw new UserError(
        `every label is ${only}: ${ranking.join(', ')} cannot be computed with one class; evaluate on rows with both classes`,
      );
    }
  }
  const wanted = [...Object.keys(gates), ...config.slices.flatMap((slice) => Object.keys(slice.metrics))];
  const needing = wanted.filter((metric) => needsProbabilities(metric, predictions.task));
  if (needing.length > 0 && !predictions.probabilities) {
    throw new UserError(
      `${needing.join(', ')} on a multiclass task need per-class probabilities: columns ${predictions.columns.challenger}_<class> (and ${predictions.columns.champion}_<class>) instead of one predicted-class column`,
    );
  }
  if (config.fairness.length > 0 && predictions.task !== 'binary') {
    throw new UserError(
      `fairness gates need a binary task (selection rates at a threshold); the task is ${predictions.task}`,
    );
  }
  for (const slice of config.slices) {
    for (const metric of Object.keys(slice.metrics)) {
      if (!METRICS[metric]!.tasks.includes(predictions.task)) {
        throw new UserError(
          `slices by '${slice.column}': metric '${metric}' is not a ${predictions.task} metric`,
        );
      }
    }
  }
}

interface GateNaming {
  name: string;
  /** The challenger's interval of the metric, computed only when absolute_on is interval. */
  interval: () => [number, number];
}

/** Absolute, non-inferiority and superiority gates of one metric. */
function metricGates(
  metric: string,
  gate: ResolvedGate,
  estimate: number | null,
  comparison: ComparisonReport | undefined,
  naming: GateNaming,
): GateResult[] {
  const info = metricInfo(metric);
  const results: GateResult[] = [];
  if (gate.min !== undefined || gate.max !== undefined) {
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
    results.push(result);
  }
  if (!comparison) return results;
  const [lower] = comparison.improvement_ci;
  const betterWord = info.higherIsBetter ? 'higher' : 'lower';
  if (gate.max_regression !== undefined) {
    const passed = lower > -gate.max_regression;
    results.push({
      name: `${naming.name} non-inferiority`,
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
      name: `${naming.name} improvement`,
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

function evaluateSlices(
  predictions: Predictions,
  slice: SliceConfig,
  primary: string,
  context: MetricContext,
  config: GateConfig,
  orders: (() => ModelOrders) | undefined,
): { reports: SliceReport[]; gates: GateResult[] } {
  const groups = groupRows(predictions.groups[slice.column]!, slice.groups);
  // Each group's score orders from the whole file's, made for every group at once on first use.
  let groupOrders: ModelOrders[] | undefined;
  const groupIndex = new Map([...groups.keys()].map((group, g) => [group, g]));
  const ordersOf = (group: string) => () => {
    groupOrders ??= ordersByGroup(orders!(), [...groups.values()], predictions.n);
    return groupOrders[groupIndex.get(group)!]!;
  };
  const metrics = Object.keys(slice.metrics);
  const shown = [...new Set([primary, ...metrics])].filter((metric) =>
    METRICS[metric]!.tasks.includes(predictions.task),
  );
  const classSensitive =
    predictions.task === 'binary' &&
    metrics.some((metric) => needsBothClasses(metric) || ['precision', 'recall', 'f1'].includes(metric));
  const reports: SliceReport[] = [];
  const gates: GateResult[] = [];
  for (const [group, rows] of groups) {
    const subset = subsetPredictions(predictions, rows);
    const positives = predictions.task === 'binary' ? countPositives(subset.labels) : undefined;
    const name = `slice ${slice.column}=${group}`;
    const lacking: string[] = [];
    if (rows.length < slice.min_support)
      lacking.push(`${rows.length} rows, at least ${slice.min_support} needed`);
    else if (classSensitive && positives !== undefined) {
      const smaller = Math.min(positives, rows.length - positives);
      if (smaller < slice.min_class_support) {
        lacking.push(
          `${positives} positive and ${rows.length - positives} negative rows, at least ${slice.min_class_support} of each needed`,
        );
      }
    }
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
    if (lacking.length > 0) {
      report.status = 'insufficient';
      report.passed = false;
      report.message = `not enough data: ${lacking.join('; ')}`;
      gates.push({
        name,
        kind: 'slice',
        passed: false,
        severity: slice.on_insufficient === 'warn' ? 'warning' : 'error',
        observed: null,
        threshold: { min_support: slice.min_support },
        message: `${name}: ${report.message}${slice.on_insufficient === 'warn' ? ' (warning only: on_insufficient is warn)' : ''}`,
      });
      continue;
    }
    // Comparisons first: DeLong and the bootstrap compute both models' values on the way, which saves
    // sorting each group again for the metrics table.
    const resolved: [string, ResolvedGate, ComparisonReport | undefined][] = [];
    const known: Record<string, [number, number]> = {};
    for (const [metric, raw] of Object.entries(slice.metrics)) {
      const gate: ResolvedGate = {
        ...raw,
        method: predictions.weights ? 'bootstrap' : (raw.method ?? METRICS[metric]!.defaultMethod),
        require_improvement: false,
        absolute_on: raw.absolute_on ?? config.absolute_on,
      };
      let comparison: ComparisonReport | undefined;
      if (subset.champion && gate.max_regression !== undefined) {
        const compareOptions: CompareOptions = {
          method: gate.method,
          confidence: config.confidence,
          bootstrap: config.bootstrap,
          context,
          margin: gate.max_regression,
          ...(orders ? { orders: ordersOf(group) } : {}),
        };
        const compared = startComparison(subset, metric, compareOptions).finish();
        comparison = compared.report;
        if (compared.estimates) known[metric] = compared.estimates;
      }
      resolved.push([metric, gate, comparison]);
    }
    const missing = shown.filter((metric) => known[metric] === undefined);
    report.metrics.challenger = modelMetrics(
      missing,
      subset.labels,
      subset.challenger,
      context,
      subset.weights,
      subset.probabilities?.challenger,
    );
    if (subset.champion) {
      report.metrics.champion = modelMetrics(
        missing,
        subset.labels,
        subset.champion,
        context,
        subset.weights,
        subset.probabilities?.champion,
      );
    }
    for (const [metric, [challengerValue, championValue]] of Object.entries(known)) {
      report.metrics.challenger[metric] = challengerValue;
      if (report.metrics.champion) report.metrics.champion[metric] = championValue;
    }
    // Keep the table's columns in a stable order whatever was computed where.
    report.metrics.challenger = orderedMetrics(shown, report.metrics.challenger);
    if (report.metrics.champion) report.metrics.champion = orderedMetrics(shown, report.metrics.champion);
    const sliceResults: GateResult[] = [];
    for (const [metric, gate, comparison] of resolved) {
      sliceResults.push(
        ...metricGates(metric, gate, report.metrics.challenger[metric] ?? null, comparison, {
          name: `${name} ${metric}`,
          interval: () =>
            modelInterval(subset.labels, subset.challenger, metric, {
              confidence: config.confidence,
              bootstrap: config.bootstrap,
              context,
              ...(subset.weights ? { weights: subset.weights } : {}),
              ...(subset.probabilities ? { probabilities: subset.probabilities.challenger } : {}),
            }),
        }).map((result) => ({ ...result, kind: 'slice' as const })),
      );
    }
    const failed = sliceResults.filter((result) => !result.passed);
    report.passed = failed.length === 0;
    report.status = report.passed ? 'passed' : 'failed';
    report.message = report.passed
      ? `${rows.length} rows; every slice gate passed`
      : failed.map((result) => result.message).join('; ');
    gates.push(...sliceResults);
  }
  return { reports, gates };
}

function orderedMetrics(order: readonly string[], values: MetricValues): MetricValues {
  return Object.fromEntries(order.map((metric) => [metric, values[metric] ?? null]));
}

function curves(predictions: Predictions, bins: number): NonNullable<GateReport['curves']> {
  const roc: NonNullable<GateReport['curves']>['roc'] = {
    challenger: rocCurvePoints(predictions.labels, predictions.challenger),
  };
  const calibration: NonNullable<GateReport['curves']>['calibration'] = {
    challenger: calibrationCurve(predictions.labels, predictions.challenger, bins),
  };
  if (predictions.champion) {
    roc.champion = rocCurvePoints(predictions.labels, predictions.champion);
    calibration.champion = calibrationCurve(predictions.labels, predictions.champion, bins);
  }
  return { roc, calibration };
}

function countPositives(labels: Float64Array): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  return positives;
}

function describeBounds(threshold: Record<string, number>): string {
  if (threshold.min !== undefined && threshold.max !== undefined)
    return `is within [${threshold.min}, ${threshold.max}]`;
  return threshold.min !== undefined
    ? `meets the minimum ${threshold.min}`
    : `meets the maximum ${threshold.max}`;
}

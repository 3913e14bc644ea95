// The decision engine: validated config + typed predictions -> every gate, the decision and the report.
// Pure: no file or runner access (latency samples come in already read), so it is tested directly. The
// pieces: comparison-plan (which comparisons, started once), metrics-table, metric-gates, slice-gates,
// fairness-gates and latency-gates; this file orders them and assembles the report.
import { didYouMean, UserError } from '@mlops/kit';
import { EVALUATE_GATE_SCHEMA } from '@mlops/schemas';
import { type BehavioralSuite, evaluateBehavioral } from './behavioral.ts';
import { challengerInterval } from './comparison.ts';
import { type ComparisonPlan, type ResolvedGate, resolveGate, startComparisons } from './comparison-plan.ts';
import { configError } from './config.ts';
import type { GateConfig, MetricGateConfig, Task } from './config-types.ts';
import { calibrationCurve, rocCurvePoints } from './curves.ts';
import { decide, explain } from './decision.ts';
import { evaluateFairness } from './fairness-gates.ts';
import { evaluateFlips } from './flips.ts';
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
import { metricGates } from './metric-gates.ts';
import { type MetricsTable, metricsTable } from './metrics-table.ts';
import { hasBothClasses, type MetricContext, needsBothClasses } from './model-metrics.ts';
import type { Predictions } from './predictions.ts';
import type {
  BehavioralTestReport,
  ComparisonReport,
  FairnessReport,
  FlipsReport,
  GateReport,
  GateResult,
  SliceReport,
} from './report-types.ts';
import { lazyOrders, type ModelOrders } from './score-orders.ts';
import { countPositives, evaluateSlices } from './slice-gates.ts';
import { groupKey } from './slices.ts';

export interface LatencyInput {
  file: string;
  samples: { challenger: Float64Array; champion?: Float64Array };
}

export interface EvaluateOptions {
  /** The predictions file as the user named it (for the report). */
  predictionsFile: string;
  latency?: LatencyInput;
  /** The behavioral file of `config.behavioral`, read by loadBehavioral. */
  behavioral?: BehavioralSuite;
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
  const settings = { confidence: config.confidence, bootstrap: config.bootstrap, context };
  const plan = startComparisons(predictions, gates, { ...settings, ...(orders ? { orders } : {}) }, primary);
  const reported = reportedMetrics(task, predictions, gates);
  const table = metricsTable(predictions, reported, context, plan.known, orders);
  const sections = otherSections(predictions, config, { primary, context, orders }, options);
  sections.gates.push(...modelChecks(predictions, config, options, sections, warnings));
  const comparisons = finishComparisons(plan);
  const results: GateResult[] = [];
  for (const [metric, gate] of Object.entries(gates)) {
    results.push(
      ...metricGates(metric, gate, table.challenger[metric] ?? null, comparisons.get(metric), {
        name: metric,
        interval: challengerInterval(predictions, metric, settings),
      }),
    );
    if (!predictions.champion && (gate.max_regression !== undefined || gate.require_improvement)) {
      warnings.push(
        `${metric}: ${gate.require_improvement ? 'require_improvement' : 'max_regression'} not checked: there is no champion to compare with`,
      );
    }
  }
  results.push(...sections.gates);
  return assembleReport(predictions, config, options, {
    primary,
    table,
    comparisons: [...comparisons.values()],
    sections,
    results,
    warnings,
  });
}

function finishComparisons(plan: ComparisonPlan): Map<string, ComparisonReport> {
  const reports = new Map<string, ComparisonReport>();
  for (const [metric, comparison] of plan.started) reports.set(metric, comparison.finish().report);
  return reports;
}

/** The metrics every report lists for the task, then the gated ones. */
function reportedMetrics(
  task: Task,
  predictions: Predictions,
  gates: Record<string, ResolvedGate>,
): string[] {
  return [
    ...new Set([
      ...REPORTED_METRICS[task],
      ...(predictions.probabilities ? MULTICLASS_PROBABILITY_METRICS : []),
      ...Object.keys(gates),
    ]),
  ];
}

interface Sections {
  slices: SliceReport[];
  fairness: FairnessReport[];
  latency?: GateReport['latency'];
  curves?: GateReport['curves'];
  flips?: FlipsReport;
  behavioral?: BehavioralTestReport[];
  /** Slice, fairness and latency gates, in that order. */
  gates: GateResult[];
}

/** Slices, fairness, latency and the curves: everything beyond the whole-file metric gates. */
function otherSections(
  predictions: Predictions,
  config: GateConfig,
  shared: { primary: string; context: MetricContext; orders: (() => ModelOrders) | undefined },
  options: EvaluateOptions,
): Sections {
  const sections: Sections = { slices: [], fairness: [], gates: [] };
  const fairnessGates: GateResult[] = [];
  const latencyGates: GateResult[] = [];
  for (const slice of config.slices) {
    const evaluated = evaluateSlices(predictions, slice, { ...shared, config });
    sections.slices.push(...evaluated.reports);
    sections.gates.push(...evaluated.gates);
  }
  for (const entry of config.fairness) {
    const evaluated = evaluateFairness(predictions, entry, config.threshold);
    sections.fairness.push(evaluated.report);
    fairnessGates.push(evaluated.gate);
  }
  if (config.latency && options.latency) {
    const keys = Object.keys(config.latency.bounds) as (keyof typeof config.latency.bounds)[];
    sections.latency = latencyPercentiles(options.latency.samples, keys, {
      confidence: config.confidence,
      resamples: config.bootstrap.resamples,
      seed: config.bootstrap.seed,
      file: options.latency.file,
    });
    latencyGates.push(...evaluateLatency(sections.latency, config.latency));
  }
  if (predictions.task === 'binary') sections.curves = curves(predictions, config.calibration_bins);
  sections.gates.push(...fairnessGates, ...latencyGates);
  return sections;
}

/** Golden-set flips and behavioral tests: their reports go into `sections`, their gates are returned. */
function modelChecks(
  predictions: Predictions,
  config: GateConfig,
  options: EvaluateOptions,
  sections: Sections,
  warnings: string[],
): GateResult[] {
  const gates: GateResult[] = [];
  if (config.flips) {
    if (predictions.champion) {
      const evaluated = evaluateFlips(predictions, config);
      sections.flips = evaluated.report;
      gates.push(...evaluated.gates);
    } else warnings.push('flips not checked: there is no champion to compare with');
  }
  if (config.behavioral) {
    const suite = options.behavioral;
    if (!suite) throw new Error('the gate has a behavioral section but no behavioral file was read');
    for (const name of Object.keys(config.behavioral.tests)) {
      if (!suite.tests.some((test) => test.name === name)) {
        throw configError(
          config,
          `behavioral.tests.${name}`,
          `no test '${name}' in ${suite.file}${didYouMean(
            name,
            suite.tests.map((test) => test.name),
          )}; its tests: ${suite.tests.map((test) => test.name).join(', ')}`,
        );
      }
    }
    const evaluated = evaluateBehavioral(suite, config.behavioral, {
      task: predictions.task,
      threshold: config.threshold,
    });
    sections.behavioral = evaluated.reports;
    gates.push(...evaluated.gates);
    const regression =
      config.behavioral.max_regression !== undefined ||
      Object.values(config.behavioral.tests).some((bounds) => bounds.max_regression !== undefined);
    if (regression && !suite.hasChampion)
      warnings.push(`behavioral max_regression not checked: ${suite.file} has no champion scores`);
  }
  return gates;
}

interface Evaluated {
  primary: string;
  table: MetricsTable;
  comparisons: ComparisonReport[];
  sections: Sections;
  results: GateResult[];
  warnings: string[];
}

function assembleReport(
  predictions: Predictions,
  config: GateConfig,
  options: EvaluateOptions,
  evaluated: Evaluated,
): GateReport {
  const { task } = predictions;
  const { primary, table, comparisons, sections, results, warnings } = evaluated;
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
      challenger: { metrics: table.challenger },
      ...(table.champion ? { champion: { metrics: table.champion } } : {}),
    },
    comparison: primaryComparison,
    comparisons,
    slices: sections.slices,
    fairness: sections.fairness,
    ...(sections.latency ? { latency: sections.latency } : {}),
    ...(sections.flips ? { flips: sections.flips } : {}),
    ...(sections.behavioral ? { behavioral: sections.behavioral } : {}),
    gates: results,
    ...(sections.curves ? { curves: sections.curves } : {}),
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
  for (const [metric, raw] of Object.entries(configured)) {
    const info = metricInfo(metric);
    if (!info.tasks.includes(task)) {
      throw configError(
        config,
        `metrics.${metric}`,
        `metric '${metric}' is for ${info.tasks.join(' / ')} models but the task is ${task}; ${task} metrics: ${Object.values(
          METRICS,
        )
          .filter((candidate) => candidate.tasks.includes(task))
          .map((candidate) => candidate.name)
          .join(', ')}`,
      );
    }
    const resolved = resolveGate(metric, raw, {
      weighted: predictions.weights !== undefined,
      require_improvement: metric === primary && config.require_improvement,
      absolute_on: config.absolute_on,
    });
    if (resolved.weightedWarning) warnings.push(resolved.weightedWarning);
    gates[metric] = resolved.gate;
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
  const wanted = [
    ...Object.keys(gates).map((metric) => [`metrics.${metric}`, metric] as const),
    ...config.slices.flatMap((slice, index) =>
      Object.keys(slice.metrics).map((metric) => [`slices[${index}].metrics.${metric}`, metric] as const),
    ),
  ];
  const needing = wanted.filter(([, metric]) => needsProbabilities(metric, predictions.task));
  if (needing.length > 0 && !predictions.probabilities) {
    throw configError(
      config,
      needing[0]![0],
      `${[...new Set(needing.map(([, metric]) => metric))].join(', ')} on a multiclass task need per-class probabilities: columns ${predictions.columns.challenger}_<class> (and ${predictions.columns.champion}_<class>) instead of one predicted-class column`,
    );
  }
  for (const metric of Object.keys(gates)) {
    const k = metricInfo(metric).k;
    if (k !== undefined && k > predictions.n) {
      throw configError(
        config,
        `metrics.${metric}`,
        `k = ${k} is more than the ${predictions.n} rows of the predictions: the top ${k} cannot be taken; use a k of at most ${predictions.n}`,
      );
    }
  }
  if (config.fairness.length > 0 && predictions.task !== 'binary') {
    throw configError(
      config,
      'fairness[0]',
      `fairness gates need a binary task (selection rates at a threshold); the task is ${predictions.task}`,
    );
  }
  config.fairness.forEach((entry, index) => {
    if (entry.privileged === undefined) return;
    const groups = new Set(predictions.groups[entry.column]!.map(groupKey));
    if (!groups.has(entry.privileged)) {
      throw configError(
        config,
        `fairness[${index}].privileged`,
        `no group '${entry.privileged}' in column '${entry.column}' of the predictions; its groups: ${[...groups].slice(0, 10).join(', ')}`,
      );
    }
  });
  config.slices.forEach((slice, index) => {
    for (const metric of Object.keys(slice.metrics)) {
      if (!metricInfo(metric).tasks.includes(predictions.task)) {
        throw configError(
          config,
          `slices[${index}].metrics.${metric}`,
          `slices by '${slice.column}': metric '${metric}' is not a ${predictions.task} metric`,
        );
      }
    }
  });
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

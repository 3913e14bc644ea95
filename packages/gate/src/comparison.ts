// The paired comparison of challenger and champion on one metric: DeLong for roc_auc, McNemar (with Tango's
// score interval) for accuracy, the paired bootstrap for everything else (all from @mlops/stats; AUC takes its
// class-stratified fast path, O(n) per resample and spread over worker threads for million-row files). The result
// is oriented twice: `difference` is challenger - champion as the metric reads, `improvement` is the same
// number signed so that positive always means "the challenger is better".
import {
  type AucBootstrapResult,
  delongTest,
  mcnemarTest,
  type PerModelMetric,
  pairedBootstrap,
  pairedCounts,
  pairedNonInferiority,
  startPairedAucBootstrap,
} from '@mlops/stats';
import type { BootstrapConfig, ComparisonMethod } from './config-types.ts';
import { metricInfo } from './metric-catalog.ts';
import { type MetricContext, metricFunction } from './model-metrics.ts';
import type { Predictions } from './predictions.ts';
import type { ComparisonReport } from './report-types.ts';

export interface CompareOptions {
  method: ComparisonMethod;
  confidence: number;
  bootstrap: BootstrapConfig;
  context: MetricContext;
  /** Non-inferiority margin, for the one-sided p-value. */
  margin?: number;
  /**
   * Both models' ascending score orders (`argsortAscending`), when the caller has them: DeLong and the AUC
   * bootstrap then skip their own sorts. Read lazily, only by the methods that sort.
   */
  orders?: () => { challenger: Int32Array; champion: Int32Array };
}

/** A comparison's outcome: the report, and both models' values when the method computed them anyway. */
export interface Compared {
  report: ComparisonReport;
  estimates?: [number, number];
}

/**
 * A comparison under way: `estimates` (both models' values) may be known at once, `finish()` gives the
 * report. Only the AUC bootstrap runs in the background (its worker threads make resamples while the
 * caller computes other things); every other method is done when this returns.
 */
export interface StartedComparison {
  estimates?: [number, number];
  finish(): Compared;
}

/** Compares challenger and champion on `metric`; the predictions must have a champion. */
export function compareMetric(predictions: Predictions, metric: string, options: CompareOptions): Compared {
  return startComparison(predictions, metric, options).finish();
}

/**
 * {@link compareMetric} started now and finished later: a roc_auc bootstrap (the one slow comparison)
 * starts its worker threads and returns both models' AUCs at once, so the calling thread can compute the
 * metrics table and the slices while the workers resample; `finish()` makes what is left and builds the
 * report. The numbers are those of compareMetric whenever finish is called.
 */
export function startComparison(
  predictions: Predictions,
  metric: string,
  options: CompareOptions,
): StartedComparison {
  const fastAuc =
    options.method === 'bootstrap' &&
    metric === 'roc_auc' &&
    options.context.task === 'binary' &&
    !predictions.weights;
  if (fastAuc) return startAucBootstrap(predictions, options);
  const compared = compareNow(predictions, metric, options);
  return { ...(compared.estimates ? { estimates: compared.estimates } : {}), finish: () => compared };
}

/**
 * The class-stratified AUC bootstrap of @mlops/stats (sorted once, O(n) per resample, threaded), the same
 * resamples pairedBootstrap({ metric: 'roc_auc' }) makes with that seed.
 */
function startAucBootstrap(predictions: Predictions, options: CompareOptions): StartedComparison {
  const { labels, challenger } = predictions;
  const champion = predictions.champion;
  if (!champion) throw new Error('compareMetric needs the champion scores');
  const orders = options.orders?.();
  const running = startPairedAucBootstrap(labels, challenger, champion, {
    resamples: options.bootstrap.resamples,
    seed: options.bootstrap.seed,
    confidence: options.confidence,
    method: options.bootstrap.method,
    scheme: options.bootstrap.scheme,
    ...(orders ? { orders: { a: orders.challenger, b: orders.champion } } : {}),
  });
  const estimates: [number, number] = [running.aucA, running.aucB];
  let compared: Compared | undefined;
  return {
    estimates,
    finish() {
      compared ??= {
        report: aucBootstrapReport(running.finish(), options),
        estimates,
      };
      return compared;
    },
  };
}

function aucBootstrapReport(result: AucBootstrapResult, options: CompareOptions): ComparisonReport {
  const report: Omit<ComparisonReport, 'higher_is_better' | 'improvement' | 'improvement_ci'> = {
    metric: 'roc_auc',
    difference: result.difference,
    ci: result.ci,
    confidence: options.confidence,
    method: 'bootstrap',
    p_value: bootstrapPValue(result.distribution, result.difference),
    resamples: options.bootstrap.resamples,
    bootstrap_method: options.bootstrap.method,
    bootstrap_scheme: result.scheme,
    non_finite: result.nonFinite,
  };
  return orient(report, metricInfo('roc_auc').higherIsBetter, options.margin);
}

/** A comparison's report before it is oriented, with both models' values when the method computed them. */
interface RawComparison {
  report: Omit<ComparisonReport, 'higher_is_better' | 'improvement' | 'improvement_ci'>;
  estimates?: [number, number];
}

function compareNow(predictions: Predictions, metric: string, options: CompareOptions): Compared {
  if (!predictions.champion) throw new Error('compareMetric needs the champion scores');
  const raw =
    options.method === 'delong'
      ? delongComparison(predictions, metric, options)
      : options.method === 'mcnemar'
        ? mcnemarComparison(predictions, metric, options)
        : bootstrapComparison(predictions, metric, options);
  return {
    report: orient(raw.report, metricInfo(metric).higherIsBetter, options.margin),
    ...(raw.estimates ? { estimates: raw.estimates } : {}),
  };
}

/** DeLong's test of two paired AUCs (pROC's), on the shared score orders when the caller has them. */
function delongComparison(predictions: Predictions, metric: string, options: CompareOptions): RawComparison {
  const orders = options.orders?.();
  const result = delongTest(predictions.labels, predictions.challenger, predictions.champion!, {
    confidence: options.confidence,
    ...(options.margin !== undefined ? { margin: options.margin } : {}),
    ...(orders ? { orders: { a: orders.challenger, b: orders.champion } } : {}),
  });
  const report: RawComparison['report'] = {
    metric,
    difference: result.difference,
    ci: result.ci,
    confidence: options.confidence,
    method: 'delong',
    p_value: result.pValue,
    z: result.z,
  };
  if (result.nonInferiority) report.p_value_non_inferiority = result.nonInferiority.pValue;
  return { report, estimates: [result.aucA, result.aucB] };
}

/** Exact McNemar on the discordant rows, with Tango's score interval of the accuracy difference. */
function mcnemarComparison(predictions: Predictions, metric: string, options: CompareOptions): RawComparison {
  const { b, c, n } = discordantCounts(predictions, options.context);
  const exact = mcnemarTest(b, c, { exact: true });
  // Tango's score interval of the paired difference in accuracy (b - c) / n: the interval the gate judges.
  const tango = pairedNonInferiority({
    b,
    c,
    n,
    margin: options.margin ?? 0,
    confidence: options.confidence,
  });
  const report: RawComparison['report'] = {
    metric,
    difference: (b - c) / n,
    ci: tango.ci,
    confidence: options.confidence,
    method: 'mcnemar',
    p_value: exact.pValue,
    discordant: { challenger_only: b, champion_only: c },
  };
  if (options.margin !== undefined) report.p_value_non_inferiority = tango.pValue;
  return { report };
}

/** The paired bootstrap of any metric (weighted when the rows are). */
function bootstrapComparison(
  predictions: Predictions,
  metric: string,
  options: CompareOptions,
): RawComparison {
  // One function per model: a multiclass metric may read each model's own per-class probabilities.
  const perModel: PerModelMetric = {
    name: metric,
    a: metricFunction(metric, options.context, predictions.probabilities?.challenger),
    b: metricFunction(metric, options.context, predictions.probabilities?.champion),
  };
  // By name, roc_auc takes @mlops/stats' fast path (sorted once, O(n) per resample, threaded); a function
  // would be re-evaluated on every resample.
  const fastAuc = metric === 'roc_auc' && options.context.task === 'binary' && !predictions.weights;
  const result = pairedBootstrap({
    yTrue: predictions.labels,
    scoresA: predictions.challenger,
    scoresB: predictions.champion!,
    metric: fastAuc ? 'roc_auc' : perModel,
    task: options.context.task === 'regression' ? 'regression' : 'binary',
    stratify: options.context.task === 'binary',
    ...(predictions.weights ? { sampleWeight: predictions.weights } : {}),
    nResamples: options.bootstrap.resamples,
    confidence: options.confidence,
    method: options.bootstrap.method,
    seed: options.bootstrap.seed,
  });
  return {
    report: {
      metric,
      difference: result.difference,
      ci: result.ci,
      confidence: options.confidence,
      method: 'bootstrap',
      p_value: bootstrapPValue(result.distribution, result.difference),
      resamples: result.nResamples,
      bootstrap_method: result.method,
      non_finite: result.nonFinite,
    },
    estimates: [result.estimateA, result.estimateB],
  };
}

function orient(
  report: Omit<ComparisonReport, 'higher_is_better' | 'improvement' | 'improvement_ci'>,
  higherIsBetter: boolean,
  margin: number | undefined,
): ComparisonReport {
  const sign = higherIsBetter ? 1 : -1;
  const [lo, hi] = report.ci;
  const improvementCi: [number, number] = higherIsBetter ? [lo, hi] : [-hi, -lo];
  return {
    ...report,
    higher_is_better: higherIsBetter,
    improvement: sign * report.difference,
    improvement_ci: improvementCi,
    ...(margin !== undefined ? { margin } : {}),
  };
}

/** b = rows only the challenger gets right, c = rows only the champion gets right. */
function discordantCounts(
  predictions: Predictions,
  context: MetricContext,
): { b: number; c: number; n: number } {
  const { labels, challenger, champion } = predictions;
  if (context.task === 'binary') {
    const counts = pairedCounts(labels, challenger, champion!, { threshold: context.threshold });
    return { b: counts.onlyA, c: counts.onlyB, n: counts.n };
  }
  let b = 0;
  let c = 0;
  for (let i = 0; i < labels.length; i++) {
    const rightA = challenger[i] === labels[i];
    const rightB = champion![i] === labels[i];
    if (rightA && !rightB) b++;
    else if (rightB && !rightA) c++;
  }
  return { b, c, n: labels.length };
}

/**
 * Two-sided p-value of "no difference" by inverting the percentile interval: twice the smaller share of
 * bootstrap differences on either side of 0 (Efron & Tibshirani 1993 §16.4), at least 1/B.
 */
export function bootstrapPValue(distribution: Float64Array, estimate: number): number {
  const total = distribution.length;
  if (total === 0) return Number.NaN;
  if (estimate === 0) return 1;
  let below = 0;
  let above = 0;
  for (let i = 0; i < total; i++) {
    if (distribution[i]! <= 0) below++;
    if (distribution[i]! >= 0) above++;
  }
  return Math.min(1, Math.max(1 / total, (2 * Math.min(below, above)) / total));
}

/**
 * The interval of one model's metric (for `absolute_on: interval`), from the same paired bootstrap: model B's
 * metric is the constant 0, so the "difference" is the model's own metric.
 */
export function modelInterval(
  labels: Float64Array,
  scores: Float64Array,
  metric: string,
  options: {
    confidence: number;
    bootstrap: BootstrapConfig;
    context: MetricContext;
    weights?: Float64Array;
    probabilities?: readonly Float64Array[];
  },
): [number, number] {
  const result = pairedBootstrap({
    yTrue: labels,
    scoresA: scores,
    scoresB: scores,
    metric: { name: metric, a: metricFunction(metric, options.context, options.probabilities), b: () => 0 },
    task: options.context.task === 'regression' ? 'regression' : 'binary',
    stratify: options.context.task === 'binary',
    ...(options.weights ? { sampleWeight: options.weights } : {}),
    nResamples: options.bootstrap.resamples,
    confidence: options.confidence,
    method: options.bootstrap.method,
    seed: options.bootstrap.seed,
  });
  return result.ci;
}

/** The challenger's interval of `metric` on these rows, computed when first asked for. */
export function challengerInterval(
  rows: Predictions,
  metric: string,
  options: { confidence: number; bootstrap: BootstrapConfig; context: MetricContext },
): () => [number, number] {
  return () =>
    modelInterval(rows.labels, rows.challenger, metric, {
      ...options,
      ...(rows.weights ? { weights: rows.weights } : {}),
      ...(rows.probabilities ? { probabilities: rows.probabilities.challenger } : {}),
    });
}

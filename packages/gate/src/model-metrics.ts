// Point estimates of the gate's metrics for one model, through @mlops/stats' registry (scikit-learn names and
// definitions). Multiclass predictions are class indices; the registry's multiclass metrics take probability
// columns, so a predicted class becomes a one-hot column set (argmax of it is the class itself).

import { UserError } from '@mlops/kit';
import {
  argsortAscending,
  averagePrecisionScore,
  confusionMatrix,
  getMetric,
  METRIC_AT_K,
  type MetricDefinition,
  RANKING_AT_K,
  type ThresholdScores,
  thresholdScores,
} from '@mlops/stats';
import type { Task } from './config-types.ts';
import { metricInfo, needsProbabilities } from './metric-catalog.ts';
import type { MetricValues } from './report-types.ts';

export interface MetricContext {
  task: Task;
  threshold: number;
  bins: number;
  /** Multiclass: number of classes. */
  classes?: number;
}

/** Ranking and calibration metrics are undefined with one class; thresholded ones mostly are not. */
export function needsBothClasses(metric: string): boolean {
  const kind = metricInfo(metric).kind;
  return kind === 'ranking';
}

/** The one-hot probability columns of predicted class indices. */
export function oneHot(predicted: ArrayLike<number>, classes: number): Float64Array[] {
  const columns = Array.from({ length: classes }, () => new Float64Array(predicted.length));
  for (let i = 0; i < predicted.length; i++) columns[predicted[i]!]![i] = 1;
  return columns;
}

/**
 * A metric function bound to its context: `(labels, predictions, weights?) => value`. Multiclass one-hot
 * columns are built per call, so the function also works on bootstrap resamples and slices.
 */
export function metricFunction(
  name: string,
  context: MetricContext,
  probabilities?: readonly Float64Array[],
): (labels: ArrayLike<number>, predictions: ArrayLike<number>, weights?: ArrayLike<number>) => number {
  const atK = context.task === 'binary' ? METRIC_AT_K.exec(name) : null;
  if (atK) {
    // A bootstrap calls this with the same scores and new weights thousands of times: sort them once.
    const compute = RANKING_AT_K[atK[1] as keyof typeof RANKING_AT_K];
    const k = Number(atK[2]);
    let sorted: { scores: ArrayLike<number>; order: Int32Array } | undefined;
    return (labels, predictions, weights) => {
      if (sorted?.scores !== predictions)
        sorted = { scores: predictions, order: argsortAscending(predictions) };
      return compute(labels, predictions, k, weights, sorted.order);
    };
  }
  const definition: MetricDefinition = getMetric(name, context.task);
  const options = { threshold: context.threshold, nBins: context.bins };
  if (definition.task === 'multiclass' && needsProbabilities(name, context.task)) {
    if (!probabilities) {
      throw new UserError(
        `${name} on a multiclass task needs per-class probabilities: columns <challenger-column>_<class> (and <champion-column>_<class>) instead of a predicted class`,
      );
    }
    // Row-aligned with the labels it is called with (the full table, a slice's gather, or bootstrap weights).
    return (labels, _predictions, weights) =>
      definition.compute(labels, probabilities, weights ? { ...options, sampleWeight: weights } : options);
  }
  if (definition.task === 'multiclass') {
    const classes = context.classes ?? 2;
    return (labels, predictions, weights) =>
      definition.compute(
        labels,
        oneHot(predictions, classes),
        weights ? { ...options, sampleWeight: weights } : options,
      );
  }
  return (labels, predictions, weights) =>
    definition.compute(labels, predictions, weights ? { ...options, sampleWeight: weights } : options);
}

/** The binary metrics that read one confusion matrix. */
const THRESHOLDED = new Set(['accuracy', 'precision', 'recall', 'f1']);

/**
 * Every named metric of one model. A metric that is undefined on these rows (roc_auc with one class, a
 * metric at k on fewer than k rows) is null, never a made-up number. On a binary task accuracy, precision, recall and f1 come from one confusion
 * matrix (the registry's own expressions, one pass instead of four), and average_precision takes the
 * model's score order when the caller has it (`order`, ascending as argsortAscending) instead of a sort.
 */
export function modelMetrics(
  names: readonly string[],
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  context: MetricContext,
  weights?: ArrayLike<number>,
  probabilities?: readonly Float64Array[],
  order?: Int32Array,
): MetricValues {
  const bothClasses = context.task !== 'binary' || hasBothClasses(labels);
  const values: MetricValues = {};
  let thresholded: ThresholdScores | undefined;
  for (const name of names) {
    const k = metricInfo(name).k;
    if ((!bothClasses && needsBothClasses(name)) || (k !== undefined && k > labels.length)) {
      values[name] = null;
      continue;
    }
    let value: number;
    if (context.task === 'binary' && THRESHOLDED.has(name)) {
      thresholded ??= thresholdScores(
        confusionMatrix(labels, predictions, {
          threshold: context.threshold,
          ...(weights ? { sampleWeight: weights } : {}),
        }),
      );
      value = thresholded[name as keyof ThresholdScores];
    } else if (context.task === 'binary' && name === 'average_precision' && order) {
      value = averagePrecisionScore(labels, predictions, {
        order,
        ...(weights ? { sampleWeight: weights } : {}),
      });
    } else value = metricFunction(name, context, probabilities)(labels, predictions, weights);
    values[name] = Number.isFinite(value) ? value : null;
  }
  return values;
}

export function hasBothClasses(labels: ArrayLike<number>): boolean {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  return positives > 0 && positives < labels.length;
}

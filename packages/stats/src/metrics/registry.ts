import { didYouMean } from '@mlops/kit';
import { StatsError } from '../errors.ts';
import { averagePrecisionScore } from './average-precision.ts';
import { brierScore, expectedCalibrationError, logLoss } from './calibration.ts';
import { accuracyScore, f1Score, precisionScore, recallScore } from './confusion-matrix.ts';
import {
  averageScores,
  type ClassProbabilities,
  multiclassAccuracy,
  multiclassLogLoss,
  multiclassScores,
  rocAucOvr,
} from './multiclass.ts';
import { RANKING_AT_K, topKAccuracy } from './ranking-at-k.ts';
import {
  meanAbsoluteError,
  meanAbsolutePercentageError,
  r2Score,
  rootMeanSquaredError,
} from './regression.ts';
import { rocAucScore } from './roc-auc.ts';

/** What a metric is computed on. */
export type MetricTask = 'binary' | 'multiclass' | 'regression';

/** Options every registered metric accepts (each uses what applies to it). */
export interface MetricOptions {
  sampleWeight?: ArrayLike<number>;
  /** Binary thresholded metrics: predicted positive when score >= threshold. Default 0.5. */
  threshold?: number;
  /** ece: number of equal-width bins. Default 10. */
  nBins?: number;
}

/** A binary or regression metric on one score / prediction per row. */
export type ScoreMetricFn = (
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  options?: MetricOptions,
) => number;
/** A multiclass metric on class-probability columns. */
export type ProbaMetricFn = (
  yTrue: ArrayLike<number>,
  proba: ClassProbabilities,
  options?: MetricOptions,
) => number;

/** A registered metric: its scikit-learn-style name, task and direction. */
export type MetricDefinition =
  | {
      name: string;
      task: 'binary' | 'regression';
      higherIsBetter: boolean;
      description: string;
      compute: ScoreMetricFn;
    }
  | {
      name: string;
      task: 'multiclass';
      higherIsBetter: boolean;
      description: string;
      compute: ProbaMetricFn;
    };

const score = (
  name: string,
  task: 'binary' | 'regression',
  higherIsBetter: boolean,
  description: string,
  compute: ScoreMetricFn,
): MetricDefinition => ({ name, task, higherIsBetter, description, compute });
const proba = (
  name: string,
  higherIsBetter: boolean,
  description: string,
  compute: ProbaMetricFn,
): MetricDefinition => ({
  name,
  task: 'multiclass',
  higherIsBetter,
  description,
  compute,
});

const perClass =
  (field: 'precision' | 'recall' | 'f1', average: 'macro' | 'weighted'): ProbaMetricFn =>
  (yTrue, p, options) => {
    const scores = multiclassScores(yTrue, p, options);
    return averageScores(scores[field], scores.support, average);
  };

/** Every metric by task and name. Names follow scikit-learn (`roc_auc`, `f1_macro`, ...). */
export const METRICS: readonly MetricDefinition[] = [
  score('roc_auc', 'binary', true, 'area under the ROC curve', rocAucScore),
  score(
    'average_precision',
    'binary',
    true,
    'average precision (step-wise area under precision-recall)',
    averagePrecisionScore,
  ),
  score('accuracy', 'binary', true, 'accuracy at the threshold', accuracyScore),
  score('precision', 'binary', true, 'precision at the threshold', precisionScore),
  score('recall', 'binary', true, 'recall at the threshold', recallScore),
  score('f1', 'binary', true, 'F1 at the threshold', f1Score),
  score('log_loss', 'binary', false, 'binary cross-entropy', logLoss),
  score('brier', 'binary', false, 'Brier score (mean squared probability error)', brierScore),
  score('ece', 'binary', false, 'expected calibration error, equal-width bins', expectedCalibrationError),
  proba('accuracy', true, 'accuracy of the argmax class', multiclassAccuracy),
  proba('f1_macro', true, 'unweighted mean of per-class F1', perClass('f1', 'macro')),
  proba('f1_weighted', true, 'support-weighted mean of per-class F1', perClass('f1', 'weighted')),
  proba('precision_macro', true, 'unweighted mean of per-class precision', perClass('precision', 'macro')),
  proba('recall_macro', true, 'unweighted mean of per-class recall', perClass('recall', 'macro')),
  proba('log_loss', false, 'multiclass cross-entropy', multiclassLogLoss),
  proba('roc_auc_ovr', true, 'one-vs-rest macro ROC AUC', rocAucOvr),
  score('rmse', 'regression', false, 'root mean squared error', rootMeanSquaredError),
  score('mae', 'regression', false, 'mean absolute error', meanAbsoluteError),
  score('r2', 'regression', true, 'coefficient of determination', r2Score),
  score(
    'mape',
    'regression',
    false,
    'mean absolute percentage error (a fraction)',
    meanAbsolutePercentageError,
  ),
];

/** Other spellings users write (scikit-learn function and scorer names) -> the canonical name. */
export const METRIC_ALIASES: Readonly<Record<string, string>> = {
  roc_auc_score: 'roc_auc',
  auc: 'roc_auc',
  average_precision_score: 'average_precision',
  accuracy_score: 'accuracy',
  precision_score: 'precision',
  recall_score: 'recall',
  f1_score: 'f1',
  brier_score_loss: 'brier',
  brier_score: 'brier',
  expected_calibration_error: 'ece',
  root_mean_squared_error: 'rmse',
  mean_absolute_error: 'mae',
  r2_score: 'r2',
  mean_absolute_percentage_error: 'mape',
};

/**
 * The names accepted for a task (canonical names first, then aliases valid for it), for "did you mean".
 * @example metricNames('regression'); // => ['rmse', 'mae', 'r2', 'mape', 'root_mean_squared_error', 'mean_absolute_error', 'r2_score', 'mean_absolute_percentage_error']
 */
export function metricNames(task?: MetricTask): string[] {
  const canonical = METRICS.filter((m) => task === undefined || m.task === task).map((m) => m.name);
  const unique = [...new Set(canonical)];
  const aliases = Object.entries(METRIC_ALIASES)
    .filter(([, target]) => unique.includes(target))
    .map(([alias]) => alias);
  return [...unique, ...aliases];
}

/**
 * Looks a metric up by name (or alias) for a task; an unknown name throws a StatsError with a
 * "did you mean" hint. In multiclass, `roc_auc` means `roc_auc_ovr` and `f1` means `f1_macro`.
 * @example getMetric('brier_score_loss', 'binary').higherIsBetter; // => false
 */
export function getMetric(name: string, task: MetricTask = 'binary'): MetricDefinition {
  const normalised = name.trim().toLowerCase();
  let canonical = METRIC_ALIASES[normalised] ?? normalised;
  if (task === 'multiclass')
    canonical =
      ({ roc_auc: 'roc_auc_ovr', f1: 'f1_macro' } as Record<string, string>)[canonical] ?? canonical;
  const found = METRICS.find((m) => m.task === task && m.name === canonical) ?? metricAtK(canonical, task);
  if (found === undefined) {
    const known = metricNames(task);
    throw new StatsError(
      `unknown ${task} metric '${name}'${didYouMean(name, known)}; known: ${known.filter((k) => !(k in METRIC_ALIASES)).join(', ')}`,
    );
  }
  return found;
}

/** Metric names that carry their cut-off k: `precision_at_50`, `top_3_accuracy`. */
export const METRIC_AT_K = /^(precision|recall|lift|ndcg)_at_([1-9][0-9]{0,8})$/;
export const TOP_K_ACCURACY = /^top_([1-9][0-9]{0,8})_accuracy$/;

const AT_K_DESCRIPTIONS: Record<keyof typeof RANKING_AT_K, (k: number) => string> = {
  precision: (k) => `positives among the ${k} highest scores / ${k}`,
  recall: (k) => `positives among the ${k} highest scores / all positives`,
  lift: (k) => `precision at ${k} / the base rate`,
  ndcg: (k) => `NDCG at ${k} (scikit-learn's ndcg_score, ties averaged)`,
};

/**
 * The metric of a name that carries k (binary ranking metrics at k, multiclass top-k accuracy), or undefined.
 * @example metricAtK('ndcg_at_10', 'binary')?.description; // => "NDCG at 10 (scikit-learn's ndcg_score, ties averaged)"
 */
export function metricAtK(name: string, task: MetricTask): MetricDefinition | undefined {
  const atK = METRIC_AT_K.exec(name);
  if (atK && task === 'binary') {
    const k = Number(atK[2]);
    const kind = atK[1] as keyof typeof RANKING_AT_K;
    const compute = RANKING_AT_K[kind];
    return score(name, 'binary', true, AT_K_DESCRIPTIONS[kind](k), (y, s, options) =>
      compute(y, s, k, options?.sampleWeight),
    );
  }
  const topK = TOP_K_ACCURACY.exec(name);
  if (topK && task === 'multiclass') {
    const k = Number(topK[1]);
    return proba(name, true, `true class among the ${k} most probable`, (y, p, options) =>
      topKAccuracy(y, p, k, options?.sampleWeight),
    );
  }
  return undefined;
}

/**
 * Computes a metric by scikit-learn name. Binary and regression metrics take one score / prediction per
 * row; multiclass metrics take probability columns (`yScore[k][i]`).
 * @example computeMetric('roc_auc', [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // => 0.75
 */
export function computeMetric(
  name: string,
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number> | ClassProbabilities,
  options: MetricOptions & { task?: MetricTask } = {},
): number {
  const columns = isProbabilityColumns(yScore);
  const task = options.task ?? (columns ? 'multiclass' : 'binary');
  const metric = getMetric(name, task);
  if (metric.task === 'multiclass') {
    if (!columns)
      throw new StatsError(`multiclass metric '${metric.name}' needs one probability column per class`);
    return metric.compute(yTrue, yScore, options);
  }
  if (columns)
    throw new StatsError(
      `${metric.task} metric '${metric.name}' needs one score per row, not probability columns`,
    );
  return metric.compute(yTrue, yScore as ArrayLike<number>, options);
}

function isProbabilityColumns(value: ArrayLike<number> | ClassProbabilities): value is ClassProbabilities {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === 'object' && value[0] !== null;
}

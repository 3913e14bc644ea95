// Model-quality metrics by scikit-learn definition, plus the registry the gate looks names up in.
export { StatsError } from '../errors.ts';
export { argsortAscending } from './argsort.ts';
export { averagePrecisionScore } from './average-precision.ts';
export { brierScore, expectedCalibrationError, FLOAT64_EPS, logLoss } from './calibration.ts';
export {
  accuracyScore,
  type ConfusionMatrix,
  confusionMatrix,
  f1Score,
  precisionScore,
  recallScore,
  type ThresholdOptions,
  type ThresholdScores,
  thresholdScores,
} from './confusion-matrix.ts';
export {
  argmaxClasses,
  averageScores,
  type ClassProbabilities,
  type MulticlassOptions,
  multiclassAccuracy,
  multiclassLogLoss,
  multiclassScores,
  type PerClassScores,
  rocAucOvr,
} from './multiclass.ts';
export {
  liftAtK,
  ndcgAtK,
  precisionAtK,
  RANKING_AT_K,
  recallAtK,
  type TopOfRanking,
  topKAccuracy,
  topOfRanking,
} from './ranking-at-k.ts';
export {
  computeMetric,
  getMetric,
  METRIC_ALIASES,
  METRIC_AT_K,
  METRICS,
  type MetricDefinition,
  type MetricOptions,
  type MetricTask,
  metricAtK,
  metricNames,
  type ProbaMetricFn,
  type ScoreMetricFn,
  TOP_K_ACCURACY,
} from './registry.ts';
export {
  meanAbsoluteError,
  meanAbsolutePercentageError,
  type RegressionOptions,
  r2Score,
  rootMeanSquaredError,
} from './regression.ts';
export { type AucPlacements, aucPlacements, rocAucScore } from './roc-auc.ts';

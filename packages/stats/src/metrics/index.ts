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
  computeMetric,
  getMetric,
  METRIC_ALIASES,
  METRICS,
  type MetricDefinition,
  type MetricOptions,
  type MetricTask,
  metricNames,
  type ProbaMetricFn,
  type ScoreMetricFn,
} from './registry.ts';
export {
  meanAbsoluteError,
  meanAbsolutePercentageError,
  type RegressionOptions,
  r2Score,
  rootMeanSquaredError,
} from './regression.ts';
export { type AucPlacements, aucPlacements, rocAucScore } from './roc-auc.ts';

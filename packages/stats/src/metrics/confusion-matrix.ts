import { StatsError } from '../errors.ts';
import { checkBinaryInput } from './roc-auc.ts';

/** Binary confusion counts (weighted sums when sample weights are given). */
export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  threshold: number;
}

/** Options of the thresholded binary metrics. */
export interface ThresholdOptions {
  /** A row is predicted positive when its score is >= threshold (scikit-learn's `roc_curve` convention). Default 0.5. */
  threshold?: number;
  sampleWeight?: ArrayLike<number>;
}

/**
 * Confusion matrix of binary labels against scores cut at a threshold (scikit-learn `confusion_matrix`
 * of `y_true` and `y_score >= threshold`, i.e. `[[tn, fp], [fn, tp]]`). Hard 0/1 predictions work as scores.
 * @example confusionMatrix([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6]); // => { tp: 1, fp: 1, tn: 1, fn: 1, threshold: 0.5 }
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  options: ThresholdOptions = {},
): ConfusionMatrix {
  checkBinaryInput(yTrue, yScore, options.sampleWeight);
  const threshold = options.threshold ?? 0.5;
  if (Number.isNaN(threshold)) throw new StatsError('threshold is NaN: expected a number');
  const w = options.sampleWeight;
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const weight = w === undefined ? 1 : w[i]!;
    const predicted = yScore[i]! >= threshold;
    if (yTrue[i] === 1) {
      if (predicted) tp += weight;
      else fn += weight;
    } else if (predicted) fp += weight;
    else tn += weight;
  }
  return { tp, fp, tn, fn, threshold };
}

/**
 * Accuracy (scikit-learn `accuracy_score`) of scores thresholded at `threshold`: (tp + tn) / total weight.
 * @example accuracyScore([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6]); // => 0.5
 */
export function accuracyScore(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  options: ThresholdOptions = {},
): number {
  return thresholdScores(confusionMatrix(yTrue, yScore, options)).accuracy;
}

/**
 * Precision tp / (tp + fp) (scikit-learn `precision_score`); 0 when nothing is predicted positive
 * (sklearn's `zero_division="warn"` outcome).
 * @example precisionScore([0, 1, 1, 0], [0.2, 0.7, 0.9, 0.6]); // => 0.6666666666666666
 */
export function precisionScore(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  options: ThresholdOptions = {},
): number {
  return thresholdScores(confusionMatrix(yTrue, yScore, options)).precision;
}

/**
 * Recall (true positive rate) tp / (tp + fn) (scikit-learn `recall_score`); 0 when there are no positives.
 * @example recallScore([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6]); // => 0.5
 */
export function recallScore(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  options: ThresholdOptions = {},
): number {
  return thresholdScores(confusionMatrix(yTrue, yScore, options)).recall;
}

/**
 * F1 = 2PR / (P + R) (scikit-learn `f1_score`, binary, pos_label 1); 0 when P + R = 0.
 * @example f1Score([0, 1, 1, 0], [0.2, 0.7, 0.9, 0.6]); // => 0.8
 */
export function f1Score(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  options: ThresholdOptions = {},
): number {
  return thresholdScores(confusionMatrix(yTrue, yScore, options)).f1;
}

/** The four thresholded metrics of one model. */
export interface ThresholdScores {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Accuracy, precision, recall and F1 from one confusion matrix: the very expressions accuracyScore,
 * precisionScore, recallScore and f1Score return (they call this), for a caller that wants all four
 * without four passes over the rows.
 * @example thresholdScores(confusionMatrix([0, 1, 1, 0], [0.2, 0.7, 0.9, 0.6])); // => { accuracy: 0.75, precision: 0.6666666666666666, recall: 1, f1: 0.8 }
 */
export function thresholdScores(matrix: ConfusionMatrix): ThresholdScores {
  const { tp, fp, tn, fn } = matrix;
  return {
    accuracy: (tp + tn) / (tp + fp + tn + fn),
    precision: safeDivide(tp, tp + fp),
    recall: safeDivide(tp, tp + fn),
    f1: fScore(tp, fp, fn),
  };
}

/** F1 from counts exactly as sklearn forms it: precision and recall first, then their harmonic mean. */
export function fScore(tp: number, fp: number, fn: number): number {
  const precision = safeDivide(tp, tp + fp);
  const recall = safeDivide(tp, tp + fn);
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** a / b, or 0 when b is 0 (sklearn's `zero_division` default outcome). */
export function safeDivide(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

import { assertFinite, assertNonEmpty, assertSameLength, assertWeights, StatsError } from '../errors.ts';
import { FLOAT64_EPS } from './calibration.ts';
import { fScore, safeDivide } from './confusion-matrix.ts';
import { rocAucScore } from './roc-auc.ts';

/**
 * Class probabilities, column-major: `proba[k][i]` is P(class k | row i), one column per class (the shape of
 * `p_0, p_1, ...` columns in a predictions file). Labels are integer class indices 0..K-1.
 */
export type ClassProbabilities = readonly ArrayLike<number>[];

/** Options of the multiclass metrics. */
export interface MulticlassOptions {
  sampleWeight?: ArrayLike<number>;
}

function check(
  yTrue: ArrayLike<number>,
  proba: ClassProbabilities,
  sampleWeight?: ArrayLike<number>,
): number {
  const classes = proba.length;
  if (classes < 2)
    throw new StatsError(`multiclass probabilities need at least 2 class columns, got ${classes}`);
  const columns: Record<string, ArrayLike<number>> = { yTrue };
  proba.forEach((column, k) => {
    columns[`proba[${k}]`] = column;
  });
  assertSameLength({ ...columns, sampleWeight });
  assertNonEmpty(yTrue, 'yTrue');
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new StatsError(
        `yTrue[${i}] is ${y}: multiclass labels must be integers in [0, ${classes - 1}] (one per probability column)`,
      );
    }
  }
  for (const [k, column] of proba.entries()) assertFinite(column, `proba[${k}]`);
  if (sampleWeight !== undefined) assertWeights(sampleWeight);
  return classes;
}

/** Predicted class per row: the first column with the largest probability (numpy `argmax`). */
export function argmaxClasses(proba: ClassProbabilities): Int32Array {
  const n = proba[0]?.length ?? 0;
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = proba[0]![i]!;
    for (let k = 1; k < proba.length; k++) {
      const v = proba[k]![i]!;
      if (v > best) {
        best = v;
        predicted[i] = k;
      }
    }
  }
  return predicted;
}

/**
 * Multiclass accuracy (scikit-learn `accuracy_score` of y against argmax of the probabilities).
 * @example multiclassAccuracy([0, 2], [[0.7, 0.2], [0.2, 0.1], [0.1, 0.7]]); // => 1
 */
export function multiclassAccuracy(
  yTrue: ArrayLike<number>,
  proba: ClassProbabilities,
  options: MulticlassOptions = {},
): number {
  check(yTrue, proba, options.sampleWeight);
  const predicted = argmaxClasses(proba);
  const w = options.sampleWeight;
  let correct = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const wi = w === undefined ? 1 : w[i]!;
    if (predicted[i] === yTrue[i]) correct += wi;
    total += wi;
  }
  return correct / total;
}

/** Per-class precision, recall, F1 and support over the labels present in y or in the prediction (as sklearn). */
export interface PerClassScores {
  labels: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
}

/**
 * Per-class scores of argmax predictions (scikit-learn `precision_recall_fscore_support(average=None)`):
 * labels are the sorted union of classes in yTrue and in the prediction; zero denominators give 0.
 * @example multiclassScores([0, 1], [[0.9, 0.4], [0.1, 0.6]]).f1; // => [1, 1]
 */
export function multiclassScores(
  yTrue: ArrayLike<number>,
  proba: ClassProbabilities,
  options: MulticlassOptions = {},
): PerClassScores {
  const classes = check(yTrue, proba, options.sampleWeight);
  const predicted = argmaxClasses(proba);
  const w = options.sampleWeight;
  const tp = new Float64Array(classes);
  const trueCount = new Float64Array(classes);
  const predCount = new Float64Array(classes);
  const present = new Uint8Array(classes);
  for (let i = 0; i < yTrue.length; i++) {
    const wi = w === undefined ? 1 : w[i]!;
    const y = yTrue[i]!;
    const p = predicted[i]!;
    trueCount[y]! += wi;
    predCount[p]! += wi;
    present[y] = 1;
    present[p] = 1;
    if (y === p) tp[y]! += wi;
  }
  const result: PerClassScores = { labels: [], precision: [], recall: [], f1: [], support: [] };
  for (let k = 0; k < classes; k++) {
    if (!present[k]) continue;
    result.labels.push(k);
    result.precision.push(safeDivide(tp[k]!, predCount[k]!));
    result.recall.push(safeDivide(tp[k]!, trueCount[k]!));
    result.f1.push(fScore(tp[k]!, predCount[k]! - tp[k]!, trueCount[k]! - tp[k]!));
    result.support.push(trueCount[k]!);
  }
  return result;
}

/**
 * Macro or support-weighted average of a per-class score (scikit-learn `average="macro"` / `"weighted"`).
 * @example averageScores([1, 0.5], [3, 1], 'weighted'); // => 0.875
 */
export function averageScores(values: number[], support: number[], average: 'macro' | 'weighted'): number {
  if (average === 'macro') return values.reduce((a, b) => a + b, 0) / values.length;
  const total = support.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  return values.reduce((sum, v, k) => sum + v * support[k]!, 0) / total;
}

/**
 * Multiclass log loss (scikit-learn `log_loss` with labels 0..K-1): probabilities clipped to [eps, 1 - eps]
 * (float64 epsilon) and each row renormalised to sum 1, then -weighted mean of ln p(true class).
 * @example multiclassLogLoss([0, 1], [[0.8, 0.3], [0.2, 0.7]]); // => 0.2899092476264711
 */
export function multiclassLogLoss(
  yTrue: ArrayLike<number>,
  proba: ClassProbabilities,
  options: MulticlassOptions = {},
): number {
  const classes = check(yTrue, proba, options.sampleWeight);
  const w = options.sampleWeight;
  let sum = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    let rowSum = 0;
    let own = 0;
    for (let k = 0; k < classes; k++) {
      const raw = proba[k]![i]!;
      if (!(raw >= 0 && raw <= 1))
        throw new StatsError(`proba[${k}][${i}] is ${raw}: probabilities must be in [0, 1]`);
      const p = Math.min(Math.max(raw, FLOAT64_EPS), 1 - FLOAT64_EPS);
      rowSum += p;
      if (k === yTrue[i]) own = p;
    }
    const wi = w === undefined ? 1 : w[i]!;
    sum += -wi * Math.log(own / rowSum);
    total += wi;
  }
  return sum / total;
}

/**
 * One-vs-rest macro ROC AUC (scikit-learn `roc_auc_score(multi_class="ovr", average="macro")`): the mean over
 * classes of the AUC of "class k" against the rest scored by column k. Every class must occur in yTrue.
 * @example rocAucOvr([0, 1, 2], [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]]); // => 1
 */
export function rocAucOvr(
  yTrue: ArrayLike<number>,
  proba: ClassProbabilities,
  options: MulticlassOptions = {},
): number {
  const classes = check(yTrue, proba, options.sampleWeight);
  const indicator = new Uint8Array(yTrue.length);
  let sum = 0;
  for (let k = 0; k < classes; k++) {
    let count = 0;
    for (let i = 0; i < yTrue.length; i++) {
      indicator[i] = yTrue[i] === k ? 1 : 0;
      count += indicator[i]!;
    }
    if (count === 0)
      throw new StatsError(`roc_auc (one-vs-rest) is undefined: class ${k} never occurs in yTrue`);
    sum += rocAucScore(indicator, proba[k]!, options);
  }
  return sum / classes;
}

// Ranking metrics at a cut-off k, where the business acts on the top of the list: precision, recall and lift
// at k, NDCG at k, and multiclass top-k accuracy. Binary relevance is the label.
import { assertBinaryLabels, assertSameLength, assertWeights, StatsError } from '../errors.ts';
import { argsortAscending } from './argsort.ts';
import type { ClassProbabilities } from './multiclass.ts';

/** What the metrics at k are read from, computed in one pass over the rows in descending score order. */
export interface TopOfRanking {
  k: number;
  /** Expected positive weight among the k highest scores (ties at the cut-off shared, see below). */
  positivesInTopK: number;
  positives: number;
  total: number;
  /** Tie-averaged discounted cumulative gain at k, and its ideal (every positive first). */
  dcg: number;
  idealDcg: number;
}

/**
 * The top k of a ranking by score, descending. Ties at the cut-off are ambiguous (which of the tied rows is
 * "in"?): every tied row counts with weight (slots left) / (tied rows), the expected value over the orders
 * of the tie, which is what a constant ranker deserves (scikit-learn PR #22431). That is also how NDCG
 * averages ties (McSherry & Najork 2008, scikit-learn's `ndcg_score`), so the two agree. Sample weights count
 * as copies of a row (a bootstrap draw's counts are exactly that): a row of weight w fills w slots, and a
 * fractional weight a fraction of one (the discount is interpolated linearly inside a slot). `order`, when the
 * caller has sorted the scores already (a bootstrap re-evaluates the same scores with new weights), is their
 * ascending order as `argsortAscending` returns it (checked in O(n)).
 * @throws StatsError when k is not a whole number in [1, total weight], or for malformed input.
 */
export function topOfRanking(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  k: number,
  sampleWeight?: ArrayLike<number>,
  order?: Int32Array,
): TopOfRanking {
  const n = assertSameLength({ yTrue, yScore, sampleWeight, order });
  assertBinaryLabels(yTrue);
  const total = sampleWeight ? assertWeights(sampleWeight) : n;
  if (!Number.isInteger(k) || k < 1) throw new StatsError(`k is ${k}: expected a whole number >= 1`);
  if (k > total) throw new StatsError(`k is ${k}, more than the ${total} rows ranked`);
  const weight = (i: number) => (sampleWeight ? sampleWeight[i]! : 1);
  if (order) checkAscendingOrder(order, yScore);
  else order = argsortAscending(yScore);
  // Cumulative discount at whole positions: cumulative[m] = sum of 1 / log2(i + 1) for i = 1..m.
  const cumulative = new Float64Array(k + 1);
  for (let m = 1; m <= k; m++) cumulative[m] = cumulative[m - 1]! + 1 / Math.log2(m + 1);
  const discountTo = (x: number): number => {
    if (x >= k) return cumulative[k]!;
    const whole = Math.floor(x);
    return cumulative[whole]! + (x - whole) / Math.log2(whole + 2);
  };
  let positives = 0;
  let positivesInTopK = 0;
  let dcg = 0;
  let position = 0;
  for (let end = n - 1; end >= 0; ) {
    // One group of tied scores, walking down from the highest.
    let start = end;
    const score = yScore[order[end]!]!;
    while (start > 0 && yScore[order[start - 1]!] === score) start--;
    let groupWeight = 0;
    let groupPositives = 0;
    for (let j = start; j <= end; j++) {
      const row = order[j]!;
      groupWeight += weight(row);
      if (yTrue[row] === 1) groupPositives += weight(row);
    }
    positives += groupPositives;
    if (position < k && groupWeight > 0) {
      const next = position + groupWeight;
      const share = groupPositives / groupWeight;
      positivesInTopK += share * (Math.min(next, k) - position);
      dcg += share * (discountTo(next) - discountTo(position));
    }
    position += groupWeight;
    end = start - 1;
  }
  return { k, positivesInTopK, positives, total, dcg, idealDcg: discountTo(positives) };
}

/** An ascending order of the scores given by the caller (a permutation, scores non-decreasing along it). */
function checkAscendingOrder(order: Int32Array, yScore: ArrayLike<number>): void {
  const seen = new Uint8Array(order.length);
  for (let j = 0; j < order.length; j++) {
    const row = order[j]!;
    if (row < 0 || row >= order.length || seen[row])
      throw new StatsError('order is not a permutation of the rows');
    seen[row] = 1;
    if (j > 0 && yScore[order[j - 1]!]! > yScore[row]!)
      throw new StatsError('order does not sort the scores ascending');
  }
}

/**
 * Positives among the k highest scores / k.
 * @example precisionAtK([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], 2); // => 0.5
 */
export function precisionAtK(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  k: number,
  sampleWeight?: ArrayLike<number>,
  order?: Int32Array,
): number {
  const top = topOfRanking(yTrue, yScore, k, sampleWeight, order);
  return top.positivesInTopK / k;
}

/**
 * Positives among the k highest scores / all positives (NaN without positives).
 * @example recallAtK([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], 2); // => 0.5
 */
export function recallAtK(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  k: number,
  sampleWeight?: ArrayLike<number>,
  order?: Int32Array,
): number {
  const top = topOfRanking(yTrue, yScore, k, sampleWeight, order);
  return top.positives === 0 ? Number.NaN : top.positivesInTopK / top.positives;
}

/**
 * precision at k / the base rate: how many times better than picking k rows at random (NaN without positives).
 * @example liftAtK([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], 1); // => 2
 */
export function liftAtK(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  k: number,
  sampleWeight?: ArrayLike<number>,
  order?: Int32Array,
): number {
  const top = topOfRanking(yTrue, yScore, k, sampleWeight, order);
  return top.positives === 0 ? Number.NaN : top.positivesInTopK / k / (top.positives / top.total);
}

/**
 * NDCG at k as scikit-learn's `ndcg_score([y_true], [y_score], k=k)` (one query: the rows): linear gain,
 * discount 1 / log2(rank + 1), ties averaged, 0 when there is no positive (ideal DCG 0).
 * @example ndcgAtK([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], 2); // => 0.6131471927654584
 */
export function ndcgAtK(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  k: number,
  sampleWeight?: ArrayLike<number>,
  order?: Int32Array,
): number {
  const top = topOfRanking(yTrue, yScore, k, sampleWeight, order);
  return top.idealDcg === 0 ? 0 : top.dcg / top.idealDcg;
}

/** The binary metrics at k by the prefix of their name (`precision` for `precision_at_<k>`). */
export const RANKING_AT_K = {
  precision: precisionAtK,
  recall: recallAtK,
  lift: liftAtK,
  ndcg: ndcgAtK,
} as const;

/**
 * Share of rows whose true class is among the k classes of highest probability, as scikit-learn's
 * `top_k_accuracy_score`: classes ranked by a stable sort of the scores, so among tied scores the higher class
 * index ranks first.
 * @example topKAccuracy([0, 1], [[0.4, 0.4], [0.4, 0.4], [0.2, 0.2]], 1); // => 0.5 (tied: class 1 ranks first)
 */
export function topKAccuracy(
  yTrue: ArrayLike<number>,
  proba: ClassProbabilities,
  k: number,
  sampleWeight?: ArrayLike<number>,
): number {
  const classes = proba.length;
  const n = assertSameLength({
    yTrue,
    sampleWeight,
    ...Object.fromEntries(proba.map((c, i) => [`class ${i}`, c])),
  });
  if (!Number.isInteger(k) || k < 1) throw new StatsError(`k is ${k}: expected a whole number >= 1`);
  let hits = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const label = yTrue[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes)
      throw new StatsError(`yTrue[${i}] is ${label}: expected a class index in [0, ${classes})`);
    const own = proba[label]![i]!;
    let above = 0;
    for (let c = 0; c < classes; c++) {
      const value = proba[c]![i]!;
      if (value > own || (value === own && c > label)) above++;
    }
    const w = sampleWeight ? sampleWeight[i]! : 1;
    total += w;
    if (above < k) hits += w;
  }
  return hits / total;
}

import { StatsError } from '../errors.ts';
import { argsortAscending } from './argsort.ts';
import { checkBinaryInput } from './roc-auc.ts';

/**
 * Average precision (scikit-learn `average_precision_score`): AP = Σ_k (R_k - R_{k-1}) P_k over the distinct
 * score thresholds in decreasing order — the step-wise area under the precision-recall curve, no
 * interpolation; tied scores form one threshold. Supports `sampleWeight`. Needs at least one positive
 * (sklearn returns a meaningless -0.0 with a warning; we throw a StatsError). `order`, when the caller has
 * sorted the scores already, is their ascending order as `argsortAscending` returns it (checked in O(n)).
 * @example averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // => 0.8333333333333333
 */
export function averagePrecisionScore(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  options: { sampleWeight?: ArrayLike<number>; order?: Int32Array } = {},
): number {
  const positives = checkBinaryInput(yTrue, yScore, options.sampleWeight);
  if (positives === 0) {
    throw new StatsError('average_precision is undefined when yTrue has no positive (1) labels');
  }
  const w = options.sampleWeight;
  const order = options.order ?? argsortAscending(yScore);
  if (options.order) checkPermutation(order, yScore.length);
  let totalPositive = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === 1) totalPositive += w === undefined ? 1 : w[i]!;
  if (!(totalPositive > 0))
    throw new StatsError('average_precision is undefined when the positives have zero total weight');
  let truePositive = 0;
  let falsePositive = 0;
  let ap = 0;
  let k = order.length - 1;
  let above = Number.POSITIVE_INFINITY;
  while (k >= 0) {
    const s = yScore[order[k]!]!;
    // Each threshold is below the previous one unless a caller's order is not sorted.
    if (!(s < above))
      throw new StatsError(`order is not an ascending sort order of the scores (position ${k})`);
    above = s;
    let groupPositive = 0;
    while (k >= 0 && yScore[order[k]!] === s) {
      const i = order[k]!;
      const weight = w === undefined ? 1 : w[i]!;
      if (yTrue[i] === 1) groupPositive += weight;
      else falsePositive += weight;
      k--;
    }
    truePositive += groupPositive;
    if (groupPositive > 0)
      ap += (groupPositive / totalPositive) * (truePositive / (truePositive + falsePositive));
  }
  return ap;
}

/** Throws unless `order` lists every row exactly once (its sorting is checked as the scores are walked). */
function checkPermutation(order: Int32Array, total: number): void {
  if (order.length !== total) throw new StatsError(`order has ${order.length} rows: expected ${total}`);
  const seen = new Uint8Array(total);
  for (let k = 0; k < total; k++) {
    const row = order[k]!;
    // seen[row] is undefined for an index out of range.
    if (seen[row] !== 0) throw new StatsError(`order lists row ${row} twice or out of range`);
    seen[row] = 1;
  }
}

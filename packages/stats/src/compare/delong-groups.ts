// DeLong's test on every group of a partition of the rows (slices: one test per region, segment, ...) from
// each model's order over all rows, in a few passes over all rows instead of a gather, a sort and a
// placement pass per group and model. A stable order restricted to a group is the group's own stable
// order, so each group's runs of tied scores, placements, sums and variances are formed from the same
// numbers in the same order as delongTest on the group's rows alone: the results are identical.
import { assertBothClasses, assertOpenUnit, assertSameLength, StatsError } from '../errors.ts';
import { argsortAscending } from '../metrics/argsort.ts';
import { checkBinaryInput } from '../metrics/roc-auc.ts';
import { type DelongResult, delongResult } from './delong.ts';

/** One model's DeLong placements of every row within its group, and each group's AUC. */
interface GroupPlacements {
  /** V10 of a positive row, V01 of a negative row (within its group), by row; 0 for rows in no group. */
  placement: Float64Array;
  auc: Float64Array;
}

/**
 * Placements within groups (Sun & Xu's midrank form, as aucPlacements): walks `order` once, runs of tied
 * scores at a time, keeping each group's positives and negatives below. `m[g]`, `n[g]`: the group's classes.
 */
function groupPlacements(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  order: Int32Array,
  groupOf: Int32Array,
  m: Float64Array,
  n: Float64Array,
): GroupPlacements {
  const total = order.length;
  const groups = m.length;
  // Gathered first without branches (the random reads overlap), as aucPlacements.
  const sortedScores = new Float64Array(total);
  const sortedGroup = new Int32Array(total);
  const sortedPositive = new Uint8Array(total);
  for (let k = 0; k < total; k++) {
    const row = order[k]!;
    sortedScores[k] = scores[row]!;
    sortedGroup[k] = groupOf[row]!;
    sortedPositive[k] = yTrue[row] === 1 ? 1 : 0;
  }
  let previous = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < total; k++) {
    if (!(sortedScores[k]! >= previous))
      throw new StatsError(`order is not an ascending sort order of the scores (position ${k})`);
    previous = sortedScores[k]!;
  }
  const placement = new Float64Array(total);
  const sum = new Float64Array(groups);
  const negativesBelow = new Float64Array(groups);
  const positivesBelow = new Float64Array(groups);
  // A run's positives and negatives per group, and the groups it touched.
  const runPositive = new Float64Array(groups);
  const runNegative = new Float64Array(groups);
  const touched = new Int32Array(groups);
  let touchedCount = 0;
  let start = 0;
  while (start < total) {
    const s = sortedScores[start]!;
    let end = start + 1;
    while (end < total && sortedScores[end] === s) end++;
    for (let k = start; k < end; k++) {
      const g = sortedGroup[k]!;
      if (g < 0) continue;
      if (runPositive[g] === 0 && runNegative[g] === 0) touched[touchedCount++] = g;
      if (sortedPositive[k] === 1) runPositive[g]!++;
      else runNegative[g]!++;
    }
    for (let k = start; k < end; k++) {
      const g = sortedGroup[k]!;
      if (g < 0) continue;
      // aucPlacements' expressions on the group's rows alone.
      placement[order[k]!] =
        sortedPositive[k] === 1
          ? (negativesBelow[g]! + 0.5 * runNegative[g]!) / n[g]!
          : (m[g]! - positivesBelow[g]! - runPositive[g]! + 0.5 * runPositive[g]!) / m[g]!;
    }
    for (let t = 0; t < touchedCount; t++) {
      const g = touched[t]!;
      const groupPositive = runPositive[g]!;
      const groupNegative = runNegative[g]!;
      sum[g]! += groupPositive * ((negativesBelow[g]! + 0.5 * groupNegative) / n[g]!);
      negativesBelow[g]! += groupNegative;
      positivesBelow[g]! += groupPositive;
      runPositive[g] = 0;
      runNegative[g] = 0;
    }
    touchedCount = 0;
    start = end;
  }
  const auc = new Float64Array(groups);
  for (let g = 0; g < groups; g++) auc[g] = sum[g]! / m[g]!;
  return { placement, auc };
}

/**
 * {@link delongTest} of AUC_A - AUC_B on each group's rows: `groupOf[row]` is the row's group in
 * [0, groups), or -1 for rows in none. Returns, per group, exactly what delongTest returns on that group's
 * rows alone (same placements, sums and variances in the same order), or the StatsError it would throw
 * (a group with one class, or fewer than 2 of a class). `orders`: both models' ascending orders over all
 * rows (argsortAscending), when the caller has them.
 * @example delongTestByGroup([0, 1, 0, 1, 0, 0, 1, 1], [0.1, 0.8, 0.3, 0.7, 0.2, 0.6, 0.4, 0.9], [0.2, 0.6, 0.1, 0.9, 0.3, 0.5, 0.7, 0.8], Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]), 2).map((r) => (r instanceof Error ? r.message : r.aucA)); // => [1, 0.75]
 */
export function delongTestByGroup(
  yTrue: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  groupOf: Int32Array,
  groups: number,
  options: { confidence?: number; margin?: number; orders?: { a: Int32Array; b: Int32Array } } = {},
): (DelongResult | StatsError)[] {
  assertSameLength({ yTrue, scoresA, scoresB, groupOf });
  checkBinaryInput(yTrue, scoresA);
  checkBinaryInput(yTrue, scoresB);
  const confidence = options.confidence ?? 0.95;
  assertOpenUnit(confidence, 'confidence');
  if (options.margin !== undefined && !(options.margin >= 0))
    throw new StatsError(`margin is ${options.margin}: expected a non-negative number`);
  const total = yTrue.length;
  const { orders } = options;
  if (orders) {
    for (const order of [orders.a, orders.b]) {
      if (order.length !== total) throw new StatsError(`orders have ${order.length} rows: expected ${total}`);
      const seen = new Uint8Array(total);
      for (let k = 0; k < total; k++) {
        // seen[row] is undefined for an index out of range.
        if (seen[order[k]!] !== 0) throw new StatsError(`orders list row ${order[k]} twice or out of range`);
        seen[order[k]!] = 1;
      }
    }
  }
  const m = new Float64Array(groups);
  const n = new Float64Array(groups);
  for (let i = 0; i < total; i++) {
    const g = groupOf[i]!;
    if (g < -1 || g >= groups || !Number.isInteger(g))
      throw new StatsError(`groupOf[${i}] is ${g}: expected -1 or a group in [0, ${groups})`);
    if (g < 0) continue;
    if (yTrue[i] === 1) m[g]!++;
    else n[g]!++;
  }
  const a = groupPlacements(yTrue, scoresA, orders?.a ?? argsortAscending(scoresA), groupOf, m, n);
  const b = groupPlacements(yTrue, scoresB, orders?.b ?? argsortAscending(scoresB), groupOf, m, n);
  // sampleVarianceOfDifference per group and class, rows in row order (the group's own order): the mean
  // of the placement differences, then the sum of squared deviations.
  const meanPositive = new Float64Array(groups);
  const meanNegative = new Float64Array(groups);
  for (let i = 0; i < total; i++) {
    const g = groupOf[i]!;
    if (g < 0) continue;
    const d = a.placement[i]! - b.placement[i]!;
    if (yTrue[i] === 1) meanPositive[g]! += d;
    else meanNegative[g]! += d;
  }
  for (let g = 0; g < groups; g++) {
    meanPositive[g]! /= m[g]!;
    meanNegative[g]! /= n[g]!;
  }
  const squaresPositive = new Float64Array(groups);
  const squaresNegative = new Float64Array(groups);
  for (let i = 0; i < total; i++) {
    const g = groupOf[i]!;
    if (g < 0) continue;
    const d = a.placement[i]! - b.placement[i]!;
    if (yTrue[i] === 1) {
      const e = d - meanPositive[g]!;
      squaresPositive[g]! += e * e;
    } else {
      const e = d - meanNegative[g]!;
      squaresNegative[g]! += e * e;
    }
  }
  const results: (DelongResult | StatsError)[] = [];
  for (let g = 0; g < groups; g++) {
    const positives = m[g]!;
    const negatives = n[g]!;
    try {
      assertBothClasses(positives, positives + negatives, 'roc_auc');
      if (positives < 2 || negatives < 2) {
        throw new StatsError(
          `DeLong's test needs at least 2 positives and 2 negatives (got ${positives} and ${negatives})`,
        );
      }
      const variance =
        squaresPositive[g]! / (positives - 1) / positives + squaresNegative[g]! / (negatives - 1) / negatives;
      results.push(
        delongResult(a.auc[g]!, b.auc[g]!, variance, positives, negatives, confidence, options.margin),
      );
    } catch (error) {
      if (!(error instanceof StatsError)) throw error;
      results.push(error);
    }
  }
  return results;
}

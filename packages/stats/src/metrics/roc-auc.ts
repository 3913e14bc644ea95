import {
  assertBinaryLabels,
  assertBothClasses,
  assertFinite,
  assertNonEmpty,
  assertSameLength,
  assertWeights,
  StatsError,
} from '../errors.ts';
import { argsortAscending } from './argsort.ts';

/** Shared validation of (yTrue, yScore, sampleWeight) for binary metrics; returns the number of positives. */
export function checkBinaryInput(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  sampleWeight?: ArrayLike<number>,
): number {
  assertSameLength({ yTrue, yScore, sampleWeight });
  assertNonEmpty(yTrue, 'yTrue');
  const positives = assertBinaryLabels(yTrue);
  assertFinite(yScore, 'yScore');
  if (sampleWeight !== undefined) assertWeights(sampleWeight);
  return positives;
}

/**
 * Area under the ROC curve for binary labels (scikit-learn `roc_auc_score`): the probability that a random
 * positive scores above a random negative, ties counting one half — identical to sklearn's trapezoidal area,
 * including tied scores and integer / real `sampleWeight`. One O(n) radix sort, then one pass.
 * Throws a StatsError when yTrue has a single class (sklearn raises too).
 * @example rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // => 0.75
 */
export function rocAucScore(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  options: { sampleWeight?: ArrayLike<number> } = {},
): number {
  const positives = checkBinaryInput(yTrue, yScore, options.sampleWeight);
  assertBothClasses(positives, yTrue.length, 'roc_auc');
  const order = argsortAscending(yScore);
  const w = options.sampleWeight;
  let negativesBelow = 0;
  let groupPositive = 0;
  let groupNegative = 0;
  let totalPositive = 0;
  let sum = 0;
  let previous = Number.NaN;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const s = yScore[i]!;
    if (s !== previous) {
      sum += groupPositive * (negativesBelow + 0.5 * groupNegative);
      negativesBelow += groupNegative;
      totalPositive += groupPositive;
      groupPositive = 0;
      groupNegative = 0;
      previous = s;
    }
    const weight = w === undefined ? 1 : w[i]!;
    if (yTrue[i] === 1) groupPositive += weight;
    else groupNegative += weight;
  }
  sum += groupPositive * (negativesBelow + 0.5 * groupNegative);
  negativesBelow += groupNegative;
  totalPositive += groupPositive;
  if (totalPositive === 0 || negativesBelow === 0) {
    assertBothClasses(totalPositive === 0 ? 0 : 1, 1, 'roc_auc (positive weight in each class)');
  }
  return sum / (totalPositive * negativesBelow);
}

/**
 * A caller's sort order must list every row once (an index out of range gathers NaN) with ascending scores:
 * checked on the gathered scores, so only the repeat test reads at random.
 */
function checkGivenOrder(order: Int32Array, sortedScores: Float64Array): void {
  let previous = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < sortedScores.length; k++) {
    const score = sortedScores[k]!;
    if (!(score >= previous))
      throw new StatsError(`order is not an ascending sort order of the scores (position ${k})`);
    previous = score;
  }
  const seen = new Uint8Array(order.length);
  for (let k = 0; k < order.length; k++) {
    if (seen[order[k]!] !== 0) throw new StatsError(`order lists row ${order[k]} twice`);
    seen[order[k]!] = 1;
  }
}

/** DeLong's structural components of one model's AUC (Sun & Xu 2014 notation). */
export interface AucPlacements {
  auc: number;
  /** V10 for each positive, in row order: (negatives scoring below it + ½ tied) / n. */
  positive: Float64Array;
  /** V01 for each negative, in row order: (positives scoring above it + ½ tied) / m. */
  negative: Float64Array;
  /** Row index of each positive / negative, in the order of `positive` / `negative`. */
  positiveRows: Int32Array;
  negativeRows: Int32Array;
}

/**
 * DeLong placement values (DeLong, DeLong & Clarke-Pearson 1988; midrank form of Sun & Xu 2014):
 * V10_i = (T_Z(X_i) - T_X(X_i))/n, V01_j = 1 - (T_Z(Y_j) - T_Y(Y_j))/m, with AUC = mean V10 = mean V01.
 * One sort (or the caller's `order`: ascending as argsortAscending, checked); used by DeLong's test and the
 * O(n) AUC jackknife.
 * @example aucPlacements([0, 1, 1], [0.2, 0.1, 0.9]).positive; // => Float64Array [0, 1]
 */
export function aucPlacements(
  yTrue: ArrayLike<number>,
  yScore: ArrayLike<number>,
  order?: Int32Array,
): AucPlacements {
  return placementsOf(classLayout(yTrue, yScore), yScore, order);
}

/** The rows of each class, for {@link placementsOf}: validated labels, shared by the models scored on them. */
export interface ClassLayout {
  m: number;
  n: number;
  /** The rows, positives first ([0, m)) then negatives, each class in row order. */
  rows: Int32Array;
  /** Each row's index in `rows`. */
  slotOfRow: Int32Array;
}

/** Validates labels (0/1, both classes) and scores as aucPlacements does, and lays the rows out by class. */
export function classLayout(yTrue: ArrayLike<number>, yScore: ArrayLike<number>): ClassLayout {
  const m = checkBinaryInput(yTrue, yScore);
  const total = yTrue.length;
  assertBothClasses(m, total, 'roc_auc');
  const rows = new Int32Array(total);
  const slotOfRow = new Int32Array(total);
  let p = 0;
  let q = m;
  for (let i = 0; i < total; i++) {
    const slot = yTrue[i] === 1 ? p++ : q++;
    rows[slot] = i;
    slotOfRow[i] = slot;
  }
  return { m, n: total - m, rows, slotOfRow };
}

/**
 * aucPlacements on a class layout of the same labels (so that two models' placements share it); `yScore`
 * must be finite (classLayout checks the first model's; delongTest checks each).
 */
export function placementsOf(
  layout: ClassLayout,
  yScore: ArrayLike<number>,
  order?: Int32Array,
): AucPlacements {
  const { m, n, rows, slotOfRow } = layout;
  const total = rows.length;
  if (yScore.length !== total) throw new StatsError(`yScore has ${yScore.length} rows: expected ${total}`);
  if (order && order.length !== total)
    throw new StatsError(`order has ${order.length} rows: expected ${total}`);
  const sorted = order ?? argsortAscending(yScore);
  // Gather scores and output slots in score order first, in a loop without branches (the random reads
  // overlap), then walk the runs of tied scores in the gathered copies: mixing the run test (ties come at
  // random) into the gathers made this several times slower on a million rows. A slot below m is a
  // positive's; each row's placement goes straight to its slot.
  const sortedScores = new Float64Array(total);
  const sortedSlot = new Int32Array(total);
  for (let k = 0; k < total; k++) {
    const row = sorted[k]!;
    sortedScores[k] = yScore[row]!;
    sortedSlot[k] = slotOfRow[row]!;
  }
  if (order) checkGivenOrder(order, sortedScores);
  const placements = new Float64Array(total);
  let negativesBelow = 0;
  let positivesBelow = 0;
  let sum = 0;
  let start = 0;
  while (start < total) {
    const s = sortedScores[start]!;
    let end = start + 1;
    let groupPositive = sortedSlot[start]! < m ? 1 : 0;
    while (end < total && sortedScores[end] === s) {
      if (sortedSlot[end]! < m) groupPositive++;
      end++;
    }
    const groupNegative = end - start - groupPositive;
    const v10 = (negativesBelow + 0.5 * groupNegative) / n;
    const v01 = (m - positivesBelow - groupPositive + 0.5 * groupPositive) / m;
    for (let k = start; k < end; k++) {
      const slot = sortedSlot[k]!;
      placements[slot] = slot < m ? v10 : v01;
    }
    sum += groupPositive * v10;
    negativesBelow += groupNegative;
    positivesBelow += groupPositive;
    start = end;
  }
  const positive = placements.subarray(0, m);
  const negative = placements.subarray(m);
  const positiveRows = rows.subarray(0, m);
  const negativeRows = rows.subarray(m);
  return { auc: sum / m, positive, negative, positiveRows, negativeRows };
}

// Each model's scores sorted once per run and shared: the AUC bootstrap, DeLong (on the whole file and on
// every slice group) all walk the rows in score order, and a sort of a million rows costs ~0.1 s per model
// where filtering a sorted order by group costs a few milliseconds.
import { argsortAscending } from '@mlops/stats';
import type { Predictions } from './predictions.ts';

/** Both models' ascending score orders (`argsortAscending`: stable, ties in row order). */
export interface ModelOrders {
  challenger: Int32Array;
  champion: Int32Array;
}

/**
 * Both models' score orders over all rows, computed on first use (a run without a consumer never sorts).
 * Only for predictions with a champion and finite scores; consumers validate the scores themselves first.
 */
export function lazyOrders(predictions: Predictions): () => ModelOrders {
  let orders: ModelOrders | undefined;
  return () => {
    const champion = predictions.champion;
    if (!champion) throw new Error('score orders need the champion scores');
    orders ??= { challenger: argsortAscending(predictions.challenger), champion: argsortAscending(champion) };
    return orders;
  };
}

/**
 * The score orders of each group's rows, as positions in the group (the indices of `subsetPredictions`'
 * gathered arrays), taken from the whole file's orders in one pass per model: a stable sort restricted to
 * a subset is the subset's stable sort, so each is exactly `argsortAscending` of the group's gathered
 * scores (their row order is the group's order). `groups` are row indices, increasing within each group,
 * disjoint; rows in no group are skipped.
 */
export function ordersByGroup(
  orders: ModelOrders,
  groups: readonly Int32Array[],
  total: number,
): ModelOrders[] {
  // Each group's positions go to its own stretch of one buffer (start[g] onwards): a single typed array in
  // the hot loop rather than an array of them.
  const groupOf = new Int32Array(total).fill(-1);
  const position = new Int32Array(total);
  const start = new Int32Array(groups.length + 1);
  groups.forEach((rows, g) => {
    start[g + 1] = start[g]! + rows.length;
    for (let j = 0; j < rows.length; j++) {
      groupOf[rows[j]!] = g;
      position[rows[j]!] = j;
    }
  });
  const split = (order: Int32Array): Int32Array[] => {
    const out = new Int32Array(start[groups.length]!);
    const next = start.slice(0, groups.length);
    for (let k = 0; k < order.length; k++) {
      const row = order[k]!;
      const g = groupOf[row]!;
      if (g >= 0) out[next[g]!++] = position[row]!;
    }
    return groups.map((_, g) => out.subarray(start[g]!, start[g + 1]!));
  };
  const challenger = split(orders.challenger);
  const champion = split(orders.champion);
  return groups.map((_, g) => ({ challenger: challenger[g]!, champion: champion[g]! }));
}

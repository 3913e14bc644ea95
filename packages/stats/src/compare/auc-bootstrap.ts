import { argsortAscending } from '../metrics/argsort.ts';
import { aucPlacements } from '../metrics/roc-auc.ts';
import type { Random } from '../random.ts';

/**
 * The paired, class-stratified bootstrap of an AUC difference in O(n) per resample: both models are sorted
 * once; each resample draws m positive and n negative row indices (exact multinomial counts, as pROC's
 * stratified bootstrap) into a counts array and evaluates each AUC as one weighted pass over that model's
 * sorted order (Mann-Whitney with ties ½, counts as weights). No per-resample sort, copy or allocation.
 */
export class PairedAucResampler {
  readonly m: number;
  readonly n: number;
  /** Rows renumbered: positives 0..m-1 and negatives m..m+n-1, each in model A's score order (cache-friendly). */
  private readonly slotOrderA: Int32Array;
  private readonly slotOrderB: Int32Array;
  private readonly groupStartA: Uint8Array;
  private readonly groupStartB: Uint8Array;
  private readonly counts: Uint8Array;
  /** Original row of each slot, to report a resample's counts in row order. */
  private readonly rowOfSlot: Int32Array;
  private readonly yTrue: ArrayLike<number>;
  private readonly scoresA: ArrayLike<number>;
  private readonly scoresB: ArrayLike<number>;

  /** Inputs must already be validated (binary labels, finite scores, both classes). */
  constructor(yTrue: ArrayLike<number>, scoresA: ArrayLike<number>, scoresB: ArrayLike<number>) {
    this.yTrue = yTrue;
    this.scoresA = scoresA;
    this.scoresB = scoresB;
    const total = yTrue.length;
    const orderA = argsortAscending(scoresA);
    const orderB = argsortAscending(scoresB);
    let m = 0;
    for (let i = 0; i < total; i++) if (yTrue[i] === 1) m++;
    this.m = m;
    this.n = total - m;
    const slot = new Int32Array(total);
    this.rowOfSlot = new Int32Array(total);
    let p = 0;
    let q = m;
    for (let k = 0; k < total; k++) {
      const row = orderA[k]!;
      slot[row] = yTrue[row] === 1 ? p++ : q++;
      this.rowOfSlot[slot[row]!] = row;
    }
    this.slotOrderA = new Int32Array(total);
    this.slotOrderB = new Int32Array(total);
    this.groupStartA = new Uint8Array(total);
    this.groupStartB = new Uint8Array(total);
    for (let k = 0; k < total; k++) {
      this.slotOrderA[k] = slot[orderA[k]!]!;
      this.slotOrderB[k] = slot[orderB[k]!]!;
      this.groupStartA[k] = k === 0 || scoresA[orderA[k]!] !== scoresA[orderA[k - 1]!] ? 1 : 0;
      this.groupStartB[k] = k === 0 || scoresB[orderB[k]!] !== scoresB[orderB[k - 1]!] ? 1 : 0;
    }
    this.counts = new Uint8Array(total);
  }

  /** AUC_A - AUC_B on the full sample (every count 1). */
  estimate(): { aucA: number; aucB: number; difference: number } {
    this.counts.fill(1);
    const aucA = this.pass(this.slotOrderA, this.groupStartA);
    const aucB = this.pass(this.slotOrderB, this.groupStartB);
    return { aucA, aucB, difference: aucA - aucB };
  }

  /** One stratified resample: AUC_A* - AUC_B* (and each AUC). */
  resample(random: Random): { aucA: number; aucB: number; difference: number } {
    const counts = this.counts;
    const m = this.m;
    const n = this.n;
    counts.fill(0);
    for (let t = 0; t < m; t++) counts[random.nextInt(m)]!++;
    for (let t = 0; t < n; t++) counts[m + random.nextInt(n)]!++;
    const aucA = this.pass(this.slotOrderA, this.groupStartA);
    const aucB = this.pass(this.slotOrderB, this.groupStartB);
    return { aucA, aucB, difference: aucA - aucB };
  }

  /** How often each row (row order) was drawn by the last resample: the weights the fast pass used. */
  lastCounts(): Float64Array {
    const out = new Float64Array(this.counts.length);
    for (let s = 0; s < this.counts.length; s++) out[this.rowOfSlot[s]!] = this.counts[s]!;
    return out;
  }

  /** Weighted Mann-Whitney over one model's sorted order; integer sums, exact in doubles below 2^53. */
  private pass(slotOrder: Int32Array, groupStart: Uint8Array): number {
    const counts = this.counts;
    const m = this.m;
    let sum = 0;
    let negativesBelow = 0;
    let groupPositive = 0;
    let groupNegative = 0;
    let positives = 0;
    const total = slotOrder.length;
    for (let k = 0; k < total; k++) {
      if (groupStart[k] === 1) {
        sum += groupPositive * (2 * negativesBelow + groupNegative);
        positives += groupPositive;
        negativesBelow += groupNegative;
        groupPositive = 0;
        groupNegative = 0;
      }
      const s = slotOrder[k]!;
      const c = counts[s]!;
      // Branch-free class split: slots below m are positives.
      const isPositive = (s - m) >>> 31;
      groupPositive += c * isPositive;
      groupNegative += c * (1 - isPositive);
    }
    sum += groupPositive * (2 * negativesBelow + groupNegative);
    positives += groupPositive;
    negativesBelow += groupNegative;
    if (positives !== m || negativesBelow !== this.n) {
      // A Uint8 count wrapped (a row drawn 256+ times: probability below 1e-400 at any n); refuse loudly.
      throw new Error('bootstrap resample counts overflowed');
    }
    return sum / (2 * m * this.n);
  }

  /**
   * Exact delete-one jackknife of AUC_A - AUC_B in O(n) from DeLong placements: removing positive i gives
   * (m·AUC - V10_i)/(m - 1), removing negative j gives (n·AUC - V01_j)/(n - 1). Row order.
   */
  jackknife(): Float64Array {
    const a = aucPlacements(this.yTrue, this.scoresA);
    const b = aucPlacements(this.yTrue, this.scoresB);
    const m = this.m;
    const n = this.n;
    const out = new Float64Array(m + n);
    for (let i = 0; i < m; i++) {
      out[a.positiveRows[i]!] =
        (m * a.auc - a.positive[i]!) / (m - 1) - (m * b.auc - b.positive[i]!) / (m - 1);
    }
    for (let j = 0; j < n; j++) {
      out[a.negativeRows[j]!] =
        (n * a.auc - a.negative[j]!) / (n - 1) - (n * b.auc - b.negative[j]!) / (n - 1);
    }
    return out;
  }
}

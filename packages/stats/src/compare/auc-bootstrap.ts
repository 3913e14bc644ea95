import { argsortAscending } from '../metrics/argsort.ts';
import { aucPlacements } from '../metrics/roc-auc.ts';
import type { Random } from '../random.ts';
import { POISSON_ONE_BELOW, POISSON_ONE_FAST, POISSON_ONE_FLOOR, poissonOneSlow } from './poisson-one.ts';

/** Uniforms drawn per block of rows (16 KB, stays in L1). */
const UNIFORM_BLOCK = 4096;

/** One resample's AUCs. */
export interface AucDraw {
  aucA: number;
  aucB: number;
  difference: number;
}

/**
 * The paired, class-stratified bootstrap of an AUC difference in O(n) per resample (pROC's stratified
 * bootstrap: m positives and n negatives drawn with replacement). Both models are sorted once; a resample is
 * then three forward passes over typed arrays and no sort, copy or allocation:
 *
 * 1. counts in model B's order: i.i.d. Poisson(1) per row, then made exactly multinomial per class — if the
 *    positives' total t is below m, m - t uniform draws are added; above it, t - m drawn balls are removed
 *    uniformly (a cell picked uniformly and accepted with probability count/max). Given t, Poisson counts
 *    are Multinomial(t, uniform); adding independent uniform draws or removing uniformly chosen balls keeps
 *    them multinomial, so the result is Multinomial(m, uniform) — the same law as drawing m indices — while
 *    every write is sequential except a few hundred corrections (√m on average);
 * 2. model B's weighted Mann-Whitney pass, which also scatters each count to model A's order;
 * 3. model A's pass.
 * Only step 2's scatter touches memory out of order: one write per row per resample.
 */
export class PairedAucResampler {
  readonly m: number;
  readonly n: number;
  /** Model B's order: (position in A's order) << 2 | isPositive << 1 | startsTieGroup. */
  private readonly codesB: Int32Array;
  /** Model A's order: isPositive << 1 | startsTieGroup. */
  private readonly codesA: Uint8Array;
  /** 1 where B's k-th row is a positive: a 1-byte stream for step 1 (codesB is 4 bytes a row). */
  private readonly positiveB: Uint8Array;
  private readonly tiesA: boolean;
  private readonly tiesB: boolean;
  /** B-order positions of the positives and of the negatives (for the multinomial corrections). */
  private readonly positivesB: Int32Array;
  private readonly negativesB: Int32Array;
  /** The resample's counts in B's order and in A's order. */
  private readonly countsB: Uint8Array;
  private readonly countsA: Uint8Array;
  private readonly orderA: Int32Array;
  private readonly uniforms = new Uint32Array(UNIFORM_BLOCK);
  /** Rows whose Poisson count takes the slow path (count >= 7 or a threshold tie), with their uniforms. */
  private rareRows: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private rareUniforms: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private readonly yTrue: ArrayLike<number>;
  private readonly scoresA: ArrayLike<number>;
  private readonly scoresB: ArrayLike<number>;

  /** Inputs must already be validated (binary labels, finite scores, at least one row of each class). */
  constructor(yTrue: ArrayLike<number>, scoresA: ArrayLike<number>, scoresB: ArrayLike<number>) {
    this.yTrue = yTrue;
    this.scoresA = scoresA;
    this.scoresB = scoresB;
    const total = yTrue.length;
    const orderA = argsortAscending(scoresA);
    const orderB = argsortAscending(scoresB);
    this.orderA = orderA;
    const positionA = new Int32Array(total);
    for (let k = 0; k < total; k++) positionA[orderA[k]!] = k;
    let m = 0;
    for (let i = 0; i < total; i++) if (yTrue[i] === 1) m++;
    this.m = m;
    this.n = total - m;
    this.codesA = new Uint8Array(total);
    this.positiveB = new Uint8Array(total);
    this.codesB = new Int32Array(total);
    this.positivesB = new Int32Array(m);
    this.negativesB = new Int32Array(total - m);
    let tiesA = false;
    let tiesB = false;
    let p = 0;
    let q = 0;
    for (let k = 0; k < total; k++) {
      const rowA = orderA[k]!;
      const rowB = orderB[k]!;
      const startA = k === 0 || scoresA[rowA] !== scoresA[orderA[k - 1]!];
      const startB = k === 0 || scoresB[rowB] !== scoresB[orderB[k - 1]!];
      tiesA ||= !startA;
      tiesB ||= !startB;
      this.codesA[k] = (yTrue[rowA] === 1 ? 2 : 0) | (startA ? 1 : 0);
      const positiveB = yTrue[rowB] === 1;
      this.codesB[k] = (positionA[rowB]! << 2) | (positiveB ? 2 : 0) | (startB ? 1 : 0);
      this.positiveB[k] = positiveB ? 1 : 0;
      if (positiveB) this.positivesB[p++] = k;
      else this.negativesB[q++] = k;
    }
    this.tiesA = tiesA;
    this.tiesB = tiesB;
    this.countsA = new Uint8Array(total);
    this.countsB = new Uint8Array(total);
  }

  /** AUC_A - AUC_B on the full sample (every count 1). */
  estimate(): AucDraw {
    this.countsB.fill(1);
    return this.evaluate();
  }

  /** One stratified resample: AUC_A* - AUC_B* (and each AUC). */
  resample(random: Random): AucDraw {
    const { positive, negative, maxPositive, maxNegative } = this.poissonCounts(random);
    this.correct(random, this.positivesB, positive, maxPositive);
    this.correct(random, this.negativesB, negative, maxNegative);
    return this.evaluate();
  }

  /** How often each row (row order) was drawn by the last resample: the weights the passes used. */
  lastCounts(): Float64Array {
    const out = new Float64Array(this.orderA.length);
    for (let k = 0; k < out.length; k++) out[this.orderA[k]!] = this.countsA[k]!;
    return out;
  }

  /** Step 1: i.i.d. Poisson(1) counts in B's order; returns each class's total and an upper bound of its counts. */
  private poissonCounts(random: Random): {
    positive: number;
    negative: number;
    maxPositive: number;
    maxNegative: number;
  } {
    const { countsB, positiveB, uniforms } = this;
    const total = countsB.length;
    const t = POISSON_ONE_FLOOR;
    const below = POISSON_ONE_BELOW;
    const t0 = t[0]!;
    const t1 = t[1]!;
    const t2 = t[2]!;
    const t3 = t[3]!;
    const t4 = t[4]!;
    const t5 = t[5]!;
    const t6 = t[6]!;
    let positive = 0;
    let all = 0;
    let rare = 0;
    let rareRows = this.rareRows;
    for (let start = 0; start < total; start += UNIFORM_BLOCK) {
      random.fillUint32(uniforms);
      const end = Math.min(start + UNIFORM_BLOCK, total);
      for (let k = start; k < end; k++) {
        const u = (uniforms[k - start]! >>> 1) | 0;
        // #{j < 7 : u >= T_j}, each term the sign bit of T_j - 1 - u; `| 0` keeps V8 in int32 arithmetic.
        const c =
          (((t0 - 1 - u) | 0) >>> 31) +
          (((t1 - 1 - u) | 0) >>> 31) +
          (((t2 - 1 - u) | 0) >>> 31) +
          (((t3 - 1 - u) | 0) >>> 31) +
          (((t4 - 1 - u) | 0) >>> 31) +
          (((t5 - 1 - u) | 0) >>> 31) +
          (((t6 - 1 - u) | 0) >>> 31);
        // Counts of 7+ (1e-4) and threshold ties (2^-31) are resolved after the loop, off the hot path.
        if (c === POISSON_ONE_FAST || u === below[c]) {
          if (rare === rareRows.length) rareRows = this.growRare();
          rareRows[rare] = k;
          this.rareUniforms[rare++] = u;
        }
        countsB[k] = c;
        all += c;
        positive += c * positiveB[k]!;
      }
    }
    let largest = POISSON_ONE_FAST;
    for (let i = 0; i < rare; i++) {
      const k = this.rareRows[i]!;
      const before = countsB[k]!;
      const c = poissonOneSlow(this.rareUniforms[i]!, random);
      countsB[k] = c;
      all += c - before;
      positive += (c - before) * positiveB[k]!;
      if (c > largest) largest = c;
    }
    return { positive, negative: all - positive, maxPositive: largest, maxNegative: largest };
  }

  private growRare(): Int32Array<ArrayBuffer> {
    const rows = new Int32Array(this.rareRows.length * 2);
    rows.set(this.rareRows);
    const uniforms = new Int32Array(this.rareUniforms.length * 2);
    uniforms.set(this.rareUniforms);
    this.rareRows = rows;
    this.rareUniforms = uniforms;
    return rows;
  }

  /** Makes one class's Poisson counts an exact Multinomial(size, uniform) sample (see the class comment). */
  private correct(random: Random, positions: Int32Array, drawn: number, largest: number): void {
    const counts = this.countsB;
    const size = positions.length;
    for (let t = drawn; t < size; t++) counts[positions[random.nextInt(size)]!]!++;
    for (let t = drawn; t > size; ) {
      const k = positions[random.nextInt(size)]!;
      // Accept with probability count / largest: the removed ball is uniform among all drawn balls.
      if (random.nextInt(largest) < counts[k]!) {
        counts[k]!--;
        t--;
      }
    }
  }

  private evaluate(): AucDraw {
    const aucB = this.tiesB ? this.passB() : this.passBWithoutTies();
    const aucA = this.tiesA ? this.passA() : this.passAWithoutTies();
    return { aucA, aucB, difference: aucA - aucB };
  }

  /**
   * Step 2: B's weighted Mann-Whitney (twice the sum over positives of negatives below + ½ tied negatives,
   * in integers, exact in doubles below 2^53), scattering each count to A's order on the way.
   */
  private passB(): number {
    const { countsB, countsA, codesB } = this;
    let sum = 0;
    let negativesBelow = 0;
    let groupPositive = 0;
    let groupNegative = 0;
    let positives = 0;
    for (let k = 0; k < codesB.length; k++) {
      const code = codesB[k]!;
      if ((code & 1) === 1) {
        sum += groupPositive * (2 * negativesBelow + groupNegative);
        positives += groupPositive;
        negativesBelow += groupNegative;
        groupPositive = 0;
        groupNegative = 0;
      }
      const c = countsB[k]!;
      countsA[code >>> 2] = c;
      // Branch-free class split: consecutive rows' classes are unpredictable.
      const positive = c * ((code >>> 1) & 1);
      groupPositive += positive;
      groupNegative += c - positive;
    }
    sum += groupPositive * (2 * negativesBelow + groupNegative);
    return this.finish(sum, positives + groupPositive, negativesBelow + groupNegative);
  }

  private passBWithoutTies(): number {
    const { countsB, countsA, codesB } = this;
    let sum = 0;
    let negativesBelow = 0;
    let positives = 0;
    for (let k = 0; k < codesB.length; k++) {
      const code = codesB[k]!;
      const c = countsB[k]!;
      countsA[code >>> 2] = c;
      const positive = c * ((code >>> 1) & 1);
      sum += positive * negativesBelow;
      positives += positive;
      negativesBelow += c - positive;
    }
    return this.finish(2 * sum, positives, negativesBelow);
  }

  /** Step 3: A's pass over its own order, all reads sequential. */
  private passA(): number {
    const { countsA, codesA } = this;
    let sum = 0;
    let negativesBelow = 0;
    let groupPositive = 0;
    let groupNegative = 0;
    let positives = 0;
    for (let k = 0; k < codesA.length; k++) {
      const code = codesA[k]!;
      if ((code & 1) === 1) {
        sum += groupPositive * (2 * negativesBelow + groupNegative);
        positives += groupPositive;
        negativesBelow += groupNegative;
        groupPositive = 0;
        groupNegative = 0;
      }
      const c = countsA[k]!;
      const positive = c * (code >>> 1);
      groupPositive += positive;
      groupNegative += c - positive;
    }
    sum += groupPositive * (2 * negativesBelow + groupNegative);
    return this.finish(sum, positives + groupPositive, negativesBelow + groupNegative);
  }

  private passAWithoutTies(): number {
    const { countsA, codesA } = this;
    let sum = 0;
    let negativesBelow = 0;
    let positives = 0;
    for (let k = 0; k < codesA.length; k++) {
      const c = countsA[k]!;
      const positive = c * (codesA[k]! >>> 1);
      sum += positive * negativesBelow;
      positives += positive;
      negativesBelow += c - positive;
    }
    return this.finish(2 * sum, positives, negativesBelow);
  }

  private finish(twiceSum: number, positives: number, negatives: number): number {
    if (positives !== this.m || negatives !== this.n)
      throw new Error('bootstrap resample counts lost their class totals');
    return twiceSum / (2 * this.m * this.n);
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

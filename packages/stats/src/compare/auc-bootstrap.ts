import { StatsError } from '../errors.ts';
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
 * bootstrap: m positives and n negatives drawn with replacement). Both models are sorted once; resamples are
 * then made two at a time, each pair three forward passes over typed arrays and no sort, copy or allocation:
 *
 * 1. counts in model B's order: i.i.d. Poisson(1) per row, then made exactly multinomial per class — if the
 *    positives' total t is below m, m - t uniform draws are added; above it, t - m drawn balls are removed
 *    uniformly (a cell picked uniformly and accepted with probability count/max). Given t, Poisson counts
 *    are Multinomial(t, uniform); adding independent uniform draws or removing uniformly chosen balls keeps
 *    them multinomial, so the result is Multinomial(m, uniform) — the same law as drawing m indices — while
 *    every write is sequential except a few hundred corrections (√m on average);
 * 2. model B's weighted Mann-Whitney pass, which also scatters each count to model A's order;
 * 3. model A's pass.
 * Only step 2's scatter touches memory out of order: one write per row per pair. The two resamples' counts
 * share a 16-bit word per row (one byte each), so a pair costs little more than one resample in steps 2-3.
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
  /** The pair's counts (low byte: first resample, high byte: second) in B's order and in A's order. */
  private readonly countsB: Uint16Array;
  private readonly countsA: Uint16Array;
  private readonly orderA: Int32Array;
  private readonly uniforms = new Uint32Array(UNIFORM_BLOCK);
  /** Rows (k * 2 + lane) whose Poisson count takes the slow path (count >= 7 or a threshold tie), with their uniforms. */
  private rareRows: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private rareUniforms: Int32Array<ArrayBuffer> = new Int32Array(1024);
  /** The pair's second resample, handed out by the next resample() call. */
  private pending: AucDraw | undefined;
  private lastLane = 0;
  private readonly yTrue: ArrayLike<number>;
  private readonly scoresA: ArrayLike<number>;
  private readonly scoresB: ArrayLike<number>;

  /** Inputs must already be validated (binary labels, finite scores, at least one row of each class). */
  constructor(yTrue: ArrayLike<number>, scoresA: ArrayLike<number>, scoresB: ArrayLike<number>) {
    this.yTrue = yTrue;
    this.scoresA = scoresA;
    this.scoresB = scoresB;
    const total = yTrue.length;
    // codesB packs A's position in 29 bits; 2^29 rows of two models would need over 10 GB anyway.
    if (total >= 2 ** 29)
      throw new StatsError(`the fast AUC bootstrap takes at most ${2 ** 29 - 1} rows, got ${total}`);
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
    this.countsA = new Uint16Array(total);
    this.countsB = new Uint16Array(total);
  }

  /** AUC_A - AUC_B on the full sample (every count 1). */
  estimate(): AucDraw {
    this.pending = undefined;
    this.lastLane = 0;
    this.countsB.fill(0x0101);
    return this.evaluate()[0]!;
  }

  /** One stratified resample: AUC_A* - AUC_B* (and each AUC). Made in pairs; the second is kept for the next call. */
  resample(random: Random): AucDraw {
    if (this.pending !== undefined) {
      const second = this.pending;
      this.pending = undefined;
      this.lastLane = 1;
      return second;
    }
    const totals = this.poissonCounts(random);
    for (let lane = 0; lane < 2; lane++) {
      this.correct(random, this.positivesB, totals.positive[lane]!, totals.largest, lane);
      this.correct(random, this.negativesB, totals.all[lane]! - totals.positive[lane]!, totals.largest, lane);
    }
    const [first, second] = this.evaluate();
    this.pending = second;
    this.lastLane = 0;
    return first!;
  }

  /** How often each row (row order) was drawn by the resample resample() returned last: the weights the passes used. */
  lastCounts(): Float64Array {
    const out = new Float64Array(this.orderA.length);
    const shift = 8 * this.lastLane;
    for (let k = 0; k < out.length; k++) out[this.orderA[k]!] = (this.countsA[k]! >>> shift) & 255;
    return out;
  }

  /** Step 1: i.i.d. Poisson(1) counts of both lanes in B's order; returns each lane's totals and a bound on the counts. */
  private poissonCounts(random: Random): {
    all: [number, number];
    positive: [number, number];
    largest: number;
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
    let all0 = 0;
    let all1 = 0;
    let positive0 = 0;
    let positive1 = 0;
    let rare = 0;
    let rareRows = this.rareRows;
    const rowsPerBlock = UNIFORM_BLOCK / 2;
    for (let start = 0; start < total; start += rowsPerBlock) {
      random.fillUint32(uniforms);
      const end = Math.min(start + rowsPerBlock, total);
      for (let k = start; k < end; k++) {
        const u = (uniforms[2 * (k - start)]! >>> 1) | 0;
        const v = (uniforms[2 * (k - start) + 1]! >>> 1) | 0;
        // #{j < 7 : u >= T_j}, each term the sign bit of T_j - 1 - u; `| 0` keeps V8 in int32 arithmetic.
        const c =
          (((t0 - 1 - u) | 0) >>> 31) +
          (((t1 - 1 - u) | 0) >>> 31) +
          (((t2 - 1 - u) | 0) >>> 31) +
          (((t3 - 1 - u) | 0) >>> 31) +
          (((t4 - 1 - u) | 0) >>> 31) +
          (((t5 - 1 - u) | 0) >>> 31) +
          (((t6 - 1 - u) | 0) >>> 31);
        const d =
          (((t0 - 1 - v) | 0) >>> 31) +
          (((t1 - 1 - v) | 0) >>> 31) +
          (((t2 - 1 - v) | 0) >>> 31) +
          (((t3 - 1 - v) | 0) >>> 31) +
          (((t4 - 1 - v) | 0) >>> 31) +
          (((t5 - 1 - v) | 0) >>> 31) +
          (((t6 - 1 - v) | 0) >>> 31);
        // Counts of 7+ (1e-4) and threshold ties (2^-31) are resolved after the loop, off the hot path.
        if (c === POISSON_ONE_FAST || u === below[c]) {
          if (rare === rareRows.length) rareRows = this.growRare();
          rareRows[rare] = 2 * k;
          this.rareUniforms[rare++] = u;
        }
        if (d === POISSON_ONE_FAST || v === below[d]) {
          if (rare === rareRows.length) rareRows = this.growRare();
          rareRows[rare] = 2 * k + 1;
          this.rareUniforms[rare++] = v;
        }
        countsB[k] = c | (d << 8);
        const positive = positiveB[k]!;
        all0 += c;
        all1 += d;
        positive0 += c * positive;
        positive1 += d * positive;
      }
    }
    const all: [number, number] = [all0, all1];
    const positive: [number, number] = [positive0, positive1];
    let largest = POISSON_ONE_FAST;
    for (let i = 0; i < rare; i++) {
      const k = this.rareRows[i]! >>> 1;
      const lane = this.rareRows[i]! & 1;
      const shift = 8 * lane;
      const before = (countsB[k]! >>> shift) & 255;
      const c = poissonOneSlow(this.rareUniforms[i]!, random);
      countsB[k] = (countsB[k]! & ~(255 << shift)) | (c << shift);
      all[lane]! += c - before;
      positive[lane]! += (c - before) * positiveB[k]!;
      if (c > largest) largest = c;
    }
    return { all, positive, largest };
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

  /** Makes one class's Poisson counts in one lane an exact Multinomial(size, uniform) sample (see the class comment). */
  private correct(random: Random, positions: Int32Array, drawn: number, largest: number, lane: number): void {
    const counts = this.countsB;
    const size = positions.length;
    const shift = 8 * lane;
    const one = 1 << shift;
    for (let t = drawn; t < size; t++) counts[positions[random.nextInt(size)]!]! += one;
    for (let t = drawn; t > size; ) {
      const k = positions[random.nextInt(size)]!;
      // Accept with probability count / largest: the removed ball is uniform among all drawn balls.
      if (random.nextInt(largest) < ((counts[k]! >>> shift) & 255)) {
        counts[k]! -= one;
        t--;
      }
    }
  }

  private evaluate(): [AucDraw, AucDraw] {
    const b = this.tiesB ? this.passB() : this.passBWithoutTies();
    const a = this.tiesA ? this.passA() : this.passAWithoutTies();
    return [
      { aucA: a[0], aucB: b[0], difference: a[0] - b[0] },
      { aucA: a[1], aucB: b[1], difference: a[1] - b[1] },
    ];
  }

  /**
   * Step 2: B's weighted Mann-Whitney for both lanes (twice the sum over positives of negatives below + ½
   * tied negatives, in integers, exact in doubles below 2^53), scattering each count word to A's order.
   */
  private passB(): [number, number] {
    const { countsB, countsA, codesB } = this;
    let sum0 = 0;
    let sum1 = 0;
    let below0 = 0;
    let below1 = 0;
    let groupPositive0 = 0;
    let groupPositive1 = 0;
    let groupNegative0 = 0;
    let groupNegative1 = 0;
    let positives0 = 0;
    let positives1 = 0;
    for (let k = 0; k < codesB.length; k++) {
      const code = codesB[k]!;
      if ((code & 1) === 1) {
        sum0 += groupPositive0 * (2 * below0 + groupNegative0);
        sum1 += groupPositive1 * (2 * below1 + groupNegative1);
        positives0 += groupPositive0;
        positives1 += groupPositive1;
        below0 += groupNegative0;
        below1 += groupNegative1;
        groupPositive0 = 0;
        groupPositive1 = 0;
        groupNegative0 = 0;
        groupNegative1 = 0;
      }
      const w = countsB[k]!;
      countsA[code >>> 2] = w;
      // Branch-free class split: consecutive rows' classes are unpredictable.
      const isPositive = (code >>> 1) & 1;
      const c0 = w & 255;
      const c1 = w >>> 8;
      groupPositive0 += c0 * isPositive;
      groupPositive1 += c1 * isPositive;
      groupNegative0 += c0 - c0 * isPositive;
      groupNegative1 += c1 - c1 * isPositive;
    }
    sum0 += groupPositive0 * (2 * below0 + groupNegative0);
    sum1 += groupPositive1 * (2 * below1 + groupNegative1);
    return [
      this.finish(sum0, positives0 + groupPositive0, below0 + groupNegative0),
      this.finish(sum1, positives1 + groupPositive1, below1 + groupNegative1),
    ];
  }

  private passBWithoutTies(): [number, number] {
    const { countsB, countsA, codesB } = this;
    let sum0 = 0;
    let sum1 = 0;
    let below0 = 0;
    let below1 = 0;
    let positives0 = 0;
    let positives1 = 0;
    for (let k = 0; k < codesB.length; k++) {
      const code = codesB[k]!;
      const w = countsB[k]!;
      countsA[code >>> 2] = w;
      const isPositive = (code >>> 1) & 1;
      const c0 = w & 255;
      const c1 = w >>> 8;
      const p0 = c0 * isPositive;
      const p1 = c1 * isPositive;
      sum0 += p0 * below0;
      sum1 += p1 * below1;
      positives0 += p0;
      positives1 += p1;
      below0 += c0 - p0;
      below1 += c1 - p1;
    }
    return [this.finish(2 * sum0, positives0, below0), this.finish(2 * sum1, positives1, below1)];
  }

  /** Step 3: A's pass over its own order for both lanes, all reads sequential. */
  private passA(): [number, number] {
    const { countsA, codesA } = this;
    let sum0 = 0;
    let sum1 = 0;
    let below0 = 0;
    let below1 = 0;
    let groupPositive0 = 0;
    let groupPositive1 = 0;
    let groupNegative0 = 0;
    let groupNegative1 = 0;
    let positives0 = 0;
    let positives1 = 0;
    for (let k = 0; k < codesA.length; k++) {
      const code = codesA[k]!;
      if ((code & 1) === 1) {
        sum0 += groupPositive0 * (2 * below0 + groupNegative0);
        sum1 += groupPositive1 * (2 * below1 + groupNegative1);
        positives0 += groupPositive0;
        positives1 += groupPositive1;
        below0 += groupNegative0;
        below1 += groupNegative1;
        groupPositive0 = 0;
        groupPositive1 = 0;
        groupNegative0 = 0;
        groupNegative1 = 0;
      }
      const w = countsA[k]!;
      const isPositive = code >>> 1;
      const c0 = w & 255;
      const c1 = w >>> 8;
      groupPositive0 += c0 * isPositive;
      groupPositive1 += c1 * isPositive;
      groupNegative0 += c0 - c0 * isPositive;
      groupNegative1 += c1 - c1 * isPositive;
    }
    sum0 += groupPositive0 * (2 * below0 + groupNegative0);
    sum1 += groupPositive1 * (2 * below1 + groupNegative1);
    return [
      this.finish(sum0, positives0 + groupPositive0, below0 + groupNegative0),
      this.finish(sum1, positives1 + groupPositive1, below1 + groupNegative1),
    ];
  }

  private passAWithoutTies(): [number, number] {
    const { countsA, codesA } = this;
    let sum0 = 0;
    let sum1 = 0;
    let below0 = 0;
    let below1 = 0;
    let positives0 = 0;
    let positives1 = 0;
    for (let k = 0; k < codesA.length; k++) {
      const w = countsA[k]!;
      const isPositive = codesA[k]! >>> 1;
      const c0 = w & 255;
      const c1 = w >>> 8;
      const p0 = c0 * isPositive;
      const p1 = c1 * isPositive;
      sum0 += p0 * below0;
      sum1 += p1 * below1;
      positives0 += p0;
      positives1 += p1;
      below0 += c0 - p0;
      below1 += c1 - p1;
    }
    return [this.finish(2 * sum0, positives0, below0), this.finish(2 * sum1, positives1, below1)];
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

// The hot loops of the paired AUC bootstrap. Every function here is SELF-CONTAINED: it uses only its
// arguments, the other functions of this file and JavaScript globals (Math), no imports (types aside: they
// are erased) and no module constants, because auc-bootstrap.ts also ships their source text
// (Function.prototype.toString) to worker threads (see the comment there). Keep it that way: a reference
// to anything else would compile here and fail only in a worker.

import type { SimdPasses } from './auc-bootstrap-simd.ts';

/**
 * Adds `size` uniform draws from [offset, offset + size) to `counts` (one stratum of a bootstrap resample:
 * its exact multinomial counts), advancing the xoshiro128** state (Blackman & Vigna 2018) held in `state`.
 * The generator (random.ts' xoshiro128**, the same steps) is inlined: a call per draw cost more than the
 * draw. Indices are exactly uniform: Lemire's multiply-shift (2019) with its rejection step — index = high
 * 32 bits of u·size, rejected when the low 32 bits (Math.imul, exact) fall below 2^32 mod size, which
 * happens with probability below size/2^32. Below 2^21 rows the double product u·size is exact (< 2^53), so
 * the high half is that product times 2^-32, truncated (12 % faster than the general form); above, it is
 * the product minus the exact low half, rounded: off by at most 2^11 below 2^31 rows, far from the 2^31
 * that rounding tolerates. Both give the same index. Counting into a subarray of the stratum, rather than
 * adding the offset per draw, saved another 8 %.
 */
export function drawStratum(counts: Uint8Array, offset: number, size: number, state: Int32Array): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  const threshold = (4294967296 - size) % size;
  const stratum = counts.subarray(offset, offset + size);
  if (size <= 2097152) {
    for (let t = 0; t < size; ) {
      const result = Math.imul((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25), 9) >>> 0;
      const shifted = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= shifted;
      d = (d << 11) | (d >>> 21);
      if (Math.imul(result, size) >>> 0 >= threshold) {
        stratum[(result * size * 2.3283064365386963e-10) | 0]!++;
        t++;
      }
    }
  } else {
    for (let t = 0; t < size; ) {
      const result = Math.imul((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25), 9) >>> 0;
      const shifted = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= shifted;
      d = (d << 11) | (d >>> 21);
      const low = Math.imul(result, size) >>> 0;
      if (low >= threshold) {
        stratum[((result * size - low) * 2.3283064365386963e-10 + 0.5) | 0]!++;
        t++;
      }
    }
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
}

/**
 * One model's AUC with bootstrap counts as weights: the Mann-Whitney statistic over the model's sorted
 * order, ties counted one half — twice the sum over positives of (negatives below + ½ tied negatives), exact
 * in doubles below 2^53 — divided by 2·m·n. `order[k]` is the slot of the k-th lowest score (slots below m
 * are positives). Without ties (`tied` false) every entry is a bare slot. With ties (`tied` true), bit 31 of
 * an entry marks the first row of a run of tied scores, and within a run the negatives come first, so that
 * at each positive the negatives counted so far are (negatives below) + (tied negatives): the positive adds
 * count·(negatives before its run + negatives so far) = count·(2·below + tied) with no branch and no per-run
 * closing step, in one pass as cheap as the tie-free one (see prepare() in auc-bootstrap.ts).
 */
export function weightedAuc(
  order: Int32Array,
  tied: boolean,
  counts: Uint8Array,
  m: number,
  n: number,
): number {
  let sum = 0;
  let below = 0;
  const total = order.length;
  if (!tied) {
    // Blocks of 64 rows, all int32 inside a block (a double accumulator per row made the loop latency-bound,
    // 2.5x slower): below = base + rel, so a block adds Σ c_pos·rel (int32: a block's counts sum to at most
    // 64·255, so that sum stays below (64·255/2)² < 2^31) plus (its positives)·base once, in doubles.
    for (let first = 0; first < total; first += 64) {
      const end = Math.min(first + 64, total);
      let local = 0;
      let positives = 0;
      let rel = 0;
      for (let k = first; k < end; k++) {
        const s = order[k]!;
        const count = counts[s]!;
        // -1 for a positive slot, else 0: a branch-free class split (the classes interleave unpredictably).
        const positive = (s - m) >> 31;
        const countPositive = count & positive;
        local = (local + Math.imul(countPositive, rel)) | 0;
        positives = (positives + countPositive) | 0;
        rel = (rel + (count & ~positive)) | 0;
      }
      sum += local + positives * below;
      below += rel;
    }
    sum *= 2;
  } else {
    // The same blocks. rel = negatives counted since the block's base `below`; runBase = negatives before the
    // current run, relative to `below` (<= 0 when the run began in an earlier block). A positive adds
    // count·(rel + runBase) in int32 plus count·2·below once per block. The int32 sum is exact while
    // runBase >= -100000: each factor rel + runBase lies in [-100000, 2·64·255] and a block's positive counts
    // sum to at most 64·255, so |sum| <= 64·255·100000 < 2^31. A run carrying more negative weight into a block
    // (a huge run of tied scores) takes the same loop with a double accumulator for that block.
    let runBase = 0;
    for (let first = 0; first < total; first += 64) {
      const end = Math.min(first + 64, total);
      let positives = 0;
      let rel = 0;
      if (runBase >= -100000) {
        let local = 0;
        for (let k = first; k < end; k++) {
          const entry = order[k]!;
          const s = entry & 0x7fffffff;
          const count = counts[s]!;
          const positive = (s - m) >> 31;
          // entry >> 31 is -1 on a run's first row: the run's base becomes the negatives counted so far.
          runBase = (runBase + ((rel - runBase) & (entry >> 31))) | 0;
          const countPositive = count & positive;
          local = (local + Math.imul(countPositive, (rel + runBase) | 0)) | 0;
          positives = (positives + countPositive) | 0;
          rel = (rel + (count & ~positive)) | 0;
        }
        sum += local + 2 * positives * below;
      } else {
        let local = 0;
        for (let k = first; k < end; k++) {
          const entry = order[k]!;
          const s = entry & 0x7fffffff;
          const count = counts[s]!;
          const positive = (s - m) >> 31;
          if (entry < 0) runBase = rel;
          const countPositive = count & positive;
          local += countPositive * (rel + runBase);
          positives = (positives + countPositive) | 0;
          rel = (rel + (count & ~positive)) | 0;
        }
        sum += local + 2 * positives * below;
      }
      below += rel;
      runBase -= rel;
    }
  }
  // A count that wrapped (one row drawn 256+ times in one resample: probability below 1e-400) shows here.
  if (below !== n) throw new Error('bootstrap resample counts overflowed');
  return sum / (2 * m * n);
}

/**
 * Seeds `state` with resample r's own xoshiro128** stream: SplitMix32 over (seed, r) alone, so a resample's
 * draws do not depend on which thread makes it or in which order.
 */
export function seedResample(state: Int32Array, seed: number, r: number): void {
  let z = (seed ^ Math.imul(r + 1, 0x9e3779b9)) | 0;
  for (let w = 0; w < 4; w++) {
    z = (z + 0x9e3779b9) | 0;
    let x = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    state[w] = x ^ (x >>> 16);
  }
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 1;
}

/**
 * Makes resamples until none is left: each thread running this claims the next `chunk` resample indices
 * from the shared counter control[0] (so a thread that gets less CPU simply claims fewer), writes
 * out[r] = AUC_A* - AUC_B* of resample r, sets done[r] = 1, and after each chunk adds its resamples to
 * control[1] and wakes whoever waits there. Resample r draws m positive slots [0, m) and n negative slots
 * [m, m + n) with replacement from its own stream, so the numbers do not depend on which thread makes it.
 * Uint8 counts halve the memory traffic of the passes; weightedAuc checks that none wrapped. Returns how
 * many resamples this call made.
 */
export function aucBootstrapKernel(
  slotA: Int32Array,
  slotB: Int32Array,
  tiedA: boolean,
  tiedB: boolean,
  m: number,
  n: number,
  seed: number,
  control: Int32Array,
  chunk: number,
  out: Float64Array,
  done: Uint8Array,
): number {
  const counts = new Uint8Array(m + n);
  const state = new Int32Array(4);
  const resamples = out.length;
  let made = 0;
  for (let from = Atomics.add(control, 0, chunk); from < resamples; from = Atomics.add(control, 0, chunk)) {
    const to = Math.min(from + chunk, resamples);
    for (let r = from; r < to; r++) {
      seedResample(state, seed, r);
      counts.fill(0);
      drawStratum(counts, 0, m, state);
      drawStratum(counts, m, n, state);
      out[r] = weightedAuc(slotA, tiedA, counts, m, n) - weightedAuc(slotB, tiedB, counts, m, n);
      Atomics.store(done, r, 1);
    }
    made += to - from;
    Atomics.add(control, 1, to - from);
    Atomics.notify(control, 1);
  }
  return made;
}

// The Poisson(1) scheme (see auc-bootstrap.ts). Its layout differs from the multinomial one: slots are the
// positions in model A's order (not split by class), and each entry of either model's order carries its
// class in bit 30 and the start of a run of tied scores in bit 31 (every entry of an untied run starts
// one), so both passes use the tied form below; slots stay below 2^30.

/**
 * Model A's pass of one Poisson resample, fused with drawing its weights: each row's weight is the Poisson(1)
 * inverse CDF of a uniform 32-bit u from the resample's own xoshiro128** stream (inlined as in
 * drawStratum), written to counts[k] for model B's pass and summed into A's weighted Mann-Whitney statistic
 * as weightedAuc's tied pass does. The weight is the number of `thresholds` at or below u (see
 * poissonInverseCdf). Rows in int32 blocks take u 16 bits at a time, two rows per output: `half16[v]` is the
 * weight of every u whose high half is v, or 255 for the 12 buckets that hold a threshold, where 16 fresh
 * bits from the next output complete u (probability 12/65536 per row) — the same distribution, exact to
 * 2^-32, at half the generator's cost. Rows in double blocks (a huge tied run carried in) take one output
 * each: `table` maps its top 11 bits to (cut << 4) | base, the weight is base + (low 21 bits >= cut), and
 * bucket 2047 (several thresholds) is -1 and counted against `thresholds`. Writes [2·U, positive weight,
 * negative weight] to `totals`.
 */
export function poissonFirstPass(
  order: Int32Array,
  counts: Uint8Array,
  state: Int32Array,
  table: Int32Array,
  half16: Uint8Array,
  thresholds: Float64Array,
  totals: Float64Array,
): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let sum = 0;
  let below = 0;
  let positiveWeight = 0;
  let runBase = 0;
  const total = order.length;
  for (let first = 0; first < total; first += 64) {
    const end = Math.min(first + 64, total);
    let positives = 0;
    let rel = 0;
    // A block's int32 sum is exact while runBase >= -100000 (weights are at most 12, see weightedAuc);
    // a larger tied run carried into the block takes the same loop with a double accumulator. Two loops,
    // not one with a test: a variable that may hold a double makes V8 compute it in doubles throughout.
    let local = 0;
    if (runBase >= -100000) {
      let block = 0;
      // Two rows per generator output: its high half for row k, its low half for row k + 1.
      for (let k = first; k < end; k += 2) {
        const x = Math.imul((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25), 9);
        let shifted = b << 9;
        c ^= a;
        d ^= b;
        b ^= c;
        a ^= d;
        c ^= shifted;
        d = (d << 11) | (d >>> 21);
        {
          const v = x >>> 16;
          let count = half16[v]!;
          if (count === 255) {
            // A 16-bit bucket holding a threshold: 16 fresh bits place u within it.
            const y = Math.imul((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25), 9);
            shifted = b << 9;
            c ^= a;
            d ^= b;
            b ^= c;
            a ^= d;
            c ^= shifted;
            d = (d << 11) | (d >>> 21);
            const u = v * 65536 + (y >>> 16);
            count = 0;
            while (count < thresholds.length && u >= thresholds[count]!) count++;
          }
          counts[k] = count;
          const entry = order[k]!;
          const positive = (entry << 1) >> 31;
          runBase = (runBase + ((rel - runBase) & (entry >> 31))) | 0;
          const countPositive = count & positive;
          block = (block + Math.imul(countPositive, (rel + runBase) | 0)) | 0;
          positives = (positives + countPositive) | 0;
          rel = (rel + (count & ~positive)) | 0;
        }
        if (k + 1 === end) break; // an odd last block: the low half goes unused
        {
          const v = x & 0xffff;
          let count = half16[v]!;
          if (count === 255) {
            // A 16-bit bucket holding a threshold: 16 fresh bits place u within it.
            const y = Math.imul((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25), 9);
            shifted = b << 9;
            c ^= a;
            d ^= b;
            b ^= c;
            a ^= d;
            c ^= shifted;
            d = (d << 11) | (d >>> 21);
            const u = v * 65536 + (y >>> 16);
            count = 0;
            while (count < thresholds.length && u >= thresholds[count]!) count++;
          }
          counts[k + 1] = count;
          const entry = order[k + 1]!;
          const positive = (entry << 1) >> 31;
          runBase = (runBase + ((rel - runBase) & (entry >> 31))) | 0;
          const countPositive = count & positive;
          block = (block + Math.imul(countPositive, (rel + runBase) | 0)) | 0;
          positives = (positives + countPositive) | 0;
          rel = (rel + (count & ~positive)) | 0;
        }
      }
      local = block;
    } else {
      for (let k = first; k < end; k++) {
        const x = Math.imul((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25), 9);
        const shifted = b << 9;
        c ^= a;
        d ^= b;
        b ^= c;
        a ^= d;
        c ^= shifted;
        d = (d << 11) | (d >>> 21);
        const cell = table[x >>> 21]!;
        let count: number;
        if (cell >= 0) count = (cell & 15) + (((cell >> 4) - 1 - (x & 0x1fffff)) >>> 31);
        else {
          const u = x >>> 0;
          count = 0;
          while (count < thresholds.length && u >= thresholds[count]!) count++;
        }
        counts[k] = count;
        const entry = order[k]!;
        const positive = (entry << 1) >> 31;
        if (entry < 0) runBase = rel;
        const countPositive = count & positive;
        local += countPositive * (rel + runBase);
        positives = (positives + countPositive) | 0;
        rel = (rel + (count & ~positive)) | 0;
      }
    }
    sum += local + 2 * positives * below;
    positiveWeight += positives;
    below += rel;
    runBase -= rel;
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
  totals[0] = sum;
  totals[1] = positiveWeight;
  totals[2] = below;
}

/**
 * Model B's pass (or any pass over the Poisson layout with given weights): the weighted Mann-Whitney
 * statistic over `order`, reading each entry's weight at its slot (bits 0-29), its class from bit 30 and
 * run starts from bit 31. Writes [2·U, positive weight, negative weight] to `totals`.
 */
export function labelledPass(order: Int32Array, counts: Uint8Array, totals: Float64Array): void {
  let sum = 0;
  let below = 0;
  let positiveWeight = 0;
  let runBase = 0;
  const total = order.length;
  for (let first = 0; first < total; first += 64) {
    const end = Math.min(first + 64, total);
    let positives = 0;
    let rel = 0;
    let local = 0;
    if (runBase >= -100000) {
      let block = 0;
      for (let k = first; k < end; k++) {
        const entry = order[k]!;
        const count = counts[entry & 0x3fffffff]!;
        const positive = (entry << 1) >> 31;
        runBase = (runBase + ((rel - runBase) & (entry >> 31))) | 0;
        const countPositive = count & positive;
        block = (block + Math.imul(countPositive, (rel + runBase) | 0)) | 0;
        positives = (positives + countPositive) | 0;
        rel = (rel + (count & ~positive)) | 0;
      }
      local = block;
    } else {
      for (let k = first; k < end; k++) {
        const entry = order[k]!;
        const count = counts[entry & 0x3fffffff]!;
        const positive = (entry << 1) >> 31;
        if (entry < 0) runBase = rel;
        const countPositive = count & positive;
        local += countPositive * (rel + runBase);
        positives = (positives + countPositive) | 0;
        rel = (rel + (count & ~positive)) | 0;
      }
    }
    sum += local + 2 * positives * below;
    positiveWeight += positives;
    below += rel;
    runBase -= rel;
  }
  totals[0] = sum;
  totals[1] = positiveWeight;
  totals[2] = below;
}

/**
 * aucBootstrapKernel for the Poisson scheme: resample r seeds its own stream (seedResample), draws A's
 * weights in A's pass and reuses them in B's; out[r] = AUC_A* - AUC_B*, each AUC its statistic over
 * (positive weight · negative weight). A resample with no weight in a class (probability e^-m for m rows
 * of the class) has no AUC: NaN.
 */
export function poissonBootstrapKernel(
  slotA: Int32Array,
  slotB: Int32Array,
  table: Int32Array,
  half16: Uint8Array,
  thresholds: Float64Array,
  seed: number,
  control: Int32Array,
  chunk: number,
  out: Float64Array,
  done: Uint8Array,
): number {
  const counts = new Uint8Array(slotA.length);
  const state = new Int32Array(4);
  const totals = new Float64Array(3);
  const resamples = out.length;
  let made = 0;
  for (let from = Atomics.add(control, 0, chunk); from < resamples; from = Atomics.add(control, 0, chunk)) {
    const to = Math.min(from + chunk, resamples);
    for (let r = from; r < to; r++) {
      seedResample(state, seed, r);
      poissonFirstPass(slotA, counts, state, table, half16, thresholds, totals);
      const aucA = totals[0]! / (2 * totals[1]! * totals[2]!);
      labelledPass(slotB, counts, totals);
      const aucB = totals[0]! / (2 * totals[1]! * totals[2]!);
      out[r] = totals[1]! > 0 && totals[2]! > 0 ? aucA - aucB : Number.NaN;
      Atomics.store(done, r, 1);
    }
    made += to - from;
    Atomics.add(control, 1, to - from);
    Atomics.notify(control, 1);
  }
  return made;
}

/** Byte addresses in the SIMD module's memory: both orders, and one thread's buffers (auc-bootstrap-simd.ts). */
export interface SimdAddresses {
  orderA: number;
  orderB: number;
  weights: number;
  out: number;
  scratch: number;
  state: number;
  gathered: number;
}

/**
 * poissonBootstrapKernel on the WebAssembly SIMD passes (auc-bootstrap-simd.ts), sixteen resamples per
 * group (two passes of model A over eight lanes each, one pass of model B over all sixteen):
 * the same claims, the same numbers (each lane is resample g + j, seeded by seedResample). `passA` and
 * `passB` are the module's exports on `buffer` (its shared memory); `at` holds the byte addresses of both
 * orders and of this thread's weights, output, scratch and generator states. Lanes past the last resample
 * are computed and dropped.
 */
export function poissonSimdKernel(
  passA: SimdPasses['passA'],
  passB: SimdPasses['passB'],
  buffer: ArrayBufferLike,
  at: SimdAddresses,
  total: number,
  seed: number,
  control: Int32Array,
  chunk: number,
  out: Float64Array,
  done: Uint8Array,
): number {
  const sums = new Float64Array(buffer, at.out, 64);
  const states = new Int32Array(buffer, at.state, 32);
  const state = new Int32Array(4);
  const aucA = new Float64Array(16);
  const resamples = out.length;
  let made = 0;
  for (let from = Atomics.add(control, 0, chunk); from < resamples; from = Atomics.add(control, 0, chunk)) {
    const to = Math.min(from + chunk, resamples);
    for (let group = from; group < to; group += 16) {
      // Model A's pass for lanes 0-7, then 8-15 (each writes its half of every row's 8 bytes of weights).
      for (let half = 0; half < 2; half++) {
        for (let j = 0; j < 8; j++) {
          seedResample(state, seed, group + 8 * half + j);
          for (let word = 0; word < 4; word++) states[8 * word + j] = state[word]!;
        }
        const base = 32 * half;
        sums.fill(0, base, base + 32);
        passA(
          at.orderA,
          at.weights + 4 * half,
          total,
          at.out + 256 * half,
          at.scratch,
          at.state,
          at.gathered,
        );
        for (let j = 0; j < 8; j++)
          aucA[8 * half + j] = sums[base + j]! / (2 * sums[base + 8 + j]! * sums[base + 16 + j]!);
      }
      sums.fill(0);
      passB(at.orderB, at.weights, total, at.out, at.scratch, at.gathered);
      const lanes = Math.min(16, to - group);
      for (let lane = 0; lane < lanes; lane++) {
        const i = 32 * (lane >> 3) + (lane & 7);
        const aucB = sums[i]! / (2 * sums[i + 8]! * sums[i + 16]!);
        out[group + lane] = sums[i + 8]! > 0 && sums[i + 16]! > 0 ? aucA[lane]! - aucB : Number.NaN;
        Atomics.store(done, group + lane, 1);
      }
    }
    made += to - from;
    Atomics.add(control, 1, to - from);
    Atomics.notify(control, 1);
  }
  return made;
}

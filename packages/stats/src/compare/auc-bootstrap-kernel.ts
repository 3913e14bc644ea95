// The hot loops of the paired AUC bootstrap. Every function here is SELF-CONTAINED: it uses only its
// arguments, the other functions of this file and JavaScript globals (Math), no imports and no module
// constants, because auc-bootstrap.ts also ships their source text (Function.prototype.toString) to worker
// threads (see the comment there). Keep it that way: a reference to anything else would compile here and
// fail only in a worker.

/**
 * Adds `size` uniform draws from [offset, offset + size) to `counts` (one stratum of a bootstrap resample:
 * its exact multinomial counts), advancing the xoshiro128** state (Blackman & Vigna 2018) held in `state`.
 * The generator (random.ts' xoshiro128**, the same steps) is inlined: a call per draw cost more than the draw. Indices are exactly uniform: Lemire's
 * multiply-shift (2019) with its rejection step — index = high 32 bits of u·size, rejected when the low 32
 * bits (Math.imul, exact) fall below 2^32 mod size, which happens with probability below size/2^32. The high
 * half is recovered from the double product minus the exact low half, rounded: the product is exact below
 * 2^53 and off by at most 2^11 above, far from the 2^31 that rounding tolerates, so any size below 2^31 works.
 */
export function drawStratum(counts: Uint8Array, offset: number, size: number, state: Int32Array): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  const threshold = (4294967296 - size) % size;
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
      counts[offset + (((result * size - low) * 2.3283064365386963e-10 + 0.5) | 0)]!++;
      t++;
    }
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
}

/**
 * One model's AUC with bootstrap counts as weights: the Mann-Whitney statistic over the model's sorted
 * order (`order[k]` = slot of the k-th lowest score; slots below m are positives), ties counted one half —
 * twice the sum over positives of (negatives below + ½ tied negatives), exact in doubles below 2^53 —
 * divided by 2·m·n. `starts[k]` is 1 where a run of tied scores begins, or null when the model has no
 * ties (every row starts its own run), which takes a loop with half the work.
 */
export function weightedAuc(
  order: Int32Array,
  starts: Uint8Array | null,
  counts: Uint8Array,
  m: number,
  n: number,
): number {
  let sum = 0;
  let below = 0;
  const total = order.length;
  if (starts === null) {
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
    // Tie groups: a group's positives and negatives are summed in int32 and the group closes with one double
    // multiply-add. A branch on the group start, not branch-free arithmetic: it is well predicted both on
    // scores with few ties and on heavily tied ones, and even on a 5-in-7 random pattern it measured faster
    // than the branch-free loop, whose per-row double accumulation bounded it (2.5 vs 3.7 ms a pass on
    // scores rounded to 3 decimals).
    let groupPositive = 0;
    let groupNegative = 0;
    for (let k = 0; k < total; k++) {
      if (starts[k] === 1) {
        sum += groupPositive * (2 * below + groupNegative);
        below += groupNegative;
        groupPositive = 0;
        groupNegative = 0;
      }
      const s = order[k]!;
      const count = counts[s]!;
      const positive = (s - m) >> 31;
      groupPositive = (groupPositive + (count & positive)) | 0;
      groupNegative = (groupNegative + (count & ~positive)) | 0;
    }
    sum += groupPositive * (2 * below + groupNegative);
    below += groupNegative;
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
  startA: Uint8Array | null,
  startB: Uint8Array | null,
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
      out[r] = weightedAuc(slotA, startA, counts, m, n) - weightedAuc(slotB, startB, counts, m, n);
      Atomics.store(done, r, 1);
    }
    made += to - from;
    Atomics.add(control, 1, to - from);
    Atomics.notify(control, 1);
  }
  return made;
}

/**
 * Indices that sort `values` ascending (stable), by an LSD radix sort on the IEEE-754 bit patterns: six
 * 11-bit passes (constant digits skipped), O(n), several times faster than a comparator sort at a million rows. This is the one sort
 * behind roc_auc, average_precision, DeLong and the bootstrap fast path. Values must be free of NaN
 * (callers validate first); -0 and +0 sort together as equal.
 * @example argsortAscending([0.3, -1, 0.2]); // => Int32Array [1, 2, 0]
 */
export function argsortAscending(values: ArrayLike<number>): Int32Array {
  const n = values.length;
  if (n < 512) {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => values[a]! - values[b]! || a - b);
    return Int32Array.from(order);
  }
  const bits = new Float64Array(n);
  for (let i = 0; i < n; i++) bits[i] = values[i]! + 0; // + 0 turns -0 into +0
  const words = new Uint32Array(bits.buffer);
  // Map each double to an unsigned 64-bit key (hi, lo) whose unsigned order is the numeric order.
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  let idx = new Int32Array(n);
  // 11-bit digits (2048 buckets): narrow enough that the scatter's write streams stay in cache, which
  // matters more than the pass count (16-bit digits were ~10x slower at a million rows). The six digits'
  // histograms are counted as the keys are made (a key's digits do not change as it moves): one pass.
  const histograms = new Int32Array(6 * 2048);
  for (let i = 0; i < n; i++) {
    const w = words[2 * i + 1]!;
    const v = words[2 * i]!;
    const negative = w >>> 31 === 1;
    const h = negative ? ~w >>> 0 : (w | 0x80000000) >>> 0;
    const l = negative ? ~v >>> 0 : v;
    hi[i] = h;
    lo[i] = l;
    idx[i] = i;
    histograms[l & 0x7ff]!++;
    histograms[2048 + ((l >>> 11) & 0x7ff)]!++;
    histograms[4096 + ((l >>> 22) | ((h & 1) << 10))]!++;
    histograms[6144 + ((h >>> 1) & 0x7ff)]!++;
    histograms[8192 + ((h >>> 12) & 0x7ff)]!++;
    histograms[10240 + (h >>> 23)]!++;
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let idx2 = new Int32Array(n);
  for (let pass = 0; pass < 6; pass++) {
    // Bits 0-10, 11-21 of lo; bits 22-31 of lo with 0 of hi; then 1-11, 12-22, 23-31 of hi.
    const counts = histograms.subarray(pass * 2048, (pass + 1) * 2048);
    if (counts[digit(pass, lo[0]!, hi[0]!)] === n) continue; // every key shares this digit
    let total = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d]!;
      counts[d] = total;
      total += c;
    }
    for (let i = 0; i < n; i++) {
      const l = lo[i]!;
      const h = hi[i]!;
      const target = counts[digit(pass, l, h)]!++;
      hi2[target] = h;
      lo2[target] = l;
      idx2[target] = idx[i]!;
    }
    const th = hi;
    hi = hi2;
    hi2 = th;
    const tl = lo;
    lo = lo2;
    lo2 = tl;
    const ti = idx;
    idx = idx2;
    idx2 = ti;
  }
  return idx;
}

/** The pass-th 11-bit digit of the 64-bit key (hi, lo), least significant first. */
function digit(pass: number, lo: number, hi: number): number {
  switch (pass) {
    case 0:
      return lo & 0x7ff;
    case 1:
      return (lo >>> 11) & 0x7ff;
    case 2:
      return (lo >>> 22) | ((hi & 1) << 10);
    case 3:
      return (hi >>> 1) & 0x7ff;
    case 4:
      return (hi >>> 12) & 0x7ff;
    default:
      return hi >>> 23;
  }
}

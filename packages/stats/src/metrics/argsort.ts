/**
 * Indices that sort `values` ascending (stable), by an LSD radix sort on the IEEE-754 bit patterns: four
 * 16-bit passes, O(n), about ten times faster than a comparator sort at a million rows. This is the one sort
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
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1]!;
    const l = words[2 * i]!;
    const negative = h >>> 31 === 1;
    hi[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    lo[i] = negative ? ~l >>> 0 : l;
    idx[i] = i;
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let idx2 = new Int32Array(n);
  const counts = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const source = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(source[i]! >>> shift) & 0xffff]!++;
    if (counts[(source[0]! >>> shift) & 0xffff] === n) continue; // every key shares this digit
    let total = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = total;
      total += c;
    }
    for (let i = 0; i < n; i++) {
      const target = counts[(source[i]! >>> shift) & 0xffff]!++;
      hi2[target] = hi[i]!;
      lo2[target] = lo[i]!;
      idx2[target] = idx[i]!;
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}

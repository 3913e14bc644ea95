/**
 * In-place ascending sort of a[lo, hi) (no NaN): quicksort with median-of-three and insertion sort
 * below 16 items; already sorted input costs one pass. V8's built-in TypedArray sort measured several
 * times slower, both on KLL's 256-item runs and on a profile's 200,000 exact values.
 * Source: Sedgewick, Algorithms 4th ed. §2.3.
 *
 * @example const a = new Float64Array([3, 1, 2]); sortFloat64(a); [...a]; // => [1, 2, 3]
 */
export function sortFloat64(a: Float64Array, lo = 0, hi = a.length): void {
  // Sorted input (a profile replaying its sorted exact values) costs one pass.
  let sorted = true;
  for (let i = lo + 1; i < hi && sorted; i++) sorted = a[i - 1]! <= a[i]!;
  if (sorted) return;
  if (hi - lo >= RADIX_FROM) radixSortFloat64(a.subarray(lo, hi));
  else quicksort(a, lo, hi, 2 * Math.ceil(Math.log2(hi - lo + 1)));
}

/** Lengths from which the radix sort beats the quicksort (a profile's exact values; not KLL's short runs). */
const RADIX_FROM = 8192;

/**
 * LSD radix sort of float64 values (no NaN) by their bit patterns, four 16-bit digits: each value's bits
 * become an unsigned key that orders as the numbers do (sign bit set on positives, every bit flipped on
 * negatives), so -0 sorts just before 0; passes where every key has the same digit are skipped. Linear in
 * the length: on a profile's 200,000 exact values it replaced a quicksort that took ~40 ms per column.
 */
function radixSortFloat64(a: Float64Array): void {
  const n = a.length;
  let words: Uint32Array = new Uint32Array(a.buffer, a.byteOffset, 2 * n); // little-endian: [low, high] per value
  let other: Uint32Array = new Uint32Array(2 * n);
  const counts = new Int32Array(4 * 65536);
  for (let i = 0; i < n; i++) {
    const high = words[2 * i + 1]!;
    const low = words[2 * i]!;
    const flip = high >> 31; // -1 for a negative value
    const keyLow = (low ^ flip) >>> 0;
    const keyHigh = (high ^ (flip | 0x80000000)) >>> 0;
    words[2 * i] = keyLow;
    words[2 * i + 1] = keyHigh;
    counts[keyLow & 0xffff]!++;
    counts[65536 + (keyLow >>> 16)]!++;
    counts[131072 + (keyHigh & 0xffff)]!++;
    counts[196608 + (keyHigh >>> 16)]!++;
  }
  for (let digit = 0; digit < 4; digit++) {
    const base = digit * 65536;
    const word = digit >> 1;
    const shift = (digit & 1) * 16;
    // A digit every key shares sorts nothing.
    const first = words[word]!;
    if (counts[base + ((first >>> shift) & 0xffff)] === n) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[base + d]!;
      counts[base + d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const low = words[2 * i]!;
      const high = words[2 * i + 1]!;
      const key = word === 0 ? low : high;
      const at = counts[base + ((key >>> shift) & 0xffff)]!++;
      other[2 * at] = low;
      other[2 * at + 1] = high;
    }
    const swap = words;
    words = other;
    other = swap;
  }
  const out = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const keyHigh = words[2 * i + 1]!;
    const flip = ~(keyHigh >> 31); // -1 where the value was negative (its key's top bit is clear)
    out[2 * i] = words[2 * i]! ^ flip;
    out[2 * i + 1] = keyHigh ^ (flip | 0x80000000);
  }
}

function quicksort(a: Float64Array, lo: number, hi: number, depth: number): void {
  while (hi - lo > 16) {
    if (depth-- <= 0) {
      // Introsort's guard against quadratic inputs: hand the rest to the engine's O(n log n) sort.
      a.subarray(lo, hi).sort();
      return;
    }
    const mid = (lo + hi) >>> 1;
    let x = a[lo]!;
    let y = a[mid]!;
    let z = a[hi - 1]!;
    if (x > y) [x, y] = [y, x];
    if (y > z) [y, z] = [z, y];
    if (x > y) [x, y] = [y, x];
    const pivot = y;
    let i = lo;
    let j = hi - 1;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    // Recurse into the smaller side, loop on the larger: O(log n) stack.
    if (j - lo < hi - i) {
      quicksort(a, lo, j + 1, depth);
      lo = i;
    } else {
      quicksort(a, i, hi, depth);
      hi = j + 1;
    }
  }
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= lo && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

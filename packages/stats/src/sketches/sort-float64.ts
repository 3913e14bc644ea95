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

/**
 * In-place ascending sort of a[0, n) (no NaN) for a short run of values, such as KLL's level-0 buffer:
 * a distribution sort (each value to one of n buckets by where it falls between the run's min and max, a
 * stable scatter through `scratch`, then an insertion pass that only has to order values within a bucket)
 * with few data-dependent branches, where a quicksort mispredicts about every other comparison. Runs
 * whose values crowd a few buckets (a far outlier, a tiny range) go to {@link sortFloat64} instead: the
 * bucket sizes bound the insertion pass's work and, should that bound be loose, the pass gives up after a
 * fixed number of moves. The result is sortFloat64's bit for bit: equal values are the same bits, except
 * −0 and 0, whose order would depend on the algorithm, so a run holding both goes to sortFloat64 too.
 * Source: Knuth, TAOCP vol. 3, §5.2.5 (sorting by distribution); §5.2.1 (straight insertion).
 *
 * @example const a = new Float64Array([3, 1, 2]); sortShortFloat64(a, 3, new Float64Array(3), new Int32Array(3)); [...a]; // => [1, 2, 3]
 */
export function sortShortFloat64(
  a: Float64Array,
  n: number,
  scratch: Float64Array,
  counts: Int32Array,
): void {
  if (n < 2) return;
  let min = a[0]!;
  let max = min;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    const x = a[i]!;
    if (x < a[i - 1]!) sorted = false;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (sorted) return;
  if (min <= 0 && max >= 0 && holdsBothZeros(a, n)) {
    sortFloat64(a, 0, n);
    return;
  }
  // Bucket of x: floor((x - min) · scale), in [0, n - 1] and non-decreasing in x (every step rounds monotonically).
  const scale = (n - 1) / (max - min);
  if (!(scale < Number.POSITIVE_INFINITY && scale > 0) || !distribute(a, n, min, scale, scratch, counts))
    sortFloat64(a, 0, n);
}

/** True when a[0, n) holds both −0 and 0. */
function holdsBothZeros(a: Float64Array, n: number): boolean {
  let negative = false;
  let positive = false;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    if (x === 0) {
      if (Object.is(x, -0)) negative = true;
      else positive = true;
    }
  }
  return negative && positive;
}

/** Most moves the insertion pass may make, per value, before the run goes to the quicksort. */
const INSERTION_MOVES_PER_VALUE = 2;

/** sortShortFloat64's distribution and insertion; false (a still a permutation of the run) to fall back. */
function distribute(
  a: Float64Array,
  n: number,
  min: number,
  scale: number,
  scratch: Float64Array,
  counts: Int32Array,
): boolean {
  counts.fill(0, 0, n);
  for (let i = 0; i < n; i++) counts[((a[i]! - min) * scale) | 0]!++;
  // Σ size² bounds the insertion pass's moves (a bucket of c distinct values costs at most c²/2).
  let start = 0;
  let squares = 0;
  for (let b = 0; b < n; b++) {
    const c = counts[b]!;
    squares += c * c;
    counts[b] = start;
    start += c;
  }
  if (squares > 16 * n) return false;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    scratch[counts[((x - min) * scale) | 0]!++] = x;
  }
  a[0] = scratch[0]!;
  let budget = INSERTION_MOVES_PER_VALUE * n;
  for (let i = 1; i < n; i++) {
    const x = scratch[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
    budget -= i - 1 - j;
    if (budget < 0) {
      a.set(scratch.subarray(i + 1, n), i + 1);
      return false;
    }
  }
  return true;
}

/** Lengths from which the radix sort beats the quicksort (a profile's exact values; not KLL's short runs). */
const RADIX_FROM = 8192;

/**
 * The radix sort's second buffer and digit counts, one of each per thread, reused by every sort: a
 * profile sorts each numeric column's exact values in turn (every column in the same batch once the exact
 * limit is passed), and a fresh pair per sort (1.6 MB and 1 MB at 200,000 values) was garbage the
 * allocator kept as resident memory (bench/parquet.md).
 */
let radixOther = new Uint32Array(0);
let radixCounts: Int32Array | undefined;

function radixScratch(words: number): Uint32Array {
  if (radixOther.length < words) radixOther = new Uint32Array(words);
  return radixOther.subarray(0, words);
}

/**
 * LSD radix sort of float64 values (no NaN) by their bit patterns, four 16-bit digits: each value's bits
 * become an unsigned key that orders as the numbers do (sign bit set on positives, every bit flipped on
 * negatives), so -0 sorts just before 0; passes where every key has the same digit are skipped. Linear in
 * the length: on a profile's 200,000 exact values it replaced a quicksort that took ~40 ms per column.
 */
function radixSortFloat64(a: Float64Array): void {
  const n = a.length;
  let words: Uint32Array = new Uint32Array(a.buffer, a.byteOffset, 2 * n); // little-endian: [low, high] per value
  let other: Uint32Array = radixScratch(2 * n);
  radixCounts ??= new Int32Array(4 * 65536);
  const counts = radixCounts.fill(0);
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

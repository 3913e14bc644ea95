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
/** The radix sort's digits: six of 11 bits (the top digit of each 32-bit word has 10). */
const RADIX_DIGITS = 6;
const RADIX_BUCKETS = 2048;

/**
 * The radix sort's second buffer and digit counts, one of each per thread, reused by every sort: a
 * profile sorts each numeric column's exact values in turn (every column in the same batch once the exact
 * limit is passed), and a fresh pair per sort (1.6 MB at 200,000 values) was garbage the allocator kept as
 * resident memory (bench/parquet.md).
 */
let radixOther = new Uint32Array(0);
const radixCounts = new Int32Array(RADIX_DIGITS * RADIX_BUCKETS);

function radixScratch(words: number): Uint32Array {
  if (radixOther.length < words) radixOther = new Uint32Array(words);
  return radixOther.subarray(0, words);
}

/**
 * LSD radix sort of float64 values (no NaN) by their bit patterns, six 11-bit digits: each value's bits
 * become an unsigned key that orders as the numbers do (sign bit set on positives, every bit flipped on
 * negatives), so -0 sorts just before 0; passes where every key has the same digit are skipped. Linear in
 * the length: on a profile's 200,000 exact values it replaced a quicksort that took ~40 ms per column.
 * 11-bit digits keep a pass's 2,048 write streams in cache (argsort.ts made the same choice). Each loop is
 * a function of its own: a profile sorts only a few columns, so the first sort runs mostly before the
 * optimiser has seen it, and a loop optimised on the fly inside one large function gave up at the first
 * step after it that had not run yet, then ran slowly again until the next loop was optimised.
 */
function radixSortFloat64(a: Float64Array): void {
  const n = a.length;
  let words: Uint32Array = new Uint32Array(a.buffer, a.byteOffset, 2 * n); // little-endian: [low, high] per value
  let other: Uint32Array = radixScratch(2 * n);
  const counts = radixCounts.fill(0);
  radixKeys(words, counts);
  for (let digit = 0; digit < RADIX_DIGITS; digit++) {
    const base = digit * RADIX_BUCKETS;
    // Digits 0-2 are bits 0-10, 11-21 and 22-31 of the low word; 3-5 the same of the high word.
    const word = digit < 3 ? 0 : 1;
    const shift = (digit % 3) * 11;
    // A digit every key shares sorts nothing.
    if (counts[base + ((words[word]! >>> shift) & 0x7ff)] === n) continue;
    radixOffsets(counts, base);
    radixScatter(words, other, counts, base, word, shift);
    const swap = words;
    words = other;
    other = swap;
  }
  radixValues(words, new Uint32Array(a.buffer, a.byteOffset, 2 * n));
}

/**
 * Turns each value's [low, high] words into its key in place and counts every digit of every key (a key's
 * digits do not change as it moves, so one pass counts them all).
 */
function radixKeys(words: Uint32Array, counts: Int32Array): void {
  for (let i = 0; i < words.length; i += 2) {
    const high = words[i + 1]!;
    const flip = high >> 31; // -1 for a negative value
    const keyLow = (words[i]! ^ flip) >>> 0;
    const keyHigh = (high ^ (flip | 0x80000000)) >>> 0;
    words[i] = keyLow;
    words[i + 1] = keyHigh;
    counts[keyLow & 0x7ff]!++;
    counts[2048 + ((keyLow >>> 11) & 0x7ff)]!++;
    counts[4096 + (keyLow >>> 22)]!++;
    counts[6144 + (keyHigh & 0x7ff)]!++;
    counts[8192 + ((keyHigh >>> 11) & 0x7ff)]!++;
    counts[10240 + (keyHigh >>> 22)]!++;
  }
}

/** One digit's counts into the offsets where its keys start. */
function radixOffsets(counts: Int32Array, base: number): void {
  let sum = 0;
  for (let d = base; d < base + RADIX_BUCKETS; d++) {
    const c = counts[d]!;
    counts[d] = sum;
    sum += c;
  }
}

/** One pass: every key from `from` to its digit's next slot in `to` (stable). */
function radixScatter(
  from: Uint32Array,
  to: Uint32Array,
  offsets: Int32Array,
  base: number,
  word: number,
  shift: number,
): void {
  for (let i = 0; i < from.length; i += 2) {
    const low = from[i]!;
    const high = from[i + 1]!;
    const at = 2 * offsets[base + (((word === 0 ? low : high) >>> shift) & 0x7ff)]!++;
    to[at] = low;
    to[at + 1] = high;
  }
}

/** The sorted keys back into the values' bits. */
function radixValues(keys: Uint32Array, out: Uint32Array): void {
  for (let i = 0; i < keys.length; i += 2) {
    const keyHigh = keys[i + 1]!;
    const flip = ~(keyHigh >> 31); // -1 where the value was negative (its key's top bit is clear)
    out[i] = keys[i]! ^ flip;
    out[i + 1] = keyHigh ^ (flip | 0x80000000);
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

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
  quicksort(a, lo, hi, 2 * Math.ceil(Math.log2(hi - lo + 1)));
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

// Exact numeric values of one column, in a growable Float64Array (8 bytes a value, no per-number
// object), serialised as little-endian float64 in base64: lossless and about a third of the size of
// decimal JSON.

import { sortFloat64 } from '@mlops/stats';

export interface ExactNumbersJson {
  encoding: 'f64le-base64';
  count: number;
  data: string;
}

/**
 * A growable column of exact float64 values with a lossless base64 JSON form.
 *
 * @example const v = new ExactNumbers(); v.push(3); v.push(1); [...v.sortedView()]; // => [1, 3]
 */
export class ExactNumbers {
  private buffer: Float64Array;
  private length = 0;
  private sorted = true;
  private expected = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Float64Array(Math.max(16, initialCapacity));
  }

  get count(): number {
    return this.length;
  }

  /**
   * The count the values are expected to reach (a reader that knows its row count, capped at the profile's
   * exact limit): the buffer's next growth goes straight there instead of doubling. Outgrown buffers live
   * long enough to die in the old generation, and the allocator kept their memory resident until then
   * (bench/parquet.md). A column that never outgrows its first buffer (all missing, say) reserves nothing.
   */
  expect(count: number): void {
    this.expected = Math.max(this.expected, count);
  }

  push(x: number): void {
    if (this.length === this.buffer.length) this.grow(this.length + 1);
    if (this.sorted && this.length > 0 && x < this.buffer[this.length - 1]!) this.sorted = false;
    this.buffer[this.length++] = x;
  }

  /** Appends a block of values. */
  pushAll(values: Float64Array): void {
    const needed = this.length + values.length;
    if (needed > this.buffer.length) this.grow(needed);
    if (this.sorted) {
      let previous = this.length > 0 ? this.buffer[this.length - 1]! : Number.NEGATIVE_INFINITY;
      for (let i = 0; i < values.length; i++) {
        if (values[i]! < previous) {
          this.sorted = false;
          break;
        }
        previous = values[i]!;
      }
    }
    this.buffer.set(values, this.length);
    this.length = needed;
  }

  private grow(needed: number): void {
    const grown = new Float64Array(
      Math.max(needed, this.expected > needed ? this.expected : 2 * this.buffer.length),
    );
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** Appends another column's values (used when merging shard profiles). */
  append(other: ExactNumbers): void {
    const values = other.view();
    for (let i = 0; i < values.length; i++) this.push(values[i]!);
  }

  /** The values sorted ascending (sorts in place once; later calls are free). */
  sortedView(): Float64Array {
    const view = this.buffer.subarray(0, this.length);
    if (!this.sorted) {
      sortFloat64(view);
      this.sorted = true;
    }
    return view;
  }

  /** The values in their current order, without copying. */
  view(): Float64Array {
    return this.buffer.subarray(0, this.length);
  }

  /** Drops spare capacity (a finished profile keeps only what it holds). */
  compact(): void {
    if (this.buffer.length > this.length) this.buffer = this.buffer.slice(0, Math.max(this.length, 16));
  }

  toJSON(): ExactNumbersJson {
    const view = this.view();
    const bytes = Buffer.alloc(view.length * 8);
    for (let i = 0; i < view.length; i++) bytes.writeDoubleLE(view[i]!, i * 8);
    return { encoding: 'f64le-base64', count: view.length, data: bytes.toString('base64') };
  }

  static fromJSON(json: ExactNumbersJson): ExactNumbers {
    const bytes = Buffer.from(json.data, 'base64');
    if (bytes.length !== json.count * 8)
      throw new RangeError(`expected ${json.count} float64 values, got ${bytes.length} bytes`);
    const out = new ExactNumbers(json.count);
    for (let i = 0; i < json.count; i++) out.push(bytes.readDoubleLE(i * 8));
    return out;
  }
}

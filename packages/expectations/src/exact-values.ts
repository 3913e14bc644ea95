/** Room of the chunk that values added one at a time go to. */
const TAIL_CHUNK = 1024;

/**
 * A column's numbers kept for exact medians and quantiles, up to `limit` of them; past it the store gives
 * up for good (`overflow`: the statistic comes from the profile's sketches). Kept as chunks rather than one
 * array grown by doubling: a column that runs past the limit (any large file) would otherwise fill about
 * twice the limit's memory in copies before giving up, and fresh memory costs a page fault per page.
 */
export class ExactValues {
  count = 0;
  overflow = false;
  private chunks: Float64Array[] = [];
  /** Values added one at a time: the first `tailCount` of `tail` (not in `chunks` yet). */
  private tail = new Float64Array(0);
  private tailCount = 0;

  constructor(private readonly limit: number) {}

  /** Keeps a block of values (copied: the caller may reuse it). */
  addAll(block: Float64Array): void {
    if (this.overflow) return;
    if (this.count + block.length > this.limit) {
      this.giveUp();
      return;
    }
    this.chunks.push(block.slice());
    this.count += block.length;
  }

  add(value: number): void {
    if (this.overflow) return;
    if (this.count + 1 > this.limit) {
      this.giveUp();
      return;
    }
    if (this.tailCount === this.tail.length) {
      if (this.tailCount > 0) this.chunks.push(this.tail);
      this.tail = new Float64Array(TAIL_CHUNK);
      this.tailCount = 0;
    }
    this.tail[this.tailCount++] = value;
    this.count++;
  }

  /** Every value kept, sorted ascending (TypedArray order: -0 before 0). */
  sorted(): Float64Array {
    const all = new Float64Array(this.count);
    let at = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    all.set(this.tail.subarray(0, this.tailCount), at);
    return all.sort();
  }

  /** Gives up for good (the values that would have been kept are past the limit). */
  giveUp(): void {
    this.overflow = true;
    this.chunks = [];
    this.tail = new Float64Array(0);
    this.tailCount = 0;
  }
}

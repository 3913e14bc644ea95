const SLOTS = 4096;
const MAX_LENGTH = 48;

/**
 * Returns one shared string per distinct short value of a column, looked up by a hash of the characters
 * in place, so a categorical column of a million rows allocates a handful of strings instead of a million
 * (less garbage to collect, less memory held by batches). A direct-mapped cache: a high-cardinality
 * column just keeps replacing slots, costing one hash and one comparison per value.
 */
export class StringInterner {
  private readonly slots: (string | undefined)[] = new Array(SLOTS);

  intern(text: string, start: number, end: number): string {
    const length = end - start;
    if (length > MAX_LENGTH) return text.slice(start, end);
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    const slot = (hash ^ (hash >>> 15)) & (SLOTS - 1);
    const candidate = this.slots[slot];
    if (candidate !== undefined && candidate.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (candidate.charCodeAt(i) !== text.charCodeAt(start + i)) {
          same = false;
          break;
        }
      }
      if (same) return candidate;
    }
    const value = text.slice(start, end);
    this.slots[slot] = value;
    return value;
  }
}

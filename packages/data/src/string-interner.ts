const SLOTS = 4096;
const MAX_LENGTH = 48;

/**
 * Returns one shared string per distinct short value of a column, looked up by a hash of the characters
 * in place, so a categorical column of a million rows allocates a handful of strings instead of a million
 * (less garbage to collect, less memory held by batches). A direct-mapped cache: a high-cardinality
 * column just keeps replacing slots, costing one hash and one comparison per value. Whether a value is a
 * missing-value token is decided once per slot, not once per row.
 */
export class StringInterner {
  private readonly slots: (string | undefined)[] = new Array(SLOTS);
  private readonly missing: boolean[] = new Array(SLOTS).fill(false);

  constructor(private readonly nullTokens: ReadonlySet<string>) {}

  /** The shared string for `text[start, end)`, or null when it is one of the null tokens. */
  intern(text: string, start: number, end: number): string | null {
    const length = end - start;
    if (length > MAX_LENGTH) {
      const value = text.slice(start, end);
      return this.nullTokens.has(value) ? null : value;
    }
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    const slot = (hash ^ (hash >>> 15)) & (SLOTS - 1);
    const candidate = this.slots[slot];
    if (candidate !== undefined && candidate.length === length && sameText(candidate, text, start)) {
      return this.missing[slot] ? null : candidate;
    }
    const value = text.slice(start, end);
    this.slots[slot] = value;
    this.missing[slot] = this.nullTokens.has(value);
    return this.missing[slot] ? null : value;
  }
}

function sameText(candidate: string, text: string, start: number): boolean {
  for (let i = 0; i < candidate.length; i++) {
    if (candidate.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  }
  return true;
}

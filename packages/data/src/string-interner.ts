import { decodeUtf8 } from './utf8.ts';

/** Slots of a column's cache at most (a power of two). */
export const MAX_INTERNER_SLOTS = 4096;
/** Bytes the caches of one table may take together: a table of thousands of columns gets smaller caches. */
const TABLE_BUDGET_BYTES = 64 * 1024 * 1024;
/** Longest value interned, in bytes (longer ones are decoded each time: rarely categories). */
const MAX_LENGTH = 48;
/** Lookups after which the share of misses is looked at. */
const PROBE_WINDOW = 4096;
/** Values decoded without a lookup once a window nearly all missed, before lookups are tried again. */
const BYPASS_VALUES = 65_536;

/**
 * Returns one shared string per distinct short value of a column, looked up by a hash of its UTF-8 bytes
 * in place, so a categorical column of a million rows decodes and allocates a handful of strings instead
 * of a million (less garbage to collect, less memory held by batches). A direct-mapped cache that keeps
 * each slot's bytes beside its string, so a hit is a byte comparison and no decoding: a high-cardinality
 * column would keep replacing slots, costing one hash, one comparison and one copy per value besides the
 * decoding, so a column whose lookups nearly all miss decodes its values directly for a while, then tries
 * again. Whether a value is a missing-value token is decided once per slot, not once per row.
 */
export class StringInterner {
  private readonly slots: (string | undefined)[];
  private readonly missing: boolean[];
  /** Slot s's bytes are `bytes[s * MAX_LENGTH, s * MAX_LENGTH + lengths[s])`. */
  private readonly bytes: Uint8Array;
  private readonly lengths: Int32Array;
  private readonly mask: number;
  /** Bytes of the longest null token: longer values are never looked up in the set. */
  private readonly longestNullToken: number;

  /** `slotCount`: a power of two (see internerSlots). */
  constructor(
    private readonly nullTokens: ReadonlySet<string>,
    slotCount = MAX_INTERNER_SLOTS,
  ) {
    this.slots = new Array(slotCount);
    this.missing = new Array(slotCount).fill(false);
    this.bytes = new Uint8Array(slotCount * MAX_LENGTH);
    this.lengths = new Int32Array(slotCount).fill(-1);
    this.mask = slotCount - 1;
    this.longestNullToken = Math.max(0, ...[...nullTokens].map((token) => Buffer.byteLength(token)));
  }

  /** Lookups left in the current window, and misses in it. */
  private probes = PROBE_WINDOW;
  private misses = 0;
  /** Values left to decode without a lookup (a column of mostly distinct values, such as ids). */
  private bypass = 0;

  /** The shared string for the UTF-8 bytes `source[start, end)`, or null when it is one of the null tokens. */
  intern(source: Buffer, start: number, end: number): string | null {
    const length = end - start;
    if (this.bypass > 0) {
      this.bypass--;
      return this.decode(source, start, end);
    }
    if (--this.probes === 0) {
      // Nearly every lookup of the window missed: interning saves nothing here, so skip it for a while.
      if (this.misses > PROBE_WINDOW - PROBE_WINDOW / 16) this.bypass = BYPASS_VALUES;
      this.probes = PROBE_WINDOW;
      this.misses = 0;
    }
    if (length > MAX_LENGTH) return this.decode(source, start, end);
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ source[i]!, 0x01000193);
    const slot = (hash ^ (hash >>> 15)) & this.mask;
    const bytes = this.bytes;
    const base = slot * MAX_LENGTH;
    if (this.lengths[slot] === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (bytes[base + i] !== source[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.missing[slot] ? null : this.slots[slot]!;
    }
    this.misses++;
    const value = decodeUtf8(source, start, end);
    for (let i = 0; i < length; i++) bytes[base + i] = source[start + i]!;
    this.lengths[slot] = length;
    this.slots[slot] = value;
    const missing = length <= this.longestNullToken && this.nullTokens.has(value);
    this.missing[slot] = missing;
    return missing ? null : value;
  }

  private decode(source: Buffer, start: number, end: number): string | null {
    const value = decodeUtf8(source, start, end);
    return end - start <= this.longestNullToken && this.nullTokens.has(value) ? null : value;
  }
}

/**
 * Slots per string column's cache for a table `width` columns wide: the most that keeps all of them within
 * TABLE_BUDGET_BYTES (a cache is only a cache: fewer slots cost hits, never a value), from 64 to
 * MAX_INTERNER_SLOTS. A 10,000-column table would otherwise reserve over 2 GB before its first row.
 */
export function internerSlots(width: number): number {
  const perSlot = MAX_LENGTH + 16; // the bytes, the length, the string and missing-flag references
  let slots = MAX_INTERNER_SLOTS;
  while (slots > 64 && slots * perSlot * width > TABLE_BUDGET_BYTES) slots /= 2;
  return slots;
}

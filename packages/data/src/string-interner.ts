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
/** Longest such stretch: it doubles with each window in a row that nearly all missed (ids never hit). */
const MAX_BYPASS_VALUES = 1 << 20;

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
  /** Turns away most values before the null tokens' set is asked (nullTokenFilter). */
  private readonly nullFilter: Uint32Array;

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
    this.nullFilter = nullTokenFilter(nullTokens);
  }

  /** Lookups left in the current window, and misses in it. */
  private probes = PROBE_WINDOW;
  private misses = 0;
  /** Values left to decode without a lookup (a column of mostly distinct values, such as ids). */
  private bypass = 0;
  /** The stretch without lookups after the next window that nearly all misses. */
  private nextBypass = BYPASS_VALUES;

  /** The shared string for the UTF-8 bytes `source[start, end)`, or null when it is one of the null tokens. */
  intern(source: Buffer, start: number, end: number): string | null {
    // The stretch without lookups first, and alone: small enough for the caller's loop to take in.
    if (this.bypass > 0) {
      this.bypass--;
      return this.decode(source, start, end);
    }
    return this.lookUp(source, start, end);
  }

  private lookUp(source: Buffer, start: number, end: number): string | null {
    const length = end - start;
    if (--this.probes === 0) {
      // Nearly every lookup of the window missed: interning saves nothing here, so skip it for a while, and
      // for longer each time (a window's lookups cost several decodings each: on a column of ids, a
      // fixed stretch left them a good part of the column's cost).
      if (this.misses > PROBE_WINDOW - PROBE_WINDOW / 16) {
        this.bypass = this.nextBypass;
        this.nextBypass = Math.min(2 * this.nextBypass, MAX_BYPASS_VALUES);
      } else this.nextBypass = BYPASS_VALUES;
      this.probes = PROBE_WINDOW;
      this.misses = 0;
    }
    if (length > MAX_LENGTH) return this.decode(source, start, end);
    const hash = hashBytes(source, start, end);
    const slot = (hash ^ (hash >>> 15)) & this.mask;
    const bytes = this.bytes;
    const base = slot * MAX_LENGTH;
    if (this.lengths[slot] === length && sameBytes(bytes, base, source, start, length))
      return this.missing[slot] ? null : this.slots[slot]!;
    this.misses++;
    const value = decodeUtf8(source, start, end);
    for (let i = 0; i < length; i++) bytes[base + i] = source[start + i]!;
    this.lengths[slot] = length;
    this.slots[slot] = value;
    const missing = mayBeNullToken(this.nullFilter, source, start, length) && this.nullTokens.has(value);
    this.missing[slot] = missing;
    return missing ? null : value;
  }

  private decode(source: Buffer, start: number, end: number): string | null {
    const value = decodeUtf8(source, start, end);
    return mayBeNullToken(this.nullFilter, source, start, end - start) && this.nullTokens.has(value)
      ? null
      : value;
  }
}

/** StringDictionary.codeOf's answer for a null token (the row's value is missing). */
export const MISSING_CODE = -1;
/** StringDictionary.codeOf's answer once the dictionary is full: the value has no code (intern it instead). */
export const NO_CODE = -2;

/**
 * Codes for a string column's values that keep their meaning for the whole read: entry e is the e-th
 * distinct value met, so a consumer that counts values (the profile's category counts) counts codes in an
 * array and turns them into strings once, at the end, in the order the values first appeared, exactly as a
 * count keyed by string would have met them. Looked up by a hash of the value's UTF-8 bytes in place (an
 * open-addressing table): a hit is a byte comparison and no decoding, as in StringInterner. Null tokens are
 * entries too (so that their rows are hits) but are answered MISSING_CODE. Bounded: past `maxEntries`
 * values, or their bytes past `maxEntries * MAX_LENGTH`, the dictionary closes for good (frees its table,
 * keeps `values`) and answers NO_CODE: a column of many distinct values (ids) is left to StringInterner.
 */
export class StringDictionary {
  /** The values, in the order they first appeared (null tokens included; no code ever points at those). */
  readonly values: string[] = [];
  closed = false;
  /** Per table slot: entry + 1, 0 when empty; sized on the first value (one empty slot until then). */
  private table = new Int32Array(1);
  private mask = 0;
  private hashes = new Int32Array(0);
  /** Entry e's bytes are `bytes[offsets[e], offsets[e + 1])`. */
  private offsets = new Int32Array(0);
  private bytes = new Uint8Array(0);
  private nullEntries = new Uint8Array(0);
  private readonly nullFilter: Uint32Array;

  constructor(
    private readonly nullTokens: ReadonlySet<string>,
    private readonly maxEntries = MAX_INTERNER_SLOTS,
  ) {
    this.nullFilter = nullTokenFilter(nullTokens);
  }

  /** The code of the UTF-8 bytes `source[start, end)` (added when new), MISSING_CODE, or NO_CODE once closed. */
  codeOf(source: Buffer, start: number, end: number): number {
    if (this.closed) return NO_CODE;
    return this.codeOfHashed(source, start, end, hashBytes(source, start, end));
  }

  /** codeOf with the bytes' hashBytes already taken (by the scan that found the value's end), as a SmallHash. */
  codeOfHashed(source: Buffer, start: number, end: number, hash: number): number {
    if (this.closed) return NO_CODE;
    const table = this.table;
    const mask = this.mask;
    const length = end - start;
    let slot = (hash ^ (hash >>> 15)) & mask;
    for (let entry = table[slot]! - 1; entry >= 0; entry = table[slot]! - 1) {
      if (this.hashes[entry] === hash) {
        const from = this.offsets[entry]!;
        if (this.offsets[entry + 1]! - from === length && sameBytes(this.bytes, from, source, start, length))
          return this.nullEntries[entry] === 1 ? MISSING_CODE : entry;
      }
      slot = (slot + 1) & mask;
    }
    return this.add(source, start, end, hash, slot);
  }

  /** codeOf for a value that is only at hand as text (a quoted field with doubled quotes: rare). */
  codeOfText(text: string): number {
    const bytes = Buffer.from(text, 'utf8');
    return this.codeOf(bytes, 0, bytes.length);
  }

  private add(source: Buffer, start: number, end: number, hash: number, slot: number): number {
    const entry = this.values.length;
    if (entry === 0) {
      this.allocate();
      slot = (hash ^ (hash >>> 15)) & this.mask;
    }
    const length = end - start;
    const from = this.offsets[entry]!;
    if (entry === this.maxEntries || from + length > this.bytes.length) {
      this.close();
      return NO_CODE;
    }
    this.bytes.set(source.subarray(start, end), from);
    this.offsets[entry + 1] = from + length;
    this.hashes[entry] = hash;
    this.table[slot] = entry + 1;
    const value = decodeUtf8(source, start, end);
    this.values.push(value);
    const missing = mayBeNullToken(this.nullFilter, source, start, length) && this.nullTokens.has(value);
    this.nullEntries[entry] = missing ? 1 : 0;
    return missing ? MISSING_CODE : entry;
  }

  private allocate(): void {
    const slots = this.maxEntries * 2; // a table at most half full keeps probes short
    this.table = new Int32Array(slots);
    this.mask = slots - 1;
    this.hashes = new Int32Array(this.maxEntries);
    this.offsets = new Int32Array(this.maxEntries + 1);
    this.bytes = new Uint8Array(this.maxEntries * MAX_LENGTH);
    this.nullEntries = new Uint8Array(this.maxEntries);
  }

  private close(): void {
    this.closed = true;
    this.table = new Int32Array(1);
    this.hashes = new Int32Array(0);
    this.offsets = new Int32Array(0);
    this.bytes = new Uint8Array(0);
    this.nullEntries = new Uint8Array(0);
  }
}

/** FNV-1a of `source[start, end)`, as a SmallHash: what StringDictionary and StringInterner look values up by. */
function hashBytes(source: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ source[i]!, FNV_PRIME);
  return hash & SMALL_HASH;
}

/**
 * The bits of a hash handed between functions: 30, a small integer for V8, where a full 32-bit one passed
 * to a function that is not inlined is boxed as a heap number (one allocation per value looked up).
 */
export const SMALL_HASH = 0x3fffffff;

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/**
 * Which values may be null tokens, by their first byte and byte length: entry b has bit n set when a token
 * of n bytes (n < 31) starts with byte b, bit 31 for a longer one; entry 256, bit 0, for the empty token.
 * A value that passes is looked up in the tokens' set; most values (ids, words) are turned away here: the
 * set's lookup hashes the whole string first, and every token is 8 bytes at most, as most ids are.
 */
function nullTokenFilter(tokens: ReadonlySet<string>): Uint32Array {
  const filter = new Uint32Array(257);
  for (const token of tokens) {
    const bytes = Buffer.from(token, 'utf8');
    if (bytes.length === 0) filter[256] = 1;
    else filter[bytes[0]!]! |= bytes.length < 31 ? 1 << bytes.length : 1 << 31;
  }
  return filter;
}

/** Whether `source[start, start + length)` passes the nullTokenFilter (may be a null token). */
function mayBeNullToken(filter: Uint32Array, source: Uint8Array, start: number, length: number): boolean {
  if (length === 0) return filter[256] === 1;
  const lengths = filter[source[start]!]!;
  return (length < 31 ? (lengths >>> length) & 1 : lengths >>> 31) === 1;
}

function sameBytes(a: Uint8Array, from: number, b: Uint8Array, start: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[from + i] !== b[start + i]) return false;
  return true;
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

// 64 bits of hash (as two 32-bit halves) for numbers and strings, shared by the distinct-count and
// frequent-items sketches. MurmurHash3's 32-bit finaliser and body mix, seeded twice: fast in JS
// (no BigInt) and well distributed enough for HyperLogLog's register index and rank.

const scratchFloat = new Float64Array(1);
// Little-endian halves on every platform Node runs on (x64, arm64).
const scratchInt = new Int32Array(scratchFloat.buffer);

// Every step stays in int32 arithmetic: the constants above 2^31 are written as the int32 of the same bits
// (0xe6546b64 added modulo 2^32 as −0x19ab949c), so no intermediate becomes a double.

/** MurmurHash3's body step: one 32-bit block into the state. */
function mix(h0: number, k0: number): number {
  let k = Math.imul(k0, 0xcc9e2d51 | 0);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let h = h0 ^ k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) - 0x19ab949c) | 0;
}

/** MurmurHash3's finaliser, as an int32 (the hash's 32 bits; `>>> 0` makes it the uint32). */
function finaliseInt32(h0: number, length: number): number {
  let h = h0 ^ length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b | 0);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35 | 0);
  return h ^ (h >>> 16);
}

function finalise(h: number, length: number): number {
  return finaliseInt32(h, length) >>> 0;
}

/**
 * Two independent 32-bit MurmurHash3 values of a float64 (−0 hashed as 0, so equal numbers collide).
 * Source: Appleby, MurmurHash3 (x86_32 body and finaliser).
 *
 * @example hashNumber(1); // => [675489881, 3522194947]
 */
export function hashNumber(x: number): [number, number] {
  return [hashNumberFirst(x), hashNumberSecond(x)];
}

/** The first half of {@link hashNumber} alone (HyperLogLog needs the second only once in ~2^20 values). */
export function hashNumberFirst(x: number): number {
  scratchFloat[0] = x === 0 ? 0 : x;
  return hashWordsFirst(scratchInt[0]!, scratchInt[1]!);
}

/** The second half of {@link hashNumber}. */
export function hashNumberSecond(x: number): number {
  scratchFloat[0] = x === 0 ? 0 : x;
  return hashWordsSecond(scratchInt[0]!, scratchInt[1]!);
}

/**
 * {@link hashNumberFirst} of the float64 whose little-endian 32-bit halves are `low` and `high` (read
 * straight from a block's buffer, without a store and reload per value); the caller maps −0 to 0 first.
 */
export function hashWordsFirst(low: number, high: number): number {
  return finalise(mix(mix(0x9747b28c, low), high), 8);
}

/**
 * {@link hashWordsFirst} as an int32 (the same 32 bits): HyperLogLog's block loop only shifts it, and a
 * uint32 above 2^31 would be a heap number where an int32 is a small integer.
 */
export function hashWordsFirstInt32(low: number, high: number): number {
  return finaliseInt32(mix(mix(0x9747b28c | 0, low), high), 8);
}

/** {@link hashNumberSecond} from the float64's halves, as {@link hashWordsFirst}. */
export function hashWordsSecond(low: number, high: number): number {
  return finalise(mix(mix(0x5bd1e995, low), high), 8);
}

/**
 * Two independent 32-bit MurmurHash3 values of a string's UTF-16 code units.
 *
 * @example hashString('a'); // => [298494453, 1861372708]
 */
export function hashString(s: string): [number, number] {
  return [hashStringFirst(s) >>> 0, hashStringSecond(s)];
}

/**
 * The first half of {@link hashString} alone (no pair allocated: it runs once per string value), as an
 * int32 (the same 32 bits): a uint32 above 2^31 returned or passed by a function that is not inlined is a
 * heap number, one allocation per value, where an int32 is a small integer. Its users only shift it.
 */
export function hashStringFirst(s: string): number {
  return hashStringSeededInt32(s, 0x9747b28c | 0);
}

/** The second half of {@link hashString}. */
export function hashStringSecond(s: string): number {
  return hashStringSeededInt32(s, 0x5bd1e995) >>> 0;
}

/** MurmurHash3 of the string's code units, two to a 32-bit block, as an int32. */
function hashStringSeededInt32(s: string, seed: number): number {
  let h = seed;
  let i = 0;
  for (; i + 1 < s.length; i += 2) h = mix(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < s.length) h = mix(h, s.charCodeAt(i));
  return finaliseInt32(h, s.length);
}

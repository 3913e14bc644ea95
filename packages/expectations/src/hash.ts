/**
 * cyrb53: a fast 53-bit string hash (two 32-bit multiply-xorshift lanes combined), public domain
 * (bryc, github.com/bryc/code/blob/master/jshash/experimental/cyrb53.js). 53 bits fit a JS number exactly,
 * so hashes are Map/Set keys with no BigInt cost; the chance of any collision among n distinct strings is
 * about n^2 / 2^54 (under 1e-4 for a million).
 * @example cyrb53('a') !== cyrb53('b'); // => true
 */
export function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The key a value is counted under for uniqueness and distinct counts: numbers as themselves (exact),
 * strings of up to 16 characters as themselves, longer strings by their 53-bit hash (so memory per distinct
 * value stays one small Map entry whatever the string length), booleans as NUL-prefixed words.
 */
export function valueKey(value: string | number | boolean): number | string {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? '\u0000true' : '\u0000false';
  // Short strings are their own key (exact, and cheaper than hashing); long ones a 53-bit hash.
  return value.length <= 16 ? value : cyrb53(value);
}

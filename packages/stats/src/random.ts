/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna 2018, https://prng.di.unimi.it/) seeded
 * through SplitMix32, so the same seed gives the same bootstrap on every machine and Node version.
 * `Math.random` is neither seedable nor specified, so it is never used for statistics.
 */
export interface Random {
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number;
  /** Uniform integer in [0, n) for 1 <= n <= 2^32, without modulo bias (Lemire 2019 rejection). */
  nextInt(n: number): number;
}

/**
 * Creates a seeded generator.
 * @example createRandom(42).nextInt(10); // => the same integer in [0, 10) on every run
 */
export function createRandom(seed: number): Random {
  let s = (Math.trunc(seed) >>> 0) ^ (Math.floor(Math.trunc(seed) / 2 ** 32) >>> 0);
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  if ((a | b | c | d) === 0) a = 1;
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return {
    nextUint32,
    nextDouble: () => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992,
    nextInt(n: number): number {
      // Multiply-shift maps a 32-bit draw to [0, n); rejecting the short interval makes it exactly uniform.
      const threshold = (2 ** 32 - n) % n;
      for (;;) {
        const x = nextUint32();
        const product = x * n;
        const low = product % 2 ** 32;
        if (low >= threshold) return Math.floor(product / 2 ** 32);
      }
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna 2018, https://prng.di.unimi.it/) seeded
 * through SplitMix32, so the same seed gives the same bootstrap on every machine and Node version.
 * `Math.random` is neither seedable nor specified, so it is never used for statistics. The AUC bootstrap's
 * kernel (compare/auc-bootstrap-kernel.ts) inlines the same generator in its draw loop: a call per draw cost
 * more than the draw, and that kernel must stay self-contained to run in worker threads.
 */
export interface Random {
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number;
  /** Uniform integer in [0, n) for 1 <= n <= 2^32, without modulo bias (Lemire 2019 rejection). */
  nextInt(n: number): number;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

class Xoshiro128 implements Random {
  /**
   * The four 32-bit state words. A typed array, not four fields: V8 kept deoptimising the hot loops on
   * their field stores, and element access needs no shape feedback.
   */
  private readonly s = new Int32Array(4);

  constructor(seed: number) {
    let x = (Math.trunc(seed) >>> 0) ^ (Math.floor(Math.trunc(seed) / TWO_POW_32) >>> 0);
    for (let i = 0; i < 4; i++) {
      // SplitMix32 spreads one seed over the state.
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = z ^ (z >>> 16);
    }
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  nextUint32(): number {
    const s = this.s;
    let a = s[0]!;
    let b = s[1]!;
    let c = s[2]!;
    let d = s[3]!;
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const shifted = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= shifted;
    d = rotl(d, 11);
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
    return result;
  }

  nextDouble(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  nextInt(n: number): number {
    // Multiply-shift maps a 32-bit draw to [0, n); rejecting the short interval makes it exactly uniform.
    // The 64-bit product is split by multiplication (exact in doubles), not by the slow float %.
    const threshold = (TWO_POW_32 - n) % n;
    for (;;) {
      const product = this.nextUint32() * n;
      const high = Math.floor(product * TWO_POW_MINUS_32);
      if (product - high * TWO_POW_32 >= threshold) return high;
    }
  }
}

/**
 * Creates a seeded generator.
 * @example createRandom(42).nextInt(10); // => 6, on every machine
 */
export function createRandom(seed: number): Random {
  return new Xoshiro128(seed);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

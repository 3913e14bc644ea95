import type { Random } from '../random.ts';

/**
 * Poisson(1) variates by inversion of 31-bit uniforms, for the bootstrap's counts. T_j = F(j)·2^31 for the
 * Poisson(1) CDF F: the count is #{j : u >= T_j}, summed branch-free over the integer parts of T_0..T_6
 * (the class of consecutive counts is unpredictable, so branches would mispredict). Counts of 7 or more
 * (probability 8e-5) and uniforms equal to a threshold's integer part take an exact slow path, where a
 * second draw resolves the fractional part: the variates follow Poisson(1) to the double precision of F.
 */
export const POISSON_ONE_LIMIT = 24;
/** Counts below this come from the branch-free path. */
export const POISSON_ONE_FAST = 7;

/** Integer parts of T_j (int32) and their fractions scaled by 2^32, j = 0..LIMIT; F(LIMIT) rounds to 1. */
export const POISSON_ONE_FLOOR = new Int32Array(POISSON_ONE_LIMIT + 1);
export const POISSON_ONE_FRACTION = new Float64Array(POISSON_ONE_LIMIT + 1);
{
  // F(j) = 1 - Σ_{i>j} e^{-1}/i!, the tail summed from its small end so it keeps full relative precision.
  const terms: number[] = [];
  let term = Math.exp(-1);
  for (let i = 0; i <= POISSON_ONE_LIMIT + 40; i++) {
    if (i > 0) term /= i;
    terms.push(term);
  }
  for (let j = 0; j <= POISSON_ONE_LIMIT; j++) {
    let tail = 0;
    for (let i = terms.length - 1; i > j; i--) tail += terms[i]!;
    const scaled = (1 - tail) * 2147483648;
    // F rounds to 1 in the far tail: keep T below 2^31 so it fits int32 (u < 2^31 always falls below it).
    const floor = Math.min(Math.floor(scaled), 2147483647);
    POISSON_ONE_FLOOR[j] = floor;
    POISSON_ONE_FRACTION[j] = scaled >= 2147483647 ? 4294967296 : (scaled - floor) * 4294967296;
  }
}

/**
 * POISSON_ONE_BELOW[c] = integer part of T_{c-1}, the threshold just below a fast-path count c (-1 for c = 0,
 * which no uniform equals): an always in-bounds lookup, since an out-of-bounds typed-array read is slow in V8.
 */
export const POISSON_ONE_BELOW = new Int32Array(POISSON_ONE_FAST + 1);
POISSON_ONE_BELOW[0] = -1;
for (let c = 1; c <= POISSON_ONE_FAST; c++) POISSON_ONE_BELOW[c] = POISSON_ONE_FLOOR[c - 1]!;

/**
 * The exact Poisson(1) variate for a 31-bit uniform `u`, reading a second 32-bit uniform from `random` only
 * when u equals a threshold's integer part.
 */
export function poissonOneSlow(u: number, random: Random): number {
  let c = 0;
  while (c < POISSON_ONE_LIMIT) {
    const floor = POISSON_ONE_FLOOR[c]!;
    if (u < floor || (u === floor && random.nextUint32() < POISSON_ONE_FRACTION[c]!)) break;
    c++;
  }
  return c;
}

/**
 * b0 + a1/(b1 + a2/(b2 + a3/(b3 + ...))) by the modified Lentz method (Lentz 1976; Thompson & Barnett 1986;
 * Numerical Recipes 3rd ed. §5.2), stopping when a term changes the value by at most one ulp of 1 (a stricter test never stops: the
 * rounding of c·d keeps |Δ - 1| near 2^-52, and 10^5 more products would add ~1e-11 of rounding).
 * One evaluator for the erfc / Mills-ratio and incomplete-gamma fractions.
 * @example continuedFraction(1, () => 1, () => 1); // => 1.618033988749895 (golden ratio)
 */
export function continuedFraction(
  b0: number,
  a: (k: number) => number,
  b: (k: number) => number,
  maxTerms = 100_000,
): number {
  const tiny = 1e-300;
  let f = b0 === 0 ? tiny : b0;
  let c = f;
  let d = 0;
  for (let k = 1; k <= maxTerms; k++) {
    const ak = a(k);
    const bk = b(k);
    d = bk + ak * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = bk + ak / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) <= Number.EPSILON) break;
  }
  return f;
}

// The regularised incomplete beta function in log space, for the beta-mixture e-values of the exact
// conditional test (proportion-test.ts). Tested against scipy.special.betainc / betaln (fixtures/reference.json).
import { continuedFraction, logGamma } from '@mlops/stats';

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
 * @example logBeta(2, 3); // => -2.4849066497880004 (ln 1/12)
 */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln of x^a (1−x)^b / (a B(a, b)), the prefactor of the continued fraction. */
function logFront(x: number, a: number, b: number): number {
  return a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b) - Math.log(a);
}

/**
 * 1 / (1 + d1 / (1 + d2 / (1 + ...))), the continued fraction of I_x(a, b) (Numerical Recipes 3rd ed.
 * §6.4), which converges fast for x < (a + 1) / (a + b + 2).
 */
function betaFraction(x: number, a: number, b: number): number {
  const term = (k: number): number => {
    if (k === 1) return 1;
    const j = k - 1; // d_j
    if (j % 2 === 1) {
      const m = (j - 1) / 2;
      return (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    }
    const m = j / 2;
    return (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
  };
  return continuedFraction(0, term, () => 1);
}

/**
 * ln I_x(a, b) (the regularised incomplete beta, scipy's `betainc(a, b, x)`), or with `upper`
 * ln(1 − I_x(a, b)), each computed on the side where it does not cancel, so tails far below 1e-300 keep
 * their logarithm.
 * @example Math.exp(logIncompleteBeta(0.3, 2, 5)); // => 0.579825 (scipy betainc(2, 5, 0.3))
 */
export function logIncompleteBeta(x: number, a: number, b: number, upper = false): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`incomplete beta needs a, b > 0, got ${a}, ${b}`);
  if (x <= 0) return upper ? 0 : Number.NEGATIVE_INFINITY;
  if (x >= 1) return upper ? Number.NEGATIVE_INFINITY : 0;
  const direct = x < (a + 1) / (a + b + 2);
  if (direct) {
    const lower = logFront(x, a, b) + Math.log(betaFraction(x, a, b));
    return upper ? Math.log1p(-Math.exp(lower)) : lower;
  }
  // 1 − I_x(a, b) = I_{1−x}(b, a)
  const complement = logFront(1 - x, b, a) + Math.log(betaFraction(1 - x, b, a));
  return upper ? complement : Math.log1p(-Math.exp(complement));
}

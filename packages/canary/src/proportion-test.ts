// The exact conditional test for a rate ratio (reference/online-gate.md, "Proportion metrics"). Given
// E = e_c + e_b events, each lands in the canary with probability π(r) = ρr / (ρr + 1 − ρ), ρ = n_c / (n_c + n_b),
// so a one-sided hypothesis on the rate ratio r is one on a binomial π. A beta mixture over the alternative
// gives an e-process: a test supermartingale under every π on the null side, so by Ville's inequality it
// crosses 1/alpha with probability at most alpha however many looks are taken.
import { logBeta, logIncompleteBeta } from './incomplete-beta.ts';

/**
 * Prior strength m of the mixing Beta(m·π0, m·(1−π0)): its sd at π0 = 0.09 (10 % traffic) is 0.09, which
 * covers the canary shares of rate ratios up to about 3 while keeping weight near the boundary, where a
 * small regression needs it. Tuned once on the calibration simulation (bench/canary.md), not per call.
 */
export const PRIOR_STRENGTH = 10;

/** π(r): the chance that an event lands in the canary when its rate is r times the baseline's. */
export function canaryEventShare(ratio: number, canaryTrafficShare: number): number {
  if (!Number.isFinite(ratio)) return 1;
  const rho = canaryTrafficShare;
  return (rho * ratio) / (rho * ratio + 1 - rho);
}

/** The inverse of canaryEventShare: the rate ratio at which a canary share of events is π. */
export function ratioFromEventShare(share: number, canaryTrafficShare: number): number {
  const rho = canaryTrafficShare;
  return (share * (1 - rho)) / ((1 - share) * rho);
}

export type Side = 'greater' | 'less';

/**
 * ln of the beta-mixture likelihood ratio for H0: π <= π0 (side 'greater', the mixture lives on π > π0)
 * or H0: π >= π0 (side 'less', on π < π0), after `canaryEvents` of `totalEvents` landed in the canary:
 *
 * LR = B(a+e, b+E−e)·T(a+e, b+E−e) / [B(a, b)·T(a, b)·π0^e·(1−π0)^(E−e)], T = 1 − I_{π0} ('greater') or I_{π0}.
 *
 * @example logMixtureEValue(12, 40, 0.1, 'greater'); // ≈ 4.867: 12 of 40 events on a 10 % canary, e-value about 130
 */
export function logMixtureEValue(
  canaryEvents: number,
  totalEvents: number,
  boundaryShare: number,
  side: Side,
  priorStrength = PRIOR_STRENGTH,
): number {
  const e = canaryEvents;
  const rest = totalEvents - canaryEvents;
  if (totalEvents <= 0) return 0;
  const p0 = boundaryShare;
  if (p0 <= 0) return side === 'greater' ? (e > 0 ? Number.POSITIVE_INFINITY : 0) : Number.NEGATIVE_INFINITY;
  if (p0 >= 1) return side === 'less' ? (rest > 0 ? Number.POSITIVE_INFINITY : 0) : Number.NEGATIVE_INFINITY;
  const a = priorStrength * p0;
  const b = priorStrength * (1 - p0);
  const upper = side === 'greater';
  const posterior = logBeta(a + e, b + rest) + logIncompleteBeta(p0, a + e, b + rest, upper);
  const prior = logBeta(a, b) + logIncompleteBeta(p0, a, b, upper);
  const nullLikelihood = (e > 0 ? e * Math.log(p0) : 0) + (rest > 0 ? rest * Math.log1p(-p0) : 0);
  return posterior - prior - nullLikelihood;
}

export interface RatioEvidence {
  /** ln e-value against "the canary's rate is at most `ratio` times the baseline's" (rollback side). */
  logEAbove: number;
  /** ln e-value against "the canary's rate is at least `ratio` times the baseline's" (promote side). */
  logEBelow: number;
}

/** Both one-sided e-values at rate ratio `ratio`. */
export function ratioEvidence(
  canaryEvents: number,
  baselineEvents: number,
  canaryTrafficShare: number,
  ratio: number,
): RatioEvidence {
  const share = canaryEventShare(ratio, canaryTrafficShare);
  const total = canaryEvents + baselineEvents;
  return {
    logEAbove: logMixtureEValue(canaryEvents, total, share, 'greater'),
    logEBelow: logMixtureEValue(canaryEvents, total, share, 'less'),
  };
}

const LOG_RATIO_RANGE = 14; // bounds beyond e^±14 (1.2e6) are reported as 0 / ∞

/**
 * The (1 − 2·alphaSide) anytime-valid interval for the rate ratio at one look: every r not rejected by
 * either one-sided mixture test at alphaSide. Found by bisection on ln r (each side's e-value is monotone
 * in r). [0, ∞] when there are no events.
 */
export function ratioInterval(
  canaryEvents: number,
  baselineEvents: number,
  canaryTrafficShare: number,
  alphaSide: number,
): [number, number] {
  const threshold = Math.log(1 / alphaSide);
  const total = canaryEvents + baselineEvents;
  if (total <= 0) return [0, Number.POSITIVE_INFINITY];
  const above = (logRatio: number) =>
    logMixtureEValue(
      canaryEvents,
      total,
      canaryEventShare(Math.exp(logRatio), canaryTrafficShare),
      'greater',
    ) >= threshold;
  const below = (logRatio: number) =>
    logMixtureEValue(canaryEvents, total, canaryEventShare(Math.exp(logRatio), canaryTrafficShare), 'less') >=
    threshold;
  // Lower bound: the largest r still rejected on the "above" side (rejection holds for every smaller r).
  const lower = above(-LOG_RATIO_RANGE) ? Math.exp(bisect(above, -LOG_RATIO_RANGE, LOG_RATIO_RANGE)) : 0;
  const upperRejected = (logRatio: number) => !below(logRatio);
  const upper = below(LOG_RATIO_RANGE)
    ? Math.exp(bisect(upperRejected, -LOG_RATIO_RANGE, LOG_RATIO_RANGE))
    : Number.POSITIVE_INFINITY;
  return [lower, upper];
}

/** The switch point of a predicate that is true below it and false above it (to 1e-5 in ln r). */
function bisect(predicate: (x: number) => boolean, low: number, high: number): number {
  let lo = low;
  let hi = high;
  if (!predicate(lo)) return lo;
  if (predicate(hi)) return hi;
  while (hi - lo > 1e-5) {
    const mid = (lo + hi) / 2;
    if (predicate(mid)) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

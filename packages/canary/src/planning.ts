// How much data a decision needs (reference/online-gate.md "Planning").
import { normalQuantile } from '@mlops/stats';
import { mixturePrecision, normalMixtureRadius } from './normal-mixture.ts';
import { canaryEventShare, logMixtureEValue } from './proportion-test.ts';

/**
 * Requests per arm for a fixed-horizon two-sided test to tell p1 from p2 at alpha with the given power:
 * n = [z_{1−α/2}·sqrt(2 p̄(1−p̄)) + z_{power}·sqrt(p1(1−p1) + p2(1−p2))]² / (p1 − p2)².
 * A sequential bound is wider, so this is a lower bound for the anytime-valid tests.
 * @example requestsPerArm(0.001, 0.002, 0.05, 0.8); // ≈ 23,500
 */
export function requestsPerArm(p1: number, p2: number, alpha: number, power: number): number {
  const mean = (p1 + p2) / 2;
  const a = normalQuantile(1 - alpha / 2) * Math.sqrt(2 * mean * (1 - mean));
  const b = normalQuantile(power) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return (a + b) ** 2 / (p1 - p2) ** 2;
}

/**
 * Information (1 / se²) at which a fixed-horizon one-sided test at alphaSide with 80 % power tells a
 * difference of 0 from `difference`: where a mixture boundary is tuned to be tightest.
 */
export function plannedInformationFor(difference: number, alphaSide: number): number {
  const z = normalQuantile(1 - alphaSide) + normalQuantile(0.8);
  return (z / difference) ** 2;
}

/** plannedInformationFor on the log scale of a rate ratio: r = 1 against r = limit. */
export function plannedInformation(limitRatio: number, alphaSide: number): number {
  return plannedInformationFor(Math.log(limitRatio), alphaSide);
}

export interface NeedsInput {
  canaryRequests: number;
  canaryEvents: number;
  baselineRequests: number;
  baselineEvents: number;
  /** The promote limit on the rate ratio (1 + max_increase). */
  limitRatio: number;
  alphaSide: number;
  method: 'exact' | 'normal';
}

/**
 * More canary requests after which the promote side would be proven if both versions keep their observed
 * rates (smoothed by half an event) and the traffic split stays as it is: the smallest m for which the
 * counts so far plus m canary requests' expected events (and the baseline's in proportion) cross the
 * boundary. Infinity when the canary's observed rate is already at or above the limit (it may never be
 * promotable) or there are no requests to extrapolate from.
 */
export function moreCanaryRequestsToPromote(input: NeedsInput): number {
  const { canaryRequests: nc, baselineRequests: nb } = input;
  if (!(nc > 0 && nb > 0)) return Number.POSITIVE_INFINITY;
  const canaryRate = (input.canaryEvents + 0.5) / (nc + 1);
  const baselineRate = (input.baselineEvents + 0.5) / (nb + 1);
  if (canaryRate / baselineRate >= input.limitRatio) return Number.POSITIVE_INFINITY;
  const baselinePerCanary = nb / nc;
  const rho = nc / (nc + nb);
  const threshold = Math.log(1 / input.alphaSide);
  const precision = mixturePrecision(
    plannedInformation(input.limitRatio, input.alphaSide),
    2 * input.alphaSide,
  );
  const proven = (more: number): boolean => {
    const ec = input.canaryEvents + more * canaryRate;
    const eb = input.baselineEvents + more * baselinePerCanary * baselineRate;
    if (input.method === 'exact') {
      const share = canaryEventShare(input.limitRatio, rho);
      return logMixtureEValue(ec, ec + eb, share, 'less') >= threshold;
    }
    if (ec <= 0 || eb <= 0) return false;
    const n = nc + more;
    const estimate = Math.log(ec / n / (eb / (n * baselinePerCanary)));
    const radius = normalMixtureRadius(1 / (1 / ec + 1 / eb), 2 * input.alphaSide, precision);
    return estimate + radius < Math.log(input.limitRatio);
  };
  let high = Math.max(1, nc / 16);
  while (!proven(high)) {
    high *= 2;
    if (high > 1e13) return Number.POSITIVE_INFINITY;
  }
  let low = 0;
  while (high - low > Math.max(1, high * 1e-3)) {
    const mid = (low + high) / 2;
    if (proven(mid)) high = mid;
    else low = mid;
  }
  return Math.ceil(high);
}

// How much data a decision needs (reference/online-gate.md "Planning").
import { normalQuantile } from '@mlops/stats';
import { mixturePrecision, normalMixtureRadius } from './normal-mixture.ts';

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
 * Information (1 / se² of ln r) at which a fixed-horizon one-sided test at alphaSide with 80 % power tells
 * r = 1 from r = limit: where the mixture boundary is tuned to be tightest.
 */
export function plannedInformation(limitRatio: number, alphaSide: number): number {
  const z = normalQuantile(1 - alphaSide) + normalQuantile(0.8);
  return (z / Math.log(limitRatio)) ** 2;
}

export interface NeedsInput {
  canaryRequests: number;
  canaryRate: number;
  baselineRate: number;
  /** Canary share of the requests (n_c / (n_c + n_b)). */
  canaryShare: number;
  /** The promote limit on the rate ratio (1 + max_increase). */
  limitRatio: number;
  alphaSide: number;
}

/**
 * Total canary requests after which the promote side would be proven if the canary's rate equals the
 * baseline's (r = 1) and the rates stay as observed: the first N where the normal-mixture upper bound on
 * ln r, with e_c ≈ N·p and e_b ≈ N·(1−ρ)/ρ·p, falls below ln(limit). Infinity when the rate is zero.
 */
export function canaryRequestsToPromote(input: NeedsInput): number {
  const rate = Math.max(input.baselineRate, input.canaryRate);
  if (!(rate > 0) || !(input.canaryShare > 0 && input.canaryShare < 1)) return Number.POSITIVE_INFINITY;
  const target = Math.log(input.limitRatio);
  const precision = mixturePrecision(
    plannedInformation(input.limitRatio, input.alphaSide),
    2 * input.alphaSide,
  );
  const otherPerCanary = (1 - input.canaryShare) / input.canaryShare;
  const proven = (n: number) => {
    const information = 1 / (1 / (n * rate) + 1 / (n * otherPerCanary * rate));
    return normalMixtureRadius(information, 2 * input.alphaSide, precision) < target;
  };
  let high = Math.max(1, input.canaryRequests);
  while (!proven(high)) {
    high *= 2;
    if (high > 1e15) return Number.POSITIVE_INFINITY;
  }
  let low = high / 2;
  while (high - low > Math.max(1, high * 1e-4)) {
    const mid = (low + high) / 2;
    if (proven(mid)) high = mid;
    else low = mid;
  }
  return Math.ceil(high);
}

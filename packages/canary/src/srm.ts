// Sample ratio mismatch: is the traffic split what the rollout asked for? Checked before any metric is
// believed (a broken split biases every comparison). reference/online-gate.md "Sample ratio mismatch".
import { chiSquareSf, logGamma } from '@mlops/stats';

export interface SrmResult {
  test: 'chi-square' | 'sequential';
  /** Pearson's statistic (chi-square) or ln of the Bayes factor (sequential). */
  statistic: number;
  /** p-value (chi-square) or 1/BF capped at 1 (sequential: an anytime-valid p-value). */
  p_value: number;
}

/**
 * Pearson's chi-square goodness of fit of the counts per arm against the expected shares (scipy's
 * `chisquare(observed, expected_shares · total)`), df = arms − 1.
 * @example chiSquareSrm([1000, 1200], [0.5, 0.5]).p_value; // => 2.0079e-05
 */
export function chiSquareSrm(observed: readonly number[], shares: readonly number[]): SrmResult {
  const total = observed.reduce((sum, count) => sum + count, 0);
  let statistic = 0;
  for (let arm = 0; arm < observed.length; arm++) {
    const expected = shares[arm]! * total;
    if (expected > 0) statistic += (observed[arm]! - expected) ** 2 / expected;
  }
  const df = observed.length - 1;
  return { test: 'chi-square', statistic, p_value: total > 0 ? chiSquareSf(statistic, df) : 1 };
}

/** Concentration of the Dirichlet prior, centred on the expected shares (a_k = strength · p0_k). */
export const SRM_PRIOR_STRENGTH = 100;

/**
 * The Dirichlet-multinomial Bayes factor against the expected shares (Lindon & Malek 2022, "Anytime-valid
 * inference for multinomial count data"), safe to check at every look:
 * ln BF = lnΓ(Σa) − lnΓ(Σa+Σx) + Σ lnΓ(a_k+x_k) − Σ lnΓ(a_k) − Σ x_k ln p0_k.
 * The split is broken when BF >= 1/alpha; the reported p-value is min(1, 1/BF).
 */
export function sequentialSrm(
  observed: readonly number[],
  shares: readonly number[],
  priorStrength = SRM_PRIOR_STRENGTH,
): SrmResult {
  const prior = shares.map((share) => share * priorStrength);
  const total = observed.reduce((sum, count) => sum + count, 0);
  let logBf = logGamma(priorStrength) - logGamma(priorStrength + total);
  for (let arm = 0; arm < observed.length; arm++) {
    const x = observed[arm]!;
    logBf += logGamma(prior[arm]! + x) - logGamma(prior[arm]!) - (x > 0 ? x * Math.log(shares[arm]!) : 0);
  }
  return { test: 'sequential', statistic: logBf, p_value: Math.min(1, Math.exp(-logBf)) };
}

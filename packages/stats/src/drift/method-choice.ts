/** Every drift method the suite computes. */
export type DriftMethod =
  | 'ks'
  | 'chisquare'
  | 'z'
  | 'wasserstein'
  | 'jensenshannon'
  | 'psi'
  | 'kl'
  | 'hellinger';

/**
 * Whether a method's score is a p-value (drift when small) or a distance (drift when large).
 *
 * @example isPValueMethod('psi'); // => false
 */
export function isPValueMethod(method: DriftMethod): boolean {
  return method === 'ks' || method === 'chisquare' || method === 'z';
}

/**
 * Evidently's default thresholds: 0.05 for the tests (p-value), 0.1 for the distances.
 * Source: evidently/legacy/calculations/stattests/*.py (default_threshold).
 *
 * @example defaultThreshold('ks'); // => 0.05
 */
export function defaultThreshold(method: DriftMethod): number {
  return isPValueMethod(method) ? 0.05 : 0.1;
}

/**
 * Whether a score means drift under Evidently's comparison for that method: KS p <= threshold,
 * chi-square and z p < threshold, distances >= threshold.
 *
 * @example isDrift('ks', 0.05, 0.05); // => true
 */
export function isDrift(method: DriftMethod, score: number, threshold: number): boolean {
  if (Number.isNaN(score)) return false;
  if (method === 'ks') return score <= threshold;
  if (isPValueMethod(method)) return score < threshold;
  return score >= threshold;
}

export interface MethodChoiceInput {
  /** 'numeric' for number / integer columns, 'categorical' for strings and booleans. */
  kind: 'numeric' | 'categorical';
  /** Reference rows after dropping nulls, NaN and infinities. */
  referenceSize: number;
  /** Distinct non-null values over reference and current together. */
  distinctValues: number;
}

/**
 * Evidently's automatic stattest: reference <= 1000 rows: numeric with > 5 distinct values -> KS,
 * otherwise chi-square when > 2 distinct values, else z-test; reference > 1000 rows: numeric with > 5
 * distinct values -> normed Wasserstein, otherwise Jensen-Shannon distance.
 * Source: evidently/legacy/calculations/stattests/registry.py get_stattest / _get_default_stattest.
 *
 * @example chooseDriftMethod({ kind: 'numeric', referenceSize: 500, distinctValues: 40 }); // => 'ks'
 */
export function chooseDriftMethod(input: MethodChoiceInput): DriftMethod {
  const manyValues = input.kind === 'numeric' && input.distinctValues > 5;
  if (input.referenceSize <= 1000) {
    if (manyValues) return 'ks';
    return input.distinctValues > 2 ? 'chisquare' : 'z';
  }
  return manyValues ? 'wasserstein' : 'jensenshannon';
}

import { normalSf } from '../distributions/normal.ts';

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

/**
 * Two-proportion z-test with pooled variance, two-sided, as Evidently's `z` stattest for binary
 * columns: z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2)), P pooled; p = 2 (1 - Φ(|z|)), evaluated as
 * 2 Φc(|z|) so tiny p-values keep their digits. When both samples hold the same single value the
 * p-value is 1 (Evidently's special case; the formula would divide 0 by 0).
 * Source: evidently/legacy/calculations/stattests/z_stattest.py.
 *
 * @example twoProportionZTest(30, 100, 50, 100); // => { statistic: -2.886751345948129, pValue: 0.0038924171227786184 }
 */
export function twoProportionZTest(
  referenceSuccesses: number,
  referenceSize: number,
  currentSuccesses: number,
  currentSize: number,
): ZTestResult {
  if (!(referenceSize > 0 && currentSize > 0))
    throw new RangeError('twoProportionZTest: both samples must be non-empty');
  const p1 = referenceSuccesses / referenceSize;
  const p2 = currentSuccesses / currentSize;
  const pooled = (p1 * referenceSize + p2 * currentSize) / (referenceSize + currentSize);
  if ((pooled === 0 || pooled === 1) && p1 === p2) return { statistic: 0, pValue: 1 };
  const statistic = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / referenceSize + 1 / currentSize));
  return { statistic, pValue: Math.min(1, 2 * normalSf(Math.abs(statistic))) };
}

// validate-data's verdict, as packages/gate/src/decision.ts is the gate's: the action reports it, never
// re-derives it.

import type { DriftReport } from './drift-types.ts';

/** What fails the step: failed error-severity checks, dataset drift, both, or nothing (report only). */
export const FAIL_ON = ['error', 'drift', 'both', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface DataVerdictInput {
  failOn: FailOn;
  /** Checks of severity `error` that failed (warnings never fail the step). */
  failedErrorChecks: number;
  /** Null without a reference. */
  drift: Pick<
    DriftReport,
    'detected' | 'share' | 'threshold_share' | 'number_of_columns' | 'number_of_drifted_columns'
  > | null;
}

export interface DataVerdict {
  passed: boolean;
  /** One sentence per cause of failure, in a fixed order (checks, then drift); empty when passed. */
  reasons: string[];
}

/**
 * Passed unless a cause `failOn` counts happened: `error` counts failed error checks, `drift` dataset drift,
 * `both` either, `none` nothing.
 *
 * @example dataVerdict({ failOn: 'drift', failedErrorChecks: 2, drift: null }) // => { passed: true, reasons: [] }
 */
export function dataVerdict(input: DataVerdictInput): DataVerdict {
  const { failOn, failedErrorChecks, drift } = input;
  const reasons: string[] = [];
  if (failedErrorChecks > 0 && (failOn === 'error' || failOn === 'both')) {
    reasons.push(`${failedErrorChecks} error check${failedErrorChecks === 1 ? '' : 's'} failed`);
  }
  if (drift?.detected && (failOn === 'drift' || failOn === 'both')) {
    reasons.push(
      `dataset drift: ${drift.number_of_drifted_columns} of ${drift.number_of_columns} columns drifted (share ${drift.share.toFixed(3)} >= ${drift.threshold_share})`,
    );
  }
  return { passed: reasons.length === 0, reasons };
}

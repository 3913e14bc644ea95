import { describe, expect, it } from 'vitest';
import { dataVerdict, FAIL_ON } from './data-verdict.ts';

const drifted = {
  detected: true,
  share: 0.5,
  threshold_share: 0.5,
  number_of_columns: 8,
  number_of_drifted_columns: 4,
};
const driftReason = 'dataset drift: 4 of 8 columns drifted (share 0.500 >= 0.5)';

describe('dataVerdict', () => {
  it('counts failed error checks and drift as fail-on says, with one reason per cause', () => {
    const cases = {
      both: [false, ['2 error checks failed', driftReason]],
      error: [false, ['2 error checks failed']],
      drift: [false, [driftReason]],
      none: [true, []],
    } as const;
    for (const failOn of FAIL_ON) {
      const [passed, reasons] = cases[failOn];
      expect(dataVerdict({ failOn, failedErrorChecks: 2, drift: drifted }), failOn).toEqual({
        passed,
        reasons,
      });
    }
  });

  it('passes on clean data, on drift below the share and without a reference', () => {
    expect(
      dataVerdict({ failOn: 'both', failedErrorChecks: 0, drift: { ...drifted, detected: false } }),
    ).toEqual({ passed: true, reasons: [] });
    expect(dataVerdict({ failOn: 'drift', failedErrorChecks: 3, drift: null }).passed).toBe(true);
    expect(dataVerdict({ failOn: 'error', failedErrorChecks: 1, drift: null }).reasons).toEqual([
      '1 error check failed',
    ]);
  });
});

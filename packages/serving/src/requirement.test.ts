import { describe, expect, it } from 'vitest';
import { requirePassedServingCheck, sameVersion } from './requirement.ts';

const report = (fields: Record<string, unknown>) =>
  JSON.stringify({ schema: 'mlops.serving-check/v1', passed: true, served_version: '1.1.0', ...fields });

describe("promote's require-serving-check", () => {
  it('accepts a passed report of the same version, with or without the v', () => {
    expect(requirePassedServingCheck(report({}), 'r.json', 'v1.1.0')).toBe('1.1.0');
    expect(sameVersion('v2.0.0', '2.0.0')).toBe(true);
    expect(sameVersion('v2.0.0', '2.0.1')).toBe(false);
  });

  it('refuses a failed report, another version, no version, latest, or another schema', () => {
    expect(() =>
      requirePassedServingCheck(report({ passed: false, explanation: 'parity: 3 rows' }), 'r.json', 'v1.1.0'),
    ).toThrow(/refusing to promote v1.1.0: the serving check in r.json did not pass: parity: 3 rows/);
    expect(() => requirePassedServingCheck(report({ served_version: '1.0.0' }), 'r.json', 'v1.1.0')).toThrow(
      /was of version 1.0.0/,
    );
    expect(() => requirePassedServingCheck(report({ served_version: null }), 'r.json', 'v1.1.0')).toThrow(
      /names no served version/,
    );
    expect(() => requirePassedServingCheck(report({}), 'r.json', 'latest')).toThrow(/explicit version/);
    expect(() =>
      requirePassedServingCheck(report({ schema: 'mlops.evaluate-gate/v1' }), 'r.json', 'v1.1.0'),
    ).toThrow(/not a serving-check report/);
    expect(() => requirePassedServingCheck('{oops', 'r.json', 'v1.1.0')).toThrow(
      /r.json is not a JSON report/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { StatsError } from '../errors.ts';
import { expectClose, loadFixture, num } from '../metrics/fixture-testing.ts';
import { mcnemarTest, pairedCounts } from './mcnemar.ts';
import { pairedNonInferiority, tangoScore } from './tango.ts';

interface Fixture {
  mcnemar: {
    b: number;
    c: number;
    exact: { statistic: number; p_value: number };
    chi2_corrected?: { statistic: number; p_value: number };
    chi2?: { statistic: number; p_value: number };
  }[];
  tango: {
    b: number;
    c: number;
    n: number;
    margin: number;
    z: number | string;
    p_value: number;
    ci_95: [number, number];
    ci_90: [number, number];
  }[];
}

describe('McNemar against statsmodels 0.13.5 (paired-tests.json)', () => {
  const f = loadFixture<Fixture>('paired-tests.json');
  for (const r of f.mcnemar) {
    it(`b=${r.b} c=${r.c}`, () => {
      const exact = mcnemarTest(r.b, r.c);
      expect(exact.statistic).toBe(r.exact.statistic);
      expectClose(exact.pValue, r.exact.p_value, 'exact p', 1e-12);
      if (r.chi2_corrected !== undefined) {
        const cc = mcnemarTest(r.b, r.c, { exact: false });
        expectClose(cc.statistic, r.chi2_corrected.statistic, 'chi2 corrected');
        expectClose(cc.pValue, r.chi2_corrected.p_value, 'chi2 corrected p');
        const nc = mcnemarTest(r.b, r.c, { exact: false, correction: false });
        expectClose(nc.statistic, r.chi2!.statistic, 'chi2');
        expectClose(nc.pValue, r.chi2!.p_value, 'chi2 p');
      }
    });
  }
  it('b = c = 0 is p = 1 in both forms (statsmodels divides by zero for chi2)', () => {
    expect(mcnemarTest(0, 0, { exact: false })).toMatchObject({ statistic: 0, pValue: 1 });
  });
  it('rejects counts that are not non-negative integers', () => {
    expect(() => mcnemarTest(-1, 2)).toThrow(StatsError);
    expect(() => mcnemarTest(1.5, 2)).toThrow(StatsError);
  });
  it('counts paired correctness from thresholded scores', () => {
    expect(pairedCounts([1, 0, 1], [0.9, 0.2, 0.1], [0.9, 0.8, 0.7])).toEqual({
      bothCorrect: 1,
      onlyA: 1,
      onlyB: 1,
      bothWrong: 0,
      n: 3,
    });
  });
});

describe("Tango's paired score test (formula of Tango 1998, paired-tests.json)", () => {
  const f = loadFixture<Fixture>('paired-tests.json');
  for (const r of f.tango) {
    it(`b=${r.b} c=${r.c} n=${r.n} margin=${r.margin}`, () => {
      const result = pairedNonInferiority({ b: r.b, c: r.c, n: r.n, margin: r.margin });
      expectClose(result.z, num(r.z), 'z');
      expectClose(result.pValue, r.p_value, 'p');
      // Interval endpoints are roots found by bisection (ours) and brentq (reference): 1e-9 absolute.
      expectClose(result.ci[0], r.ci_95[0], 'ci95 lo', 0, 1e-9);
      expectClose(result.ci[1], r.ci_95[1], 'ci95 hi', 0, 1e-9);
      const ninety = pairedNonInferiority({ b: r.b, c: r.c, n: r.n, margin: r.margin, confidence: 0.9 });
      expectClose(ninety.ci[0], r.ci_90[0], 'ci90 lo', 0, 1e-9);
      expectClose(ninety.ci[1], r.ci_90[1], 'ci90 hi', 0, 1e-9);
    });
  }
  it('reduces to McNemar at margin 0: z² is the uncorrected chi-square', () => {
    expectClose(
      tangoScore(10, 2, 100, 0) ** 2,
      mcnemarTest(10, 2, { exact: false, correction: false }).statistic,
      'z²',
    );
  });
  it('validates counts', () => {
    expect(() => pairedNonInferiority({ b: 60, c: 50, n: 100 })).toThrow(/exceed n/);
    expect(() => pairedNonInferiority({ b: 1, c: 2, n: 0 })).toThrow(StatsError);
    expect(() => pairedNonInferiority({ b: 1, c: 2, n: 10, margin: -0.1 })).toThrow(/margin/);
  });
});

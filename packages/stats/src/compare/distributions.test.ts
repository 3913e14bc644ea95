import { describe, expect, it } from 'vitest';
import { StatsError } from '../errors.ts';
import { expectClose, loadFixture } from '../metrics/fixture-testing.ts';
import { binomialCdf, binomialPmf, binomialSf } from './binomial-distribution.ts';
import { chiSquareCdf, chiSquareSf } from './chi-square-distribution.ts';
import { erf, erfc, normalCdf, normalPdf, normalQuantile, normalSf } from './normal-distribution.ts';

interface Fixture {
  normal: { x: number; cdf: number; sf: number; pdf: number; erfc: number; erf: number }[];
  quantile: { p: number; x: number }[];
  binomial: { k: number; n: number; p: number; cdf: number; sf: number; pmf: number }[];
  chi_square: { x: number; df: number; sf: number; cdf: number }[];
}

// Tolerances: erf / erfc / quantile to 1e-13 relative; Φ and 1 - Φ to 1e-12 (rounding of x/√2 is amplified
// by 2x² in the far tail: ~1e-13 at |x| = 26, 1e-15 for |x| < 5);
// binomial and chi-square to 1e-10 relative (Loader's saddle point and the incomplete gamma).
describe('distribution functions against scipy 1.10 (distributions.json)', () => {
  const f = loadFixture<Fixture>('distributions.json');
  it('normal cdf, sf, pdf, erf, erfc', () => {
    for (const r of f.normal) {
      // 1e-300 floor: scipy underflows Φ(-38) to 0 where the true value is a subnormal 2.9e-316.
      expectClose(normalCdf(r.x), r.cdf, `cdf(${r.x})`, 1e-12, 1e-300);
      expectClose(normalSf(r.x), r.sf, `sf(${r.x})`, 1e-12, 1e-300);
      expectClose(normalPdf(r.x), r.pdf, `pdf(${r.x})`, 1e-13, 1e-300);
      expectClose(erfc(r.x), r.erfc, `erfc(${r.x})`, 1e-13, 1e-300);
      expectClose(erf(r.x), r.erf, `erf(${r.x})`, 1e-13, 1e-16);
    }
  });
  it('normal quantile', () => {
    for (const r of f.quantile) expectClose(normalQuantile(r.p), r.x, `ndtri(${r.p})`, 1e-13, 1e-15);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(StatsError);
  });
  it('binomial pmf, cdf, sf', () => {
    for (const r of f.binomial) {
      const label = `binom(${r.k}; ${r.n}, ${r.p})`;
      expectClose(binomialPmf(r.k, r.n, r.p), r.pmf, `pmf ${label}`, 1e-10, 1e-300);
      expectClose(binomialCdf(r.k, r.n, r.p), r.cdf, `cdf ${label}`, 1e-10, 1e-300);
      expectClose(binomialSf(r.k, r.n, r.p), r.sf, `sf ${label}`, 1e-10, 1e-300);
    }
  });
  it('chi-square sf and cdf', () => {
    for (const r of f.chi_square) {
      expectClose(chiSquareSf(r.x, r.df), r.sf, `sf(${r.x}; ${r.df})`, 1e-10, 1e-300);
      expectClose(chiSquareCdf(r.x, r.df), r.cdf, `cdf(${r.x}; ${r.df})`, 1e-10, 1e-300);
    }
  });
  it('doc-comment examples', () => {
    expectClose(erfc(1), 0.15729920705028513, 'erfc', 1e-15);
    expectClose(normalQuantile(0.975), 1.959963984540054, 'q', 1e-15);
    expectClose(binomialCdf(2, 10, 0.5), 0.0546875, 'cdf', 1e-14);
    expectClose(chiSquareSf(3.841458820694124, 1), 0.05, 'chi2', 1e-12);
  });
});

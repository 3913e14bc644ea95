// Every statistic of the package against scipy (fixtures/generate.py writes fixtures/reference.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countResets, cumulativeIncrease } from './counters.ts';
import { logBeta, logIncompleteBeta } from './incomplete-beta.ts';
import { hodgesLehmannShift, mannWhitney } from './mann-whitney.ts';
import { mixturePrecision, normalMixtureRadius } from './normal-mixture.ts';
import { requestsPerArm } from './planning.ts';
import { canaryEventShare, logMixtureEValue, ratioFromEventShare, ratioInterval } from './proportion-test.ts';
import { chiSquareSrm, sequentialSrm } from './srm.ts';

interface Reference {
  incomplete_beta: { x: number; a: number; b: number; lower: number; upper: number; log_beta: number }[];
  mixture_e_value: {
    canary_events: number;
    total_events: number;
    ratio: number;
    rho: number;
    side: 'greater' | 'less';
    share: number;
    log_e: number;
  }[];
  srm: { observed: number[]; shares: number[]; statistic: number; p_value: number; log_bf: number }[];
  mann_whitney: { x: number[]; y: number[]; u: number; p_value: number; hodges_lehmann: number }[];
  normal_mixture: {
    information: number;
    alpha: number;
    planned: number;
    precision: number;
    radius: number;
  }[];
  planning: { p1: number; p2: number; alpha: number; power: number; n: number }[];
}
const reference: Reference = JSON.parse(
  readFileSync(new URL('../fixtures/reference.json', import.meta.url), 'utf8'),
);
const close = (actual: number, expected: number, relative = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1e-300, Math.abs(expected)));

describe('incomplete beta against scipy betainc / betaln', () => {
  it.each(reference.incomplete_beta)('x=$x a=$a b=$b', ({ x, a, b, lower, upper, log_beta }) => {
    close(logBeta(a, b), log_beta, 1e-12);
    close(Math.exp(logIncompleteBeta(x, a, b)), lower, 1e-9);
    close(Math.exp(logIncompleteBeta(x, a, b, true)), upper, 1e-9);
  });
  it('keeps the logarithm of tails that underflow', () => {
    const log = logIncompleteBeta(0.01, 500, 500, false);
    expect(log).toBeLessThan(-1000);
    expect(Number.isFinite(log)).toBe(true);
  });
});

describe('beta-mixture e-value against the closed form and numerical integration (scipy)', () => {
  it.each(reference.mixture_e_value)(
    'e=$canary_events of $total_events, r=$ratio, rho=$rho, $side',
    ({ canary_events, total_events, ratio, rho, side, share, log_e }) => {
      close(canaryEventShare(ratio, rho), share, 1e-14);
      close(ratioFromEventShare(share, rho), ratio, 1e-12);
      const value = logMixtureEValue(canary_events, total_events, share, side);
      expect(Math.abs(value - log_e)).toBeLessThan(1e-8 * Math.max(1, Math.abs(log_e)));
    },
  );
  it('a canary with errors against a zero-error baseline is evidence (kayenta#377)', () => {
    // 6 errors, all on a 10 % canary: under r <= 1 that has probability 1e-6.
    expect(logMixtureEValue(6, 6, canaryEventShare(1, 0.1), 'greater')).toBeGreaterThan(Math.log(1 / 0.0125));
  });
  it('no events is no evidence either way', () => {
    expect(logMixtureEValue(0, 0, 0.1, 'greater')).toBe(0);
    expect(logMixtureEValue(0, 0, 0.1, 'less')).toBe(0);
  });
  it('the interval inverts both tests', () => {
    const [lower, upper] = ratioInterval(60, 300, 0.1, 0.0125);
    const threshold = Math.log(80);
    expect(logMixtureEValue(60, 360, canaryEventShare(lower, 0.1), 'greater')).toBeCloseTo(threshold, 2);
    expect(logMixtureEValue(60, 360, canaryEventShare(upper, 0.1), 'less')).toBeCloseTo(threshold, 2);
    expect(lower).toBeLessThan(60 / 0.1 / (300 / 0.9));
    expect(upper).toBeGreaterThan(60 / 0.1 / (300 / 0.9));
    expect(ratioInterval(0, 0, 0.1, 0.0125)).toEqual([0, Number.POSITIVE_INFINITY]);
  });
});

describe('SRM against scipy.stats.chisquare and the Dirichlet-multinomial Bayes factor', () => {
  it.each(reference.srm)('$observed at $shares', ({ observed, shares, statistic, p_value, log_bf }) => {
    const chi = chiSquareSrm(observed, shares);
    close(chi.statistic, statistic, 1e-12);
    close(chi.p_value, p_value, 1e-9);
    close(sequentialSrm(observed, shares).statistic, log_bf, 1e-9);
  });
  it('matches the reference sheet', () => {
    expect(chiSquareSrm([1000, 1200], [0.5, 0.5]).p_value).toBeCloseTo(2.0079e-5, 8);
    expect(chiSquareSrm([135, 115], [0.5, 0.5]).p_value).toBeCloseTo(0.205903, 6);
    expect(chiSquareSrm([310, 98], [0.75, 0.25]).p_value).toBeCloseTo(0.647434, 6);
  });
});

describe('Mann-Whitney and Hodges-Lehmann against scipy / numpy', () => {
  it.each(reference.mann_whitney.map((row, index) => ({ ...row, index })))(
    'case $index',
    ({ x, y, u, p_value, hodges_lehmann }) => {
      const result = mannWhitney(x, y);
      close(result.u, u, 1e-12);
      close(result.p_value, p_value, 1e-9);
      close(hodgesLehmannShift(x, y, 0.98).estimate, hodges_lehmann, 1e-12);
    },
  );
});

describe('normal mixture boundary and planning', () => {
  it.each(reference.normal_mixture)(
    'I=$information alpha=$alpha',
    ({ information, alpha, planned, precision, radius }) => {
      close(mixturePrecision(planned, alpha), precision, 1e-12);
      close(normalMixtureRadius(information, alpha, precision), radius, 1e-12);
    },
  );
  it.each(reference.planning)('p1=$p1 p2=$p2', ({ p1, p2, alpha, power, n }) => {
    close(requestsPerArm(p1, p2, alpha, power), n, 1e-9);
  });
  it('0.1 % vs 0.2 % needs about 23,500 per arm (reference sheet)', () => {
    expect(Math.round(requestsPerArm(0.001, 0.002, 0.05, 0.8) / 100) * 100).toBe(23_500);
  });
});

describe('counters', () => {
  it('sums increases and treats a drop as a reset', () => {
    expect([...cumulativeIncrease([5, 7, 2, 4])]).toEqual([0, 2, 4, 6]);
    expect(countResets([5, 7, 2, 4, 1])).toBe(2);
  });
  it('carries over gaps and counts a series born after the start in full', () => {
    expect([...cumulativeIncrease([Number.NaN, 3, Number.NaN, 8])]).toEqual([0, 3, 3, 8]);
    expect([...cumulativeIncrease([10, Number.NaN, 12])]).toEqual([0, 0, 2]);
  });
});

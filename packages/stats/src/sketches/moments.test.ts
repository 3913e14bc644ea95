import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Moments } from './moments.ts';

function twoPass(values: number[]) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of values) {
    const d = x - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  return { mean, m2, m3, m4 };
}

const close = (a: number, b: number, scale: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * scale + 1e-12);

/** The sketch's count, central moments, min and max against a two-pass computation over the same values. */
function expectTwoPass(m: Moments, all: number[]): void {
  const ref = twoPass(all);
  const scale = Math.max(1, ...all.map(Math.abs));
  expect(m.count).toBe(all.length);
  close(m.mean, ref.mean, scale);
  close(m.m2, ref.m2, scale ** 2 * all.length);
  close(m.m3, ref.m3, scale ** 3 * all.length);
  close(m.m4, ref.m4, scale ** 4 * all.length);
  expect(m.min).toBe(Math.min(...all));
  expect(m.max).toBe(Math.max(...all));
}

describe('Moments (Welford / Pébay)', () => {
  it('matches numpy / scipy on a small example', () => {
    const m = new Moments();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) m.add(x);
    expect(m.mean).toBe(5);
    expect(m.variance(0)).toBeCloseTo(4, 14);
    expect(m.std(1)).toBeCloseTo(2.138089935299395, 14);
    // scipy.stats.skew / kurtosis (biased) of the same data
    expect(m.skewness()).toBeCloseTo(0.65625, 12);
    expect(m.kurtosis()).toBeCloseTo(-0.21875, 12);
  });

  it('add and merge agree with a two-pass computation, in any grouping (property)', () => {
    const values = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), {
      minLength: 1,
      maxLength: 200,
    });
    fc.assert(
      fc.property(values, values, values, (a, b, c) => {
        const build = (xs: number[]) => {
          const m = new Moments();
          for (const x of xs) m.add(x);
          return m;
        };
        const copy = (m: Moments) => Moments.fromJSON(m.toJSON());
        const left = copy(build(a)).merge(build(b)).merge(build(c));
        const right = copy(build(a)).merge(copy(build(b)).merge(build(c)));
        const all = [...a, ...b, ...c];
        for (const m of [left, right]) expectTwoPass(m, all);
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it('addAll over blocks equals the two-pass moments of the whole stream (property)', () => {
    const values = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), {
      minLength: 0,
      maxLength: 200,
    });
    fc.assert(
      fc.property(values, values, (a, b) => {
        const m = new Moments().addAll(Float64Array.from(a)).addAll(Float64Array.from(b));
        const all = [...a, ...b];
        expect(m.count).toBe(all.length);
        if (all.length === 0) return;
        expectTwoPass(m, all);
        expect(m.sum).toBeCloseTo(
          all.reduce((s, x) => s + x, 0),
          6,
        );
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('addAll keeps the variance of values far from zero (numpy: var of 1e9 + [4, 7, 13, 16] is 22.5)', () => {
    const m = new Moments().addAll(new Float64Array([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]));
    expect(m.variance(0)).toBe(22.5);
    expect(m.mean).toBe(1e9 + 10);
  });

  it('sums with compensation, one by one, in blocks and across in-memory merges (math.fsum of 1e16, 1, -1e16 is 1.0)', () => {
    const values = [1e16, 1, -1e16];
    const one = new Moments();
    for (const x of values) one.add(x);
    expect(one.total()).toBe(1);
    expect(new Moments().addAll(Float64Array.from(values)).total()).toBe(1);
    const a = new Moments().addAll(new Float64Array([1e16, 1]));
    const b = new Moments().addAll(new Float64Array([-1e16]));
    expect(new Moments().merge(a).merge(b).total()).toBe(1);
    // JSON holds the sum as one double (1e16 + 1 rounds to 1e16): the compensation stays in memory.
    expect(Moments.fromJSON(a.toJSON()).total()).toBe(1e16);
  });

  it('serialises an empty sketch without Infinity', () => {
    const json = JSON.parse(JSON.stringify(new Moments()));
    expect(json.min).toBeNull();
    expect(Moments.fromJSON(json).min).toBe(Number.POSITIVE_INFINITY);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortFloat64, sortShortFloat64 } from './sort-float64.ts';

describe('sortFloat64', () => {
  it('sorts like the engine on any input, ranges included (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true })), fc.nat(), fc.nat(), (values, x, y) => {
        const a = Float64Array.from(values);
        const lo = values.length ? x % values.length : 0;
        const hi = values.length ? lo + (y % (values.length - lo + 1)) : 0;
        const expected = Float64Array.from(a);
        expected.subarray(lo, hi).sort();
        sortFloat64(a, lo, hi);
        // -0 and 0 compare equal, so compare as numbers rather than bit patterns.
        expect([...a].map((v) => v + 0)).toEqual([...expected].map((v) => v + 0));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('handles many duplicates and sorted / reversed runs', () => {
    for (const a of [
      Float64Array.from({ length: 5000 }, (_, i) => i % 3),
      Float64Array.from({ length: 5000 }, (_, i) => 5000 - i),
      Float64Array.from({ length: 5000 }, (_, i) => (i < 2500 ? i : 5000 - i)),
    ]) {
      const expected = Float64Array.from(a).sort();
      sortFloat64(a);
      expect(a).toEqual(expected);
    }
  });
});

describe('sortFloat64 on long arrays (radix)', () => {
  it('sorts as the engine does: normals, integers with many ties, signed zeros, extremes', () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const cases = [
      Float64Array.from({ length: 200_000 }, () => (random() - 0.5) * 1e3),
      Float64Array.from({ length: 50_000 }, () => Math.round(random() * 20) - 10),
      Float64Array.from(
        { length: 30_000 },
        (_, i) =>
          [0, -0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, 1.5][i % 9]!,
      ),
      Float64Array.from({ length: 20_000 }, () => 1 + random() * 1e-9), // shares the high digits
    ];
    for (const a of cases) {
      const expected = Float64Array.from(a).sort();
      sortFloat64(a);
      expect([...a].map((v) => v + 0)).toEqual([...expected].map((v) => v + 0));
      for (let i = 1; i < a.length; i++)
        if (Object.is(a[i - 1], 0) && Object.is(a[i], -0)) throw new Error('-0 after 0');
    }
  });
});

describe("sortShortFloat64 (KLL's level-0 buffer)", () => {
  const bits = (a: Float64Array) => [...new Uint32Array(a.buffer, a.byteOffset, 2 * a.length)];
  const sortBoth = (values: readonly number[]) => {
    const short = Float64Array.from(values);
    const reference = Float64Array.from(values);
    sortShortFloat64(short, short.length, new Float64Array(short.length), new Int32Array(short.length));
    sortFloat64(reference);
    return { short, reference };
  };

  it("gives sortFloat64's result bit for bit, signed zeros included (property)", () => {
    const spread = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    const anyFinite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const value = fc.oneof(
      spread,
      anyFinite,
      fc.constantFrom(0, -0, 1, 5e-324),
      fc.integer({ min: -3, max: 3 }),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), (values) => {
        const { short, reference } = sortBoth(values);
        expect(bits(short)).toEqual(bits(reference));
      }),
      { numRuns: 500, seed: 5 },
    );
  });

  it('sorts spread runs by distribution and crowded ones (outlier, ties, infinities) by the fallback', () => {
    let seed = 3;
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const runs = [
      Array.from({ length: 256 }, () => 20 + random() * 100),
      Array.from({ length: 256 }, () => (random() < 0.1 ? (random() < 0.5 ? -0 : 0) : random() - 0.5)),
      Array.from({ length: 256 }, () => (random() < 0.1 ? -0 : random() - 0.5)),
      Array.from({ length: 256 }, (_, i) => (i === 7 ? 1e300 : random())),
      Array.from({ length: 256 }, () => Math.floor(random() * 4)),
      Array.from({ length: 256 }, (_, i) => (i % 2 ? Number.POSITIVE_INFINITY : random())),
      Array.from({ length: 256 }, () => (random() - 0.5) * 1e-320),
    ];
    for (const run of runs) {
      const { short, reference } = sortBoth(run);
      expect(bits(short)).toEqual(bits(reference));
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortFloat64 } from './sort-float64.ts';

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

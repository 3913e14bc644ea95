import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HyperLogLog } from './hyperloglog.ts';

describe('HyperLogLog (lgK = 12)', () => {
  it('estimates distinct counts within 3 standard errors (≈5%) from 10 to 1,000,000', () => {
    for (const n of [10, 100, 1000, 10_000, 100_000, 1_000_000]) {
      const h = new HyperLogLog();
      for (let i = 0; i < n; i++) h.addNumber(i * 1.5);
      expect(Math.abs(h.estimate() / n - 1), `n=${n}`).toBeLessThan(3 * h.relativeStandardError());
    }
  });

  it('ignores repeats and hashes strings and numbers', () => {
    const h = new HyperLogLog();
    for (let r = 0; r < 10; r++) for (let i = 0; i < 500; i++) h.addString(`user-${i}`);
    expect(Math.abs(h.estimate() - 500)).toBeLessThan(15);
    const z = new HyperLogLog();
    z.addNumber(0);
    z.addNumber(-0);
    expect(Math.round(z.estimate())).toBe(1);
  });

  it('merge is exactly associative and commutative and equals the sketch of the union (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }), {
          minLength: 3,
          maxLength: 3,
        }),
        (parts) => {
          const sketches = parts.map((p) => {
            const h = new HyperLogLog();
            for (const x of p) h.addNumber(x);
            return h;
          });
          const [a, b, c] = sketches as [HyperLogLog, HyperLogLog, HyperLogLog];
          const left = a.clone().merge(b).merge(c);
          const right = c.clone().merge(b.clone().merge(a));
          const union = new HyperLogLog();
          for (const x of parts.flat()) union.addNumber(x);
          expect(JSON.stringify(left)).toBe(JSON.stringify(right));
          expect(JSON.stringify(left)).toBe(JSON.stringify(union));
        },
      ),
      { numRuns: 50, seed: 7 },
    );
  });

  it('round-trips through JSON', () => {
    const h = new HyperLogLog();
    for (let i = 0; i < 1000; i++) h.addString(String(i));
    expect(HyperLogLog.fromJSON(JSON.parse(JSON.stringify(h))).estimate()).toBe(h.estimate());
    expect(() => new HyperLogLog().merge(new HyperLogLog(10))).toThrow(RangeError);
  });
});

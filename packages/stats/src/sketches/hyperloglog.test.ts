import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hashNumber,
  hashString,
  hashStringFirst,
  hashStringSecond,
  hashWordsFirst,
  hashWordsFirstInt32,
} from './hash.ts';
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

  it('registers are the rank of the full 64-bit hash, though the second half is only computed when needed', () => {
    // With lgK = 16 the first half's other 16 bits are all zero for one value in 65,536: find a few such
    // values, where the rank comes from the second half, and mix them with ordinary ones.
    const lgK = 16;
    const sketch = new HyperLogLog(lgK);
    const registers = new Uint8Array(1 << lgK);
    const values: number[] = [];
    for (let i = 0; values.length < 3 && i < 5_000_000; i++) {
      const [a] = hashNumber(i);
      if ((a << lgK) >>> lgK === 0) values.push(i);
    }
    expect(values).toHaveLength(3);
    for (let i = 0; i < 5000; i++) values.push(i * 0.37);
    for (const x of values) {
      sketch.addNumber(x);
      const [a, b] = hashNumber(x);
      const rest = (a << lgK) >>> lgK;
      const rank = rest !== 0 ? Math.clz32(rest) - lgK + 1 : 32 - lgK + (b !== 0 ? Math.clz32(b) + 1 : 33);
      const index = a >>> (32 - lgK);
      registers[index] = Math.max(registers[index]!, rank);
    }
    expect(Buffer.from(sketch.toJSON().registers, 'base64')).toEqual(Buffer.from(registers));
  });

  it('hashes strings into the same registers as the full 64-bit hash, and blocks of numbers as one by one', () => {
    const lgK = 16;
    const sketch = new HyperLogLog(lgK);
    const registers = new Uint8Array(1 << lgK);
    for (let i = 0; i < 200_000; i++) {
      const text = `id-${i.toString(36)}`;
      sketch.addString(text);
      const [a, b] = hashString(text);
      const rest = (a << lgK) >>> lgK;
      const rank = rest !== 0 ? Math.clz32(rest) - lgK + 1 : 32 - lgK + (b !== 0 ? Math.clz32(b) + 1 : 33);
      const index = a >>> (32 - lgK);
      registers[index] = Math.max(registers[index]!, rank);
    }
    expect(Buffer.from(sketch.toJSON().registers, 'base64')).toEqual(Buffer.from(registers));
    const withHash = new HyperLogLog(lgK);
    for (let i = 0; i < 200_000; i++) {
      const text = `id-${i.toString(36)}`;
      withHash.addStringWithHash(text, hashString(text)[0]);
    }
    expect(withHash.toJSON()).toEqual(sketch.toJSON());
    // Signs, −0 beside 0, and a view that starts inside its buffer (the block path reads the halves from
    // it); at lgK = 16, 200,000 values reach the second hash a few times.
    const values = Float64Array.from({ length: 200_001 }, (_, i) => (i % 3 === 0 ? -0 : (i - 90_000) * 0.37));
    for (const block of [values, values.subarray(1)]) {
      const one = new HyperLogLog(lgK);
      for (const x of block) one.addNumber(x);
      const bulk = new HyperLogLog(lgK);
      bulk.addNumbers(block);
      expect(bulk.toJSON()).toEqual(one.toJSON());
    }
  });

  it('hashes the halves of a float64 in int32 arithmetic to the same 32 bits (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        const low = a | 0;
        const high = b | 0;
        expect(hashWordsFirstInt32(low, high)).toBe(hashWordsFirst(low, high) | 0);
      }),
      { numRuns: 2000, seed: 24 },
    );
  });

  it("hashes a string's code units in int32 arithmetic to MurmurHash3's 32 bits (property)", () => {
    /** MurmurHash3 x86_32 of the code units, two to a block, as first written (uint32 arithmetic). */
    function reference(s: string, seed: number): number {
      const mix = (h0: number, k0: number) => {
        let k = Math.imul(k0, 0xcc9e2d51);
        k = (k << 15) | (k >>> 17);
        k = Math.imul(k, 0x1b873593);
        let h = h0 ^ k;
        h = (h << 13) | (h >>> 19);
        return (Math.imul(h, 5) + 0xe6546b64) | 0;
      };
      let h = seed;
      let i = 0;
      for (; i + 1 < s.length; i += 2) h = mix(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
      if (i < s.length) h = mix(h, s.charCodeAt(i));
      h ^= s.length;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      return h >>> 0;
    }
    expect(hashString('a')).toEqual([298494453, 1861372708]);
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ minLength: 7, maxLength: 9 })),
        (s) => {
          const first = hashStringFirst(s);
          expect(first).toBe(reference(s, 0x9747b28c) | 0);
          expect(hashStringSecond(s)).toBe(reference(s, 0x5bd1e995));
          expect(hashString(s)).toEqual([reference(s, 0x9747b28c), reference(s, 0x5bd1e995)]);
        },
      ),
      { numRuns: 3000, seed: 31 },
    );
  });

  it('round-trips through JSON', () => {
    const h = new HyperLogLog();
    for (let i = 0; i < 1000; i++) h.addString(String(i));
    expect(HyperLogLog.fromJSON(JSON.parse(JSON.stringify(h))).estimate()).toBe(h.estimate());
    expect(() => new HyperLogLog().merge(new HyperLogLog(10))).toThrow(RangeError);
  });
});

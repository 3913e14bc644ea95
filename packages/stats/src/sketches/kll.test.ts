import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KllSketch, kllRankErrorBound, SortedLevel } from './kll.ts';
import { Moments } from './moments.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Largest |estimated rank - true rank| over probe points, as a share of n. */
function maxRankError(sketch: KllSketch, sorted: Float64Array): number {
  let worst = 0;
  const n = sorted.length;
  for (let i = 0; i < 200; i++) {
    const x = sorted[Math.floor((i / 200) * n)]!;
    let trueRank = 0;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    trueRank = lo / n;
    worst = Math.max(worst, Math.abs(sketch.cdf(x) - trueRank));
  }
  return worst;
}

/** A k = 256 sketch of n values drawn by `gen`, and the values sorted. */
function sketchOf(n: number, seed: number, gen: (r: () => number) => number) {
  const r = lcg(seed);
  const data = new Float64Array(n);
  const s = new KllSketch(256, seed);
  for (let i = 0; i < n; i++) {
    data[i] = gen(r);
    s.add(data[i]!);
  }
  data.sort();
  return { s, data };
}

describe('KllSketch', () => {
  it('is exact while nothing has been compacted', () => {
    const s = new KllSketch();
    for (const x of [5, 1, 4, 2, 3]) s.add(x);
    expect(s.exact).toBe(true);
    expect(s.cdf(3)).toBe(0.6);
    expect(s.cdfBelow(3)).toBe(0.4);
    expect(s.quantile(0.5)).toBe(3);
  });

  it('keeps the documented rank error (k=256: 1.05%) on several distributions, in O(k) memory', () => {
    const bound = kllRankErrorBound(256);
    expect(bound).toBeCloseTo(0.01046, 4);
    for (const [seed, gen] of [
      [1, (r: () => number) => r()],
      [2, (r: () => number) => -Math.log(r())],
      [3, (r: () => number) => Math.floor(r() * 50)],
      [4, (r: () => number) => (r() < 0.5 ? r() : 1000 + r())],
    ] as const) {
      const n = 200_000;
      const { s, data } = sketchOf(n, seed, gen);
      expect(s.n).toBe(n);
      // Level 0 holds k, levels above at most k (2/3)^d each: about 4k values in all.
      expect(s.retained).toBeLessThan(4 * 256 + 8 * 20);
      expect(maxRankError(s, data)).toBeLessThan(bound);
      expect(s.min).toBe(data[0]);
      expect(s.max).toBe(data[n - 1]);
    }
  });

  it('is deterministic: the same input order gives the same sketch', () => {
    const build = () => {
      const s = new KllSketch(200, 7);
      const r = lcg(9);
      for (let i = 0; i < 50_000; i++) s.add(r());
      return JSON.stringify(s);
    };
    expect(build()).toBe(build());
  });

  it('merges shards within the error bound, in any grouping (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 3, maxLength: 3 }),
        fc.integer(),
        (sizes, seed) => {
          const r = lcg(seed);
          const shards = sizes.map((size, i) => {
            const s = new KllSketch(256, i + 1);
            const values: number[] = [];
            for (let j = 0; j < size; j++) {
              const x = r() * (i + 1);
              values.push(x);
              s.add(x);
            }
            return { s, values };
          });
          const copy = (s: KllSketch) => KllSketch.fromJSON(s.toJSON());
          const [a, b, c] = shards.map((x) => x.s) as [KllSketch, KllSketch, KllSketch];
          const left = copy(a).merge(copy(b)).merge(copy(c));
          const right = copy(a).merge(copy(b).merge(copy(c)));
          const all = Float64Array.from(shards.flatMap((x) => x.values)).sort();
          for (const merged of [left, right]) {
            expect(merged.n).toBe(all.length);
            expect(merged.min).toBe(all[0]);
            expect(merged.max).toBe(all[all.length - 1]);
            expect(maxRankError(merged, all)).toBeLessThan(kllRankErrorBound(256));
          }
        },
      ),
      { numRuns: 15, seed: 42 },
    );
  });

  it('round-trips through JSON and rejects inconsistent state', () => {
    const s = new KllSketch();
    for (let i = 0; i < 5000; i++) s.add(i);
    const back = KllSketch.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(back.quantile(0.3)).toBe(s.quantile(0.3));
    expect(() => KllSketch.fromJSON({ ...s.toJSON(), n: 1 })).toThrow(RangeError);
  });

  it('saves the coin as a uint32 and continues from it after a round trip, whatever the seed', () => {
    for (const seed of [1, 0x7fffffff, 0x80000000, 0xffffffff]) {
      const s = new KllSketch(256, seed);
      const rngs = new Set<boolean>();
      for (let i = 0; i < 40; i++) {
        s.addAll(Float64Array.from({ length: 5000 }, (_, j) => ((i * 5000 + j) * 7919) % 100_003));
        const json = s.toJSON();
        expect(Number.isInteger(json.rng) && json.rng >= 0 && json.rng < 2 ** 32).toBe(true);
        rngs.add(json.rng >= 2 ** 31);
        const back = KllSketch.fromJSON(JSON.parse(JSON.stringify(json)));
        const more = Float64Array.from({ length: 3000 }, (_, j) => (j * 104729) % 9973);
        expect(back.addAll(more).toJSON()).toEqual(KllSketch.fromJSON(json).addAll(more).toJSON());
      }
      expect(rngs.size).toBe(2); // states on both sides of 2^31 were saved
    }
  });

  it('samples long streams (Section 4 of the paper) within 3% of the bound, exact n / min / max', () => {
    // 3,000,000 values: the sampler reaches blocks of 8 (2^s <= n * (bound / 2.576)^2 / 4).
    const bound = kllRankErrorBound(256) * 1.03;
    for (const [seed, gen] of [
      [5, (r: () => number) => r()],
      [6, (r: () => number) => Math.round(-Math.log(r()) * 100) / 100],
    ] as const) {
      const n = 3_000_000;
      const { s, data } = sketchOf(n, seed, gen);
      expect(s.n).toBe(n);
      expect(s.min).toBe(data[0]);
      expect(s.max).toBe(data[n - 1]);
      expect(maxRankError(s, data)).toBeLessThan(bound);
      // An open block (3,000,000 = 8k + 0 here, so add a few) serialises as weight-1 items and merges.
      for (const x of [0.25, 0.5, 0.75]) s.add(x);
      const back = KllSketch.fromJSON(JSON.parse(JSON.stringify(s)));
      expect(back.n).toBe(n + 3);
      expect(back.quantile(0.5)).toBeCloseTo(s.quantile(0.5), 12);
      const merged = new KllSketch(256, 1).merge(s);
      expect(merged.n).toBe(n + 3);
      expect(Math.abs(merged.cdf(data[n >> 1]!) - 0.5)).toBeLessThan(bound);
    }
  });

  it('addAll gives the sketch of adding the values one by one, however the blocks are cut (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_200_000 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.constantFrom('spread', 'ties'),
        (n, seed, kind) => {
          const r = lcg(seed);
          const data = new Float64Array(n);
          for (let i = 0; i < n; i++) data[i] = kind === 'ties' ? Math.floor(r() * 30) : r() * 100 - 50;
          const one = new KllSketch(256, seed);
          for (const x of data) one.add(x);
          const bulk = new KllSketch(256, seed);
          for (let i = 0; i < n; ) {
            const length = 1 + Math.floor(r() * 9000);
            bulk.addAll(data.subarray(i, i + length));
            i += length;
          }
          expect(JSON.stringify(bulk)).toBe(JSON.stringify(one));
          expect(bulk.quantile(0.3)).toBe(one.quantile(0.3));
        },
      ),
      { numRuns: 12, seed: 21 },
    );
  });

  it("addAllWithin, given the extremes Moments.addAll read from the block, gives addAll's sketch (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600_000 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.constantFrom('spread', 'zeros'),
        (n, seed, kind) => {
          const r = lcg(seed);
          const data = new Float64Array(n);
          // 'zeros': −0 and 0 at the extremes, where which of the two a block's min is depends on its order.
          for (let i = 0; i < n; i++)
            data[i] = kind === 'zeros' ? (r() < 0.5 ? -0 : Math.floor(r() * 3)) : r() * 100 - 50;
          const plain = new KllSketch(256, seed);
          const within = new KllSketch(256, seed);
          const moments = new Moments();
          for (let i = 0; i < n; ) {
            const block = data.subarray(i, i + 1 + Math.floor(r() * 9000));
            plain.addAll(block);
            moments.addAll(block);
            within.addAllWithin(block, moments.blockMin, moments.blockMax);
            i += block.length;
          }
          expect(JSON.stringify(within)).toBe(JSON.stringify(plain));
          expect(Object.is(within.min, plain.min) && Object.is(within.max, plain.max)).toBe(true);
        },
      ),
      { numRuns: 10, seed: 22 },
    );
  });

  it('inserts each item after the equal ones, short level or long (−0 and 0 in arrival order; property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(-0, 0, 1, 2, -1, 0.5, 3), { minLength: 1, maxLength: 300, size: 'max' }),
        (values) => {
          const level = new SortedLevel();
          const expected: number[] = [];
          for (const x of values) {
            level.insert(x);
            // The reference: after the last item not above x.
            let at = expected.length;
            while (at > 0 && expected[at - 1]! > x) at--;
            expected.splice(at, 0, x);
          }
          const got = [...level.view()];
          expect(got.length).toBe(expected.length);
          expect(got.every((x, i) => Object.is(x, expected[i]))).toBe(true);
        },
      ),
      { numRuns: 200, seed: 23 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ValueCounts } from './value-counts.ts';

/** The counts as a Map would keep them (0 and -0 one key), sorted by value, or undefined past the limit. */
function reference(values: number[], limit: number): [number, number][] | undefined {
  const counts = new Map<number, number>();
  for (const x of values) {
    if (!counts.has(x) && counts.size >= limit) return undefined;
    counts.set(x, (counts.get(x) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => a[0] - b[0]);
}

function counted(values: number[], limit: number): [number, number][] | undefined {
  const counts = new ValueCounts(limit);
  for (const x of values) if (!counts.add(x)) return undefined;
  return counts.toJSON().counts;
}

describe('ValueCounts', () => {
  it('counts as a Map keyed by value would: integers, fractions, large and negative values, 0 and -0', () => {
    let seed = 7;
    const random = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const pools = [
      Array.from({ length: 5_000 }, () => Math.floor(random() * 40) - 20),
      Array.from(
        { length: 5_000 },
        () => [0, -0, 0.5, -0.5, 1e300, -1e-300, 2 ** 40, 3.25][Math.floor(random() * 8)]!,
      ),
      Array.from({ length: 5_000 }, () => Math.round(random() * 900) / 10),
    ];
    for (const values of pools) {
      for (const limit of [3, 40, 1024]) expect(counted(values, limit)).toEqual(reference(values, limit));
    }
    expect(Object.is(counted([-0, 0], 10)![0]![0], 0)).toBe(true);
  });

  it('counts a run of equal values at once as one by one, overflowing at the same value', () => {
    const sorted = [-3, -3, -0, 0, 0, 1.5, 2, 2, 2, 7, 7, 9];
    for (const limit of [2, 4, 6, 1024]) {
      const counts = new ValueCounts(limit);
      let ok = true;
      for (let start = 0, i = 0; i < sorted.length && ok; i++) {
        if (i + 1 === sorted.length || sorted[i + 1] !== sorted[i]) {
          ok = counts.addRun(sorted[i]!, i + 1 - start);
          start = i + 1;
        }
      }
      expect(ok ? counts.toJSON().counts : undefined).toEqual(reference(sorted, limit));
    }
  });

  it('merges within the limit, refuses past it, and round-trips through JSON', () => {
    const a = new ValueCounts(5);
    for (const x of [1, 2, 2, 3]) a.add(x);
    const b = ValueCounts.fromJSON({
      limit: 5,
      counts: [
        [2, 4],
        [9, 1],
      ],
    });
    expect(a.merge(b)).toBe(true);
    expect(a.toJSON()).toEqual({
      limit: 5,
      counts: [
        [1, 1],
        [2, 6],
        [3, 1],
        [9, 1],
      ],
    });
    expect(
      a.merge(
        ValueCounts.fromJSON({
          limit: 5,
          counts: [
            [10, 1],
            [11, 1],
          ],
        }),
      ),
    ).toBe(false);
    expect(ValueCounts.fromJSON(a.toJSON()).toJSON()).toEqual(a.toJSON());
    expect(
      ValueCounts.fromJSON({
        limit: 5,
        counts: [
          [4, 1],
          [4, 3],
        ],
      }).toJSON().counts,
    ).toEqual([[4, 3]]);
    expect([
      ...ValueCounts.fromJSON({
        limit: 5,
        counts: [
          [2, 1],
          [1.5, 2],
        ],
      }).toStringMap(),
    ]).toEqual([
      ['1.5', 2],
      ['2', 1],
    ]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrequentItems } from './frequent-items.ts';
import { hashStringFirst } from './hash.ts';

function trueCounts(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** Misra-Gries guarantee: lower <= true <= lower + maxError, maxError <= n / (k + 1), heavy items kept. */
function checkGuarantee(f: FrequentItems, items: string[]): void {
  const truth = trueCounts(items);
  expect(f.maxError).toBeLessThanOrEqual(items.length / (f.capacity + 1));
  for (const [item, count] of truth) {
    const lower = f.lowerBound(item);
    expect(lower).toBeLessThanOrEqual(count);
    expect(count).toBeLessThanOrEqual(lower + f.maxError);
    if (count > f.maxError) expect(lower).toBeGreaterThan(0);
  }
}

const stream = fc.array(
  fc.integer({ min: 0, max: 60 }).map((i) => `v${Math.floor((i * i) / 40)}`),
  { maxLength: 2000 },
);

/**
 * The summary as first written, the reference for the counter table: Misra-Gries by a Map, reduced by the
 * (capacity + 1)-th largest count.
 */
function mapSummary(capacity: number, items: [string, number][]) {
  let counts = new Map<string, number>();
  let error = 0;
  const reduce = () => {
    if (counts.size <= capacity) return;
    const cut = [...counts.values()].sort((a, b) => b - a)[capacity]!;
    error += cut;
    counts = new Map([...counts].filter(([, c]) => c > cut).map(([k, c]) => [k, c - cut]));
  };
  for (const [item, weight] of items) {
    counts.set(item, (counts.get(item) ?? 0) + weight);
    if (counts.size > 2 * capacity) reduce();
  }
  reduce();
  return { error, counts };
}

describe('FrequentItems (Misra-Gries, mergeable)', () => {
  it('is exact while the distinct items fit', () => {
    const f = new FrequentItems(10);
    for (const x of ['a', 'b', 'a', 'c', 'a', 'b']) f.add(x);
    expect(f.exact).toBe(true);
    expect(f.top(2)).toEqual([
      { item: 'a', lower: 3, upper: 3 },
      { item: 'b', lower: 2, upper: 2 },
    ]);
  });

  it('keeps the error bound on skewed streams (property)', () => {
    fc.assert(
      fc.property(stream, (items) => {
        const f = new FrequentItems(8);
        for (const x of items) f.add(x);
        checkGuarantee(f, items);
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('keeps the bound after merging in any grouping (property)', () => {
    fc.assert(
      fc.property(stream, stream, stream, (a, b, c) => {
        const build = (items: string[]) => {
          const f = new FrequentItems(8);
          for (const x of items) f.add(x);
          return f;
        };
        const copy = (f: FrequentItems) => FrequentItems.fromJSON(f.toJSON());
        const [fa, fb, fc2] = [build(a), build(b), build(c)];
        const left = copy(fa).merge(copy(fb)).merge(copy(fc2));
        const right = copy(fa).merge(copy(fb).merge(copy(fc2)));
        const all = [...a, ...b, ...c];
        checkGuarantee(left, all);
        checkGuarantee(right, all);
        expect(left.n).toBe(all.length);
      }),
      { numRuns: 100, seed: 4 },
    );
  });
});

describe('FrequentItems.addWithHash', () => {
  it('gives the summary of add, weights and reductions included (property)', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 40 }), (items, capacity) => {
        const plain = new FrequentItems(capacity);
        const hashed = new FrequentItems(capacity);
        items.forEach((item, i) => {
          plain.add(item, 1 + (i % 3));
          hashed.addWithHash(item, hashStringFirst(item), 1 + (i % 3));
        });
        expect(hashed.toJSON()).toEqual(plain.toJSON());
      }),
      { numRuns: 60, seed: 23 },
    );
  });
});

describe('FrequentItems reduction by selection', () => {
  /** The reduction as it was written first (sort every count, delete in place): the reference. */
  function referenceSummary(items: string[], capacity: number) {
    const counts = new Map<string, number>();
    let error = 0;
    const reduce = () => {
      if (counts.size <= capacity) return;
      const cut = [...counts.values()].sort((a, b) => b - a)[capacity]!;
      error += cut;
      for (const [item, count] of counts) {
        if (count - cut > 0) counts.set(item, count - cut);
        else counts.delete(item);
      }
    };
    for (const item of items) {
      counts.set(item, (counts.get(item) ?? 0) + 1);
      if (counts.size > 2 * capacity) reduce();
    }
    reduce();
    const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { error, items: sorted };
  }

  it('keeps the same counters and the same error as sorting', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 600 }),
        fc.integer({ min: 1, max: 12 }),
        (codes, capacity) => {
          // Skewed streams: small codes repeat, large ones are nearly unique.
          const items = codes.map((c) => `v${c < 20 ? c % 5 : c * 7}`);
          const f = new FrequentItems(capacity);
          for (const item of items) f.add(item);
          f.top();
          const json = f.toJSON();
          const reference = referenceSummary(items, capacity);
          expect(json.max_error).toBe(reference.error);
          expect(json.items).toEqual(reference.items);
        },
      ),
    );
  });

  it('keeps the counters of the plain Map-based summary, reduction for reduction (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(
          fc.tuple(
            fc.oneof(fc.string({ maxLength: 3 }), fc.nat(500).map(String)),
            fc.integer({ min: 1, max: 4 }),
          ),
          {
            maxLength: 600,
          },
        ),
        (capacity, items) => {
          const summary = new FrequentItems(capacity);
          for (const [item, weight] of items) summary.add(item, weight);
          const expected = mapSummary(capacity, items);
          const json = summary.toJSON();
          expect(json.max_error).toBe(expected.error);
          expect(new Map(json.items)).toEqual(expected.counts);
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });

  it('reduces counters that all share one count (distinct ids) as selection does (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom(0.5, 1, 2, 3),
        // Mostly distinct ids; now and then an id seen before, or another weight.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.nat(30)), { maxLength: 40 }),
        (capacity, length, weight, changes) => {
          const items: [string, number][] = Array.from({ length }, (_, i) => [`id${i}`, weight]);
          for (const [at, what] of changes) {
            const i = (at * 37) % Math.max(length, 1);
            if (i >= items.length) continue;
            if (what < 10) items[i] = [`id${Math.max(0, i - what - 1)}`, weight];
            else if (what < 12) items[i] = [items[i]![0], weight + 1];
          }
          const summary = new FrequentItems(capacity);
          for (const [item, w] of items) summary.add(item, w);
          const expected = mapSummary(capacity, items);
          const json = summary.toJSON();
          expect(json.max_error).toBe(expected.error);
          expect(new Map(json.items)).toEqual(expected.counts);
          // Merged into a summary of other counts: the shared count is no longer shared.
          const merged = new FrequentItems(capacity).merge(FrequentItems.fromJSON(json));
          for (const [item, w] of items.slice(0, 5)) merged.add(item, w);
          const again = mapSummary(capacity, [...json.items, ...items.slice(0, 5)]);
          expect(new Map(merged.toJSON().items)).toEqual(again.counts);
        },
      ),
      { numRuns: 300, seed: 29 },
    );
  });
});

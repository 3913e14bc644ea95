import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactValues } from './exact-values.ts';

describe('ExactValues', () => {
  it('keeps values given one at a time and in blocks, sorted; gives up past the limit (property)', () => {
    const step = fc.oneof(
      fc.double({ noNaN: true }),
      fc.array(fc.double({ noNaN: true }), { maxLength: 1500 }).map((values) => Float64Array.from(values)),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), fc.integer({ min: 0, max: 6000 }), (steps, limit) => {
        const store = new ExactValues(limit);
        const all: number[] = [];
        let overflow = false;
        for (const s of steps) {
          if (typeof s === 'number') {
            store.add(s);
            all.push(s);
          } else {
            store.addAll(s);
            all.push(...s);
          }
          // The limit is on the values offered so far: once past it, never back.
          overflow ||= all.length > limit;
          expect(store.overflow).toBe(overflow);
        }
        if (!overflow) {
          expect(store.count).toBe(all.length);
          expect(store.sorted()).toEqual(Float64Array.from(all).sort());
        }
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('copies a block: the caller may reuse it', () => {
    const store = new ExactValues(10);
    const block = Float64Array.of(3, 1, 2);
    store.addAll(block);
    block.fill(0);
    expect([...store.sorted()]).toEqual([1, 2, 3]);
  });
});

import { describe, expect, it } from 'vitest';
import { DatasetProfileBuilder } from './dataset-builder.ts';
import { ExactNumbers } from './exact-numbers.ts';
import type { Batch } from './types.ts';

function shuffled(n: number): Float64Array {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = ((i * 7919) % n) - n / 2 + 0.5;
  return values;
}

describe('ExactNumbers', () => {
  it('grows straight to the expected count, with the same values in the same order', () => {
    const values = shuffled(50_000);
    const expected = new ExactNumbers();
    expected.expect(50_000);
    const doubling = new ExactNumbers();
    for (let at = 0; at < values.length; at += 8192) {
      expected.pushAll(values.subarray(at, at + 8192));
      doubling.pushAll(values.subarray(at, at + 8192));
    }
    expect(expected.view()).toEqual(values);
    expect(doubling.view()).toEqual(values);
    expect(expected.sortedView()).toEqual(doubling.sortedView());
  });

  it('sorts several columns in turn (one radix scratch) as each alone', () => {
    const columns = [shuffled(20_000), shuffled(9000).map((x) => -x * 3), shuffled(30_000)];
    for (const values of columns) {
      const exact = new ExactNumbers();
      exact.pushAll(values);
      expect(exact.sortedView()).toEqual(Float64Array.from(values).sort());
    }
  });
});

describe('DatasetProfileBuilder.expectRows', () => {
  const batch = (values: Float64Array): Batch => ({
    columns: ['x', 'y'],
    rowCount: values.length,
    data: { x: values, y: values.map((x) => (x > 0 ? Number.NaN : x)) },
    types: { x: 'number', y: 'number' },
  });

  it.each([1000, 60_000])('changes nothing in the profile (exact limit %i)', (exactLimit) => {
    const values = shuffled(40_000);
    const profile = (announce: boolean) => {
      const builder = new DatasetProfileBuilder({ exactLimit });
      if (announce) builder.expectRows(values.length);
      for (let at = 0; at < values.length; at += 8192) builder.add(batch(values.subarray(at, at + 8192)));
      return JSON.stringify(builder.finish());
    };
    expect(profile(true)).toBe(profile(false));
  });
});

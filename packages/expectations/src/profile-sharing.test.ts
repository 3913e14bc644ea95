import type { Cell, Table } from '@mlops/data';
import { DatasetProfileBuilder } from '@mlops/profile';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExpectations } from './load.ts';
import { ExpectationRunner } from './runner.ts';

const SUITE = `
columns:
  x:
    type: number
    not_null: { mostly: 0.5 }
    min: -5
    max: 5
    mean: { min: -1, max: 1 }
    stdev: { min: 0, max: 10 }
    sum: { min: -1000, max: 1000 }
    min_value: { min: -100 }
    max_value: { max: 100 }
    median: { min: -1, max: 1 }
    quantiles: [{ quantile: 0.9, max: 3 }]
  y:
    mean: { min: 0, max: 1 }
    median: { min: 0, max: 1 }
    quantiles: [{ quantile: 0.25, min: 0 }]
`;

/** A batch's x: float64 with NaN for missing (as the readers give it), or cells. */
type BatchSpec = { values: number[]; asCells: boolean };

function table(batch: BatchSpec): Table {
  const x: Float64Array | Cell[] = batch.asCells
    ? batch.values.map((v) => (Number.isNaN(v) ? null : v))
    : Float64Array.from(batch.values);
  const y = Float64Array.from(batch.values, (v, i) => (i % 3 === 0 ? Number.NaN : v * 0.5));
  return {
    columns: ['x', 'y'],
    rowCount: batch.values.length,
    data: { x, y },
    types: { x: 'number', y: 'number' },
  };
}

/** The runner's results alone, and beside a profile of the same batches (validate-data's order). */
function results(batches: BatchSpec[], exactLimit: number) {
  const suite = parseExpectations(SUITE, 'e.yml');
  const alone = new ExpectationRunner(suite, { exactLimit });
  const builder = new DatasetProfileBuilder({ exactLimit });
  const sharing = new ExpectationRunner(suite, { exactLimit, profile: builder });
  for (const batch of batches) {
    alone.add(table(batch));
    const t = table(batch);
    sharing.add(t);
    builder.add(t);
  }
  const profile = builder.finish();
  const lookup = (column: string) => {
    const entry = profile.columns[column]!;
    return { approximate: !entry.exact, quantile: (q: number) => entry.quantiles?.quantile(q) };
  };
  return { alone: alone.finish(lookup), sharing: sharing.finish(lookup) };
}

const value = fc.oneof(
  { weight: 20, arbitrary: fc.double({ min: -8, max: 8, noNaN: true }) },
  { weight: 2, arbitrary: fc.constant(Number.NaN) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e300, -1e-300) },
  { weight: 1, arbitrary: fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
);

describe('ExpectationRunner reading moments and exact values from the profile', () => {
  it('gives the results of its own accumulators, bit for bit (infinities, cells, limits crossed: property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            values: fc.array(value, { minLength: 0, maxLength: 40 }),
            asCells: fc.boolean(),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        fc.constantFrom(5, 60, 200_000),
        (batches, exactLimit) => {
          const { alone, sharing } = results(batches, exactLimit);
          expect(JSON.stringify(sharing, (_k, v) => (Object.is(v, -0) ? '-0' : v))).toBe(
            JSON.stringify(alone, (_k, v) => (Object.is(v, -0) ? '-0' : v)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('shares nothing with a profile that keeps another number of exact values', () => {
    const suite = parseExpectations(SUITE, 'e.yml');
    const builder = new DatasetProfileBuilder({ exactLimit: 3 });
    const runner = new ExpectationRunner(suite, { exactLimit: 10, profile: builder });
    const t = table({ values: [1, 2, 3, 4, 5], asCells: false });
    runner.add(t);
    builder.add(t);
    builder.finish();
    const median = runner.finish().find((r) => r.column === 'x' && r.check === 'median');
    expect(median).toMatchObject({ observed: 3, passed: false });
    expect(median?.approximate).toBeFalsy();
  });
});

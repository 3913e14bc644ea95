import { describe, expect, it } from 'vitest';
import { StatsError } from '../errors.ts';
import { argsortAscending } from '../metrics/argsort.ts';
import { createRandom } from '../random.ts';
import { delongTest } from './delong.ts';
import { delongTestByGroup } from './delong-groups.ts';

/** delongTest on the rows of group g alone (in row order), or the StatsError it throws. */
function alone(
  labels: number[],
  a: number[],
  b: number[],
  groupOf: Int32Array,
  g: number,
  margin?: number,
): ReturnType<typeof delongTest> | StatsError {
  const rows = labels.map((_, i) => i).filter((i) => groupOf[i] === g);
  try {
    return delongTest(
      rows.map((i) => labels[i]!),
      rows.map((i) => a[i]!),
      rows.map((i) => b[i]!),
      margin === undefined ? {} : { margin },
    );
  } catch (error) {
    if (error instanceof StatsError) return error;
    throw error;
  }
}

describe('delongTestByGroup', () => {
  const random = createRandom(44);
  const total = 4000;
  const labels = Array.from({ length: total }, () => (random.nextDouble() < 0.35 ? 1 : 0));
  // Model A on a coarse grid (ties within and across groups), model B continuous.
  const a = labels.map((y) => Math.round((0.3 * y + 0.7 * random.nextDouble()) * 60) / 60);
  const b = labels.map((y) => 0.2 * y + 0.8 * random.nextDouble());
  // Groups of very different sizes, rows in no group (-1), a group of negatives only, one with a single
  // positive.
  const firstPositive = labels.indexOf(1);
  const groupOf = Int32Array.from(labels, (y, i) => {
    if (i === firstPositive || (i % 61 === 5 && y === 0)) return 4;
    if (i % 97 === 0) return -1;
    if (i % 50 === 1) return y === 0 ? 3 : -1;
    return random.nextInt(3);
  });

  it("equals delongTest on each group's rows alone, bit for bit, or its error", () => {
    for (const margin of [undefined, 0.02]) {
      const grouped = delongTestByGroup(labels, a, b, groupOf, 5, margin === undefined ? {} : { margin });
      for (let g = 0; g < 5; g++) {
        const expected = alone(labels, a, b, groupOf, g, margin);
        if (expected instanceof StatsError) {
          expect(grouped[g]).toBeInstanceOf(StatsError);
          expect((grouped[g] as StatsError).message).toBe(expected.message);
        } else expect(grouped[g]).toEqual(expected);
      }
    }
    const results = delongTestByGroup(labels, a, b, groupOf, 5);
    expect(results.slice(0, 3).every((r) => !(r instanceof Error))).toBe(true);
    expect((results[3] as StatsError).message).toMatch(/only one class/);
    expect((results[4] as StatsError).message).toMatch(/at least 2 positives/);
  });
  it('takes both orders over all rows and checks them', () => {
    const orders = { a: argsortAscending(a), b: argsortAscending(b) };
    expect(delongTestByGroup(labels, a, b, groupOf, 5, { orders })).toEqual(
      delongTestByGroup(labels, a, b, groupOf, 5),
    );
    const repeated = orders.b.slice();
    repeated[3] = repeated[4]!;
    expect(() => delongTestByGroup(labels, a, b, groupOf, 5, { orders: { ...orders, b: repeated } })).toThrow(
      /twice or out of range/,
    );
    expect(() =>
      delongTestByGroup(labels, a, b, groupOf, 5, { orders: { ...orders, a: orders.a.slice().reverse() } }),
    ).toThrow(/not an ascending sort order/);
    expect(() => delongTestByGroup(labels, a, b, groupOf, 4)).toThrow(/groupOf\[\d+\] is 4/);
  });
  it('doc-comment example', () => {
    const r = delongTestByGroup(
      [0, 1, 0, 1, 0, 0, 1, 1],
      [0.1, 0.8, 0.3, 0.7, 0.2, 0.6, 0.4, 0.9],
      [0.2, 0.6, 0.1, 0.9, 0.3, 0.5, 0.7, 0.8],
      Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]),
      2,
    );
    expect(r.map((x) => (x instanceof Error ? x.message : x.aucA))).toEqual([1, 0.75]);
  });
});

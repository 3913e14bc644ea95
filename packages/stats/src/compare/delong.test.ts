import { describe, expect, it } from 'vitest';
import { StatsError } from '../errors.ts';
import { argsortAscending } from '../metrics/argsort.ts';
import { expectClose, loadFixture, num } from '../metrics/fixture-testing.ts';
import { createRandom } from '../random.ts';
import { aucConfidence, delongTest } from './delong.ts';

interface Case {
  name: string;
  y_true: number[];
  scores_a: number[];
  scores_b: number[];
}
interface Expected {
  name: string;
  auc_a: number;
  auc_b: number;
  z: number;
  p_value: number;
  p_value_greater: number;
  p_value_less: number;
  ci_95: [number, number];
  ci_90: [number, number];
  variance: number;
  var_a: number;
  ci_auc_a: [number, number];
  var_b: number;
  margin: number;
  non_inferiority_z: number | null;
  non_inferiority_p: number;
}

// pROC 1.18 roc.test(paired = TRUE, method = "delong"); jsonlite writes 15 significant digits, so the
// comparison is at 1e-9 relative with a 1e-14 absolute floor (exact zeros: identical models, perfect AUCs).
describe("DeLong's paired test against pROC (delong-cases.json -> delong.json)", () => {
  const { cases } = loadFixture<{ cases: Case[] }>('delong-cases.json');
  const expected = new Map(loadFixture<{ cases: Expected[] }>('delong.json').cases.map((c) => [c.name, c]));
  for (const c of cases) {
    it(c.name, () => {
      const e = expected.get(c.name)!;
      const r = delongTest(c.y_true, c.scores_a, c.scores_b, { margin: e.margin });
      const close = (a: number, b: number, label: string) => expectClose(a, b, label, 1e-9, 1e-14);
      close(r.aucA, e.auc_a, 'auc a');
      close(r.aucB, e.auc_b, 'auc b');
      close(r.variance, e.variance, 'variance');
      close(r.z, e.z, 'z');
      close(r.pValue, e.p_value, 'p');
      close(r.pValueGreater, e.p_value_greater, 'p greater');
      close(r.pValueLess, e.p_value_less, 'p less');
      close(r.ci[0], e.ci_95[0], 'ci lo');
      close(r.ci[1], e.ci_95[1], 'ci hi');
      const ninety = delongTest(c.y_true, c.scores_a, c.scores_b, { confidence: 0.9 });
      close(ninety.ci[0], e.ci_90[0], 'ci90 lo');
      close(ninety.ci[1], e.ci_90[1], 'ci90 hi');
      // R's Inf is written as null by jsonlite here (sigma = 0 with d + margin > 0).
      const zm = e.non_inferiority_z === null ? Number.POSITIVE_INFINITY : num(e.non_inferiority_z);
      close(r.nonInferiority!.z, zm, 'margin z');
      close(r.nonInferiority!.pValue, e.non_inferiority_p, 'margin p');
      const single = aucConfidence(c.y_true, c.scores_a);
      close(single.variance, e.var_a, 'var a');
      close(single.ci[0], e.ci_auc_a[0], 'ci.auc lo');
      close(single.ci[1], e.ci_auc_a[1], 'ci.auc hi');
      close(aucConfidence(c.y_true, c.scores_b).variance, e.var_b, 'var b');
    });
  }

  it('follows pROC when both AUCs are equal and the variance is 0: z = 0, p = 1', () => {
    const y = [0, 0, 1, 1];
    const r = delongTest(y, [0.1, 0.2, 0.8, 0.9], [0.3, 0.1, 0.7, 0.95]);
    expect(r.z).toBe(0);
    expect(r.pValue).toBe(1);
  });

  it('answers invalid input with a StatsError', () => {
    expect(() => delongTest([0, 1, 1], [0.1, 0.2, 0.3], [0.1, 0.2])).toThrow(/length mismatch/);
    expect(() => delongTest([1, 1, 1], [0.1, 0.2, 0.3], [0.1, 0.2, 0.3])).toThrow(/only one class/);
    expect(() => delongTest([0, 1, 1], [0.1, 0.2, 0.3], [0.1, 0.2, 0.3])).toThrow(
      /at least 2 positives and 2 negatives/,
    );
    expect(() => delongTest([0, 0, 1, 1], [0.1, Number.NaN, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4])).toThrow(
      StatsError,
    );
  });

  it('is antisymmetric in the models', () => {
    const random = createRandom(3);
    const n = 500;
    const y = Array.from({ length: n }, () => (random.nextDouble() < 0.4 ? 1 : 0));
    const a = y.map((v) => v + random.nextDouble() * 2);
    const b = y.map((v) => v + random.nextDouble() * 3);
    const ab = delongTest(y, a, b);
    const ba = delongTest(y, b, a);
    expectClose(ba.difference, -ab.difference, 'd');
    expectClose(ba.variance, ab.variance, 'var');
    expectClose(ba.pValue, ab.pValue, 'p');
    expectClose(ba.pValueGreater, ab.pValueLess, 'one-sided');
  });

  it('handles a million rows (correctness at scale; speed is in bench/)', () => {
    const random = createRandom(11);
    const n = 1_000_000;
    const y = new Uint8Array(n);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = random.nextDouble() < 0.3 ? 1 : 0;
      a[i] = y[i]! * 0.8 + random.nextDouble();
      b[i] = Math.round((y[i]! * 0.7 + random.nextDouble()) * 100) / 100;
    }
    const r = delongTest(y, a, b);
    expect(r.nPositive + r.nNegative).toBe(n);
    expect(r.standardError).toBeGreaterThan(0);
    expect(r.standardError).toBeLessThan(0.002);
  });
});

describe('delongTest with given sort orders', () => {
  const random = createRandom(8);
  const labels = Array.from({ length: 1500 }, () => (random.nextDouble() < 0.4 ? 1 : 0));
  const a = labels.map((y) => Math.round((y * 0.5 + random.nextDouble()) * 50) / 50);
  const b = labels.map((y) => y * 0.2 + random.nextDouble());
  it('gives exactly the result of sorting itself', () => {
    const orders = { a: argsortAscending(a), b: argsortAscending(b) };
    expect(delongTest(labels, a, b, { margin: 0.01, orders })).toEqual(
      delongTest(labels, a, b, { margin: 0.01 }),
    );
  });
  it('refuses an order that does not sort the scores or repeats a row', () => {
    const orders = { a: argsortAscending(a), b: argsortAscending(b) };
    const swapped = orders.b.slice();
    [swapped[0], swapped[1000]] = [swapped[1000]!, swapped[0]!];
    expect(() => delongTest(labels, a, b, { orders: { ...orders, b: swapped } })).toThrow(/orders.b is not/);
    const repeated = orders.a.slice();
    repeated[1] = repeated[0]!;
    expect(() => delongTest(labels, a, b, { orders: { ...orders, a: repeated } })).toThrow(
      new RegExp(`orders.a lists row ${orders.a[0]} twice`),
    );
    expect(() => delongTest(labels, a, b, { orders: { ...orders, a: orders.a.subarray(2) } })).toThrow(
      /expected 1500/,
    );
  });
});

// Ranking metrics at k against scikit-learn (ndcg_score, top_k_accuracy_score) and the definitions, on the
// real models of test/fixtures/evaluate-gate (generate_model_checks.py writes the expected values).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectClose, readCsvColumns } from './fixture-testing.ts';
import { liftAtK, ndcgAtK, precisionAtK, recallAtK, topKAccuracy } from './ranking-at-k.ts';
import { getMetric, type ProbaMetricFn, type ScoreMetricFn } from './registry.ts';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/evaluate-gate/', import.meta.url));
const expected = JSON.parse(readFileSync(`${FIXTURES}model-checks.expected.json`, 'utf8'));

const round1 = (values: number[]) => values.map((value) => Math.round(value * 10) / 10);
const sets = {
  'breast-cancer': readCsvColumns(`${FIXTURES}breast-cancer.csv`),
  pima: readCsvColumns(fileURLToPath(new URL('../../../../examples/data/predictions.csv', import.meta.url))),
};

describe('precision / recall / lift / ndcg at k (scikit-learn ndcg_score, definitions; 1e-9)', () => {
  for (const [name, columns] of Object.entries(sets)) {
    const labels = columns.label!.map(Number);
    for (const model of ['challenger', 'champion']) {
      const raw = columns[model]!.map(Number);
      // np.round(s, 1) and Math.round(s * 10) / 10 agree on these scores (no exact .x5 halves).
      for (const [variant, scores] of [
        [model, raw],
        [`${model}_rounded`, round1(raw)],
      ] as const) {
        it(`${name} ${variant}`, () => {
          for (const [k, values] of Object.entries(expected.ranking[name][variant]) as [
            string,
            Record<string, number>,
          ][]) {
            const at = Number(k);
            expectClose(precisionAtK(labels, scores, at), values.precision!, `precision@${k}`);
            expectClose(recallAtK(labels, scores, at), values.recall!, `recall@${k}`);
            expectClose(liftAtK(labels, scores, at), values.lift!, `lift@${k}`);
            expectClose(ndcgAtK(labels, scores, at), values.ndcg!, `ndcg@${k}`);
            // And by name through the registry, as the gate computes them.
            expectClose(
              (getMetric(`ndcg_at_${k}`).compute as ScoreMetricFn)(labels, scores),
              values.ndcg!,
              `ndcg_at_${k}`,
            );
          }
        });
      }
    }
  }

  it('ties at the cut-off count with weight (slots left) / (tied rows)', () => {
    // Three rows tied at 0.5 for the last two slots of k = 3: one of them positive -> 1 + 2/3 positives.
    const labels = [1, 1, 0, 0, 0];
    const scores = [0.9, 0.5, 0.5, 0.5, 0.1];
    expect(precisionAtK(labels, scores, 3)).toBeCloseTo((1 + 2 / 3) / 3, 15);
    expect(recallAtK(labels, scores, 3)).toBeCloseTo((1 + 2 / 3) / 2, 15);
    // A constant ranker gets the base rate at every k.
    expect(precisionAtK(labels, [0, 0, 0, 0, 0], 2)).toBeCloseTo(0.4, 15);
    expect(liftAtK(labels, [0, 0, 0, 0, 0], 2)).toBeCloseTo(1, 15);
  });

  it('sample weights count as copies of a row (what the bootstrap passes)', () => {
    const labels = expected.top_k_accuracy_rounded_inputs.labels.map((label: number) =>
      label === 2 ? 1 : 0,
    );
    const scores = expected.top_k_accuracy_rounded_inputs.challenger[2] as number[];
    const weights = labels.map((_: number, index: number) => index % 3);
    const copies = { labels: [] as number[], scores: [] as number[] };
    labels.forEach((label: number, index: number) => {
      for (let c = 0; c < weights[index]; c++) {
        copies.labels.push(label);
        copies.scores.push(scores[index]!);
      }
    });
    for (const k of [1, 7, 40, 100]) {
      for (const fn of [precisionAtK, recallAtK, liftAtK, ndcgAtK]) {
        expectClose(fn(labels, scores, k, weights), fn(copies.labels, copies.scores, k), `${fn.name}@${k}`);
      }
    }
  });

  it("takes the scores' ascending order from the caller, and refuses one that does not sort them", () => {
    const labels = [1, 0, 1, 0, 0, 1];
    const scores = [0.3, 0.9, 0.3, 0.1, 0.5, 0.7];
    const order = Int32Array.from([3, 0, 2, 4, 5, 1]);
    for (const k of [1, 2, 3, 6])
      expect(ndcgAtK(labels, scores, k, undefined, order)).toBe(ndcgAtK(labels, scores, k));
    expect(() => precisionAtK(labels, scores, 2, undefined, Int32Array.from([0, 3, 2, 4, 5, 1]))).toThrow(
      /order does not sort the scores ascending/,
    );
    expect(() => precisionAtK(labels, scores, 2, undefined, Int32Array.from([3, 3, 2, 4, 5, 1]))).toThrow(
      /not a permutation/,
    );
  });

  it('refuses a k it cannot take', () => {
    expect(() => precisionAtK([1, 0], [0.2, 0.1], 3)).toThrow(/k is 3, more than the 2 rows ranked/);
    expect(() => ndcgAtK([1, 0], [0.2, 0.1], 0)).toThrow(/expected a whole number >= 1/);
    expect(recallAtK([0, 0], [0.2, 0.1], 1)).toBeNaN();
    expect(ndcgAtK([0, 0], [0.2, 0.1], 1)).toBe(0);
  });
});

describe('top-k accuracy (scikit-learn top_k_accuracy_score; 1e-9)', () => {
  const iris = readCsvColumns(`${FIXTURES}iris.csv`);
  const classes = ['setosa', 'versicolor', 'virginica'];
  const labels = iris.species!.map((name) => classes.indexOf(name));
  for (const model of ['challenger', 'champion']) {
    const proba = classes.map((name) => iris[`${model}_${name}`]!.map(Number));
    for (const [variant, columns] of [
      [model, proba],
      [`${model}_rounded`, proba.map(round1)],
    ] as const) {
      it(`iris ${variant}`, () => {
        for (const [k, value] of Object.entries(expected.top_k_accuracy.iris[variant]) as [
          string,
          number,
        ][]) {
          expectClose(topKAccuracy(labels, columns, Number(k)), value, `top_${k}_accuracy`);
          expectClose(
            (getMetric(`top_${k}_accuracy`, 'multiclass').compute as ProbaMetricFn)(labels, columns),
            value,
            `top_${k}_accuracy by name`,
          );
        }
      });
    }
  }
});

// The shortcuts a caller can take when it computes several metrics of one model: a sort order it has
// already, one confusion matrix for the four thresholded metrics. Each must give exactly the plain call's
// number (the plain calls are checked against scikit-learn in metrics.test.ts).
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { argsortAscending } from './argsort.ts';
import { averagePrecisionScore } from './average-precision.ts';
import {
  accuracyScore,
  confusionMatrix,
  f1Score,
  precisionScore,
  recallScore,
  thresholdScores,
} from './confusion-matrix.ts';

const random = createRandom(12);
const labels = Array.from({ length: 3000 }, () => (random.nextDouble() < 0.25 ? 1 : 0));
const scores = labels.map((y) => Math.round((y * 0.3 + random.nextDouble() * 0.7) * 200) / 200);
const weights = labels.map(() => 0.5 + random.nextDouble());

describe('averagePrecisionScore with a given order', () => {
  it('equals the sorting call, with and without weights', () => {
    const order = argsortAscending(scores);
    expect(averagePrecisionScore(labels, scores, { order })).toBe(averagePrecisionScore(labels, scores));
    expect(averagePrecisionScore(labels, scores, { order, sampleWeight: weights })).toBe(
      averagePrecisionScore(labels, scores, { sampleWeight: weights }),
    );
  });
  it('refuses an order that does not sort the scores', () => {
    const order = argsortAscending(scores).reverse();
    expect(() => averagePrecisionScore(labels, scores, { order })).toThrow(/not an ascending sort order/);
    expect(() => averagePrecisionScore(labels, scores, { order: order.subarray(1) })).toThrow(
      /expected 3000/,
    );
  });
});

describe('thresholdScores', () => {
  it('equals accuracy, precision, recall and f1 computed one by one', () => {
    for (const threshold of [0.2, 0.5, 0.9, 2]) {
      for (const sampleWeight of [undefined, weights]) {
        const options = { threshold, ...(sampleWeight ? { sampleWeight } : {}) };
        const all = thresholdScores(confusionMatrix(labels, scores, options));
        expect(all).toEqual({
          accuracy: accuracyScore(labels, scores, options),
          precision: precisionScore(labels, scores, options),
          recall: recallScore(labels, scores, options),
          f1: f1Score(labels, scores, options),
        });
      }
    }
  });
});

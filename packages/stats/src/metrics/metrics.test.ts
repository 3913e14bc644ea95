import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatsError } from '../errors.ts';
import { argsortAscending } from './argsort.ts';
import { averagePrecisionScore } from './average-precision.ts';
import { brierScore, expectedCalibrationError, logLoss } from './calibration.ts';
import { accuracyScore, confusionMatrix, f1Score, precisionScore, recallScore } from './confusion-matrix.ts';
import { expectClose, loadFixture } from './fixture-testing.ts';
import { multiclassAccuracy, multiclassLogLoss, rocAucOvr } from './multiclass.ts';
import { computeMetric, getMetric, METRICS, metricNames } from './registry.ts';
import {
  meanAbsoluteError,
  meanAbsolutePercentageError,
  r2Score,
  rootMeanSquaredError,
} from './regression.ts';
import { aucPlacements, rocAucScore } from './roc-auc.ts';

interface BinaryCase {
  name: string;
  y_true: number[];
  y_score: number[];
  sample_weight: number[] | null;
  threshold: number;
  expected: Record<string, number | null> & { confusion: { tn: number; fp: number; fn: number; tp: number } };
}

describe('binary metrics against scikit-learn 1.2.1 (binary.json)', () => {
  const { cases } = loadFixture<{ cases: BinaryCase[] }>('binary.json');
  it('has a broad fixture set', () => expect(cases.length).toBeGreaterThanOrEqual(40));
  for (const c of cases) {
    it(c.name, () => {
      const sampleWeight = c.sample_weight ?? undefined;
      const options = { sampleWeight, threshold: c.threshold };
      const e = c.expected;
      if (e.roc_auc === null) expect(() => rocAucScore(c.y_true, c.y_score, options)).toThrow(StatsError);
      else expectClose(rocAucScore(c.y_true, c.y_score, options), e.roc_auc!, 'roc_auc');
      if (e.average_precision !== null)
        expectClose(averagePrecisionScore(c.y_true, c.y_score, options), e.average_precision!, 'ap');
      expectClose(accuracyScore(c.y_true, c.y_score, options), e.accuracy!, 'accuracy');
      expectClose(precisionScore(c.y_true, c.y_score, options), e.precision!, 'precision');
      expectClose(recallScore(c.y_true, c.y_score, options), e.recall!, 'recall');
      expectClose(f1Score(c.y_true, c.y_score, options), e.f1!, 'f1');
      expectClose(logLoss(c.y_true, c.y_score, options), e.log_loss!, 'log_loss');
      expectClose(brierScore(c.y_true, c.y_score, options), e.brier!, 'brier');
      expectClose(expectedCalibrationError(c.y_true, c.y_score, options), e.ece!, 'ece');
      expectClose(
        expectedCalibrationError(c.y_true, c.y_score, { ...options, nBins: 15 }),
        e.ece_15!,
        'ece 15',
      );
      const cm = confusionMatrix(c.y_true, c.y_score, options);
      expect({ tn: cm.tn, fp: cm.fp, fn: cm.fn, tp: cm.tp }).toEqual(e.confusion);
      if (e.roc_auc !== null)
        expectClose(computeMetric('roc_auc', c.y_true, c.y_score, options), e.roc_auc!, 'registry');
    });
  }
});

interface MulticlassCase {
  name: string;
  y_true: number[];
  proba_columns: number[][];
  sample_weight: number[] | null;
  expected: Record<string, number>;
}

describe('multiclass metrics against scikit-learn (multiclass.json)', () => {
  const { cases } = loadFixture<{ cases: MulticlassCase[] }>('multiclass.json');
  for (const c of cases) {
    it(c.name, () => {
      const sampleWeight = c.sample_weight ?? undefined;
      for (const [name, expected] of Object.entries(c.expected)) {
        expectClose(computeMetric(name, c.y_true, c.proba_columns, { sampleWeight }), expected, name);
      }
    });
  }
  it('maps roc_auc to one-vs-rest and f1 to macro in multiclass', () => {
    const c = cases[0]!;
    expect(computeMetric('roc_auc', c.y_true, c.proba_columns)).toBe(rocAucOvr(c.y_true, c.proba_columns));
    expect(getMetric('f1', 'multiclass').name).toBe('f1_macro');
  });
});

interface RegressionCase {
  name: string;
  y_true: number[];
  y_pred: number[];
  sample_weight: number[] | null;
  expected: Record<string, number | null>;
}

describe('regression metrics against scikit-learn (regression.json)', () => {
  const { cases } = loadFixture<{ cases: RegressionCase[] }>('regression.json');
  for (const c of cases) {
    it(c.name, () => {
      const options = { sampleWeight: c.sample_weight ?? undefined, task: 'regression' as const };
      for (const [name, expected] of Object.entries(c.expected)) {
        if (expected === null) continue;
        expectClose(computeMetric(name, c.y_true, c.y_pred, options), expected, name);
      }
    });
  }
});

describe('registry', () => {
  it('suggests the nearest name for a typo', () => {
    expect(() => computeMetric('roc_acu', [0, 1], [0.1, 0.9])).toThrow(/did you mean 'roc_auc'/);
    expect(() => getMetric('rsme', 'regression')).toThrow(/did you mean 'rmse'/);
  });
  it('accepts scikit-learn function names as aliases', () => {
    expect(getMetric('brier_score_loss').name).toBe('brier');
    expect(getMetric('mean_absolute_error', 'regression').name).toBe('mae');
    expect(getMetric('R2_SCORE', 'regression').name).toBe('r2');
  });
  it('knows the direction of every metric', () => {
    const lowerIsBetter = METRICS.filter((m) => !m.higherIsBetter).map((m) => `${m.task}:${m.name}`);
    expect(lowerIsBetter.sort()).toEqual(
      [
        'binary:brier',
        'binary:ece',
        'binary:log_loss',
        'multiclass:log_loss',
        'regression:mae',
        'regression:mape',
        'regression:rmse',
      ].sort(),
    );
    expect(metricNames('binary')).toContain('roc_auc');
  });
  it('refuses probability columns for a binary metric and scores for a multiclass one', () => {
    expect(() =>
      computeMetric(
        'brier',
        [0, 1],
        [
          [0.1, 0.9],
          [0.9, 0.1],
        ],
      ),
    ).toThrow(StatsError);
    expect(() => computeMetric('f1_macro', [0, 1], [0.1, 0.9])).toThrow(/unknown binary metric/);
  });
});

describe('invalid input is answered with a StatsError', () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      'length mismatch',
      () => rocAucScore([0, 1, 1], [0.1, 0.2]),
      /length mismatch: yTrue has 3 values but yScore has 2/,
    ],
    ['empty arrays', () => accuracyScore([], []), /yTrue is empty/],
    ['one class for AUC', () => rocAucScore([1, 1], [0.2, 0.3]), /only one class/],
    ['no positive for AP', () => averagePrecisionScore([0, 0], [0.2, 0.3]), /no positive/],
    ['NaN score', () => brierScore([0, 1], [Number.NaN, 0.3]), /yScore\[0\] is NaN/],
    ['non-binary label', () => f1Score([0, 2], [0.2, 0.3]), /yTrue\[1\] is 2/],
    [
      'negative weight',
      () => logLoss([0, 1], [0.2, 0.3], { sampleWeight: [1, -1] }),
      /sampleWeight\[1\] is -1/,
    ],
    ['zero weights', () => brierScore([0, 1], [0.2, 0.3], { sampleWeight: [0, 0] }), /sums to 0/],
    ['probability above 1', () => logLoss([0, 1], [0.2, 1.3]), /must be in \[0, 1\]/],
    ['regression NaN', () => r2Score([1, 2], [1, Number.NaN]), /yPred\[1\] is NaN/],
    [
      'multiclass label',
      () =>
        multiclassAccuracy(
          [0, 3],
          [
            [1, 0],
            [0, 1],
            [0, 0],
          ],
        ),
      /integers in \[0, 2\]/,
    ],
    [
      'ovr class missing',
      () =>
        rocAucOvr(
          [0, 1, 1],
          [
            [0.5, 0.2, 0.1],
            [0.3, 0.7, 0.8],
            [0.2, 0.1, 0.1],
          ],
        ),
      /class 2 never occurs/,
    ],
  ];
  for (const [name, run, message] of cases) {
    it(name, () => {
      expect(run).toThrow(StatsError);
      expect(run).toThrow(message);
    });
  }
  it('defines zero-division cases as 0 like scikit-learn', () => {
    expect(precisionScore([0, 1], [0.1, 0.2])).toBe(0);
    expect(recallScore([0, 0], [0.9, 0.2])).toBe(0);
    expect(f1Score([0, 0], [0.1, 0.2])).toBe(0);
  });
});

describe('doc-comment examples', () => {
  it('hold', () => {
    expect(rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expectClose(averagePrecisionScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.8333333333333333);
    expect(Array.from(argsortAscending([0.3, -1, 0.2]))).toEqual([1, 2, 0]);
    expect(Array.from(aucPlacements([0, 1, 1], [0.2, 0.1, 0.9]).positive)).toEqual([0, 1]);
    expect(confusionMatrix([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6])).toEqual({
      tp: 1,
      fp: 1,
      tn: 1,
      fn: 1,
      threshold: 0.5,
    });
    expectClose(precisionScore([0, 1, 1, 0], [0.2, 0.7, 0.9, 0.6]), 2 / 3);
    expectClose(f1Score([0, 1, 1, 0], [0.2, 0.7, 0.9, 0.6]), 0.8);
    expectClose(logLoss([0, 1], [0.2, 0.7]), 0.2899092476264711);
    expectClose(brierScore([0, 1], [0.2, 0.7]), 0.065);
    expectClose(expectedCalibrationError([0, 1, 1], [0.1, 0.8, 0.9], { nBins: 10 }), 0.13333333333333333);
    expectClose(rootMeanSquaredError([1, 2, 3], [1, 2, 5]), 1.1547005383792515);
    expectClose(meanAbsoluteError([1, 2, 3], [1, 2, 5]), 2 / 3);
    expect(r2Score([1, 2, 3], [1, 2, 5])).toBe(-1);
    expectClose(meanAbsolutePercentageError([1, 2, 4], [1, 3, 3]), 0.25);
    expect(
      multiclassAccuracy(
        [0, 2],
        [
          [0.7, 0.2],
          [0.2, 0.1],
          [0.1, 0.7],
        ],
      ),
    ).toBe(1);
    expectClose(
      multiclassLogLoss(
        [0, 1],
        [
          [0.8, 0.3],
          [0.2, 0.7],
        ],
      ),
      0.2899092476264711,
    );
  });
});

describe('properties (fast-check)', () => {
  const labelled = fc
    .array(
      fc.tuple(
        fc.constantFrom(0, 1),
        fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom(0, 0.5, 1)),
      ),
      {
        minLength: 2,
        maxLength: 60,
      },
    )
    .filter((rows) => rows.some(([y]) => y === 1) && rows.some(([y]) => y === 0));

  it('AUC(-s) = 1 - AUC(s), ties included', () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const y = rows.map(([l]) => l);
        const s = rows.map(([, v]) => v);
        expectClose(
          rocAucScore(
            y,
            s.map((v) => -v),
          ),
          1 - rocAucScore(y, s),
          'auc',
          1e-12,
          1e-12,
        );
      }),
    );
  });
  it('metrics are invariant to row order', () => {
    fc.assert(
      fc.property(labelled, fc.integer(), (rows, seed) => {
        const shuffled = [...rows].sort((a, b) => ((a[1] * 7919 + seed) % 13) - ((b[1] * 7919 + seed) % 13));
        const y = rows.map(([l]) => l);
        const s = rows.map(([, v]) => 1 / (1 + Math.exp(-v)));
        const y2 = shuffled.map(([l]) => l);
        const s2 = shuffled.map(([, v]) => 1 / (1 + Math.exp(-v)));
        expectClose(rocAucScore(y2, s2), rocAucScore(y, s), 'auc', 1e-12, 1e-12);
        expectClose(averagePrecisionScore(y2, s2), averagePrecisionScore(y, s), 'ap', 1e-12, 1e-12);
        expectClose(logLoss(y2, s2), logLoss(y, s), 'log loss', 1e-12, 1e-12);
        expectClose(expectedCalibrationError(y2, s2), expectedCalibrationError(y, s), 'ece', 1e-12, 1e-12);
      }),
    );
  });
  it('integer weights equal duplicated rows', () => {
    fc.assert(
      fc.property(
        labelled,
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 60, maxLength: 60 }),
        (rows, counts) => {
          const y = rows.map(([l]) => l);
          const s = rows.map(([, v]) => v);
          const w = rows.map((_, i) => counts[i]!);
          const yd = rows.flatMap(([l], i) => Array(counts[i]!).fill(l));
          const sd = rows.flatMap(([, v], i) => Array(counts[i]!).fill(v));
          expectClose(rocAucScore(y, s, { sampleWeight: w }), rocAucScore(yd, sd), 'auc', 1e-12, 1e-12);
          expectClose(
            averagePrecisionScore(y, s, { sampleWeight: w }),
            averagePrecisionScore(yd, sd),
            'ap',
            1e-12,
            1e-12,
          );
        },
      ),
    );
  });
  it('the radix argsort agrees with a comparator sort on large inputs with ties and signed zeros', () => {
    const values = Array.from(
      { length: 5000 },
      (_, i) => [0, -0, 1e-300, -1e-300, 3.5, -2, Number.MAX_VALUE][i % 7]! * ((i * 2654435761) % 97),
    );
    const order = argsortAscending(values);
    for (let k = 1; k < order.length; k++) {
      const a = values[order[k - 1]!]!;
      const b = values[order[k]!]!;
      expect(a <= b).toBe(true);
      if (a === b) expect(order[k - 1]! < order[k]!).toBe(true);
    }
  });
});

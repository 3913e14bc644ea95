import { UserError } from '@mlops/kit';
import { createRandom, type Random } from '@mlops/stats';
import { describe, expect, it } from 'vitest';
import { applyInputOverrides, parseGateConfig } from './config.ts';
import { evaluateGate } from './engine.ts';
import type { Predictions } from './predictions.ts';

function normal(random: Random): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - random.nextDouble();
  const v = random.nextDouble();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Two models scoring the same rows: logistic scores with separations `a` (challenger) and `b` (champion). */
function simulate(
  random: Random,
  n: number,
  a: number,
  b: number,
  extra: Partial<Predictions> = {},
): Predictions {
  const labels = new Float64Array(n);
  const challenger = new Float64Array(n);
  const champion = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = random.nextDouble() < 0.4 ? 1 : 0;
    labels[i] = y;
    challenger[i] = 1 / (1 + Math.exp(-(a * (2 * y - 1) + normal(random))));
    champion[i] = 1 / (1 + Math.exp(-(b * (2 * y - 1) + normal(random))));
  }
  return {
    task: 'binary',
    n,
    labels,
    challenger,
    champion,
    groups: {},
    columns: { label: 'label', challenger: 'challenger', champion: 'champion' },
    ...extra,
  };
}

const SUPERIORITY = parseGateConfig(
  'metrics:\n  roc_auc: { method: delong }\nrequire_improvement: true\nconfidence: 0.95\n',
);

function promotionRate(a: number, b: number, datasets: number, seed: number, config = SUPERIORITY): number {
  const random = createRandom(seed);
  let promoted = 0;
  for (let d = 0; d < datasets; d++) {
    const report = evaluateGate(simulate(random, 300, a, b), config, { predictionsFile: 'sim.csv' });
    if (report.decision === 'promote') promoted++;
  }
  return promoted / datasets;
}

describe('the decision under require_improvement (simulation)', () => {
  it('promotes two equally good models at most 1 - confidence of the time, within simulation error', () => {
    const datasets = 400;
    const rate = promotionRate(1, 1, datasets, 20261122);
    // The gate reads the lower end of a two-sided 95% interval: nominal false promotion 2.5%, bound 5%.
    const alpha = 1 - SUPERIORITY.confidence;
    const simulationError = Math.sqrt((alpha * (1 - alpha)) / datasets);
    expect(rate).toBeLessThanOrEqual(alpha + 2 * simulationError);
  });

  it('and still promotes a clearly better challenger most of the time (the gate is not just conservative)', () => {
    expect(promotionRate(1.6, 0.8, 100, 7)).toBeGreaterThan(0.8);
  });

  for (const scheme of ['multinomial', 'poisson'] as const) {
    it(`holds with the AUC bootstrap, ${scheme} resampling`, () => {
      const config = parseGateConfig(
        `metrics:\n  roc_auc: { method: bootstrap }\nrequire_improvement: true\nconfidence: 0.95\nbootstrap: { resamples: 200, scheme: ${scheme} }\n`,
      );
      const datasets = 400;
      const rate = promotionRate(1, 1, datasets, 20261123, config);
      const alpha = 1 - config.confidence;
      expect(rate).toBeLessThanOrEqual(alpha + 2 * Math.sqrt((alpha * (1 - alpha)) / datasets));
      expect(promotionRate(1.6, 0.8, 50, 8, config)).toBeGreaterThan(0.8);
      const report = evaluateGate(simulate(createRandom(1), 300, 1, 1), config, {
        predictionsFile: 'sim.csv',
      });
      expect(report.comparison!.bootstrap_scheme).toBe(scheme);
    });
  }
});

describe('decisions', () => {
  const random = createRandom(3);
  const better = simulate(random, 600, 1.6, 0.8);

  it('reject when the challenger is worse beyond the margin, retain-champion when it is merely not better', () => {
    const worse = { ...better, challenger: better.champion!, champion: better.challenger };
    const margin = parseGateConfig('metrics:\n  roc_auc: { max_regression: 0.01 }\n');
    expect(evaluateGate(worse, margin, { predictionsFile: 'p.csv' }).decision).toBe('reject');
    const equal = simulate(createRandom(5), 600, 1, 1);
    const report = evaluateGate(
      equal,
      applyInputOverrides(margin, { requireImprovement: true, maxRegression: 0.2 }),
      {
        predictionsFile: 'p.csv',
      },
    );
    expect(report.gates.map((gate) => [gate.kind, gate.passed])).toEqual([
      ['non_inferiority', true],
      ['superiority', false],
    ]);
    expect(report.decision).toBe('retain-champion');
    expect(report.explanation).toMatch(
      /^Keep the champion: .*no evidence that the challenger's roc_auc is higher/,
    );
  });

  it('absolute floors on the interval are stricter than on the estimate', () => {
    const floor = (on: string) =>
      parseGateConfig(
        `absolute_on: ${on}\nmetrics:\n  roc_auc: { min: 0.85 }\nbootstrap: { resamples: 400, seed: 1 }\n`,
      );
    const onEstimate = evaluateGate(better, floor('estimate'), { predictionsFile: 'p.csv' }).gates[0]!;
    const onInterval = evaluateGate(better, floor('interval'), { predictionsFile: 'p.csv' }).gates[0]!;
    expect(onEstimate.observed).toBeGreaterThan(0.85);
    expect(onEstimate.passed).toBe(true);
    expect(onInterval.ci![0]).toBeLessThan(onInterval.observed!);
    expect(onInterval.passed).toBe(onInterval.ci![0] >= 0.85);
  });

  it('a floor the estimate clears but the lower confidence bound does not fails on the interval only', () => {
    const settings = 'bootstrap: { resamples: 400, seed: 1 }\n';
    const probe = evaluateGate(
      better,
      parseGateConfig(`absolute_on: interval\nmetrics:\n  roc_auc: { min: 0.5 }\n${settings}`),
      { predictionsFile: 'p.csv' },
    ).gates[0]!;
    // A floor halfway between the lower bound and the estimate.
    const min = (probe.ci![0] + probe.observed!) / 2;
    const gate = (on: string) =>
      evaluateGate(
        better,
        parseGateConfig(`absolute_on: ${on}\nmetrics:\n  roc_auc: { min: ${min} }\n${settings}`),
        { predictionsFile: 'p.csv' },
      ).gates[0]!;
    expect(gate('estimate')).toMatchObject({ passed: true, observed: probe.observed });
    const onInterval = gate('interval');
    expect(onInterval).toMatchObject({ passed: false, observed: probe.observed, ci: probe.ci });
    expect(onInterval.message).toMatch(/^roc_auc lower confidence bound 0\.\d+ is below the minimum 0\.\d+/);
    // And a ceiling on a loss, judged on the upper bound.
    const brier = evaluateGate(
      better,
      parseGateConfig(`absolute_on: interval\nmetrics:\n  brier: { max: 1 }\n${settings}`),
      { predictionsFile: 'p.csv' },
    ).gates[0]!;
    const max = (brier.ci![1] + brier.observed!) / 2;
    const ceiling = (on: string) =>
      evaluateGate(
        better,
        parseGateConfig(`absolute_on: ${on}\nmetrics:\n  brier: { max: ${max} }\n${settings}`),
        { predictionsFile: 'p.csv' },
      ).gates[0]!;
    expect(ceiling('estimate').passed).toBe(true);
    expect(ceiling('interval')).toMatchObject({ passed: false });
    expect(ceiling('interval').message).toMatch(/upper confidence bound .* is above the maximum/);
  });

  it('a sensitive column with one group large enough is "not enough data", not a pass', () => {
    const groups = { sex: Array.from({ length: better.n }, (_, i) => (i < 590 ? 'f' : 'm')) };
    const config = parseGateConfig(
      'fairness:\n  - { column: sex, metric: demographic_parity_ratio, min: 0.8, min_support: 30 }\n',
    );
    const report = evaluateGate({ ...better, groups }, config, { predictionsFile: 'p.csv' });
    expect(report.fairness[0]!.status).toBe('insufficient');
    expect(report.fairness[0]!.excluded_groups).toEqual({ m: 10 });
    expect(report.passed).toBe(false);
  });

  it('weights switch DeLong to the weighted bootstrap, and say so', () => {
    const weights = new Float64Array(better.n).fill(2);
    const config = parseGateConfig(
      'metrics:\n  roc_auc: { max_regression: 0.05 }\nbootstrap: { resamples: 200 }\n',
    );
    const weighted = evaluateGate({ ...better, weights }, config, { predictionsFile: 'p.csv' });
    expect(weighted.comparison!.method).toBe('bootstrap');
    expect(weighted.warnings[0]).toMatch(/delong has no weighted form/);
    const plain = evaluateGate(better, config, { predictionsFile: 'p.csv' });
    // Uniform weights change nothing in the point estimates.
    expect(weighted.models.challenger.metrics.roc_auc).toBeCloseTo(
      plain.models.challenger.metrics.roc_auc!,
      12,
    );
  });

  it('multiclass gates on predicted classes with McNemar on accuracy', () => {
    const n = 500;
    const random2 = createRandom(9);
    const labels = new Float64Array(n);
    const challenger = new Float64Array(n);
    const champion = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = random2.nextInt(3);
      challenger[i] = random2.nextDouble() < 0.8 ? labels[i]! : random2.nextInt(3);
      champion[i] = random2.nextDouble() < 0.6 ? labels[i]! : random2.nextInt(3);
    }
    const predictions: Predictions = {
      task: 'multiclass',
      n,
      labels,
      challenger,
      champion,
      classes: ['a', 'b', 'c'],
      groups: {},
      columns: { label: 'label', challenger: 'challenger', champion: 'champion' },
    };
    const config = parseGateConfig(
      'metrics:\n  accuracy: { min: 0.7 }\n  f1_macro: { max_regression: 0.02 }\nrequire_improvement: true\nbootstrap: { resamples: 300 }\n',
    );
    const report = evaluateGate(predictions, config, { predictionsFile: 'p.csv' });
    let correct = 0;
    for (let i = 0; i < n; i++) correct += challenger[i] === labels[i] ? 1 : 0;
    expect(report.models.challenger.metrics.accuracy).toBeCloseTo(correct / n, 14);
    expect(report.comparison!.method).toBe('mcnemar');
    expect(report.decision).toBe('promote');
    expect(report.curves).toBeUndefined();
  });
});

describe('refusals made once the data is read name the gate file, line and key path', () => {
  const binary = simulate(createRandom(11), 200, 1, 1);
  const multiclass: Predictions = {
    task: 'multiclass',
    n: 6,
    labels: Float64Array.from([0, 1, 2, 0, 1, 2]),
    challenger: Float64Array.from([0, 1, 2, 0, 2, 2]),
    champion: Float64Array.from([0, 1, 1, 0, 1, 2]),
    classes: ['a', 'b', 'c'],
    groups: { g: ['x', 'x', 'x', 'y', 'y', 'y'] },
    columns: { label: 'label', challenger: 'challenger', champion: 'champion' },
  };
  const refusal = (predictions: Predictions, text: string): string => {
    try {
      evaluateGate(predictions, parseGateConfig(text, 'gate.yml'), { predictionsFile: 'p.csv' });
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      return (error as Error).message;
    }
    throw new Error('expected a UserError');
  };
  const cases: [string, Predictions, string, RegExp][] = [
    [
      'a metric of another task',
      binary,
      'threshold: 0.5\nmetrics:\n  roc_auc: { min: 0.5 }\n  rmse: { max: 1 }\n',
      /^gate\.yml line 4: metrics\.rmse: metric 'rmse' is for regression models but the task is binary; binary metrics: roc_auc/,
    ],
    [
      'a slice metric of another task',
      multiclass,
      'metrics:\n  accuracy: {}\nslices:\n  - column: g\n    metrics:\n      roc_auc: { min: 0.5 }\n',
      /^gate\.yml line 6: slices\[0\]\.metrics\.roc_auc: slices by 'g': metric 'roc_auc' is not a multiclass metric$/,
    ],
    [
      'fairness on a multiclass task',
      multiclass,
      'metrics:\n  accuracy: {}\nfairness:\n  - { column: g, metric: demographic_parity_ratio, min: 0.8 }\n',
      /^gate\.yml line 4: fairness\[0\]: fairness gates need a binary task .*; the task is multiclass$/,
    ],
    [
      'a probability metric without per-class probabilities (found under its alias)',
      multiclass,
      'metrics:\n  accuracy: {}\n  log_loss: { max: 1 }\n',
      /^gate\.yml line 3: metrics\.log_loss: log_loss on a multiclass task need per-class probabilities: columns challenger_<class>/,
    ],
  ];
  cases.push(
    [
      'k larger than the rows',
      binary,
      'metrics:\n  roc_auc: {}\n  precision_at_500: { min: 0.5 }\n',
      /^gate\.yml line 3: metrics\.precision_at_500: k = 500 is more than the 200 rows of the predictions/,
    ],
    [
      'a privileged group that is not in the data',
      { ...binary, groups: { sex: Array.from({ length: 200 }, (_, i) => (i % 2 ? 'f' : 'm')) } },
      'fairness:\n  - column: sex\n    metric: disparate_impact\n    privileged: x\n    min: 0.8\n',
      /^gate\.yml line 4: fairness\[0\]\.privileged: no group 'x' in column 'sex' of the predictions; its groups: m, f$/,
    ],
  );
  for (const [what, predictions, text, message] of cases) {
    it(what, () => expect(refusal(predictions, text)).toMatch(message));
  }

  it('the max-regression input gets the McNemar check too, naming the input', () => {
    expect(() =>
      applyInputOverrides(parseGateConfig('metrics:\n  accuracy: {}\n'), { maxRegression: 1 }),
    ).toThrow(
      /^input 'max-regression': expected a number in \[0, 1\) for accuracy's McNemar comparison, got 1/,
    );
  });
});

describe('golden-set flips in the engine', () => {
  it('regression: an absolute error grown beyond flip_tolerance; index and BTC are null; budget on the bound', () => {
    const labels = Float64Array.from([10, 20, 30, 40, 50, 60]);
    const predictions: Predictions = {
      task: 'regression',
      n: 6,
      labels,
      challenger: Float64Array.from([10, 26, 30, 41, 50, 60]),
      champion: Float64Array.from([12, 20, 30, 40, 58, 60]),
      groups: { g: ['a', 'a', 'a', 'b', 'b', 'b'] },
      columns: { label: 'y', challenger: 'new', champion: 'old' },
      ids: ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'],
    };
    const config = parseGateConfig(
      'task: regression\nflips: { max_negative_flip_rate: 0.5, flip_tolerance: 1.5, slices: true }\nslices:\n  - { column: g, metrics: { rmse: {} }, min_support: 4 }\n',
    );
    const report = evaluateGate(predictions, config, { predictionsFile: 'p.csv' });
    // r2: error 0 -> 6 (negative); r4: 0 -> 1 (within 1.5); r1: 2 -> 0 and r5: 8 -> 0 (positive).
    expect(report.flips).toMatchObject({
      n: 6,
      negative: 1,
      positive: 2,
      ids: ['r2'],
      positive_ids: ['r1', 'r5'],
      negative_flip_index: null,
      btc: null,
      flip_tolerance: 1.5,
    });
    // scipy: beta.ppf(0.95, 2, 5) = 0.5818034092520259 for 1 negative flip in 6 rows.
    expect(report.flips!.upper_bound).toBeCloseTo(0.5818, 4);
    expect(report.gates.find((gate) => gate.name === 'flips negative flip rate')!.passed).toBe(false);
    // Groups of 3 rows are under min_support 4: "not enough data", never a pass.
    expect(report.flips!.slices!.map((slice) => [slice.group, slice.status])).toEqual([
      ['a', 'insufficient'],
      ['b', 'insufficient'],
    ]);
  });

  it('without a champion, flips are not checked and the report says so', () => {
    const { champion: _, ...alone } = simulate(createRandom(4), 100, 1, 1);
    const report = evaluateGate(alone, parseGateConfig('flips: { max_negative_flip_rate: 0.1 }\n'), {
      predictionsFile: 'p.csv',
    });
    expect(report.flips).toBeUndefined();
    expect(report.warnings).toContain('flips not checked: there is no champion to compare with');
  });
});

// Golden-set flips, Clopper-Pearson bounds and disparate impact against the references of
// test/fixtures/evaluate-gate/generate_model_checks.py (scipy.stats.beta, statsmodels' exact McNemar,
// Renate's worked example, AIF360's definition) on the fixtures' real models.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { disparateImpact } from '../fairness/disparate-impact.ts';
import { expectClose, readCsvColumns } from '../metrics/fixture-testing.ts';
import { classFlips, clopperPearsonUpper, regressionFlips } from './flips.ts';
import { mcnemarTest } from './mcnemar.ts';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/evaluate-gate/', import.meta.url));
const expected = JSON.parse(readFileSync(`${FIXTURES}model-checks.expected.json`, 'utf8'));

const cut = (values: string[]) => values.map((value) => (Number(value) >= 0.5 ? 1 : 0));

describe('flips', () => {
  it("Renate's worked example: NFR = PFR = 0.25, NFI = 0.5", () => {
    const { truth, new: challenger, old: champion } = expected.renate;
    const flips = classFlips(truth, challenger, champion);
    expect(flips).toMatchObject({
      n: 4,
      negative: 1,
      positive: 1,
      negativeFlipRate: 0.25,
      positiveFlipRate: 0.25,
    });
    expect(flips.negativeFlipIndex).toBe(0.5);
    expect(flips.backwardTrustCompatibility).toBe(expected.renate.btc);
    expect(Array.from(flips.negativeRows)).toEqual(expected.renate.first_negative_rows);
  });

  for (const name of ['breast-cancer', 'pima']) {
    it(`${name}: counts, NFI, BTC, bounds at three confidences and McNemar`, () => {
      const columns = readCsvColumns(
        name === 'pima'
          ? fileURLToPath(new URL('../../../../examples/data/predictions.csv', import.meta.url))
          : `${FIXTURES}breast-cancer.csv`,
      );
      const labels = columns.label!.map(Number);
      const flips = classFlips(labels, cut(columns.challenger!), cut(columns.champion!));
      for (const [confidence, reference] of Object.entries(expected.flips[name]) as [
        string,
        Record<string, number>,
      ][]) {
        expect([flips.n, flips.negative, flips.positive]).toEqual([
          reference.n,
          reference.negative,
          reference.positive,
        ]);
        expectClose(flips.negativeFlipRate, reference.negative_flip_rate!, 'NFR');
        expectClose(flips.positiveFlipRate, reference.positive_flip_rate!, 'PFR');
        expectClose(flips.negativeFlipIndex, reference.negative_flip_index!, 'NFI');
        expectClose(flips.backwardTrustCompatibility, reference.btc!, 'BTC');
        expectClose(
          clopperPearsonUpper(flips.negative, flips.n, Number(confidence)),
          reference.upper_bound!,
          'bound',
        );
        expectClose(mcnemarTest(flips.positive, flips.negative).pValue, reference.mcnemar_p!, 'McNemar');
        expect(Array.from(flips.negativeRows)).toEqual(reference.first_negative_rows);
        // accuracy(challenger) - accuracy(champion) = PFR - NFR.
        const accuracy = (predicted: number[]) =>
          predicted.filter((value, index) => value === labels[index]).length / labels.length;
        expectClose(
          accuracy(cut(columns.challenger!)) - accuracy(cut(columns.champion!)),
          flips.positiveFlipRate - flips.negativeFlipRate,
          'PFR - NFR',
        );
        // BTC = 1 - NFR / accuracy(champion) (Bansal et al.).
        expectClose(
          flips.backwardTrustCompatibility,
          1 - flips.negativeFlipRate / accuracy(cut(columns.champion!)),
          'BTC identity',
        );
      }
    });
  }

  it('regression flips: an absolute error grown beyond the tolerance (diabetes)', () => {
    const columns = readCsvColumns(`${FIXTURES}diabetes.csv`);
    for (const [tolerance, reference] of Object.entries(expected.regression_flips) as [
      string,
      Record<string, number>,
    ][]) {
      const flips = regressionFlips(
        columns.target!.map(Number),
        columns.new_model!.map(Number),
        columns.old_model!.map(Number),
        Number(tolerance),
      );
      expect([flips.negative, flips.positive]).toEqual([reference.negative, reference.positive]);
      expectClose(clopperPearsonUpper(flips.negative, flips.n, 0.95), reference.upper_bound!, 'bound');
    }
  });
});

describe('one-sided upper Clopper-Pearson bound (scipy.stats.beta.ppf)', () => {
  for (const { x, n, confidence, upper } of expected.clopper_pearson) {
    it(`${x} of ${n} at ${confidence}`, () =>
      expectClose(clopperPearsonUpper(x, n, confidence), upper, 'upper'));
  }
  it('refuses counts it cannot bound', () => {
    expect(() => clopperPearsonUpper(5, 4, 0.95)).toThrow(/x is 5/);
    expect(() => clopperPearsonUpper(0, 0, 0.95)).toThrow(/n is 0/);
  });
});

describe('disparate impact (AIF360 definition)', () => {
  const bc = readCsvColumns(`${FIXTURES}breast-cancer.csv`);
  for (const model of ['challenger', 'champion']) {
    for (const privileged of ['a', 'b']) {
      it(`breast-cancer ${model}, privileged ${privileged}`, () => {
        const result = disparateImpact(
          { yTrue: bc.label!.map(Number), yPred: bc[model]!.map(Number), sensitive: bc.group! },
          privileged,
        );
        expectClose(result.value, expected.disparate_impact['breast-cancer'][model][privileged], 'DI');
      });
    }
  }
  it('refuses a privileged group that is not in the data', () => {
    expect(() => disparateImpact({ yTrue: [1, 0], yPred: [1, 0], sensitive: ['a', 'b'] }, 'c')).toThrow(
      /privileged group 'c' is not among the groups \(a, b\)/,
    );
  });
});

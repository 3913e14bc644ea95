import { argsortAscending, createRandom } from '@mlops/stats';
import { describe, expect, it } from 'vitest';
import { compareMetric } from './comparison.ts';
import { parseGateConfig } from './config.ts';
import { evaluateGate } from './engine.ts';
import { modelMetrics } from './model-metrics.ts';
import type { Predictions } from './predictions.ts';
import { lazyOrders, ordersByGroup } from './score-orders.ts';
import { groupRows, subsetPredictions } from './slices.ts';

/** Scores on a coarse grid (many ties across groups), three groups and a few rows in none. */
function sample(n: number, seed: number): Predictions {
  const random = createRandom(seed);
  const labels = new Float64Array(n);
  const challenger = new Float64Array(n);
  const champion = new Float64Array(n);
  const region: string[] = [];
  for (let i = 0; i < n; i++) {
    const y = random.nextDouble() < 0.3 ? 1 : 0;
    labels[i] = y;
    challenger[i] = Math.round((0.35 * y + 0.65 * random.nextDouble()) * 40) / 40;
    champion[i] = 0.25 * y + 0.75 * random.nextDouble();
    region.push(['north', 'south', 'east', 'west'][random.nextInt(4)]!);
  }
  return {
    task: 'binary',
    n,
    labels,
    challenger,
    champion,
    groups: { region },
    columns: { label: 'label', challenger: 'challenger', champion: 'champion' },
  };
}

describe('ordersByGroup', () => {
  it("is each group's own stable sort (argsortAscending of the gathered scores), rows in no group left out", () => {
    const predictions = sample(5000, 1);
    const groups = groupRows(predictions.groups.region!, ['north', 'east', 'west']);
    const split = ordersByGroup(lazyOrders(predictions)(), [...groups.values()], predictions.n);
    [...groups.values()].forEach((rows, g) => {
      const subset = subsetPredictions(predictions, rows);
      expect(Array.from(split[g]!.challenger)).toEqual(Array.from(argsortAscending(subset.challenger)));
      expect(Array.from(split[g]!.champion)).toEqual(Array.from(argsortAscending(subset.champion!)));
    });
  });
});

describe('the engine with shared score orders and a bootstrap started before the metrics', () => {
  const predictions = sample(6000, 2);
  const config = parseGateConfig(`metrics:
  roc_auc: { min: 0.6, max_regression: 0.01, method: bootstrap }
  average_precision: { min: 0.3 }
bootstrap: { resamples: 300, seed: 3, method: bca }
slices:
  - { column: region, metrics: { roc_auc: { max_regression: 0.02, method: delong } }, min_support: 100 }
`);
  const report = evaluateGate(predictions, config, { predictionsFile: 'p.csv' });
  const context = { task: 'binary' as const, threshold: config.threshold, bins: config.calibration_bins };

  it('reports the comparison compareMetric makes on its own (sorting for itself)', () => {
    const alone = compareMetric(predictions, 'roc_auc', {
      method: 'bootstrap',
      confidence: config.confidence,
      bootstrap: config.bootstrap,
      context,
      margin: 0.01,
    });
    expect(report.comparison).toEqual(alone.report);
    expect(report.models.challenger.metrics.roc_auc).toBe(alone.estimates![0]);
  });
  it("reports each slice's DeLong test as on the group's own rows", () => {
    const groups = groupRows(predictions.groups.region!);
    for (const slice of report.slices) {
      const subset = subsetPredictions(predictions, groups.get(slice.group)!);
      const alone = compareMetric(subset, 'roc_auc', {
        method: 'delong',
        confidence: config.confidence,
        bootstrap: config.bootstrap,
        context,
        margin: 0.02,
      });
      const gate = report.gates.find(
        (g) => g.name === `slice region=${slice.group} roc_auc non-inferiority`,
      )!;
      expect(gate.ci).toEqual(alone.report.ci);
      expect(slice.metrics.challenger.roc_auc).toBe(alone.estimates![0]);
      expect(slice.metrics.champion!.roc_auc).toBe(alone.estimates![1]);
    }
  });
  it('reports the metrics table modelMetrics makes without the shared order', () => {
    const names = Object.keys(report.models.challenger.metrics).filter((name) => name !== 'roc_auc');
    expect(modelMetrics(names, predictions.labels, predictions.challenger, context)).toEqual(
      Object.fromEntries(names.map((name) => [name, report.models.challenger.metrics[name]])),
    );
  });
});

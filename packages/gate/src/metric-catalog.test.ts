// The gate's catalog (what the engine needs: kind, range, methods) and @mlops/stats' registry (how each
// metric is computed) name the same metrics: every gate metric is computable for each of its tasks under
// its own name and direction, and every registered metric is gateable.
import { getMetric, METRICS as STATS_METRICS } from '@mlops/stats';
import { describe, expect, it } from 'vitest';
import { canonicalMetric, lookupMetric, METRIC_ALIASES, METRICS } from './metric-catalog.ts';

describe('the gate catalog and the stats registry agree', () => {
  for (const info of Object.values(METRICS)) {
    for (const task of info.tasks) {
      it(`${info.name} (${task}): same name and direction`, () => {
        const definition = getMetric(info.name, task);
        expect(definition.name).toBe(info.name);
        expect(definition.task).toBe(task);
        expect(definition.higherIsBetter).toBe(info.higherIsBetter);
      });
    }
  }

  it('every registered metric is in the gate catalog for its task', () => {
    const missing = STATS_METRICS.filter(
      (definition) => !METRICS[definition.name]?.tasks.includes(definition.task),
    ).map((definition) => `${definition.name} (${definition.task})`);
    expect(missing).toEqual([]);
  });

  it('metrics at k: the same names for the same tasks, with k read from the name', () => {
    for (const [name, task] of [
      ['precision_at_50', 'binary'],
      ['recall_at_1', 'binary'],
      ['lift_at_10', 'binary'],
      ['ndcg_at_100', 'binary'],
      ['top_3_accuracy', 'multiclass'],
    ] as const) {
      const info = lookupMetric(name)!;
      expect([info.tasks, info.higherIsBetter, info.kind], name).toEqual([[task], true, 'top_k']);
      expect(info.k, name).toBe(Number(/\d+/.exec(name)![0]));
      const definition = getMetric(name, task);
      expect([definition.name, definition.task, definition.higherIsBetter]).toEqual([name, task, true]);
      // Not for the other tasks, in either catalog.
      expect(() => getMetric(name, task === 'binary' ? 'multiclass' : 'binary')).toThrow(/unknown/);
    }
    expect(lookupMetric('precision_at_0')).toBeUndefined();
    expect(() => getMetric('precision_at_0')).toThrow(/unknown binary metric/);
  });

  it('every alias leads to a gate metric', () => {
    for (const [alias, target] of Object.entries(METRIC_ALIASES)) {
      expect(canonicalMetric(alias), alias).toBe(target);
      expect(METRICS[target], alias).toBeDefined();
    }
  });
});

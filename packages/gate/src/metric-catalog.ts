// The metrics a gate can name, by scikit-learn name, with what the engine needs to know about each: which
// tasks it applies to, which way is better, and how two models are compared on it by default. The values
// come from @mlops/stats' registry (metrics/registry.ts); metric-catalog.test.ts checks the two agree on
// names, tasks and direction.

import { ownEntry } from '@mlops/kit/keyed-by-data';
import { METRIC_AT_K, METRIC_ALIASES as STATS_ALIASES, TOP_K_ACCURACY } from '@mlops/stats';
import type { ComparisonMethod, Task } from './config-types.ts';

export interface MetricInfo {
  name: string;
  tasks: readonly Task[];
  higherIsBetter: boolean;
  /**
   * ranking: needs scores and both classes (roc_auc); top_k: the top of the ranking by score (defined with one
   * class); threshold: scores cut at the threshold; probability: calibrated scores.
   */
  kind: 'ranking' | 'top_k' | 'threshold' | 'probability' | 'regression' | 'class';
  /** The cut-off of a metric at k (`precision_at_50`: 50). */
  k?: number;
  /** Lower and upper end of the metric's range (for sanity checks of thresholds). */
  range: readonly [number, number];
  defaultMethod: ComparisonMethod;
  /** Comparison methods that are valid for this metric. */
  methods: readonly ComparisonMethod[];
}

const UNIT: readonly [number, number] = [0, 1];
const NON_NEGATIVE: readonly [number, number] = [0, Number.POSITIVE_INFINITY];

function metric(
  name: string,
  tasks: readonly Task[],
  higherIsBetter: boolean,
  kind: MetricInfo['kind'],
  range: readonly [number, number],
  defaultMethod: ComparisonMethod = 'bootstrap',
  methods: readonly ComparisonMethod[] = ['bootstrap'],
): MetricInfo {
  return { name, tasks, higherIsBetter, kind, range, defaultMethod, methods };
}

export const METRICS: Readonly<Record<string, MetricInfo>> = Object.fromEntries(
  [
    metric('roc_auc', ['binary'], true, 'ranking', UNIT, 'delong', ['delong', 'bootstrap']),
    metric('average_precision', ['binary'], true, 'ranking', UNIT),
    metric('accuracy', ['binary', 'multiclass'], true, 'threshold', UNIT, 'mcnemar', [
      'mcnemar',
      'bootstrap',
    ]),
    metric('precision', ['binary'], true, 'threshold', UNIT),
    metric('recall', ['binary'], true, 'threshold', UNIT),
    metric('f1', ['binary'], true, 'threshold', UNIT),
    metric('log_loss', ['binary', 'multiclass'], false, 'probability', NON_NEGATIVE),
    metric('brier', ['binary'], false, 'probability', UNIT),
    metric('ece', ['binary'], false, 'probability', UNIT),
    metric('precision_macro', ['multiclass'], true, 'class', UNIT),
    metric('recall_macro', ['multiclass'], true, 'class', UNIT),
    metric('f1_macro', ['multiclass'], true, 'class', UNIT),
    metric('f1_weighted', ['multiclass'], true, 'class', UNIT),
    metric('roc_auc_ovr', ['multiclass'], true, 'ranking', UNIT),
    metric('rmse', ['regression'], false, 'regression', NON_NEGATIVE),
    metric('mae', ['regression'], false, 'regression', NON_NEGATIVE),
    metric('r2', ['regression'], true, 'regression', [Number.NEGATIVE_INFINITY, 1]),
    metric('mape', ['regression'], false, 'regression', NON_NEGATIVE),
  ].map((info) => [info.name, info]),
);

/** scikit-learn's function and scorer names people paste from their notebooks: @mlops/stats' list. */
export const METRIC_ALIASES: Readonly<Record<string, string>> = STATS_ALIASES;

export const METRIC_NAMES: readonly string[] = Object.keys(METRICS);

/**
 * A metric by canonical name, including the ones that carry their cut-off: `precision_at_<k>`,
 * `recall_at_<k>`, `lift_at_<k>`, `ndcg_at_<k>` (binary) and `top_<k>_accuracy` (multiclass, on per-class
 * probabilities).
 */
export function lookupMetric(name: string): MetricInfo | undefined {
  const fixed = ownEntry(METRICS, name); // a name such as 'toString' is not a metric
  if (fixed) return fixed;
  const atK = METRIC_AT_K.exec(name);
  if (atK) {
    const range = atK[1] === 'lift' ? NON_NEGATIVE : UNIT;
    return { ...metric(name, ['binary'], true, 'top_k', range), k: Number(atK[2]) };
  }
  const topK = TOP_K_ACCURACY.exec(name);
  if (topK) return { ...metric(name, ['multiclass'], true, 'top_k', UNIT), k: Number(topK[1]) };
  return undefined;
}

/** The canonical name for a metric name or alias, or undefined. */
export function canonicalMetric(name: string): string | undefined {
  if (lookupMetric(name)) return name;
  return ownEntry(METRIC_ALIASES, name);
}

export function metricInfo(name: string): MetricInfo {
  const info = lookupMetric(name);
  if (!info) throw new Error(`unknown metric '${name}' reached the engine`);
  return info;
}

/** Multiclass metrics that need per-class probabilities, not just the predicted class. */
export function needsProbabilities(metric: string, task: Task): boolean {
  return (
    task === 'multiclass' &&
    (metric === 'log_loss' || metric === 'roc_auc_ovr' || TOP_K_ACCURACY.test(metric))
  );
}

/** Reported in addition for multiclass predictions that come with per-class probabilities. */
export const MULTICLASS_PROBABILITY_METRICS: readonly string[] = ['log_loss', 'roc_auc_ovr'];

/** The metrics every report lists for a task, whether gated or not (the design's report contract). */
export const REPORTED_METRICS: Readonly<Record<Task, readonly string[]>> = {
  binary: [
    'roc_auc',
    'average_precision',
    'accuracy',
    'precision',
    'recall',
    'f1',
    'log_loss',
    'brier',
    'ece',
  ],
  multiclass: ['accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'f1_weighted'],
  regression: ['rmse', 'mae', 'r2'],
};

/** The metric of a gate given only a task (no config, no `metric` input). */
export const DEFAULT_PRIMARY: Readonly<Record<Task, string>> = {
  binary: 'roc_auc',
  multiclass: 'accuracy',
  regression: 'rmse',
};

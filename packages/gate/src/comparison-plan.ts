// Which paired comparisons a set of gates needs, and starting them in one place for the whole file and for
// every slice group. A comparison's method may compute both models' values on the way (DeLong, the
// bootstraps): those are collected as `known` so the metrics table does not compute them again.

import { type StartedComparison, startComparison } from './comparison.ts';
import type { AbsoluteOn, BootstrapConfig, ComparisonMethod, MetricGateConfig } from './config-types.ts';
import { metricInfo } from './metric-catalog.ts';
import type { MetricContext } from './model-metrics.ts';
import type { Predictions } from './predictions.ts';
import type { ModelOrders } from './score-orders.ts';

/** A metric's gate with the file-level defaults applied. */
export interface ResolvedGate extends MetricGateConfig {
  method: ComparisonMethod;
  require_improvement: boolean;
  absolute_on: AbsoluteOn;
}

/**
 * A metric's gate with its defaults: the metric's default method, and the weighted paired bootstrap whenever
 * the rows are weighted (the only method with a weighted form). `weightedWarning` says when that overrode
 * the method the file asked for.
 */
export function resolveGate(
  metric: string,
  raw: MetricGateConfig,
  defaults: { weighted: boolean; require_improvement: boolean; absolute_on: AbsoluteOn },
): { gate: ResolvedGate; weightedWarning?: string } {
  const asked = raw.method ?? metricInfo(metric).defaultMethod;
  const method = defaults.weighted ? 'bootstrap' : asked;
  const gate: ResolvedGate = {
    ...raw,
    method,
    require_improvement: raw.require_improvement ?? defaults.require_improvement,
    absolute_on: raw.absolute_on ?? defaults.absolute_on,
  };
  return asked === method
    ? { gate }
    : {
        gate,
        weightedWarning: `${metric}: ${asked} has no weighted form; compared with the weighted paired bootstrap instead`,
      };
}

export interface ComparisonSettings {
  confidence: number;
  bootstrap: BootstrapConfig;
  context: MetricContext;
  /** Both models' score orders of these rows, computed on first use. */
  orders?: () => ModelOrders;
}

export interface ComparisonPlan {
  started: Map<string, StartedComparison>;
  /** Both models' values of the metrics the comparisons computed anyway: [challenger, champion]. */
  known: Record<string, [number, number]>;
}

/**
 * Starts the comparison of every gate that needs one (a non-inferiority margin, an improvement to show, or
 * the primary metric, which the report always compares); nothing without a champion.
 */
export function startComparisons(
  rows: Predictions,
  gates: Record<string, ResolvedGate>,
  settings: ComparisonSettings,
  primary?: string,
): ComparisonPlan {
  const started = new Map<string, StartedComparison>();
  const known: Record<string, [number, number]> = {};
  if (!rows.champion) return { started, known };
  for (const [metric, gate] of Object.entries(gates)) {
    const needed = metric === primary || gate.max_regression !== undefined || gate.require_improvement;
    if (!needed) continue;
    const comparison = startComparison(rows, metric, {
      method: gate.method,
      confidence: settings.confidence,
      bootstrap: settings.bootstrap,
      context: settings.context,
      ...(gate.max_regression !== undefined ? { margin: gate.max_regression } : {}),
      ...(settings.orders ? { orders: settings.orders } : {}),
    });
    started.set(metric, comparison);
    if (comparison.estimates) known[metric] = comparison.estimates;
  }
  return { started, known };
}

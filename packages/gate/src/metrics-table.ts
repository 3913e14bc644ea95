// The metrics table of one set of rows (the whole file or a slice group): every named metric for the
// challenger and, when there is one, the champion, in the order given.
import { type MetricContext, modelMetrics } from './model-metrics.ts';
import type { Predictions } from './predictions.ts';
import type { MetricValues } from './report-types.ts';
import type { ModelOrders } from './score-orders.ts';

export interface MetricsTable {
  challenger: MetricValues;
  champion?: MetricValues;
}

/**
 * Both models' values of `names` on `rows`. `known` holds values a comparison computed already
 * ([challenger, champion]); they are taken as they are. `orders` (the rows' score orders, when the caller
 * shares them) save average_precision's sorts on a binary task.
 */
export function metricsTable(
  rows: Predictions,
  names: readonly string[],
  context: MetricContext,
  known: Record<string, [number, number]>,
  orders?: () => ModelOrders,
): MetricsTable {
  const missing = names.filter((metric) => known[metric] === undefined);
  const sorted =
    orders && context.task === 'binary' && missing.includes('average_precision') ? orders() : undefined;
  const challenger = modelMetrics(
    missing,
    rows.labels,
    rows.challenger,
    context,
    rows.weights,
    rows.probabilities?.challenger,
    sorted?.challenger,
  );
  const champion = rows.champion
    ? modelMetrics(
        missing,
        rows.labels,
        rows.champion,
        context,
        rows.weights,
        rows.probabilities?.champion,
        sorted?.champion,
      )
    : undefined;
  for (const [metric, [challengerValue, championValue]] of Object.entries(known)) {
    challenger[metric] = challengerValue;
    if (champion) champion[metric] = championValue;
  }
  // Keep the table's columns in a stable order whatever was computed where.
  return {
    challenger: orderedMetrics(names, challenger),
    ...(champion ? { champion: orderedMetrics(names, champion) } : {}),
  };
}

function orderedMetrics(order: readonly string[], values: MetricValues): MetricValues {
  return Object.fromEntries(order.map((metric) => [metric, values[metric] ?? null]));
}

// From a source to counts per look: the Prometheus range queries, or a request log read as a table.
import { numericValues, type Table } from '@mlops/data';
import { UserError } from '@mlops/kit';
import { ownEntry } from '@mlops/kit/keyed-by-data';
import type { ArmCounts, MetricCounts } from './analyse.ts';
import { type CanaryConfig, FILE_CONDITION } from './config.ts';
import { countResets, cumulativeIncrease } from './counters.ts';
import { logColumns } from './log-columns.ts';
import { comparePredictions, type PredictionsReport } from './predictions.ts';
import { type PrometheusOptions, queryRange, type RangeWindow, seriesForVersions } from './prometheus.ts';

export interface Versions {
  baseline: string;
  canary: string;
}

export interface CollectedCounts {
  /** Look times, ms since the epoch. */
  times: number[];
  metrics: MetricCounts[];
  /** File source with `predictions:` in the config. */
  predictions?: PredictionsReport;
}

/** The look grid: started-at, then every step up to now. */
export function lookTimes(startedAt: number, now: number, stepMs: number): number[] {
  const count = Math.floor((now - startedAt) / stepMs + 1e-9) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, k) => startedAt + k * stepMs);
}

/** Two range queries per metric (events, trials), all in parallel, turned into cumulative counts per look. */
export async function collectFromPrometheus(
  config: CanaryConfig,
  options: PrometheusOptions,
  versions: Versions,
  startedAt: number,
  now: number,
): Promise<CollectedCounts> {
  const times = lookTimes(startedAt, now, config.step_ms);
  const window: RangeWindow = {
    start: startedAt / 1000,
    end: times[times.length - 1]! / 1000,
    step: config.step_ms / 1000,
  };
  const metrics = await Promise.all(
    config.metrics.map(async (metric): Promise<MetricCounts> => {
      const contexts = {
        events: { metric: metric.name, role: 'events' as const, query: metric.events },
        trials: { metric: metric.name, role: 'trials' as const, query: metric.trials },
      };
      const [eventsResult, trialsResult] = await Promise.all([
        queryRange(options, window, contexts.events),
        queryRange(options, window, contexts.trials),
      ]);
      const events = seriesForVersions(eventsResult, config.version_label, versions, window, contexts.events);
      const trials = seriesForVersions(trialsResult, config.version_label, versions, window, contexts.trials);
      let resets = 0;
      const armCounts = (arm: 'baseline' | 'canary'): ArmCounts | undefined => {
        const trialValues = trials[arm];
        if (!trialValues) return undefined;
        const eventValues = events[arm];
        resets += countResets(trialValues) + (eventValues ? countResets(eventValues) : 0);
        return {
          trials: cumulativeIncrease(trialValues),
          // No events series for a version that has trials: that version had no events (a label
          // combination such as code="503" that never occurred has no series at all).
          events: eventValues ? cumulativeIncrease(eventValues) : new Float64Array(trialValues.length),
        };
      };
      const baseline = armCounts('baseline');
      const canary = armCounts('canary');
      return {
        name: metric.name,
        ...(baseline ? { baseline } : {}),
        ...(canary ? { canary } : {}),
        resets,
        eventsEmpty: !events.baseline && !events.canary,
      };
    }),
  );
  return { times, metrics };
}

/**
 * Counts from a request log (one row per request): rows of each version with started-at < timestamp <= look
 * time are its trials, the rows where the metric's condition holds its events.
 */
export function collectFromTable(
  table: Table,
  file: string,
  config: CanaryConfig,
  versions: Versions,
  startedAt: number,
  now: number,
): CollectedCounts {
  const times = lookTimes(startedAt, now, config.step_ms);
  if (times[times.length - 1]! < now) times.push(now);
  const column = logColumns(table, file);
  const versionColumn = column(config.version_label, 'the version of each request: version_label');
  const timestamps = timestampsOf(
    column(config.timestamp_column, 'the request time: timestamp_column'),
    table.types[config.timestamp_column],
    file,
    config.timestamp_column,
  );
  const rowArm = new Int8Array(table.rowCount).fill(-1); // 0 baseline, 1 canary
  const rowLook = new Int32Array(table.rowCount);
  for (let row = 0; row < table.rowCount; row++) {
    const version = versionColumn[row];
    const text = version === null || version === undefined ? undefined : String(version);
    const arm = text === versions.baseline ? 0 : text === versions.canary ? 1 : -1;
    const time = timestamps[row]!;
    if (arm < 0 || !(time > startedAt && time <= now)) continue;
    rowArm[row] = arm;
    rowLook[row] = Math.min(times.length - 1, Math.ceil((time - startedAt) / config.step_ms));
  }
  const metrics = config.metrics.map((metric): MetricCounts => {
    const perLook = [0, 1].map(() => ({
      trials: new Float64Array(times.length),
      events: new Float64Array(times.length),
      sum: new Float64Array(times.length),
      sumSquares: new Float64Array(times.length),
    }));
    if (metric.kind === 'mean') {
      // Per-request values: a request without a value (missing, NaN) is not a trial of this metric.
      const values = numericValues(column(metric.value!, `the values of metric ${metric.name}`));
      for (let row = 0; row < table.rowCount; row++) {
        const arm = rowArm[row]!;
        const value = values[row]!;
        if (arm < 0 || !Number.isFinite(value)) continue;
        const counts = perLook[arm]!;
        const k = rowLook[row]!;
        counts.trials[k]! += 1;
        counts.sum[k]! += value;
        counts.sumSquares[k]! += value * value;
      }
    } else {
      const test = rowCondition(metric.events, table, file, metric.name);
      for (let row = 0; row < table.rowCount; row++) {
        const arm = rowArm[row]!;
        if (arm < 0) continue;
        const counts = perLook[arm]!;
        counts.trials[rowLook[row]!]! += 1;
        if (test(row)) counts.events[rowLook[row]!]! += 1;
      }
    }
    for (const counts of perLook) {
      for (let k = 1; k < times.length; k++) {
        counts.trials[k]! += counts.trials[k - 1]!;
        counts.events[k]! += counts.events[k - 1]!;
        counts.sum[k]! += counts.sum[k - 1]!;
        counts.sumSquares[k]! += counts.sumSquares[k - 1]!;
      }
    }
    const [baseline, canary] = perLook as [ArmCounts, ArmCounts];
    return {
      name: metric.name,
      ...(baseline.trials[times.length - 1]! > 0 ? { baseline } : {}),
      ...(canary.trials[times.length - 1]! > 0 ? { canary } : {}),
    };
  });
  if (!config.predictions) return { times, metrics };
  const predictions = comparePredictions(
    table,
    file,
    config.predictions,
    {
      version: config.version_label,
      inWindow: (row) => timestamps[row]! > startedAt && timestamps[row]! <= now,
    },
    versions,
  );
  return { times, metrics, predictions };
}

function timestampsOf(
  data: Table['data'][string],
  type: string | undefined,
  file: string,
  name: string,
): Float64Array {
  const out = new Float64Array(data.length);
  if (type === 'datetime') return numericValues(data);
  for (let row = 0; row < data.length; row++) {
    const value = data[row];
    let ms: number;
    if (typeof value === 'number') ms = value < 1e11 ? value * 1000 : value;
    else if (typeof value === 'string') ms = Date.parse(value);
    else ms = Number.NaN;
    if (!Number.isFinite(ms)) {
      throw new UserError(
        `${file} row ${row + 1}: column '${name}' holds ${JSON.stringify(value)}, expected an RFC 3339 time or unix seconds`,
      );
    }
    out[row] = ms;
  }
  return out;
}

/** A row predicate for `status >= 500`, `latency_ms > 100` or a bare boolean column `error`. */
function rowCondition(
  condition: string,
  table: Table,
  file: string,
  metric: string,
): (row: number) => boolean {
  const match = FILE_CONDITION.exec(condition);
  if (!match) throw new UserError(`${metric}: cannot read the condition '${condition}'`);
  const [, name, operator, operand] = match as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
  ];
  const data = ownEntry(table.data, name);
  if (!data)
    throw new UserError(
      `${metric}: ${file} has no column '${name}' (events: ${condition}); columns are ${table.columns.slice(0, 20).join(', ')}`,
    );
  const truthy = (value: unknown) => value === true || value === 1 || value === 'true' || value === '1';
  if (operator === undefined) return (row) => truthy(data[row]);
  if (operand === 'true' || operand === 'false') {
    const wanted = operand === 'true';
    return operator === '!=' ? (row) => truthy(data[row]) !== wanted : (row) => truthy(data[row]) === wanted;
  }
  const values = numericValues(data);
  const bound = Number(operand);
  const compare: Record<string, (value: number) => boolean> = {
    '>': (value) => value > bound,
    '>=': (value) => value >= bound,
    '<': (value) => value < bound,
    '<=': (value) => value <= bound,
    '==': (value) => value === bound,
    '!=': (value) => value !== bound,
  };
  const test = compare[operator]!;
  return (row) => test(values[row]!);
}

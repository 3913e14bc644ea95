// Latency gates: P50 / P95 / P99 per model with bootstrap intervals, and the challenger / champion ratio
// judged on its interval, so one noisy run neither passes nor fails a model on luck alone.
import { cellAt, type Table } from '@mlops/data';
import { didYouMean, UserError } from '@mlops/kit';
import { createRandom } from '@mlops/stats';
import type { LatencyConfig, LatencyPercentileKey } from './config-types.ts';

export interface LatencyPercentileResult {
  key: LatencyPercentileKey;
  quantile: number;
  challenger: { value: number; ci: [number, number] };
  champion?: { value: number; ci: [number, number] };
  /** challenger / champion, with the percentile bootstrap interval of the ratio. */
  ratio?: { value: number; ci: [number, number] };
}

export interface LatencyResult {
  file: string;
  n: { challenger: number; champion?: number };
  confidence: number;
  resamples: number;
  percentiles: LatencyPercentileResult[];
}

const QUANTILE: Record<LatencyPercentileKey, number> = { p50_ms: 0.5, p95_ms: 0.95, p99_ms: 0.99 };

/**
 * The q-quantile of sorted values with linear interpolation between order statistics (Hyndman & Fan type 7,
 * numpy.percentile's default).
 * @example quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5); // => 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = (n - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  const fraction = position - lower;
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * fraction;
}

/** Splits a latency table into the two models' samples (ms), refusing anything that is not a duration. */
export function latencySamples(
  table: Table,
  config: LatencyConfig,
  file: string,
): { challenger: Float64Array; champion?: Float64Array } {
  const models = table.data[config.model_column];
  const values = table.data[config.value_column];
  for (const [name, cells] of [
    [config.model_column, models],
    [config.value_column, values],
  ] as const) {
    if (!cells)
      throw new UserError(
        `${file}: no column '${name}'${didYouMean(name, table.columns)}; columns: ${table.columns.join(', ')}`,
      );
  }
  const byModel = new Map<string, number[]>();
  for (let i = 0; i < table.rowCount; i++) {
    const model = String(cellAt(models!, i));
    const value = cellAt(values!, i);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new UserError(
        `${file}: column '${config.value_column}' row ${i + 1} is '${String(value)}': latencies must be non-negative numbers of ms`,
      );
    }
    let list = byModel.get(model);
    if (!list) {
      list = [];
      byModel.set(model, list);
    }
    list.push(value);
  }
  const challenger = byModel.get(config.challenger);
  if (!challenger || challenger.length < 2) {
    throw new UserError(
      `${file}: fewer than 2 latency samples for model '${config.challenger}' in column '${config.model_column}' (models: ${[...byModel.keys()].slice(0, 10).join(', ')})`,
    );
  }
  const champion = byModel.get(config.champion);
  return {
    challenger: Float64Array.from(challenger),
    ...(champion && champion.length >= 2 ? { champion: Float64Array.from(champion) } : {}),
  };
}

/**
 * Percentiles of each model with percentile-bootstrap intervals (independent resamples of each model's
 * samples, B replicates), and the ratio challenger / champion with the interval of the replicate ratios.
 */
export function latencyPercentiles(
  samples: { challenger: Float64Array; champion?: Float64Array },
  keys: readonly LatencyPercentileKey[],
  options: { confidence: number; resamples: number; seed: number; file: string },
): LatencyResult {
  const random = createRandom(options.seed);
  const alpha = (1 - options.confidence) / 2;
  const replicate = (values: Float64Array) => {
    // B resamples, each sorted once and read at every requested quantile.
    const out = keys.map(() => new Float64Array(options.resamples));
    const resample = new Float64Array(values.length);
    for (let b = 0; b < options.resamples; b++) {
      for (let i = 0; i < values.length; i++) resample[i] = values[random.nextInt(values.length)]!;
      resample.sort();
      keys.forEach((key, index) => {
        out[index]![b] = quantileSorted(resample, QUANTILE[key]);
      });
    }
    return out;
  };
  const interval = (values: Float64Array): [number, number] => {
    const sorted = Float64Array.from(values).sort();
    return [quantileSorted(sorted, alpha), quantileSorted(sorted, 1 - alpha)];
  };
  const challengerSorted = Float64Array.from(samples.challenger).sort();
  const championSorted = samples.champion ? Float64Array.from(samples.champion).sort() : undefined;
  const challengerReplicates = replicate(samples.challenger);
  const championReplicates = samples.champion ? replicate(samples.champion) : undefined;
  const percentiles = keys.map((key, index): LatencyPercentileResult => {
    const q = QUANTILE[key];
    const result: LatencyPercentileResult = {
      key,
      quantile: q,
      challenger: { value: quantileSorted(challengerSorted, q), ci: interval(challengerReplicates[index]!) },
    };
    if (championSorted && championReplicates) {
      const champion = quantileSorted(championSorted, q);
      result.champion = { value: champion, ci: interval(championReplicates[index]!) };
      const ratios = new Float64Array(options.resamples);
      for (let b = 0; b < options.resamples; b++) {
        ratios[b] = challengerReplicates[index]![b]! / championReplicates[index]![b]!;
      }
      result.ratio = { value: result.challenger.value / champion, ci: interval(ratios) };
    }
    return result;
  });
  return {
    file: options.file,
    n: {
      challenger: samples.challenger.length,
      ...(samples.champion ? { champion: samples.champion.length } : {}),
    },
    confidence: options.confidence,
    resamples: options.resamples,
    percentiles,
  };
}

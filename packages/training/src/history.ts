// Rows -> one series per metric, merged by step. Lightning and Hugging Face log training and validation
// metrics on different rows of the same step; a step's rows are merged, and a metric logged twice at one step
// or a step that goes backwards is refused: both mean two runs in one file (a resumed Keras run appending to
// its CSV restarts at epoch 0), and checks on such a mix would judge neither run.
import { didYouMean, UserError } from '@mlops/kit';
import { describePlace, numberOf } from './read-log.ts';
import type { MetricSeries, RawLog, SourcePlace, TrainingHistory } from './types.ts';

/** The keys tried, in order, when the config names no step key. */
export const DEFAULT_STEP_KEYS = ['step', 'epoch'] as const;

/**
 * Merges a log's rows by step. `stepKey` is the config's `step` (undefined: `step`, else `epoch`, else row
 * order); `required` are the metrics the checks read: a non-numeric value in one of them is an error with its
 * place, while other non-numeric keys (a timestamp, a run name) are simply not metrics.
 */
export function buildHistory(
  log: RawLog,
  stepKey: string | undefined,
  required: readonly string[],
): TrainingHistory {
  const key = resolveStepKey(log, stepKey);
  const requiredSet = new Set(required);
  const numericKeys = new Set<string>();
  const textKeys = new Set<string>();
  const series = new Map<string, MetricSeries>();
  /** Where each metric was last logged, to name both places when a step repeats it. */
  const lastPlace = new Map<string, SourcePlace>();
  const steps: number[] = [];
  let previous: { step: number; place: SourcePlace } | undefined;

  log.records.forEach((record, position) => {
    let step: number;
    if (key === '') {
      step = position + 1;
    } else {
      const raw = record.values.get(key);
      if (raw === undefined) {
        throw new UserError(`${describePlace(record.place)}: no value for the step key '${key}'`);
      }
      const parsed = numberOf(raw);
      if (parsed === undefined || !Number.isFinite(parsed)) {
        throw new UserError(
          `${describePlace(record.place)}: '${key}' must be a finite number (the step that orders rows), got '${String(raw)}'`,
        );
      }
      step = parsed;
    }
    if (previous !== undefined && step < previous.step) {
      throw new UserError(
        `${describePlace(record.place)}: ${key || 'row'} ${step} comes after ${key || 'row'} ${previous.step} (${describePlace(previous.place)}); steps must not go backwards (two runs appended to one log?)`,
      );
    }
    const newStep = previous === undefined || step !== previous.step;
    if (newStep) steps.push(step);
    previous = { step, place: record.place };

    for (const [name, raw] of record.values) {
      if (name === key) continue;
      const value = numberOf(raw);
      if (value === undefined) {
        if (requiredSet.has(name)) {
          throw new UserError(
            `${describePlace(record.place)}: '${name}' must be a number (or nan / inf), got '${truncate(String(typeof raw === 'object' ? JSON.stringify(raw) : raw))}'`,
          );
        }
        textKeys.add(name);
        continue;
      }
      numericKeys.add(name);
      let metric = series.get(name);
      if (!metric) {
        metric = { steps: [], values: [] };
        series.set(name, metric);
      }
      const last = metric.steps.length - 1;
      if (last >= 0 && metric.steps[last] === step) {
        // Lightning and Hugging Face repeat `epoch` on every row of a step: the same value is no conflict, and
        // a key no check reads keeps its first value.
        if (Object.is(metric.values[last], value) || !requiredSet.has(name)) continue;
        throw new UserError(
          `${describePlace(record.place)}: '${name}' is logged twice at ${key || 'row'} ${step} with different values (also ${describePlace(lastPlace.get(name)!)}); steps must not repeat a metric (two runs in one log?)`,
        );
      }
      metric.steps.push(step);
      metric.values.push(value);
      lastPlace.set(name, record.place);
    }
  });

  // A key with numbers and text (a placeholder such as "-") is not a metric either; name it if required.
  const metricNames = log.keys.filter((name) => name !== key && numericKeys.has(name) && !textKeys.has(name));
  for (const name of textKeys) series.delete(name);
  return { file: log.file, format: log.format, stepKey: key, steps, metricNames, series };
}

function resolveStepKey(log: RawLog, stepKey: string | undefined): string {
  if (stepKey !== undefined) {
    if (!log.keys.includes(stepKey)) {
      throw new UserError(
        `${log.file}: the step key '${stepKey}' is not in the log${didYouMean(stepKey, log.keys)}; it has ${listKeys(log.keys)}`,
      );
    }
    return stepKey;
  }
  return DEFAULT_STEP_KEYS.find((candidate) => log.keys.includes(candidate)) ?? '';
}

/** `'loss', 'val_loss' and 2 more` style list, capped so a wide log does not flood the message. */
export function listKeys(keys: readonly string[], max = 20): string {
  const shown = keys.slice(0, max).map((key) => `'${key}'`);
  const more = keys.length > max ? ` and ${keys.length - max} more` : '';
  return keys.length === 0 ? 'no metrics' : `${shown.join(', ')}${more}`;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

// The checks on one history. Every check but `finite` judges the finite values of its metric: a NaN or an
// infinity is the finite check's to report (and the config adds one for every checked metric), so a run that
// blew up is reported once, at the first bad step, rather than as every statistic that NaN poisons.
import { isBetter } from './mode.ts';
import type { CheckConfig, CheckResult, MetricSeries, Mode, TrainingHistory } from './types.ts';

type Of<K extends CheckConfig['kind']> = Extract<CheckConfig, { kind: K }>;

export function runCheck(check: CheckConfig, history: TrainingHistory): CheckResult {
  const series = (name: string) => history.series.get(name) ?? { steps: [], values: [] };
  const unit = history.stepKey || 'row';
  switch (check.kind) {
    case 'finite':
      return finiteCheck(check, series(check.metric), unit);
    case 'min_decrease':
      return minDecreaseCheck(check, finiteOnly(series(check.metric)), unit);
    case 'max_rise_from_best':
      return maxRiseCheck(check, finiteOnly(series(check.metric)), unit);
    case 'min':
    case 'max':
      return boundCheck(check, finiteOnly(series(check.metric)), unit);
    case 'gap':
      return gapCheck(check, finiteOnly(series(check.train)), finiteOnly(series(check.validation)), unit);
    case 'percentile':
      return percentileCheck(check, finiteOnly(series(check.metric)), unit);
    case 'plateau':
      return plateauCheck(check, finiteOnly(series(check.metric)), unit);
  }
}

export function finiteOnly(series: MetricSeries): MetricSeries {
  const steps: number[] = [];
  const values: number[] = [];
  series.values.forEach((value, index) => {
    if (Number.isFinite(value)) {
      steps.push(series.steps[index]!);
      values.push(value);
    }
  });
  return { steps, values };
}

function result(
  check: CheckConfig,
  metric: string,
  passed: boolean,
  observed: number | null,
  threshold: CheckResult['threshold'],
  step: number | null,
  message: string,
  details?: CheckResult['details'],
): CheckResult {
  return {
    metric,
    check: check.kind,
    passed,
    observed,
    threshold,
    step,
    message: check.configured ? message : `${message} (implied: every checked metric must stay finite)`,
    ...(details || !check.configured
      ? { details: { ...details, ...(check.configured ? {} : { implied: true }) } }
      : {}),
  };
}

const show = (value: number) =>
  Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
const percent = (share: number) => `${show(share * 100)}%`;
const noValues = (check: CheckConfig, metric: string, threshold: CheckResult['threshold']) =>
  result(check, metric, false, null, threshold, null, `'${metric}' has no finite value to judge`);

function finiteCheck(check: Of<'finite'>, series: MetricSeries, unit: string): CheckResult {
  const bad = series.values.flatMap((value, index) => (Number.isFinite(value) ? [] : [index]));
  if (series.values.length === 0) return noValues(check, check.metric, 0);
  if (bad.length === 0) {
    return result(check, check.metric, true, 0, 0, null, `all ${series.values.length} values are finite`);
  }
  const first = bad[0]!;
  const step = series.steps[first]!;
  const value = series.values[first]!;
  const word = Number.isNaN(value) ? 'NaN' : value > 0 ? 'inf' : '-inf';
  return result(
    check,
    check.metric,
    false,
    bad.length,
    0,
    step,
    `${word} at ${unit} ${show(step)}, the first of ${bad.length} non-finite value${bad.length === 1 ? '' : 's'} (of ${series.values.length})`,
  );
}

/** Index of the best value (the first one on ties). */
function bestIndex(values: readonly number[], mode: Mode): number {
  let best = 0;
  for (let index = 1; index < values.length; index++)
    if (isBetter(values[index]!, values[best]!, mode)) best = index;
  return best;
}

function minDecreaseCheck(check: Of<'min_decrease'>, series: MetricSeries, unit: string): CheckResult {
  if (series.values.length === 0) return noValues(check, check.metric, check.threshold);
  const first = series.values[0]!;
  const best = bestIndex(series.values, check.mode);
  const bestValue = series.values[best]!;
  const details = { first: first, best: bestValue, best_step: series.steps[best]!, mode: check.mode };
  if (first === 0) {
    return result(
      check,
      check.metric,
      false,
      null,
      check.threshold,
      series.steps[best]!,
      `the first value is 0, so a relative improvement is undefined`,
      details,
    );
  }
  const improvement = (check.mode === 'min' ? first - bestValue : bestValue - first) / Math.abs(first);
  const passed = improvement >= check.threshold;
  const direction = check.mode === 'min' ? 'decreased' : 'increased';
  return result(
    check,
    check.metric,
    passed,
    improvement,
    check.threshold,
    series.steps[best]!,
    `best ${show(bestValue)} (${unit} ${show(series.steps[best]!)}) vs first ${show(first)}: ${direction} by ${percent(improvement)}, ${passed ? 'at least' : 'less than'} the ${percent(check.threshold)} required${passed ? '' : ' (stuck: a learning rate too small, frozen weights?)'}`,
    details,
  );
}

function maxRiseCheck(check: Of<'max_rise_from_best'>, series: MetricSeries, unit: string): CheckResult {
  if (series.values.length === 0) return noValues(check, check.metric, check.threshold);
  const best = bestIndex(series.values, check.mode);
  const bestValue = series.values[best]!;
  const lastIndex = series.values.length - 1;
  const last = series.values[lastIndex]!;
  const lastStep = series.steps[lastIndex]!;
  const details = { best: bestValue, best_step: series.steps[best]!, last, mode: check.mode };
  const worsening = check.mode === 'min' ? last - bestValue : bestValue - last;
  if (bestValue === 0 && worsening !== 0) {
    return result(
      check,
      check.metric,
      false,
      null,
      check.threshold,
      lastStep,
      'the best value is 0, so a relative rise from it is undefined',
      details,
    );
  }
  const rise = worsening === 0 ? 0 : worsening / Math.abs(bestValue);
  const passed = rise <= check.threshold;
  return result(
    check,
    check.metric,
    passed,
    rise,
    check.threshold,
    lastStep,
    `last ${show(last)} (${unit} ${show(lastStep)}) is ${percent(rise)} worse than the best ${show(bestValue)} (${unit} ${show(series.steps[best]!)}); at most ${percent(check.threshold)} allowed${passed ? '' : ' (diverging or overfitting)'}`,
    details,
  );
}

function boundCheck(check: Of<'min' | 'max'>, series: MetricSeries, unit: string): CheckResult {
  if (series.values.length === 0) return noValues(check, check.metric, check.threshold);
  const lastIndex = series.values.length - 1;
  const last = series.values[lastIndex]!;
  const step = series.steps[lastIndex]!;
  const passed = check.kind === 'min' ? last >= check.threshold : last <= check.threshold;
  const bound = check.kind === 'min' ? 'floor' : 'ceiling';
  return result(
    check,
    check.metric,
    passed,
    last,
    check.threshold,
    step,
    `last value ${show(last)} (${unit} ${show(step)}) is ${passed ? 'within' : 'beyond'} the ${bound} ${show(check.threshold)}`,
  );
}

function gapCheck(
  check: Of<'gap'>,
  train: MetricSeries,
  validation: MetricSeries,
  unit: string,
): CheckResult {
  const metric = `${check.train} - ${check.validation}`;
  if (validation.values.length === 0) return noValues(check, check.validation, check.threshold);
  const validationIndex = validation.values.length - 1;
  const step = validation.steps[validationIndex]!;
  // The train value logged at the validation step, or the latest before it: Lightning and Hugging Face log
  // training metrics on their own steps.
  let trainIndex = -1;
  for (let index = 0; index < train.steps.length && train.steps[index]! <= step; index++) trainIndex = index;
  if (trainIndex === -1) {
    return result(
      check,
      metric,
      false,
      null,
      check.threshold,
      step,
      `no finite '${check.train}' at or before ${unit} ${show(step)}, the last '${check.validation}'`,
    );
  }
  const trainValue = train.values[trainIndex]!;
  const validationValue = validation.values[validationIndex]!;
  // Oriented so that a positive gap means "better on the training data", whichever way the metric improves.
  const raw = check.mode === 'max' ? trainValue - validationValue : validationValue - trainValue;
  if (check.relative && trainValue === 0) {
    return result(
      check,
      metric,
      false,
      null,
      check.threshold,
      step,
      `'${check.train}' is 0, so the relative gap is undefined`,
    );
  }
  const gap = check.relative ? raw / Math.abs(trainValue) : raw;
  const passed = gap <= check.threshold;
  const trainStep = train.steps[trainIndex]!;
  return result(
    check,
    metric,
    passed,
    gap,
    check.threshold,
    step,
    `train ${show(trainValue)} (${unit} ${show(trainStep)}) vs validation ${show(validationValue)} (${unit} ${show(step)}): ${check.relative ? 'relative ' : ''}gap ${show(gap)}, at most ${show(check.threshold)} allowed`,
    { train: trainValue, validation: validationValue, train_step: trainStep, mode: check.mode },
  );
}

/** The p-th percentile with linear interpolation between order statistics (numpy's default, Hyndman-Fan 7). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = ((sorted.length - 1) * p) / 100;
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (position - low) * (sorted[high]! - sorted[low]!);
}

function percentileCheck(check: Of<'percentile'>, series: MetricSeries, unit: string): CheckResult {
  const threshold: CheckResult['threshold'] =
    check.min !== undefined && check.max !== undefined
      ? [check.min, check.max]
      : (check.max ?? check.min ?? null);
  if (series.values.length === 0) return noValues(check, check.metric, threshold);
  const value = percentile(series.values, check.percentile);
  const tooHigh = check.max !== undefined && value > check.max;
  const tooLow = check.min !== undefined && value < check.min;
  const passed = !tooHigh && !tooLow;
  // The step a reviewer should look at: the first value beyond the violated bound.
  const offending = passed
    ? -1
    : series.values.findIndex((entry) => (tooHigh ? entry > check.max! : entry < check.min!));
  const bounds = [
    check.min === undefined ? undefined : `>= ${show(check.min)}`,
    check.max === undefined ? undefined : `<= ${show(check.max)}`,
  ].filter(Boolean);
  return result(
    check,
    check.metric,
    passed,
    value,
    threshold,
    offending === -1 ? null : series.steps[offending]!,
    `P${show(check.percentile)} over ${series.values.length} values is ${show(value)}; required ${bounds.join(' and ')}${offending === -1 ? '' : ` (first beyond it at ${unit} ${show(series.steps[offending]!)})`}`,
    {
      percentile: check.percentile,
      bound:
        check.min !== undefined && check.max !== undefined ? 'both' : check.max !== undefined ? 'max' : 'min',
    },
  );
}

/**
 * Keras' EarlyStopping replayed on the history: a value improves when it beats the best so far by more than
 * min_delta (the best moves only then); the run has converged when the last `patience` values brought no
 * improvement, i.e. EarlyStopping would have stopped it.
 */
function plateauCheck(check: Of<'plateau'>, series: MetricSeries, unit: string): CheckResult {
  if (series.values.length === 0) return noValues(check, check.metric, check.patience);
  let best = series.values[0]!;
  let bestAt = 0;
  for (let index = 1; index < series.values.length; index++) {
    const value = series.values[index]!;
    const improved = check.mode === 'min' ? value < best - check.minDelta : value > best + check.minDelta;
    if (improved) {
      best = value;
      bestAt = index;
    }
  }
  const without = series.values.length - 1 - bestAt;
  const passed = without >= check.patience;
  const step = series.steps[bestAt]!;
  return result(
    check,
    check.metric,
    passed,
    without,
    check.patience,
    step,
    `last improvement beyond ${show(check.minDelta)} at ${unit} ${show(step)} (${show(best)}), ${without} value${without === 1 ? '' : 's'} before the end; ${passed ? 'converged' : `not converged: ${check.patience} without improvement required`}`,
    { best, mode: check.mode, min_delta: check.minDelta },
  );
}

// Fairness gates on a sensitive column, with Fairlearn's definitions from @mlops/stats: per-group selection
// rate, TPR and FPR at the threshold; `*_difference` = max - min over groups, `*_ratio` = min / max;
// equalized odds takes the worse of TPR and FPR. Groups below min_support are left out and listed, and fewer
// than two usable groups is "not enough data", never a pass.

import { keyedByData } from '@mlops/kit/keyed-by-data';
import {
  byGroup,
  disparateImpact,
  FAIRNESS_RATES,
  type FairnessResult,
  fairnessMeasure,
  StatsError,
} from '@mlops/stats';
import type { FairnessConfig, FairnessMetricName } from './config-types.ts';
import type { Predictions } from './predictions.ts';
import type { FairnessGroup, FairnessReport, GateResult } from './report-types.ts';
import { groupKey } from './slices.ts';

/** Differences are better when lower, ratios (and disparate impact, up to parity) when higher. */
export function fairnessHigherIsBetter(metric: FairnessMetricName): boolean {
  return metric.endsWith('_ratio') || metric === 'disparate_impact';
}

interface MeasureOutcome {
  value: number | null;
  groups: Record<string, FairnessGroup>;
  excluded: Record<string, number>;
  usable: number;
}

/**
 * One model's measure through @mlops/stats (Fairlearn's definitions); null when fewer than two groups have
 * the support and a defined rate, because one group alone shows no disparity whatever the model does.
 */
function measure(
  predictions: Predictions,
  scores: Float64Array,
  config: FairnessConfig,
  threshold: number,
): MeasureOutcome {
  const input = {
    yTrue: predictions.labels,
    yPred: scores,
    sensitive: predictions.groups[config.column]!.map(groupKey),
    threshold,
    minSupport: config.min_support,
    ...(predictions.weights ? { sampleWeight: predictions.weights } : {}),
  };
  let result: FairnessResult | undefined;
  try {
    result =
      config.metric === 'disparate_impact'
        ? disparateImpact(input, config.privileged!)
        : fairnessMeasure(config.metric, input);
  } catch (error) {
    if (!(error instanceof StatsError)) throw error;
  }
  const frame = result?.frame ?? byGroup(input, FAIRNESS_RATES);
  const groups = keyedByData<FairnessGroup>();
  const excluded = keyedByData<number>();
  const excludedNames = new Set(result?.excludedGroups ?? frame.groups.map((group) => group.group));
  for (const group of frame.groups) {
    const rate = (name: string) => (Number.isFinite(group.values[name]) ? group.values[name]! : null);
    groups[group.group] = {
      n: group.n,
      selection_rate: rate('selection_rate') ?? Number.NaN,
      tpr: rate('true_positive_rate'),
      fpr: rate('false_positive_rate'),
    };
    if (excludedNames.has(group.group)) excluded[group.group] = group.n;
  }
  const usable = frame.groups.length - excludedNames.size;
  const value = result && usable >= 2 && Number.isFinite(result.value) ? result.value : null;
  return { value, groups, excluded, usable };
}

export function evaluateFairness(
  predictions: Predictions,
  config: FairnessConfig,
  threshold: number,
): { report: FairnessReport; gate: GateResult } {
  const challenger = measure(predictions, predictions.challenger, config, threshold);
  const { value, groups: rates, excluded } = challenger;
  let championValue: number | null | undefined;
  if (predictions.champion)
    championValue = measure(predictions, predictions.champion, config, threshold).value;
  const threshold_: Record<string, number> = {};
  if (config.min !== undefined) threshold_.min = config.min;
  if (config.max !== undefined) threshold_.max = config.max;
  if (config.max_regression !== undefined) threshold_.max_regression = config.max_regression;
  const name = `fairness ${config.metric} by ${config.column}`;
  const excludedText = Object.keys(excluded).length
    ? ` (left out: fewer than ${config.min_support} rows or the rate undefined: ${Object.entries(excluded)
        .slice(0, 5)
        .map(([group, n]) => `${group} (${n})`)
        .join(', ')})`
    : '';

  let status: FairnessReport['status'];
  let message: string;
  if (value === null) {
    status = 'insufficient';
    message = `not enough data: ${challenger.usable} group(s) of '${config.column}' have at least ${config.min_support} rows and a defined ${config.metric}, 2 are needed${excludedText}`;
  } else {
    const problems: string[] = [];
    if (config.min !== undefined && value < config.min)
      problems.push(`${fmt(value)} is below the minimum ${config.min}`);
    if (config.max !== undefined && value > config.max)
      problems.push(`${fmt(value)} is above the maximum ${config.max}`);
    if (config.max_regression !== undefined && championValue !== undefined && championValue !== null) {
      const worsening = fairnessHigherIsBetter(config.metric) ? championValue - value : value - championValue;
      if (worsening > config.max_regression) {
        problems.push(
          `worse than the champion's ${fmt(championValue)} by ${fmt(worsening)} (allowed ${config.max_regression})`,
        );
      }
    }
    status = problems.length === 0 ? 'passed' : 'failed';
    message =
      problems.length === 0
        ? `${config.metric} ${fmt(value)} across ${challenger.usable} groups of '${config.column}'${excludedText}`
        : `${config.metric} ${problems.join('; ')}${excludedText}`;
  }
  const passed = status === 'passed';
  const report: FairnessReport = {
    column: config.column,
    metric: config.metric,
    value,
    threshold: threshold_,
    passed,
    status,
    groups: rates,
    excluded_groups: excluded,
    message,
  };
  if (championValue !== undefined) report.champion_value = championValue;
  const gate: GateResult = {
    name,
    kind: 'fairness',
    passed,
    severity: status === 'insufficient' && config.on_insufficient === 'warn' ? 'warning' : 'error',
    observed: value,
    threshold: threshold_,
    message,
  };
  return { report, gate };
}

function fmt(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

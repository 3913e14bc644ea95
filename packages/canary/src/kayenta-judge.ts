// A Kayenta-style metric classification (NetflixACAJudge-v1.0, as described in reference/online-gate.md):
// one value per time bucket per version, a two-sided Mann-Whitney interval on the shift, a tolerance band and
// an effect-size rule. Used by the calibration simulation to measure what re-running this fixed-horizon
// judge at every look does to the false-rollback rate; it does not control repeated looks.

import { copyKeyedByData } from '@mlops/kit/keyed-by-data';
import { hodgesLehmannShift, mannWhitney } from './mann-whitney.ts';

export type KayentaClass = 'Pass' | 'High' | 'Low' | 'Nodata';

export interface KayentaOptions {
  /** Confidence of the Mann-Whitney interval (Kayenta: 0.98). */
  confidence?: number;
  /** Share of |estimate| the interval must clear (Kayenta: 0.25). */
  tolerance?: number;
  /** Mean ratio canary / baseline above which High is allowed (Kayenta's allowedIncrease, 1.0). */
  allowedIncrease?: number;
  /** Mean ratio below which Low is allowed (allowedDecrease, 1.0). */
  allowedDecrease?: number;
}

export function kayentaClassify(
  canary: readonly number[],
  baseline: readonly number[],
  options: KayentaOptions = {},
): KayentaClass {
  const experiment = canary.filter(Number.isFinite);
  const control = baseline.filter(Number.isFinite);
  if (experiment.length === 0 || control.length === 0) return 'Nodata';
  const confidence = options.confidence ?? 0.98;
  const tolerance = options.tolerance ?? 0.25;
  const { p_value } = mannWhitney(experiment, control);
  const shift = hodgesLehmannShift(experiment, control, confidence);
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const ratio =
    mean(control) === 0
      ? mean(experiment) > 0
        ? Number.POSITIVE_INFINITY
        : 1
      : mean(experiment) / mean(control);
  const critical = tolerance * Math.abs(shift.estimate);
  if (p_value < 1 - confidence) {
    if (shift.lower > critical && ratio > (options.allowedIncrease ?? 1)) return 'High';
    if (shift.upper < -critical && ratio < (options.allowedDecrease ?? 1)) return 'Low';
  }
  return 'Pass';
}

export type KayentaDirection = 'increase' | 'decrease' | 'either';

export interface KayentaMetricInput {
  name: string;
  group: string;
  critical: boolean;
  /** Which change is a failure: increase (error rates, latency), decrease (a score), or either. */
  direction: KayentaDirection;
  canary: readonly number[];
  baseline: readonly number[];
}

export interface KayentaJudgeOptions extends KayentaOptions {
  passScore: number;
  marginalScore: number;
  /** Weight per group; groups not listed share what is left equally (all equal when empty). */
  groupWeights?: Record<string, number>;
}

export type KayentaVerdict = 'Pass' | 'Marginal' | 'Fail' | 'Nodata';

export interface KayentaResult {
  verdict: KayentaVerdict;
  /** Weighted summary score, 0-100 (null when no metric had data). */
  score: number | null;
  groups: { name: string; weight: number; score: number | null }[];
  metrics: {
    name: string;
    group: string;
    classification: KayentaClass;
    failed: boolean;
    critical: boolean;
  }[];
  /** A critical metric failed, which forces the score to 0. */
  critical_failure: boolean;
}

/**
 * NetflixACAJudge-v1.0 scoring: each metric classified on its time buckets; a classification against the
 * metric's direction fails it; group score = 100 · passed / (metrics with data); summary = weighted mean of
 * the group scores; a failed critical metric forces 0; Pass at >= passScore, Marginal at >= marginalScore.
 */
export function kayentaJudge(
  metrics: readonly KayentaMetricInput[],
  options: KayentaJudgeOptions,
): KayentaResult {
  const classified = metrics.map((metric) => {
    const classification = kayentaClassify(metric.canary, metric.baseline, options);
    const failed =
      (classification === 'High' && metric.direction !== 'decrease') ||
      (classification === 'Low' && metric.direction !== 'increase');
    return { name: metric.name, group: metric.group, classification, failed, critical: metric.critical };
  });
  const names = [...new Set(metrics.map((metric) => metric.group))];
  const given = copyKeyedByData(options.groupWeights);
  const listed = names.filter((name) => given[name] !== undefined);
  const rest = Math.max(0, 100 - listed.reduce((sum, name) => sum + given[name]!, 0));
  const unlisted = names.length - listed.length;
  const groups = names.map((name) => {
    const members = classified.filter(
      (metric) => metric.group === name && metric.classification !== 'Nodata',
    );
    const score =
      members.length === 0
        ? null
        : (100 * members.filter((metric) => !metric.failed).length) / members.length;
    const weight = given[name] ?? (unlisted > 0 ? rest / unlisted : 0);
    return { name, weight, score };
  });
  const scored = groups.filter((group) => group.score !== null && group.weight > 0);
  const totalWeight = scored.reduce((sum, group) => sum + group.weight, 0);
  const criticalFailure = classified.some((metric) => metric.critical && metric.failed);
  let score: number | null =
    totalWeight > 0
      ? scored.reduce((sum, group) => sum + group.weight * group.score!, 0) / totalWeight
      : null;
  if (criticalFailure) score = 0;
  const verdict: KayentaVerdict =
    score === null
      ? 'Nodata'
      : score >= options.passScore
        ? 'Pass'
        : score >= options.marginalScore
          ? 'Marginal'
          : 'Fail';
  return { verdict, score, groups, metrics: classified, critical_failure: criticalFailure };
}

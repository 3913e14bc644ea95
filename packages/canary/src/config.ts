// The canary file: YAML in, a validated CanaryConfig out, with the line of every mistake. Contradictions
// (a promote limit below the rollback margin, steps that do not rise, a soak shorter than a step) are
// refused here, before any query runs.
// ConfigChecker is the gate file's (imported by path: @mlops/gate does not export it).

import { parseDuration } from '@mlops/kit';
import { ConfigChecker } from '@mlops/kit/config-checker';
import { keyedByData } from '@mlops/kit/keyed-by-data';
import { type PathSegment, parseYamlSource } from '@mlops/kit/yaml-source';

export const SOURCES = ['prometheus', 'file'] as const;
export const METHODS = ['exact', 'normal'] as const;
export const SRM_TESTS = ['chi-square', 'sequential'] as const;
export const METRIC_KINDS = ['proportion', 'mean'] as const;
export const WORSE = ['higher', 'lower'] as const;
export const JUDGES = ['sequential', 'kayenta'] as const;

export interface MetricConfig {
  name: string;
  kind: (typeof METRIC_KINDS)[number];
  /** PromQL of the cumulative event counter per version (prometheus), or a row condition (file). */
  events: string;
  /** PromQL of the cumulative trial counter per version (prometheus); unused by the file source (every row is a trial). */
  trials: string;
  /** Promote only when the canary's rate is shown <= (1 + max_increase) × the baseline's. */
  max_increase: number;
  /** Roll back when the canary's rate is shown > (1 + rollback_margin) × the baseline's. */
  rollback_margin: number;
  /** kind: mean (file source): the column of per-request values (latency_ms, score, ...). */
  value?: string;
  /** kind: mean: promote only when the canary's mean is shown worse by less than this (in the value's units). */
  max_difference?: number;
  /** kind: mean: roll back when the canary's mean is shown worse by more than this (default 0). */
  rollback_difference?: number;
  /** kind: mean: which direction is a regression (default higher, as for latency). */
  worse?: (typeof WORSE)[number];
  /** judge: kayenta: the metric's group (default its name) and whether its failure fails the canary outright. */
  group: string;
  critical: boolean;
}

export interface KayentaConfig {
  pass_score: number;
  marginal_score: number;
  /** Length of a time bucket (a multiple of step); one value per bucket per version. */
  bucket_ms: number;
  /** Group weights (percent); groups not listed share the rest equally. */
  groups: Record<string, number>;
}

export interface CanaryConfig {
  source: (typeof SOURCES)[number];
  version_label: string;
  /** File source: the column with the request time (RFC 3339 or epoch seconds / milliseconds). */
  timestamp_column: string;
  canary_percent: number;
  soak_ms: number;
  alpha: number;
  step_ms: number;
  method: (typeof METHODS)[number];
  srm: { test: (typeof SRM_TESTS)[number]; p_value: number };
  /** Requests each version needs before anything but a rollback is decided. */
  min_requests: number;
  steps: number[];
  query_timeout_ms: number;
  /** sequential (default): anytime-valid tests; kayenta: NetflixACAJudge scoring of time buckets. */
  judge: (typeof JUDGES)[number];
  kayenta?: KayentaConfig;
  /** File source: compare the two versions' predictions (descriptive). */
  predictions?: { score: string; label?: string; request_id?: string; threshold: number };
  metrics: MetricConfig[];
}

const TOP_KEYS = [
  'source',
  'version_label',
  'timestamp_column',
  'traffic',
  'soak',
  'alpha',
  'step',
  'method',
  'srm',
  'min_requests',
  'steps',
  'query_timeout',
  'judge',
  'kayenta',
  'predictions',
  'metrics',
] as const;
const PREDICTIONS_KEYS = ['score', 'label', 'request_id', 'threshold'] as const;
const KAYENTA_KEYS = ['pass_score', 'marginal_score', 'bucket', 'groups'] as const;
const METRIC_KEYS = [
  'name',
  'kind',
  'events',
  'trials',
  'max_increase',
  'rollback_margin',
  'value',
  'max_difference',
  'rollback_difference',
  'worse',
  'group',
  'critical',
] as const;
const PROPORTION_ONLY = ['events', 'trials', 'max_increase', 'rollback_margin'] as const;
const MEAN_ONLY = ['value', 'max_difference', 'rollback_difference', 'worse'] as const;

export const CONFIG_DEFAULTS = {
  source: 'prometheus',
  version_label: 'model_version',
  timestamp_column: 'timestamp',
  soak: '30m',
  alpha: 0.05,
  step: '1m',
  method: 'exact',
  srm: { test: 'chi-square', p_value: 0.001 },
  min_requests: 100,
  steps: [10, 25, 50, 100],
  query_timeout: '30s',
  max_increase: 0.25,
  rollback_margin: 0,
} as const;

/** A row condition of the file source: `status >= 500`, `latency_ms > 100`, or a bare boolean column `error`. */
export const FILE_CONDITION =
  /^\s*([A-Za-z_][\w.-]*)\s*(?:(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?|true|false)\s*)?$/;

export function parseCanaryConfig(text: string, file: string): CanaryConfig {
  const source = parseYamlSource(text, file);
  const check = new ConfigChecker(source);
  const top = check.mapping([], source.data ?? {}, TOP_KEYS);
  const duration = (path: PathSegment[], value: unknown, fallback: string): number => {
    const raw = value === undefined || value === null ? fallback : String(value);
    const parsed = parseDuration(raw);
    if (parsed === undefined || parsed <= 0)
      throw check.error(path, `expected a duration such as 30s, 1m or 2h, got '${raw}'`);
    return parsed;
  };
  const kind =
    top.source === undefined ? CONFIG_DEFAULTS.source : check.choice(['source'], top.source, SOURCES);
  const traffic = check.mapping(['traffic'], top.traffic ?? {}, ['canary_percent']);
  if (traffic.canary_percent === undefined)
    throw check.error(['traffic'], 'canary_percent is required: the share of traffic the canary should get');
  const canaryPercent = check.number(['traffic', 'canary_percent'], traffic.canary_percent, {
    min: 0,
    max: 100,
    exclusive: true,
  });
  const srmRaw = check.mapping(['srm'], top.srm ?? {}, ['test', 'p_value']);
  const steps =
    top.steps === undefined
      ? [...CONFIG_DEFAULTS.steps]
      : check
          .list(['steps'], top.steps)
          .map((step, index) => check.number(['steps', index], step, { min: 0, max: 100 }));
  if (steps.length === 0) throw check.error(['steps'], 'expected at least one step');
  for (let index = 0; index < steps.length; index++) {
    if (steps[index]! <= (index === 0 ? 0 : steps[index - 1]!))
      throw check.error(
        ['steps', index],
        `steps must rise above 0: ${steps[index]} after ${index === 0 ? 0 : steps[index - 1]}`,
      );
  }
  if (steps[steps.length - 1] !== 100)
    throw check.error(['steps'], `the last step must be 100 (full rollout), got ${steps[steps.length - 1]}`);
  const metricList = check.list(['metrics'], top.metrics ?? null);
  if (metricList.length === 0) throw check.error(['metrics'], 'expected at least one metric');
  const names = new Set<string>();
  const metrics = metricList.map((raw, index): MetricConfig => {
    const path = ['metrics', index];
    const entry = check.mapping(path, raw, METRIC_KEYS);
    const name = check.string([...path, 'name'], entry.name);
    if (names.has(name)) throw check.error([...path, 'name'], `metric '${name}' is defined twice`);
    names.add(name);
    const metricKind =
      entry.kind === undefined ? 'proportion' : check.choice([...path, 'kind'], entry.kind, METRIC_KINDS);
    if (metricKind === 'mean') return meanMetric(check, path, entry, name, kind);
    for (const key of MEAN_ONLY)
      if (entry[key] !== undefined)
        throw check.error(
          [...path, key],
          `is for kind: mean; a proportion uses events / trials and max_increase`,
        );
    const events = check.string([...path, 'events'], entry.events);
    let trials = '';
    if (kind === 'prometheus') trials = check.string([...path, 'trials'], entry.trials);
    else {
      if (entry.trials !== undefined)
        throw check.error(
          [...path, 'trials'],
          'the file source counts every request as a trial: remove trials',
        );
      if (!FILE_CONDITION.test(events))
        throw check.error(
          [...path, 'events'],
          `expected a row condition such as 'status >= 500', 'latency_ms > 100' or a boolean column 'error', got '${events}'`,
        );
    }
    const maxIncrease =
      check.optionalNumber([...path, 'max_increase'], entry.max_increase, { min: 0, exclusive: true }) ??
      CONFIG_DEFAULTS.max_increase;
    const rollbackMargin =
      check.optionalNumber([...path, 'rollback_margin'], entry.rollback_margin, { min: 0 }) ??
      CONFIG_DEFAULTS.rollback_margin;
    if (rollbackMargin >= maxIncrease)
      throw check.error(
        [...path, 'rollback_margin'],
        `must be below max_increase (${maxIncrease}): a canary between the two would be both promotable and a rollback`,
      );
    return {
      name,
      kind: metricKind,
      events,
      trials,
      max_increase: maxIncrease,
      rollback_margin: rollbackMargin,
      group: name,
      critical: false,
    };
  });
  metricList.forEach((raw, index) => {
    const entry = raw as Record<string, unknown>;
    const metric = metrics[index]!;
    metric.group =
      entry.group === undefined ? metric.name : check.string(['metrics', index, 'group'], entry.group);
    metric.critical =
      entry.critical === undefined ? false : check.boolean(['metrics', index, 'critical'], entry.critical);
  });
  const stepMs = duration(['step'], top.step, CONFIG_DEFAULTS.step);
  const soakMs = duration(['soak'], top.soak, CONFIG_DEFAULTS.soak);
  const judge = top.judge === undefined ? 'sequential' : check.choice(['judge'], top.judge, JUDGES);
  if (judge !== 'kayenta' && top.kayenta !== undefined)
    throw check.error(['kayenta'], 'is read only with judge: kayenta');
  if (soakMs < stepMs)
    throw check.error(['soak'], `must be at least one step (${top.step ?? CONFIG_DEFAULTS.step})`);
  return {
    source: kind,
    version_label:
      top.version_label === undefined
        ? kind === 'file'
          ? 'version'
          : CONFIG_DEFAULTS.version_label
        : check.string(['version_label'], top.version_label),
    timestamp_column:
      top.timestamp_column === undefined
        ? CONFIG_DEFAULTS.timestamp_column
        : check.string(['timestamp_column'], top.timestamp_column),
    canary_percent: canaryPercent,
    soak_ms: soakMs,
    alpha:
      check.optionalNumber(['alpha'], top.alpha, { min: 0, max: 0.5, exclusive: true }) ??
      CONFIG_DEFAULTS.alpha,
    step_ms: stepMs,
    method: top.method === undefined ? CONFIG_DEFAULTS.method : check.choice(['method'], top.method, METHODS),
    srm: {
      test:
        srmRaw.test === undefined
          ? CONFIG_DEFAULTS.srm.test
          : check.choice(['srm', 'test'], srmRaw.test, SRM_TESTS),
      p_value:
        check.optionalNumber(['srm', 'p_value'], srmRaw.p_value, { min: 0, max: 0.5, exclusive: true }) ??
        CONFIG_DEFAULTS.srm.p_value,
    },
    min_requests:
      check.optionalNumber(['min_requests'], top.min_requests, { min: 1, integer: true }) ??
      CONFIG_DEFAULTS.min_requests,
    steps,
    query_timeout_ms: duration(['query_timeout'], top.query_timeout, CONFIG_DEFAULTS.query_timeout),
    judge,
    ...(top.predictions === undefined
      ? {}
      : { predictions: predictionsConfig(check, top.predictions, kind) }),
    ...(judge === 'kayenta' ? { kayenta: kayentaConfig(check, top.kayenta, stepMs, metrics, duration) } : {}),
    metrics,
  };
}

/** The traffic step after `percent` (100 when it is the last or beyond the list). */
export function nextStep(steps: readonly number[], percent: number): number {
  return steps.find((step) => step > percent + 1e-9) ?? 100;
}

/** kind: mean, per-request values of a request log, judged on the difference of the means. */
function meanMetric(
  check: ConfigChecker,
  path: PathSegment[],
  entry: Record<string, unknown>,
  name: string,
  source: (typeof SOURCES)[number],
): MetricConfig {
  if (source !== 'file')
    throw check.error(
      [...path, 'kind'],
      'kind: mean needs per-request values (source: file); from Prometheus, judge a histogram as a proportion',
    );
  for (const key of PROPORTION_ONLY)
    if (entry[key] !== undefined)
      throw check.error([...path, key], 'is for kind: proportion; a mean uses value and max_difference');
  const value = check.string([...path, 'value'], entry.value);
  if (entry.max_difference === undefined)
    throw check.error(path, 'max_difference is required for kind: mean (in the units of the value column)');
  const maxDifference = check.number([...path, 'max_difference'], entry.max_difference, {
    min: 0,
    exclusive: true,
  });
  const rollbackDifference =
    check.optionalNumber([...path, 'rollback_difference'], entry.rollback_difference, { min: 0 }) ?? 0;
  if (rollbackDifference >= maxDifference)
    throw check.error(
      [...path, 'rollback_difference'],
      `must be below max_difference (${maxDifference}): a canary between the two would be both promotable and a rollback`,
    );
  const worse = entry.worse === undefined ? 'higher' : check.choice([...path, 'worse'], entry.worse, WORSE);
  return {
    name,
    kind: 'mean',
    events: '',
    trials: '',
    max_increase: 0,
    rollback_margin: 0,
    value,
    max_difference: maxDifference,
    rollback_difference: rollbackDifference,
    worse,
    group: name,
    critical: false,
  };
}

function kayentaConfig(
  check: ConfigChecker,
  raw: unknown,
  stepMs: number,
  metrics: readonly MetricConfig[],
  duration: (path: PathSegment[], value: unknown, fallback: string) => number,
): KayentaConfig {
  const entry = check.mapping(['kayenta'], raw ?? {}, KAYENTA_KEYS);
  const passScore =
    check.optionalNumber(['kayenta', 'pass_score'], entry.pass_score, { min: 0, max: 100 }) ?? 95;
  const marginalScore =
    check.optionalNumber(['kayenta', 'marginal_score'], entry.marginal_score, { min: 0, max: 100 }) ?? 75;
  if (marginalScore > passScore)
    throw check.error(['kayenta', 'marginal_score'], `must not be above pass_score (${passScore})`);
  const bucketMs = duration(['kayenta', 'bucket'], entry.bucket, `${stepMs / 1000}s`);
  if (bucketMs % stepMs !== 0) throw check.error(['kayenta', 'bucket'], 'must be a whole number of steps');
  const groupsRaw = check.mapping(['kayenta', 'groups'], entry.groups ?? {});
  const known = [...new Set(metrics.map((metric) => metric.group))];
  const groups = keyedByData<number>();
  for (const [name, weight] of Object.entries(groupsRaw)) {
    if (!known.includes(name))
      throw check.error(
        ['kayenta', 'groups', name],
        `no metric is in group '${name}'; groups: ${known.join(', ')}`,
      );
    groups[name] = check.number(['kayenta', 'groups', name], weight, { min: 0, max: 100 });
  }
  const total = Object.values(groups).reduce((sum, weight) => sum + weight, 0);
  if (total > 100 + 1e-9)
    throw check.error(['kayenta', 'groups'], `weights add up to ${total}, more than 100`);
  return { pass_score: passScore, marginal_score: marginalScore, bucket_ms: bucketMs, groups };
}

function predictionsConfig(
  check: ConfigChecker,
  raw: unknown,
  source: (typeof SOURCES)[number],
): NonNullable<CanaryConfig['predictions']> {
  if (source !== 'file')
    throw check.error(['predictions'], 'needs per-request predictions (source: file, a request log)');
  const entry = check.mapping(['predictions'], raw, PREDICTIONS_KEYS);
  return {
    score: entry.score === undefined ? 'score' : check.string(['predictions', 'score'], entry.score),
    ...(entry.label === undefined ? {} : { label: check.string(['predictions', 'label'], entry.label) }),
    ...(entry.request_id === undefined
      ? {}
      : { request_id: check.string(['predictions', 'request_id'], entry.request_id) }),
    threshold: check.optionalNumber(['predictions', 'threshold'], entry.threshold) ?? 0.5,
  };
}

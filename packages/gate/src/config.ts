// The gate file: YAML in, a validated GateConfig out. Unknown keys, unknown metric names and thresholds that
// can never be met are refused here, before any data is read, with the line of the mistake.
import { didYouMean, UserError } from '@mlops/kit';
import { ConfigChecker, formatPath } from '@mlops/kit/config-checker';
import { type PathSegment, parseYamlSource } from '@mlops/kit/yaml-source';
import {
  ABSOLUTE_ON,
  type BehavioralBounds,
  type BehavioralConfig,
  BOOTSTRAP_METHODS,
  BOOTSTRAP_SCHEMES,
  COMPARISON_METHODS,
  type ComparisonMethod,
  FAIRNESS_METRICS,
  type FairnessConfig,
  type FairnessMetricName,
  type FlipsConfig,
  type GateConfig,
  LATENCY_PERCENTILES,
  type LatencyBoundConfig,
  type LatencyConfig,
  type MetricGateConfig,
  ON_INSUFFICIENT,
  type SliceConfig,
  TASKS,
} from './config-types.ts';
import { canonicalMetric, METRIC_ALIASES, METRIC_NAMES, metricInfo } from './metric-catalog.ts';

export const DEFAULTS = {
  threshold: 0.5,
  confidence: 0.95,
  resamples: 2000,
  seed: 42,
  minSupport: 30,
  minClassSupport: 5,
  calibrationBins: 10,
} as const;

const TOP_KEYS = [
  'task',
  'threshold',
  'positive_label',
  'metrics',
  'primary_metric',
  'require_improvement',
  'confidence',
  'absolute_on',
  'bootstrap',
  'slices',
  'fairness',
  'latency',
  'flips',
  'behavioral',
  'id_column',
  'calibration_bins',
] as const;
const METRIC_KEYS = ['min', 'max', 'max_regression', 'require_improvement', 'method', 'absolute_on'] as const;
const SLICE_METRIC_KEYS = ['min', 'max', 'max_regression', 'method', 'absolute_on'] as const;
const SLICE_KEYS = [
  'column',
  'metrics',
  'min_support',
  'min_class_support',
  'on_insufficient',
  'groups',
] as const;
const FAIRNESS_KEYS = [
  'column',
  'metric',
  'privileged',
  'rule',
  'min',
  'max',
  'max_regression',
  'min_support',
  'on_insufficient',
] as const;
const LATENCY_KEYS = [
  'file',
  'model_column',
  'value_column',
  'challenger',
  'champion',
  ...LATENCY_PERCENTILES,
] as const;
const FAIRNESS_RULES = ['four_fifths'] as const;
const FLIPS_KEYS = ['max_negative_flip_rate', 'slices', 'flip_tolerance'] as const;
const BEHAVIORAL_KEYS = ['file', 'max_fail_rate', 'max_regression', 'tests'] as const;
const BEHAVIORAL_TEST_KEYS = ['max_fail_rate', 'max_regression'] as const;

/** Every key the parser accepts, by section: the JSON Schema in docs/ is tested against these. */
export const CONFIG_KEYS = {
  top: TOP_KEYS,
  metric: METRIC_KEYS,
  sliceMetric: SLICE_METRIC_KEYS,
  slice: SLICE_KEYS,
  fairness: FAIRNESS_KEYS,
  latency: LATENCY_KEYS,
  flips: FLIPS_KEYS,
  behavioral: BEHAVIORAL_KEYS,
  behavioralTest: BEHAVIORAL_TEST_KEYS,
} as const;

/** A gate with nothing configured: the task's default metric, reported and compared, no thresholds. */
export function emptyGateConfig(): GateConfig {
  return {
    threshold: DEFAULTS.threshold,
    metrics: {},
    require_improvement: false,
    absolute_on: 'estimate',
    confidence: DEFAULTS.confidence,
    bootstrap: { resamples: DEFAULTS.resamples, seed: DEFAULTS.seed, method: 'percentile', scheme: 'auto' },
    slices: [],
    fairness: [],
    calibration_bins: DEFAULTS.calibrationBins,
  };
}

/**
 * Parses and validates a gate file.
 * @throws UserError naming the file, line and key for every mistake.
 */
export function parseGateConfig(text: string, fileName = 'gate config'): GateConfig {
  const source = parseYamlSource(text, fileName);
  const check = new ConfigChecker(source);
  if (source.data === null || source.data === undefined) return emptyGateConfig();
  const top = check.mapping([], source.data, TOP_KEYS);
  const config = emptyGateConfig();

  if (top.task !== undefined) config.task = check.choice(['task'], top.task, TASKS);
  if (top.threshold !== undefined)
    config.threshold = check.number(['threshold'], top.threshold, { min: 0, max: 1 });
  if (top.positive_label !== undefined) {
    // `positive_label: true` or `1` in YAML is a boolean / number; labels are compared as text.
    config.positive_label =
      typeof top.positive_label === 'boolean'
        ? String(top.positive_label)
        : check.string(['positive_label'], top.positive_label);
  }
  if (top.require_improvement !== undefined) {
    config.require_improvement = check.boolean(['require_improvement'], top.require_improvement);
  }
  if (top.confidence !== undefined) {
    config.confidence = check.number(['confidence'], top.confidence, { min: 0.5, max: 1, exclusive: true });
  }
  if (top.absolute_on !== undefined)
    config.absolute_on = check.choice(['absolute_on'], top.absolute_on, ABSOLUTE_ON);
  if (top.id_column !== undefined) config.id_column = check.string(['id_column'], top.id_column);
  if (top.calibration_bins !== undefined) {
    config.calibration_bins = check.number(['calibration_bins'], top.calibration_bins, {
      min: 2,
      max: 100,
      integer: true,
    });
  }
  if (top.bootstrap !== undefined) bootstrapSection(check, top.bootstrap, config);
  if (top.metrics !== undefined && top.metrics !== null) {
    const metrics = check.mapping(['metrics'], top.metrics);
    for (const [name, value] of Object.entries(metrics)) {
      const canonical = metricName(check, ['metrics', name], name);
      if (config.metrics[canonical]) throw check.error(['metrics', name], `'${canonical}' is listed twice`);
      config.metrics[canonical] = metricGate(check, ['metrics', name], canonical, value ?? {}, METRIC_KEYS);
    }
  }
  if (top.primary_metric !== undefined) {
    const name = metricName(check, ['primary_metric'], check.string(['primary_metric'], top.primary_metric));
    if (!config.metrics[name])
      throw check.error(['primary_metric'], `'${name}' is not one of the gate's metrics`);
    config.primary = name;
  } else {
    config.primary = Object.keys(config.metrics)[0];
  }
  if (top.slices !== undefined && top.slices !== null) {
    config.slices = check
      .list(['slices'], top.slices)
      .map((entry, index) => slice(check, ['slices', index], entry));
  }
  if (top.fairness !== undefined && top.fairness !== null) {
    config.fairness = check
      .list(['fairness'], top.fairness)
      .map((entry, index) => fairness(check, ['fairness', index], entry));
  }
  if (top.latency !== undefined && top.latency !== null)
    config.latency = latency(check, ['latency'], top.latency);
  if (top.flips !== undefined && top.flips !== null) config.flips = flips(check, ['flips'], top.flips);
  if (top.behavioral !== undefined && top.behavioral !== null)
    config.behavioral = behavioral(check, ['behavioral'], top.behavioral);
  config.locations = locations(check, top, config);
  return config;
}

function flips(check: ConfigChecker, path: PathSegment[], value: unknown): FlipsConfig {
  const raw = check.mapping(path, value, FLIPS_KEYS);
  const result: FlipsConfig = { slices: false, flip_tolerance: 0 };
  const budget = check.optionalNumber([...path, 'max_negative_flip_rate'], raw.max_negative_flip_rate, {
    min: 0,
    max: 1,
    exclusive: false,
    why: 'a share of the rows',
  });
  if (budget !== undefined) result.max_negative_flip_rate = budget;
  if (raw.slices !== undefined) result.slices = check.boolean([...path, 'slices'], raw.slices);
  const tolerance = check.optionalNumber([...path, 'flip_tolerance'], raw.flip_tolerance, { min: 0 });
  if (tolerance !== undefined) result.flip_tolerance = tolerance;
  return result;
}

function behavioral(check: ConfigChecker, path: PathSegment[], value: unknown): BehavioralConfig {
  const raw = check.mapping(path, value, BEHAVIORAL_KEYS);
  if (raw.file === undefined || raw.file === null) {
    throw check.error(
      path,
      "needs 'file' (the behavioral tests: one row per model input, e.g. file: out/behavior.csv)",
    );
  }
  const result: BehavioralConfig = { file: check.string([...path, 'file'], raw.file), tests: {} };
  Object.assign(result, behavioralBounds(check, path, raw));
  if (raw.tests !== undefined && raw.tests !== null) {
    for (const [name, bounds] of Object.entries(check.mapping([...path, 'tests'], raw.tests))) {
      const entry = check.mapping([...path, 'tests', name], bounds ?? {}, BEHAVIORAL_TEST_KEYS);
      result.tests[name] = behavioralBounds(check, [...path, 'tests', name], entry);
    }
  }
  return result;
}

function behavioralBounds(
  check: ConfigChecker,
  path: PathSegment[],
  raw: Record<string, unknown>,
): BehavioralBounds {
  const bounds: BehavioralBounds = {};
  const share = { min: 0, max: 1, why: 'a share of the test cases' };
  const rate = check.optionalNumber([...path, 'max_fail_rate'], raw.max_fail_rate, share);
  if (rate !== undefined) bounds.max_fail_rate = rate;
  const regression = check.optionalNumber([...path, 'max_regression'], raw.max_regression, share);
  if (regression !== undefined) bounds.max_regression = regression;
  return bounds;
}

/**
 * The gate file's place of every section the engine may refuse once the data is read, keyed by the
 * canonical key path (a metric under an alias is found under its canonical name).
 */
function locations(
  check: ConfigChecker,
  top: Record<string, unknown>,
  config: GateConfig,
): Record<string, string> {
  const found: Record<string, string> = {};
  const metricKeys = (path: PathSegment[], written: unknown) => {
    if (written === null || typeof written !== 'object') return;
    for (const name of Object.keys(written)) {
      const canonical = canonicalMetric(name) ?? name;
      found[formatPath([...path, canonical])] = check.where([...path, name]);
    }
  };
  metricKeys(['metrics'], top.metrics);
  if (top.task !== undefined) found.task = check.where(['task']);
  config.slices.forEach((_, index) => {
    for (const key of ['', 'column'])
      found[formatPath(['slices', index, ...(key ? [key] : [])])] = check.where([
        'slices',
        index,
        ...(key ? [key] : []),
      ]);
    metricKeys(['slices', index, 'metrics'], (top.slices as Record<string, unknown>[])[index]!.metrics);
  });
  config.fairness.forEach((_, index) => {
    found[formatPath(['fairness', index])] = check.where(['fairness', index]);
    for (const key of ['column', 'privileged'])
      found[formatPath(['fairness', index, key])] = check.where(['fairness', index, key]);
  });
  if (config.latency) found.latency = check.where(['latency']);
  if (config.flips) found.flips = check.where(['flips']);
  if (config.behavioral) {
    found.behavioral = check.where(['behavioral']);
    found['behavioral.file'] = check.where(['behavioral', 'file']);
    for (const name of Object.keys(config.behavioral.tests))
      found[`behavioral.tests.${name}`] = check.where(['behavioral', 'tests', name]);
  }
  return found;
}

/** The `bootstrap` section over its defaults. */
function bootstrapSection(check: ConfigChecker, value: unknown, config: GateConfig): void {
  const bootstrap = check.mapping(['bootstrap'], value, ['resamples', 'seed', 'method', 'scheme']);
  if (bootstrap.resamples !== undefined) {
    config.bootstrap.resamples = check.number(['bootstrap', 'resamples'], bootstrap.resamples, {
      min: 100,
      max: 100_000,
      integer: true,
    });
  }
  if (bootstrap.seed !== undefined) {
    config.bootstrap.seed = check.number(['bootstrap', 'seed'], bootstrap.seed, {
      min: 0,
      max: 2 ** 32 - 1,
      integer: true,
    });
  }
  if (bootstrap.method !== undefined) {
    config.bootstrap.method = check.choice(['bootstrap', 'method'], bootstrap.method, BOOTSTRAP_METHODS);
  }
  if (bootstrap.scheme !== undefined) {
    config.bootstrap.scheme = check.choice(['bootstrap', 'scheme'], bootstrap.scheme, BOOTSTRAP_SCHEMES);
  }
}

function metricName(check: ConfigChecker, path: PathSegment[], name: string): string {
  const canonical = canonicalMetric(name);
  if (canonical) return canonical;
  throw check.error(
    path,
    `unknown metric '${name}'${didYouMean(name, [...METRIC_NAMES, ...Object.keys(METRIC_ALIASES)])}; known: ${METRIC_NAMES.join(', ')}, and at a cut-off k: precision_at_<k>, recall_at_<k>, lift_at_<k>, ndcg_at_<k>, top_<k>_accuracy`,
  );
}

function metricGate(
  check: ConfigChecker,
  path: PathSegment[],
  name: string,
  value: unknown,
  keys: readonly string[],
): MetricGateConfig {
  const raw = check.mapping(path, value, keys);
  const info = metricInfo(name);
  const gate: MetricGateConfig = {};
  const [low, high] = info.range;
  const inRange = { min: low, max: high, why: `${name} lies in ${describeRange(info.range)}` };
  const min = check.optionalNumber([...path, 'min'], raw.min, inRange);
  const max = check.optionalNumber([...path, 'max'], raw.max, inRange);
  if (min !== undefined) gate.min = min;
  if (max !== undefined) gate.max = max;
  if (min !== undefined && max !== undefined && min > max) {
    throw check.error(path, `min ${min} is above max ${max}: no model can pass`);
  }
  const margin = check.optionalNumber([...path, 'max_regression'], raw.max_regression, { min: 0 });
  if (margin !== undefined) gate.max_regression = margin;
  if (raw.require_improvement !== undefined) {
    gate.require_improvement = check.boolean([...path, 'require_improvement'], raw.require_improvement);
  }
  if (raw.method !== undefined) {
    const method = check.choice([...path, 'method'], raw.method, COMPARISON_METHODS);
    if (!info.methods.includes(method)) {
      throw check.error(
        [...path, 'method'],
        `'${method}' cannot compare ${name}; use ${info.methods.join(' or ')}`,
      );
    }
    gate.method = method;
  }
  if (raw.absolute_on !== undefined)
    gate.absolute_on = check.choice([...path, 'absolute_on'], raw.absolute_on, ABSOLUTE_ON);
  if (margin !== undefined) checkMargin(check, [...path, 'max_regression'], name, margin, gate.method);
  return gate;
}

/**
 * A margin as wide as the metric's whole range lets every challenger pass. With McNemar it is also beyond
 * the test: the paired difference of two accuracies lies in (-1, 1), and Tango's score interval for a
 * margin of 1 or more is undefined.
 */
function checkMargin(
  check: ConfigChecker,
  path: PathSegment[],
  name: string,
  margin: number,
  method: ComparisonMethod | undefined,
): void {
  const info = metricInfo(name);
  if ((method ?? info.defaultMethod) === 'mcnemar' && margin >= 1) {
    throw check.error(
      path,
      `expected a number in [0, 1) for a McNemar comparison, got ${margin}: the margin is a difference of two accuracies, which lies in (-1, 1), so a margin of 1 or more passes every challenger and Tango's score interval is undefined there`,
    );
  }
  const width = info.range[1] - info.range[0];
  if (Number.isFinite(width) && margin >= width) {
    throw check.error(
      path,
      `expected a number below ${width}, got ${margin}: ${name} lies in ${describeRange(info.range)}, so no difference between two models can exceed the margin and every challenger would pass`,
    );
  }
}

function describeRange([low, high]: readonly [number, number]): string {
  const end = (value: number) => (Number.isFinite(value) ? String(value) : value > 0 ? '∞' : '-∞');
  return `${Number.isFinite(low) ? '[' : '('}${end(low)}, ${end(high)}${Number.isFinite(high) ? ']' : ')'}`;
}

function slice(check: ConfigChecker, path: PathSegment[], value: unknown): SliceConfig {
  const raw = check.mapping(path, value, SLICE_KEYS);
  if (raw.column === undefined)
    throw check.error(path, "needs 'column' (the column whose values define the slices)");
  const result: SliceConfig = {
    column: check.string([...path, 'column'], raw.column),
    metrics: {},
    min_support: DEFAULTS.minSupport,
    min_class_support: DEFAULTS.minClassSupport,
    on_insufficient: 'fail',
  };
  if (raw.metrics === undefined || raw.metrics === null) {
    throw check.error(path, "needs 'metrics' (e.g. metrics: { roc_auc: { min: 0.75 } })");
  }
  for (const [name, gate] of Object.entries(check.mapping([...path, 'metrics'], raw.metrics))) {
    const canonical = metricName(check, [...path, 'metrics', name], name);
    result.metrics[canonical] = metricGate(
      check,
      [...path, 'metrics', name],
      canonical,
      gate ?? {},
      SLICE_METRIC_KEYS,
    );
  }
  if (raw.min_support !== undefined) {
    result.min_support = check.number([...path, 'min_support'], raw.min_support, { min: 1, integer: true });
  }
  if (raw.min_class_support !== undefined) {
    result.min_class_support = check.number([...path, 'min_class_support'], raw.min_class_support, {
      min: 1,
      integer: true,
    });
  }
  if (raw.on_insufficient !== undefined) {
    result.on_insufficient = check.choice([...path, 'on_insufficient'], raw.on_insufficient, ON_INSUFFICIENT);
  }
  if (raw.groups !== undefined) {
    result.groups = check
      .list([...path, 'groups'], raw.groups)
      .map((group, index) => check.string([...path, 'groups', index], group));
  }
  return result;
}

function fairness(check: ConfigChecker, path: PathSegment[], value: unknown): FairnessConfig {
  const raw = check.mapping(path, value, FAIRNESS_KEYS);
  if (raw.column === undefined) throw check.error(path, "needs 'column' (the sensitive attribute)");
  const column = check.string([...path, 'column'], raw.column);
  let metric: FairnessMetricName;
  let min = check.optionalNumber([...path, 'min'], raw.min);
  const max = check.optionalNumber([...path, 'max'], raw.max);
  if (raw.rule !== undefined) {
    check.choice([...path, 'rule'], raw.rule, FAIRNESS_RULES);
    if (raw.metric !== undefined && raw.metric !== 'demographic_parity_ratio') {
      throw check.error(
        [...path, 'rule'],
        'the four-fifths rule is a bound on demographic_parity_ratio; drop metric',
      );
    }
    // The EEOC four-fifths (80%) rule: each group's selection rate is at least 80% of the highest group's.
    metric = 'demographic_parity_ratio';
    min = Math.max(min ?? 0.8, 0.8);
  } else {
    if (raw.metric === undefined)
      throw check.error(
        path,
        `needs 'metric' (one of ${FAIRNESS_METRICS.join(', ')}) or 'rule: four_fifths'`,
      );
    metric = check.choice([...path, 'metric'], raw.metric, FAIRNESS_METRICS);
  }
  const isRatio = metric.endsWith('_ratio') || metric === 'disparate_impact';
  const privileged = privilegedGroup(check, path, metric, raw.privileged);
  // Disparate impact is directional and exceeds 1 when the unprivileged rows are selected more.
  const upper = metric === 'disparate_impact' ? Number.POSITIVE_INFINITY : 1;
  for (const [key, bound] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (bound !== undefined && (bound < 0 || bound > upper)) {
      throw check.error(
        [...path, key],
        `${metric} lies in ${upper === 1 ? '[0, 1]' : '[0, ∞)'}, so ${key} ${bound} can ${key === 'min' ? 'never' : 'always'} be met`,
      );
    }
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw check.error(path, `min ${min} is above max ${max}: no model can pass`);
  }
  if (min === undefined && max === undefined && raw.max_regression === undefined) {
    throw check.error(
      path,
      `needs a bound: ${isRatio ? 'min (e.g. 0.8)' : 'max (e.g. 0.1)'} or max_regression`,
    );
  }
  const result: FairnessConfig = {
    column,
    metric,
    min_support: DEFAULTS.minSupport,
    on_insufficient: 'fail',
  };
  if (privileged !== undefined) result.privileged = privileged;
  if (min !== undefined) result.min = min;
  if (max !== undefined) result.max = max;
  const margin = check.optionalNumber([...path, 'max_regression'], raw.max_regression, { min: 0 });
  if (margin !== undefined) result.max_regression = margin;
  if (raw.min_support !== undefined) {
    result.min_support = check.number([...path, 'min_support'], raw.min_support, { min: 1, integer: true });
  }
  if (raw.on_insufficient !== undefined) {
    result.on_insufficient = check.choice([...path, 'on_insufficient'], raw.on_insufficient, ON_INSUFFICIENT);
  }
  return result;
}

/** disparate_impact's privileged group: required for it, refused with any other measure. */
function privilegedGroup(
  check: ConfigChecker,
  path: PathSegment[],
  metric: FairnessMetricName,
  value: unknown,
): string | undefined {
  if (metric !== 'disparate_impact') {
    if (value === undefined) return undefined;
    throw check.error(
      [...path, 'privileged'],
      `only disparate_impact has a privileged group; ${metric} compares every group with every other`,
    );
  }
  if (value === undefined || value === null) {
    throw check.error(
      path,
      "disparate_impact needs 'privileged' (the group whose selection rate is the denominator, e.g. privileged: '21-29'); without it use demographic_parity_ratio",
    );
  }
  return typeof value === 'boolean' ? String(value) : check.string([...path, 'privileged'], value);
}

function latency(check: ConfigChecker, path: PathSegment[], value: unknown): LatencyConfig {
  const raw = check.mapping(path, value, LATENCY_KEYS);
  const result: LatencyConfig = {
    file: raw.file === undefined ? '' : check.string([...path, 'file'], raw.file),
    model_column:
      raw.model_column === undefined ? 'model' : check.string([...path, 'model_column'], raw.model_column),
    value_column:
      raw.value_column === undefined ? 'ms' : check.string([...path, 'value_column'], raw.value_column),
    challenger:
      raw.challenger === undefined ? 'challenger' : check.string([...path, 'challenger'], raw.challenger),
    champion: raw.champion === undefined ? 'champion' : check.string([...path, 'champion'], raw.champion),
    bounds: {},
  };
  for (const key of LATENCY_PERCENTILES) {
    if (raw[key] === undefined) continue;
    const bound = check.mapping([...path, key], raw[key], ['max', 'max_regression_ratio']);
    const parsed: LatencyBoundConfig = {};
    const max = check.optionalNumber([...path, key, 'max'], bound.max, { min: 0, exclusive: true });
    const ratio = check.optionalNumber([...path, key, 'max_regression_ratio'], bound.max_regression_ratio, {
      min: 0,
      exclusive: true,
    });
    if (max !== undefined) parsed.max = max;
    if (ratio !== undefined) parsed.max_regression_ratio = ratio;
    if (max === undefined && ratio === undefined)
      throw check.error([...path, key], 'needs max and/or max_regression_ratio');
    result.bounds[key] = parsed;
  }
  if (Object.keys(result.bounds).length === 0) {
    throw check.error(
      path,
      `needs at least one of ${LATENCY_PERCENTILES.join(', ')} (e.g. p95_ms: { max: 50 })`,
    );
  }
  const [p50, p95, p99] = LATENCY_PERCENTILES.map((key) => result.bounds[key]?.max);
  const ordered = [p50, p95, p99].filter((bound): bound is number => bound !== undefined);
  for (let index = 1; index < ordered.length; index++) {
    if (ordered[index]! < ordered[index - 1]!) {
      throw check.error(
        path,
        'a higher percentile has a lower max than a lower percentile: no model can pass',
      );
    }
  }
  return result;
}

/**
 * A refusal about a part of the gate file that can only be judged once the data is read: prefixed with the
 * file, line and key path when the part came from the file (`gate.yml line 4: metrics.rmse: ...`).
 */
export function configError(config: GateConfig, key: string, message: string): UserError {
  const where = config.locations?.[key];
  return new UserError(where ? `${where}: ${message}` : message);
}

/** The simple inputs of a one-metric gate (`metric`, `min`, `max-regression`, ...), each optional. */
export interface GateInputOverrides {
  task?: GateConfig['task'];
  metric?: string;
  min?: number;
  maxRegression?: number;
  requireImprovement?: boolean;
  confidence?: number;
  threshold?: number;
  idColumn?: string;
  latencyFile?: string;
}

/**
 * Applies the action's simple inputs over a gate file: an input that is given wins over the file. `min` on a
 * loss (log_loss, rmse, ...) is its ceiling, as the input's description says.
 */
export function applyInputOverrides(base: GateConfig, inputs: GateInputOverrides): GateConfig {
  const config: GateConfig = structuredClone(base);
  if (inputs.task !== undefined) config.task = inputs.task;
  if (inputs.confidence !== undefined) {
    if (!(inputs.confidence >= 0.5 && inputs.confidence < 1)) {
      throw new UserError(`input 'confidence': must be in [0.5, 1), got ${inputs.confidence}`);
    }
    config.confidence = inputs.confidence;
  }
  if (inputs.threshold !== undefined) config.threshold = inputs.threshold;
  if (inputs.requireImprovement !== undefined) config.require_improvement = inputs.requireImprovement;
  if (inputs.idColumn !== undefined) config.id_column = inputs.idColumn;
  if (inputs.metric !== undefined) {
    const canonical = canonicalMetric(inputs.metric);
    if (!canonical) {
      throw new UserError(
        `input 'metric': unknown metric '${inputs.metric}'${didYouMean(inputs.metric, [...METRIC_NAMES, ...Object.keys(METRIC_ALIASES)])}; known: ${METRIC_NAMES.join(', ')}`,
      );
    }
    // The named metric becomes the primary one, first in the report.
    config.metrics = { [canonical]: config.metrics[canonical] ?? {}, ...config.metrics };
    config.primary = canonical;
  }
  if (inputs.min !== undefined || inputs.maxRegression !== undefined) {
    const name = config.primary;
    if (name === undefined) {
      throw new UserError(
        "input 'min' / 'max-regression': no metric to apply it to; set the 'metric' input or list metrics in the config",
      );
    }
    const gate = config.metrics[name]!;
    const info = metricInfo(name);
    if (inputs.min !== undefined) {
      if (info.higherIsBetter) gate.min = inputs.min;
      else gate.max = inputs.min;
      if (gate.min !== undefined && gate.max !== undefined && gate.min > gate.max) {
        throw new UserError(
          `input 'min': ${name} bounds min ${gate.min} > max ${gate.max}: no model can pass`,
        );
      }
    }
    if (inputs.maxRegression !== undefined) {
      if (inputs.maxRegression < 0) {
        throw new UserError(`input 'max-regression': must be at least 0, got ${inputs.maxRegression}`);
      }
      if ((gate.method ?? info.defaultMethod) === 'mcnemar' && inputs.maxRegression >= 1) {
        throw new UserError(
          `input 'max-regression': expected a number in [0, 1) for ${name}'s McNemar comparison, got ${inputs.maxRegression}: a difference of two accuracies lies in (-1, 1), so a margin of 1 or more passes every challenger`,
        );
      }
      gate.max_regression = inputs.maxRegression;
    }
  }
  if (inputs.latencyFile !== undefined) {
    config.latency = config.latency
      ? { ...config.latency, file: inputs.latencyFile }
      : {
          file: inputs.latencyFile,
          model_column: 'model',
          value_column: 'ms',
          challenger: 'challenger',
          champion: 'champion',
          // Latency samples without bounds in a config are reported, and gated only against a 20% regression.
          bounds: { p95_ms: { max_regression_ratio: 1.2 } },
        };
  }
  return config;
}

// The gate file's shape after validation: every default filled in, so the engine never guesses.
// docs/gate-config.md explains each key; docs/gate-config.schema.json is the same contract for editors.

export type Task = 'binary' | 'multiclass' | 'regression';
export const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];

/** How the paired difference between challenger and champion gets its confidence interval. */
export type ComparisonMethod = 'delong' | 'bootstrap' | 'mcnemar';
export const COMPARISON_METHODS: readonly ComparisonMethod[] = ['delong', 'bootstrap', 'mcnemar'];

export type BootstrapMethod = 'percentile' | 'bca';
export const BOOTSTRAP_METHODS: readonly BootstrapMethod[] = ['percentile', 'bca'];
/** How roc_auc's bootstrap weights rows: see docs/gate-config.md. */
export type BootstrapScheme = 'auto' | 'multinomial' | 'poisson';
export const BOOTSTRAP_SCHEMES: readonly BootstrapScheme[] = ['auto', 'multinomial', 'poisson'];

/** Where absolute floors / ceilings are read: the point estimate, or the conservative end of its interval. */
export type AbsoluteOn = 'estimate' | 'interval';
export const ABSOLUTE_ON: readonly AbsoluteOn[] = ['estimate', 'interval'];

export type OnInsufficient = 'fail' | 'warn';
export const ON_INSUFFICIENT: readonly OnInsufficient[] = ['fail', 'warn'];

export interface MetricGateConfig {
  /** Absolute floor on the challenger (any metric; for a loss it is rarely what you want). */
  min?: number;
  /** Absolute ceiling on the challenger. */
  max?: number;
  /** Non-inferiority margin in the metric's units; needs a champion. */
  max_regression?: number;
  /**
   * Superiority: the interval of the improvement must lie above 0. Unset: the file's require_improvement for
   * the primary metric, false for the others.
   */
  require_improvement?: boolean;
  /** Unset: delong for roc_auc, mcnemar for accuracy, bootstrap otherwise. */
  method?: ComparisonMethod;
  /** Unset: the file's absolute_on. */
  absolute_on?: AbsoluteOn;
}

export interface SliceConfig {
  column: string;
  metrics: Record<string, Omit<MetricGateConfig, 'require_improvement'>>;
  /** Groups with fewer rows (or, for ranking metrics, fewer than min_class_support of either class) are "not enough data". */
  min_support: number;
  min_class_support: number;
  on_insufficient: OnInsufficient;
  /** Only these groups; default every group present. */
  groups?: string[];
}

export const FAIRNESS_METRICS = [
  'demographic_parity_difference',
  'demographic_parity_ratio',
  'equalized_odds_difference',
  'equalized_odds_ratio',
  'equal_opportunity_difference',
  'equal_opportunity_ratio',
  'disparate_impact',
] as const;
export type FairnessMetricName = (typeof FAIRNESS_METRICS)[number];

export interface FairnessConfig {
  column: string;
  metric: FairnessMetricName;
  /** disparate_impact: the group whose selection rate is the denominator (required for it, refused otherwise). */
  privileged?: string;
  min?: number;
  max?: number;
  /** The challenger's value may be worse than the champion's by at most this (needs a champion). */
  max_regression?: number;
  /** Groups smaller than this are left out of the comparison (and listed in the report). */
  min_support: number;
  on_insufficient: OnInsufficient;
}

export const LATENCY_PERCENTILES = ['p50_ms', 'p95_ms', 'p99_ms'] as const;
export type LatencyPercentileKey = (typeof LATENCY_PERCENTILES)[number];

export interface LatencyBoundConfig {
  /** Ceiling on the challenger's percentile (ms), judged on the point estimate. */
  max?: number;
  /** Ceiling on challenger / champion, judged on the upper end of the bootstrap interval of the ratio. */
  max_regression_ratio?: number;
}

export interface LatencyConfig {
  /** CSV / Parquet / JSONL with one row per timed request. Relative to the gate file's folder. */
  file: string;
  model_column: string;
  value_column: string;
  challenger: string;
  champion: string;
  bounds: Partial<Record<LatencyPercentileKey, LatencyBoundConfig>>;
}

/** Golden-set flips: rows the champion got right that the challenger gets wrong. */
export interface FlipsConfig {
  /** Budget on the negative flip rate, judged on its one-sided upper Clopper-Pearson bound at `confidence`. */
  max_negative_flip_rate?: number;
  /** Also per group of every slice column (with the slices' minimum support). */
  slices: boolean;
  /** Regression: a flip is a row whose absolute error changed by more than this. */
  flip_tolerance: number;
}

export const BEHAVIORAL_TYPES = ['invariance', 'directional', 'minimum'] as const;
export type BehavioralType = (typeof BEHAVIORAL_TYPES)[number];

export interface BehavioralBounds {
  /** Share of the test's evaluated cases the challenger may fail. */
  max_fail_rate?: number;
  /** The challenger may fail at most this share of cases more than the champion. */
  max_regression?: number;
}

/** Behavioral tests (CheckList) from a file of model inputs and both models' scores. */
export interface BehavioralConfig extends BehavioralBounds {
  /** CSV / Parquet / JSONL, one row per model input. Relative to the gate file's folder. */
  file: string;
  /** Per-test bounds over the file-level defaults, by test name. */
  tests: Record<string, BehavioralBounds>;
}

export interface BootstrapConfig {
  resamples: number;
  seed: number;
  method: BootstrapMethod;
  /**
   * roc_auc's resampling scheme: class-stratified multinomial draws (pROC's), independent Poisson(1) row
   * weights, or auto (Poisson from 10,000 rows of each class). Other metrics always draw multinomially.
   */
  scheme: BootstrapScheme;
}

export interface GateConfig {
  /** Undefined: inferred from the labels. */
  task?: Task;
  threshold: number;
  /** For string or boolean labels: which value is the positive class. */
  positive_label?: string;
  /** Metric name -> gate, in file order; the first is the primary metric. */
  metrics: Record<string, MetricGateConfig>;
  /** The primary metric: the `metric` input, else the first of `metrics`, else the task's default. */
  primary?: string;
  require_improvement: boolean;
  absolute_on: AbsoluteOn;
  confidence: number;
  bootstrap: BootstrapConfig;
  slices: SliceConfig[];
  fairness: FairnessConfig[];
  latency?: LatencyConfig;
  flips?: FlipsConfig;
  behavioral?: BehavioralConfig;
  /** Optional id column: ids must be unique, and they join a separate champion file. */
  id_column?: string;
  /** Equal-width bins of the expected calibration error and the reliability diagram. */
  calibration_bins: number;
  /**
   * Where each section came from in the gate file, for refusals that can only be made once the data is read
   * (a metric for another task): key path (`metrics.rmse`, `slices[0].column`) -> `gate.yml line 4:
   * metrics.rmse`. Absent for keys that came from inputs or defaults.
   */
  locations?: Record<string, string>;
}

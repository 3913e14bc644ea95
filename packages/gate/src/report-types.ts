// mlops.evaluate-gate/v1: the contract in design.md (schema, passed, task, n, models, comparison, slices,
// fairness, gates) plus the fields a reviewer needs to trust it (decision, explanation, every comparison,
// latency, curves, the settings that produced it).

import type { EVALUATE_GATE_SCHEMA } from '@mlops/schemas';
import type {
  AbsoluteOn,
  BootstrapMethod,
  ComparisonMethod,
  FairnessMetricName,
  Task,
} from './config-types.ts';
import type { CalibrationCurve, RocCurve } from './curves.ts';
import type { LatencyResult } from './latency.ts';

export type Decision = 'promote' | 'reject' | 'retain-champion';

export type MetricValues = Record<string, number | null>;

export interface ComparisonReport {
  metric: string;
  /** challenger - champion, in the metric's own direction. */
  difference: number;
  /** Interval of `difference` at `confidence` (two-sided). */
  ci: [number, number];
  confidence: number;
  method: ComparisonMethod;
  /** Two-sided p-value of "no difference". */
  p_value: number;
  higher_is_better: boolean;
  /** The difference oriented so that positive means the challenger is better, and its interval. */
  improvement: number;
  improvement_ci: [number, number];
  /** Non-inferiority margin (max_regression), when set. */
  margin?: number;
  /** One-sided p-value of "the challenger is worse by more than the margin" (DeLong, McNemar/Tango). */
  p_value_non_inferiority?: number;
  z?: number;
  /** McNemar: rows only the challenger got right / only the champion got right. */
  discordant?: { challenger_only: number; champion_only: number };
  resamples?: number;
  bootstrap_method?: BootstrapMethod;
  /** roc_auc's bootstrap: the resampling scheme that ran (`auto` resolved). */
  bootstrap_scheme?: 'multinomial' | 'poisson';
  /** Resamples whose statistic was undefined (e.g. one class only), left out of the interval. */
  non_finite?: number;
}

export type GateKind =
  | 'absolute'
  | 'non_inferiority'
  | 'superiority'
  | 'slice'
  | 'fairness'
  | 'latency'
  | 'flips'
  | 'behavioral';

export interface GateResult {
  name: string;
  kind: GateKind;
  passed: boolean;
  /** error: a failure fails the gate; warning: reported only (on_insufficient: warn). */
  severity: 'error' | 'warning';
  observed: number | null;
  threshold: Record<string, number>;
  ci?: [number, number];
  message: string;
}

export interface SliceReport {
  column: string;
  group: string;
  n: number;
  positives?: number;
  metrics: { challenger: MetricValues; champion?: MetricValues };
  /** insufficient: fewer rows (or rows of a class) than min_support / min_class_support: "not enough data". */
  status: 'passed' | 'failed' | 'insufficient';
  passed: boolean;
  message: string;
}

export interface FairnessGroup {
  n: number;
  selection_rate: number;
  tpr: number | null;
  fpr: number | null;
}

export interface FairnessReport {
  column: string;
  metric: FairnessMetricName;
  /** The challenger's value (null when too few groups had enough data). */
  value: number | null;
  champion_value?: number | null;
  threshold: Record<string, number>;
  passed: boolean;
  status: 'passed' | 'failed' | 'insufficient';
  groups: Record<string, FairnessGroup>;
  /** Groups left out for having fewer than min_support rows. */
  excluded_groups: Record<string, number>;
  message: string;
}

export interface LatencyReport extends LatencyResult {}

/** Golden-set flips on one set of rows (the whole file or a slice group). */
export interface FlipCounts {
  n: number;
  negative: number;
  positive: number;
  /** negative / n (NFR, Yan et al. 2021) and positive / n. */
  negative_flip_rate: number;
  positive_flip_rate: number;
  /** One-sided upper Clopper-Pearson bound of negative_flip_rate at the gate's confidence. */
  upper_bound: number;
  /** The first negative flips' ids (the id column's values, else `row <n>`, 1-based). */
  ids: string[];
}

export interface FlipsSliceReport extends FlipCounts {
  column: string;
  group: string;
  status: 'passed' | 'failed' | 'insufficient';
  passed: boolean;
}

export interface FlipsReport extends FlipCounts {
  /** negative / rows the challenger gets wrong (NFI); null when it gets none wrong, or for regression. */
  negative_flip_index: number | null;
  /** Backward trust compatibility: rows both get right / rows the champion gets right; null as above. */
  btc: number | null;
  confidence: number;
  /** Exact McNemar on (negative, positive): "did accuracy change", a different question from the budget. */
  mcnemar_p: number;
  max_negative_flip_rate?: number;
  /** Regression only: the absolute-error change that counts as a flip. */
  flip_tolerance?: number;
  /** The first positive flips' ids. */
  positive_ids: string[];
  passed: boolean;
  message: string;
  slices?: FlipsSliceReport[];
}

/** One behavioral test (CheckList): its cases judged for each model. */
export interface BehavioralTestReport {
  test: string;
  type: 'invariance' | 'directional' | 'minimum';
  cases: number;
  /** Directional cases that cannot fail for a model (left out of its fail rate, counted apart). */
  excluded: { challenger: number; champion?: number };
  failed: { challenger: number; champion?: number };
  /** failed / (cases - excluded); null when no case could be evaluated. */
  fail_rate: { challenger: number | null; champion?: number | null };
  /** Exact McNemar on the cases one model fails and the other passes; null without a champion. */
  mcnemar_p: number | null;
  threshold: Record<string, number>;
  passed: boolean;
  /** The first cases the challenger fails. */
  examples: string[];
  message: string;
}

export interface GateReport {
  schema: typeof EVALUATE_GATE_SCHEMA;
  passed: boolean;
  decision: Decision;
  /** One plain sentence: why it passed or failed. */
  explanation: string;
  task: Task;
  n: number;
  /** Binary: positives among the n rows. */
  positives?: number;
  threshold?: number;
  classes?: string[];
  has_champion: boolean;
  /** Why only absolute gates ran, when there is no champion. */
  champion_note?: string;
  predictions: {
    file: string;
    label_column: string;
    challenger_column: string;
    champion_column: string | null;
  };
  models: { challenger: { metrics: MetricValues }; champion?: { metrics: MetricValues } };
  /** The primary metric's comparison; null without a champion. */
  comparison: ComparisonReport | null;
  comparisons: ComparisonReport[];
  slices: SliceReport[];
  fairness: FairnessReport[];
  latency?: LatencyReport;
  flips?: FlipsReport;
  behavioral?: BehavioralTestReport[];
  gates: GateResult[];
  curves?: {
    roc: Record<string, RocCurve>;
    calibration: Record<string, CalibrationCurve>;
  };
  settings: {
    primary_metric: string;
    confidence: number;
    require_improvement: boolean;
    absolute_on: AbsoluteOn;
    bootstrap: { resamples: number; seed: number; method: BootstrapMethod };
  };
  warnings: string[];
}

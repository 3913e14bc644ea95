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

export type GateKind = 'absolute' | 'non_inferiority' | 'superiority' | 'slice' | 'fairness' | 'latency';

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

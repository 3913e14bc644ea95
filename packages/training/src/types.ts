// The shapes shared by the log readers, the config parser and the checks.

/** Where a value came from, for error messages: "metrics.csv line 7" or "trainer_state.json log_history[12]". */
export interface SourcePlace {
  file: string;
  /** 1-based line in the file (CSV, JSON Lines). */
  line?: number;
  /** Index in trainer_state.json's log_history. */
  index?: number;
}

/** One raw row of a log, before merging: key -> value as read (number, non-finite token, or anything else). */
export interface LogRecord {
  place: SourcePlace;
  values: Map<string, unknown>;
}

export const LOG_FORMATS = ['csv', 'jsonl', 'trainer-state', 'mlflow'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** A parsed log: its rows in file order and every key it has. */
export interface RawLog {
  file: string;
  format: LogFormat;
  records: LogRecord[];
  /** Keys in first-seen order. */
  keys: string[];
  /** Every metric the source has, when it is more than what was read (an MLflow run's other metrics). */
  available?: string[];
}

/** One metric over the run: steps ascending, values may be NaN / ±Infinity (that is what `finite` looks for). */
export interface MetricSeries {
  steps: number[];
  values: number[];
}

/** The run after merging rows by step. */
export interface TrainingHistory {
  file: string;
  format: LogFormat;
  /** The key that orders rows (epoch, step), or '' when rows are ordered by position. */
  stepKey: string;
  /** Distinct steps, ascending. */
  steps: number[];
  /** Every metric the log has (the step key excluded), sorted. */
  metricNames: string[];
  series: Map<string, MetricSeries>;
}

export type Mode = 'min' | 'max';

export const CHECK_KINDS = [
  'finite',
  'min_decrease',
  'max_rise_from_best',
  'min',
  'max',
  'gap',
  'percentile',
  'plateau',
] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

interface CheckBase {
  /** Where the check is in the config file, for messages: "training.yml line 5". */
  where: string;
  /** False for the finite checks added for metrics that have none (as Lightning's check_finite). */
  configured: boolean;
}

export type CheckConfig =
  | (CheckBase & { kind: 'finite'; metric: string })
  | (CheckBase & { kind: 'min_decrease'; metric: string; threshold: number; mode: Mode })
  | (CheckBase & { kind: 'max_rise_from_best'; metric: string; threshold: number; mode: Mode })
  | (CheckBase & { kind: 'min' | 'max'; metric: string; threshold: number })
  | (CheckBase & {
      kind: 'gap';
      train: string;
      validation: string;
      threshold: number;
      mode: Mode;
      relative: boolean;
    })
  | (CheckBase & { kind: 'percentile'; metric: string; percentile: number; min?: number; max?: number })
  | (CheckBase & { kind: 'plateau'; metric: string; patience: number; minDelta: number; mode: Mode });

export interface TrainingConfig {
  file: string;
  /** The step key named in the config; undefined: `step` when the log has it, else `epoch`, else row order. */
  step?: string;
  checks: CheckConfig[];
}

export interface CheckResult {
  /** The metric checked; for a gap, "train - validation" as `accuracy - val_accuracy`. */
  metric: string;
  check: CheckKind;
  passed: boolean;
  /** The statistic the check judged (null when it could not be computed: then the check failed). */
  observed: number | null;
  /** The configured bound; for percentile with both bounds, [min, max]. */
  threshold: number | [number, number] | null;
  /** The step the check points at: the first non-finite, the best, the last value. */
  step: number | null;
  message: string;
  /** Extra facts a reviewer may want (best step, first value, ...). */
  details?: Record<string, number | string | boolean | null>;
}

export interface ReportSeries {
  step: number[];
  /** Non-finite values are null here (JSON has no NaN); the `finite` check names them. */
  value: (number | null)[];
}

export interface TrainingReport {
  schema: string;
  passed: boolean;
  /** The log file as the user named it, or the MLflow run. */
  log: string;
  format: LogFormat;
  step_key: string;
  /** Number of distinct steps after merging. */
  steps: number;
  /** Every metric the log has. */
  metrics: string[];
  checks: CheckResult[];
  failed_checks: string[];
  /** The checked metrics over the run (thinned to at most MAX_HISTORY_POINTS), for charts. */
  history: Record<string, ReportSeries>;
  explanation: string;
}

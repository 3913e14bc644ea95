import type { DriftMethod } from '@mlops/stats';
import type { ColumnKind } from './types.ts';

export type DriftMethodOption = 'auto' | DriftMethod;

/** Every drift method a user may name (`auto` = Evidently's choice by column type and reference size). */
export const DRIFT_METHOD_OPTIONS: readonly DriftMethodOption[] = [
  'auto',
  'ks',
  'chisquare',
  'z',
  'wasserstein',
  'jensenshannon',
  'psi',
  'kl',
  'hellinger',
];

export interface ColumnDriftOptions {
  method?: DriftMethodOption;
  threshold?: number;
}

export interface DriftOptions {
  /** 'auto' picks Evidently's default per column (type, distinct values, reference size). */
  method: DriftMethodOption;
  /** Threshold for every column; default per method (0.05 for p-values, 0.1 for distances). */
  threshold?: number;
  perColumn?: Record<string, ColumnDriftOptions>;
  /** Dataset drift when the share of drifted columns >= driftShare (Evidently: 0.5). */
  driftShare: number;
  /** Multiple-comparison adjustment of the p-values across columns tested with p-value methods. */
  correction: 'none' | 'holm' | 'bh';
  /**
   * Minimum effect size for a p-value test to count as drift (0 = Evidently's behaviour): KS statistic
   * D, or total variation distance between category shares for chi-square / z. Keeps a million rows from
   * flagging every column on differences nobody cares about.
   */
  effectSizeFloor: number;
  /** Only these columns (default: every column in both profiles, datetimes excluded). */
  columns?: string[];
  excludeColumns?: string[];
  /** PSI bins: reference deciles with ±inf outer edges (default) or Evidently's Sturges/category bins. */
  psiBins?: 'deciles' | 'evidently';
}

/** Shares per bin of reference and current, for the report's charts. */
export interface DriftHistogram {
  edges?: number[];
  categories?: string[];
  reference: number[];
  current: number[];
}

export interface ColumnDrift {
  method: DriftMethod;
  /** p-value for ks / chisquare / z, distance otherwise. */
  score: number;
  threshold: number;
  drift: boolean;
  p_value?: number;
  adjusted_p_value?: number;
  /** Test statistic for p-value methods (D, chi-square, z). */
  statistic?: number;
  effect_size: number;
  kind: ColumnKind;
  /** True when both profiles held exact values: the score is Evidently's to rounding. */
  exact: boolean;
  reference_rows: number;
  current_rows: number;
  histogram: DriftHistogram;
}

export interface SkippedColumn {
  column: string;
  reason: string;
}

/** The `drift` section of the validate-data report (mlops.validate-data/v1). */
export interface DriftReport {
  detected: boolean;
  share: number;
  threshold_share: number;
  number_of_columns: number;
  number_of_drifted_columns: number;
  correction: 'none' | 'holm' | 'bh';
  effect_size_floor: number;
  columns: Record<string, ColumnDrift>;
  skipped: SkippedColumn[];
}

// Shadow mode (and canaries) from a request log: how the two versions' predictions compare. Descriptive,
// not part of the decision: the score distributions (PSI on the baseline's deciles, Jensen-Shannon distance
// on the same bins), online quality on the rows that carry a label, and, when both versions scored the same
// request ids (shadow traffic), the paired disagreement rate and score difference.
import { numericValues, type Table } from '@mlops/data';
import {
  accuracyScore,
  decileShares,
  jensenShannonDistance,
  logLoss,
  populationStabilityIndex,
  rocAucScore,
} from '@mlops/stats';
import { logColumns } from './log-columns.ts';

export interface PredictionsConfig {
  score: string;
  label?: string;
  request_id?: string;
  threshold: number;
}

export interface QualitySummary {
  n: number;
  roc_auc: number | null;
  accuracy: number | null;
  log_loss: number | null;
}

export interface PredictionsReport {
  note: string;
  score_column: string;
  baseline_n: number;
  canary_n: number;
  psi: number | null;
  jensen_shannon: number | null;
  bins: number;
  quality?: { label_column: string; threshold: number; baseline: QualitySummary; canary: QualitySummary };
  paired?: {
    request_id_column: string;
    pairs: number;
    disagreement_rate: number | null;
    mean_score_difference: number | null;
    mean_abs_score_difference: number | null;
  };
}

export function comparePredictions(
  table: Table,
  file: string,
  config: PredictionsConfig,
  columns: { version: string; inWindow: (row: number) => boolean },
  versions: { baseline: string; canary: string },
): PredictionsReport {
  const column = logColumns(table, file);
  const versionColumn = column(columns.version, 'the version of each request');
  const scores = numericValues(column(config.score, 'predictions.score'));
  const labels =
    config.label === undefined ? undefined : numericValues(column(config.label, 'predictions.label'));
  const ids =
    config.request_id === undefined ? undefined : column(config.request_id, 'predictions.request_id');
  const rows: [number[], number[]] = [[], []];
  for (let row = 0; row < table.rowCount; row++) {
    if (!columns.inWindow(row) || !Number.isFinite(scores[row]!)) continue;
    const version = versionColumn[row];
    const text = version === null || version === undefined ? undefined : String(version);
    if (text === versions.baseline) rows[0].push(row);
    else if (text === versions.canary) rows[1].push(row);
  }
  const sortedScores = (arm: number[]) => Float64Array.from(arm, (row) => scores[row]!).sort();
  const [baseline, canary] = [sortedScores(rows[0]), sortedScores(rows[1])];
  const report: PredictionsReport = {
    note: 'descriptive: not part of the decision',
    score_column: config.score,
    baseline_n: baseline.length,
    canary_n: canary.length,
    psi: null,
    jensen_shannon: null,
    bins: 0,
  };
  if (baseline.length > 0 && canary.length > 0) {
    const shares = decileShares(baseline, canary);
    report.psi = populationStabilityIndex(shares.reference, shares.current);
    report.jensen_shannon = jensenShannonDistance(shares.reference, shares.current);
    report.bins = shares.reference.length;
  }
  if (labels && config.label !== undefined) {
    const summary = (arm: number[]): QualitySummary => {
      const labelled = arm.filter((row) => labels[row] === 0 || labels[row] === 1);
      const y = Float64Array.from(labelled, (row) => labels[row]!);
      const p = Float64Array.from(labelled, (row) => scores[row]!);
      const safe = (compute: () => number) => {
        try {
          const value = compute();
          return Number.isFinite(value) ? value : null;
        } catch {
          return null; // one class only, or scores outside [0, 1] for log loss
        }
      };
      return {
        n: labelled.length,
        roc_auc: labelled.length > 0 ? safe(() => rocAucScore(y, p)) : null,
        accuracy:
          labelled.length > 0 ? safe(() => accuracyScore(y, p, { threshold: config.threshold })) : null,
        log_loss: labelled.length > 0 ? safe(() => logLoss(y, p)) : null,
      };
    };
    report.quality = {
      label_column: config.label,
      threshold: config.threshold,
      baseline: summary(rows[0]),
      canary: summary(rows[1]),
    };
  }
  if (ids && config.request_id !== undefined) {
    // The first score of each version per request id.
    const firstScore = (arm: number[]) => {
      const map = new Map<string, number>();
      for (const row of arm) {
        const id = ids[row];
        if (id === null || id === undefined) continue;
        const key = String(id);
        if (!map.has(key)) map.set(key, scores[row]!);
      }
      return map;
    };
    const baselineById = firstScore(rows[0]);
    let pairs = 0;
    let disagreements = 0;
    let difference = 0;
    let absolute = 0;
    for (const [id, canaryScore] of firstScore(rows[1])) {
      const baselineScore = baselineById.get(id);
      if (baselineScore === undefined) continue;
      pairs++;
      if (baselineScore >= config.threshold !== canaryScore >= config.threshold) disagreements++;
      difference += canaryScore - baselineScore;
      absolute += Math.abs(canaryScore - baselineScore);
    }
    report.paired = {
      request_id_column: config.request_id,
      pairs,
      disagreement_rate: pairs > 0 ? disagreements / pairs : null,
      mean_score_difference: pairs > 0 ? difference / pairs : null,
      mean_abs_score_difference: pairs > 0 ? absolute / pairs : null,
    };
  }
  return report;
}

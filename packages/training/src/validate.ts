// Log + checks -> the mlops.validate-training/v1 report.
import { UserError } from '@mlops/kit';
import { VALIDATE_TRAINING_SCHEMA } from '@mlops/schemas';
import { runCheck } from './checks.ts';
import { checkedMetrics, suggest } from './config.ts';
import { buildHistory, listKeys } from './history.ts';
import type {
  CheckResult,
  RawLog,
  ReportSeries,
  TrainingConfig,
  TrainingHistory,
  TrainingReport,
} from './types.ts';

/** Most points per metric kept in the report's history (enough for a chart; the log itself has them all). */
export const MAX_HISTORY_POINTS = 500;

export interface ValidateOptions {
  /** The log as the user named it (a path relative to the workspace, or the MLflow run). */
  label?: string;
}

export function validateTraining(
  log: RawLog,
  config: TrainingConfig,
  options: ValidateOptions = {},
): TrainingReport {
  const metrics = checkedMetrics(config.checks);
  const history = buildHistory(log, config.step, metrics);
  assertMetricsPresent(history, config);
  const checks = config.checks.map((check) => runCheck(check, history));
  const failed = checks.filter((check) => !check.passed);
  const passed = failed.length === 0;
  const unit = history.stepKey === '' ? 'rows' : `${history.stepKey} values`;
  const explanation = passed
    ? `all ${checks.length} checks passed on ${history.steps.length} ${unit}`
    : `${failed.length} of ${checks.length} checks failed: ${failed.map((check) => `${check.metric} ${check.check} (${check.message})`).join('; ')}`;
  return {
    schema: VALIDATE_TRAINING_SCHEMA,
    passed,
    log: options.label ?? log.file,
    format: log.format,
    step_key: history.stepKey,
    steps: history.steps.length,
    metrics: log.available ?? history.metricNames,
    checks,
    failed_checks: failed.map(checkId),
    history: Object.fromEntries(metrics.map((name) => [name, thin(history.series.get(name)!)])),
    explanation,
  };
}

/** `val_loss:max_rise_from_best`, the id in the `failed-checks` output. */
export function checkId(check: CheckResult): string {
  return `${check.metric}:${check.check}`;
}

function assertMetricsPresent(history: TrainingHistory, config: TrainingConfig): void {
  for (const check of config.checks) {
    const names = check.kind === 'gap' ? [check.train, check.validation] : [check.metric];
    for (const name of names) {
      if (history.series.has(name)) continue;
      throw new UserError(
        `${check.where}: metric '${name}' is not in ${history.file}${suggest(name, history.metricNames)}; the log has ${listKeys(history.metricNames)}`,
      );
    }
  }
}

/** Every k-th point plus the last, and every non-finite one (they are what a reviewer looks for). */
function thin(series: { steps: number[]; values: number[] }): ReportSeries {
  const n = series.steps.length;
  const stride = Math.max(1, Math.ceil(n / MAX_HISTORY_POINTS));
  const step: number[] = [];
  const value: (number | null)[] = [];
  for (let index = 0; index < n; index++) {
    const v = series.values[index]!;
    if (index % stride !== 0 && index !== n - 1 && Number.isFinite(v)) continue;
    step.push(series.steps[index]!);
    value.push(Number.isFinite(v) ? v : null);
  }
  return { step, value };
}

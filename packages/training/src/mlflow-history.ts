// A run's metric history from an MLflow tracking server: `runs/get` for the metrics the run has, then
// `metrics/get-history` per checked metric, paged with max_results / page_token (handlers.py
// _get_metric_history; the SQL store orders points by timestamp, step, value, so they are re-sorted by step
// here). Values arrive as numbers, or as "NaN" / "Infinity" strings (protobuf's JSON for non-finite doubles).
// The HTTP client is passed in (the action gives the registry's MlflowClient, with its retries, auth and
// redaction), so this file stays free of I/O.
import { UserError } from '@mlops/kit';
import { checkedMetrics, suggest } from './config.ts';
import { listKeys } from './history.ts';
import type { LogRecord, RawLog, TrainingConfig } from './types.ts';

/** GET <tracking-uri>/api/2.0/mlflow/<endpoint>?<params>, resolving to the parsed JSON body. */
export type MlflowGet = (endpoint: string, params: Record<string, string | number>) => Promise<unknown>;

/** MLflow's own ceiling for one page of metric history (GET_METRIC_HISTORY_MAX_RESULTS). */
export const MLFLOW_HISTORY_PAGE_SIZE = 25_000;
/** A guard against a server whose page tokens never end. */
const MAX_PAGES = 10_000;

interface Point {
  key: string;
  value: unknown;
  timestamp: number;
  step: number;
}

export interface MlflowHistoryOptions {
  pageSize?: number;
}

export async function readMlflowHistory(
  get: MlflowGet,
  runId: string,
  config: TrainingConfig,
  options: MlflowHistoryOptions = {},
): Promise<RawLog> {
  const file = `MLflow run ${runId}`;
  const run = record((await get('runs/get', { run_id: runId })) as unknown).run;
  const latest = array(record(record(run).data).metrics);
  const available = [...new Set(latest.map((metric) => String(record(metric).key)))];
  for (const check of config.checks) {
    for (const name of check.kind === 'gap' ? [check.train, check.validation] : [check.metric]) {
      if (available.includes(name)) continue;
      throw new UserError(
        `${check.where}: metric '${name}' is not in ${file}${suggest(name, available)}; the run has ${listKeys(available)}`,
      );
    }
  }

  const pageSize = options.pageSize ?? MLFLOW_HISTORY_PAGE_SIZE;
  const byStep = new Map<number, Map<string, unknown>>();
  for (const key of checkedMetrics(config.checks)) {
    const points = await fetchHistory(get, runId, key, pageSize);
    const seen = new Map<number, unknown>();
    for (const point of points) {
      if (seen.has(point.step) && !Object.is(seen.get(point.step), point.value)) {
        const count = points.filter((other) => other.step === point.step).length;
        throw new UserError(
          `${file}: metric '${key}' has ${count} different values at step ${point.step}: log it with a step (mlflow.log_metric(key, value, step=epoch)) so its history has an order`,
        );
      }
      seen.set(point.step, point.value);
      let values = byStep.get(point.step);
      if (!values) {
        values = new Map([['step', point.step]]);
        byStep.set(point.step, values);
      }
      values.set(key, point.value);
    }
  }
  if (byStep.size === 0) throw new UserError(`${file}: the checked metrics have no logged values`);
  const records: LogRecord[] = [...byStep.keys()]
    .sort((a, b) => a - b)
    .map((step) => ({ place: { file }, values: byStep.get(step)! }));
  return { file, format: 'mlflow', records, keys: ['step', ...available], available };
}

async function fetchHistory(get: MlflowGet, runId: string, key: string, pageSize: number): Promise<Point[]> {
  const points: Point[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = record(
      await get('metrics/get-history', {
        run_id: runId,
        metric_key: key,
        max_results: pageSize,
        ...(token ? { page_token: token } : {}),
      }),
    );
    for (const raw of array(body.metrics)) {
      const metric = record(raw);
      const step = Number(metric.step ?? 0);
      const timestamp = Number(metric.timestamp ?? 0);
      if (!Number.isFinite(step))
        throw new UserError(`MLflow run ${runId}: metric '${key}' has a point without a numeric step`);
      points.push({ key, value: metric.value, timestamp, step });
    }
    token =
      typeof body.next_page_token === 'string' && body.next_page_token !== ''
        ? body.next_page_token
        : undefined;
    if (token === undefined) {
      // Steps ascending; at one step, the later write last (as MLflow's own latest-value rule).
      return points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
    }
  }
  throw new UserError(`MLflow run ${runId}: metric '${key}' history did not end after ${MAX_PAGES} pages`);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

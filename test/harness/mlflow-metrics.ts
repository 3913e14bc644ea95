// MLflow's metric history endpoint for the MLflow emulator: GET /api/2.0/mlflow/metrics/get-history, answered
// as mlflow/server/handlers.py _get_metric_history and the SQL store's get_metric_history do:
// - run_id and metric_key are required strings ("Missing value for required parameter 'run_id'."), page_token
//   a string, max_results an integer; the store does not check that the run exists (an unknown run or key is
//   an empty history);
// - points ordered by (timestamp, step, value); with max_results, `limit max_results + 1` tells whether a next
//   page exists, and the token is base64 of {"offset": n} (SearchUtils.create_page_token); a bad token is 400
//   INVALID_PARAMETER_VALUE; without max_results every point comes back and there is no token;
// - the body is protobuf JSON (message_to_json): empty lists are left out (`{}`), int64 timestamps and steps are
//   numbers, and a non-finite double is the string "NaN", "Infinity" or "-Infinity".
import { type MlflowEmulator, MlflowError } from './mlflow-emulator.ts';

/** Adds the endpoint to a started or unstarted emulator. */
export function installMetricHistory(emulator: MlflowEmulator): void {
  emulator.route('GET', 'metrics/get-history', (params, server) => metricHistory(params, server));
}

/** Points as `mlflow.log_metric(key, value, step=step)` would store them (NaN and infinities included). */
export function logMetricHistory(
  emulator: MlflowEmulator,
  runId: string,
  key: string,
  points: readonly { step: number; value: number; timestamp?: number }[],
): void {
  const run = emulator.runs.get(runId);
  if (!run) throw new Error(`no run ${runId} in the emulator`);
  points.forEach((point, index) => {
    run.metrics.push({
      key,
      value: point.value,
      step: point.step,
      timestamp: point.timestamp ?? 1_800_000_000_000 + index,
    });
  });
}

function required(params: Record<string, unknown>, key: string): string {
  const value = params[key];
  if (value === undefined || value === '') {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Missing value for required parameter '${key}'.`);
  }
  return String(value);
}

function offsetOf(token: string): number {
  let decoded: string;
  try {
    decoded = Buffer.from(token, 'base64').toString('utf8');
    if (Buffer.from(decoded, 'utf8').toString('base64').replace(/=+$/, '') !== token.replace(/=+$/, ''))
      throw new Error('not base64');
  } catch {
    throw new MlflowError('INVALID_PARAMETER_VALUE', 'Invalid page token, could not base64-decode');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid page token, decoded value=${decoded}`);
  }
  const offset = (parsed as { offset?: unknown })?.offset;
  if (!offset)
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid page token, parsed value=${decoded}`);
  const number = Number(offset);
  if (!Number.isInteger(number))
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid page token, not stringable ${offset}`);
  return number;
}

function protobufDouble(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

function metricHistory(params: Record<string, unknown>, emulator: MlflowEmulator): unknown {
  const runId = required(params, 'run_id');
  const key = required(params, 'metric_key');
  let maxResults: number | undefined;
  if (params.max_results !== undefined) {
    maxResults = Number(params.max_results);
    if (!Number.isInteger(maxResults)) {
      throw new MlflowError(
        'INVALID_PARAMETER_VALUE',
        `Invalid value ${String(params.max_results)} for parameter 'max_results' supplied.`,
      );
    }
  }
  const token =
    typeof params.page_token === 'string' && params.page_token !== '' ? params.page_token : undefined;
  const offset = token === undefined ? 0 : offsetOf(token);
  const all = (emulator.runs.get(runId)?.metrics ?? [])
    .filter((metric) => metric.key === key)
    .sort((a, b) => a.timestamp - b.timestamp || a.step - b.step || a.value - b.value);
  let page = all.slice(offset, maxResults === undefined ? undefined : offset + maxResults + 1);
  let next: string | undefined;
  if (maxResults !== undefined && page.length === maxResults + 1) {
    // Python's json.dumps, as SearchUtils.create_page_token writes it: `{"offset": 25000}`.
    next = Buffer.from(`{"offset": ${offset + maxResults}}`).toString('base64');
    page = page.slice(0, maxResults);
  }
  const metrics = page.map((metric) => ({
    key: metric.key,
    value: protobufDouble(metric.value),
    timestamp: metric.timestamp,
    step: metric.step,
  }));
  return {
    ...(metrics.length > 0 ? { metrics } : {}),
    ...(next === undefined ? {} : { next_page_token: next }),
  };
}

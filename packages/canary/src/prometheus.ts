// Prometheus range queries (GET /api/v1/query_range) and their series per version. Every failure is a
// UserError naming the metric, which query (events or trials) and the query text: the user can paste it
// into Prometheus' own UI. 503 and connection resets are retried twice; 4xx are not (the query is wrong).
import { UserError } from '@mlops/kit';

export interface PrometheusOptions {
  url: string;
  /** Extra request headers (Authorization); values are secrets and never appear in messages. */
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Attempts after a 503 / network error (default 2), with 0.5 s, 1 s back-off. */
  retries?: number;
}

export interface QueryContext {
  metric: string;
  role: 'events' | 'trials';
  query: string;
}

export interface RangeWindow {
  /** Unix seconds. */
  start: number;
  end: number;
  step: number;
}

export interface MatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

function where(context: QueryContext): string {
  return `${context.metric}: the ${context.role} query`;
}

/** One range query; resolves to the matrix result or throws a UserError that names the metric and query. */
export async function queryRange(
  options: PrometheusOptions,
  window: RangeWindow,
  context: QueryContext,
): Promise<MatrixSeries[]> {
  const base = options.url.replace(/\/+$/, '');
  const body = new URLSearchParams({
    query: context.query,
    start: String(window.start),
    end: String(window.end),
    step: String(window.step),
  });
  const retries = options.retries ?? 2;
  let lastProblem = '';
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(500 * attempt);
    let response: Response;
    try {
      // POST form: long PromQL stays out of URLs and access logs, and Prometheus accepts both.
      response = await fetch(`${base}/api/v1/query_range`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(options.headers ?? {}) },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const cause = error as Error & { cause?: { code?: string; message?: string } };
      if (cause.name === 'TimeoutError' || cause.name === 'AbortError') {
        throw new UserError(
          `${where(context)} got no answer from Prometheus at ${base} within ${options.timeoutMs / 1000} s (query_timeout): ${context.query}`,
        );
      }
      lastProblem = `could not reach Prometheus at ${base} (${cause.cause?.code ?? cause.cause?.message ?? cause.message})`;
      continue;
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new UserError(
          `${where(context)} got no answer from Prometheus at ${base} within ${options.timeoutMs / 1000} s (query_timeout): ${context.query}`,
        );
      throw error;
    }
    let parsed: {
      status?: string;
      errorType?: string;
      error?: string;
      data?: { resultType?: string; result?: unknown };
    };
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = {};
    }
    if (response.status === 503 || response.status === 502 || response.status === 504) {
      lastProblem = `Prometheus at ${base} answered ${response.status}${parsed.error ? ` (${parsed.errorType}: ${parsed.error})` : ''}`;
      continue;
    }
    if (response.status === 401 || response.status === 403) {
      throw new UserError(
        `${where(context)} was refused by Prometheus at ${base} (${response.status}): check prometheus-headers (credentials): ${context.query}`,
      );
    }
    if (!response.ok || parsed.status !== 'success') {
      const detail = parsed.error
        ? `${parsed.errorType ?? 'error'}: ${parsed.error}`
        : `HTTP ${response.status}, not a Prometheus API answer`;
      throw new UserError(
        `${where(context)} failed in Prometheus (${response.status} ${detail}): ${context.query}`,
      );
    }
    if (parsed.data?.resultType !== 'matrix' || !Array.isArray(parsed.data.result)) {
      throw new UserError(
        `${where(context)} returned a ${parsed.data?.resultType ?? 'malformed'} result, expected a matrix of series: ${context.query}`,
      );
    }
    return parsed.data.result as MatrixSeries[];
  }
  throw new UserError(
    `${where(context)} failed after ${retries + 1} attempts: ${lastProblem}: ${context.query}`,
  );
}

/**
 * The series of the baseline and the canary on the grid start + k·step (NaN where a series has no value).
 * Series of other versions are ignored; a series without the version label, or two for one version, is a
 * query that was not aggregated by version, and NaN / ±Inf is not a counter: both are UserErrors.
 */
export function seriesForVersions(
  result: readonly MatrixSeries[],
  label: string,
  versions: { baseline: string; canary: string },
  window: RangeWindow,
  context: QueryContext,
): { baseline?: Float64Array; canary?: Float64Array } {
  const points = Math.floor((window.end - window.start) / window.step + 1e-9) + 1;
  const out: { baseline?: Float64Array; canary?: Float64Array } = {};
  for (const series of result) {
    const labels = series.metric ?? {};
    const version = labels[label];
    if (version === undefined) {
      throw new UserError(
        `${where(context)} returned a series without the '${label}' label (${describeLabels(labels)}): aggregate it by version, e.g. sum by (${label}) (...): ${context.query}`,
      );
    }
    const arm =
      version === versions.baseline ? 'baseline' : version === versions.canary ? 'canary' : undefined;
    if (!arm) continue;
    if (out[arm]) {
      throw new UserError(
        `${where(context)} returned several series for ${label}="${version}" (one is ${describeLabels(labels)}): aggregate them, e.g. sum by (${label}) (...): ${context.query}`,
      );
    }
    const values = new Float64Array(points).fill(Number.NaN);
    for (const [time, raw] of series.values ?? []) {
      const value = Number(raw);
      if (!Number.isFinite(value)) {
        throw new UserError(
          `${where(context)} returned ${raw} for ${label}="${version}" at ${new Date(time * 1000).toISOString()}: a counter is a finite number (is the query a ratio or a rate?): ${context.query}`,
        );
      }
      const k = Math.round((time - window.start) / window.step);
      if (k >= 0 && k < points) values[k] = value;
    }
    out[arm] = values;
  }
  return out;
}

function describeLabels(labels: Record<string, string>): string {
  const text = `{${Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(', ')}}`;
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

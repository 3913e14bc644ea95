import { type Logger, UserError } from '@mlops/kit';

export interface MlflowAuth {
  token?: string;
  username?: string;
  password?: string;
}

export interface MlflowClientOptions {
  trackingUri: string;
  auth: MlflowAuth;
  logger: Logger;
  /** Attempts for retryable failures (network errors, 429, 5xx). */
  attempts?: number;
  /** First backoff in milliseconds; doubles each retry, with jitter. */
  backoffMs?: number;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
}

/** An error response from MLflow: `{error_code, message}` with an HTTP status. */
export class MlflowApiError extends Error {
  override name = 'MlflowApiError';
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly endpoint: string,
  ) {
    super(`MLflow ${endpoint} answered ${status} ${errorCode}: ${message}`);
  }
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * A small client for MLflow's REST API (https://mlflow.org/docs/latest/rest-api.html): GET parameters in the
 * query string, other methods as a JSON body, as MLflow's own Python client sends them. Credentials go only in
 * the Authorization header and never into a message.
 */
export class MlflowClient {
  private readonly base: string;
  private readonly authorization: string | undefined;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: MlflowClientOptions) {
    let url: URL;
    try {
      url = new URL(options.trackingUri);
    } catch {
      throw new UserError(
        `input 'mlflow-tracking-uri': '${options.trackingUri}' is not a URL (expected http(s)://host[:port])`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UserError(`input 'mlflow-tracking-uri': expected an http(s) URL, got '${url.protocol}'`);
    }
    if (url.username || url.password) {
      throw new UserError(
        "input 'mlflow-tracking-uri': put credentials in mlflow-username / mlflow-password (masked), not in the URL",
      );
    }
    this.base = url.toString().replace(/\/+$/, '');
    const { token, username, password } = options.auth;
    if (token) this.authorization = `Bearer ${token}`;
    else if (username || password) {
      this.authorization = `Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`).toString('base64')}`;
    }
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get trackingUri(): string {
    return this.base;
  }

  /** One call, retried on network errors, 429 and 5xx unless `retry` is false (non-idempotent creates). */
  async call<T>(method: Method, endpoint: string, body: Record<string, unknown>, retry = true): Promise<T> {
    const attempts = retry ? this.attempts : 1;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await this.once<T>(method, endpoint, body);
      } catch (error) {
        lastError = error;
        const retryable = error instanceof MlflowApiError ? error.retryable : !(error instanceof UserError);
        if (!retryable || attempt === attempts) break;
        const delay = this.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
        this.options.logger.debug(
          `MLflow ${endpoint} failed (${(error as Error).message}); retry ${attempt} in ${Math.round(delay)} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    if (lastError instanceof MlflowApiError) {
      if (lastError.status === 401 || lastError.status === 403) {
        throw new UserError(
          `MLflow at ${this.base} refused the credentials (${lastError.status}); check mlflow-token or mlflow-username / mlflow-password`,
        );
      }
      throw lastError;
    }
    if (lastError instanceof UserError) throw lastError;
    throw new UserError(
      `cannot reach the MLflow server at ${this.base} (${describeNetworkError(lastError)}) after ${attempts} attempt(s); check mlflow-tracking-uri and that the server is up`,
    );
  }

  private async once<T>(method: Method, endpoint: string, body: Record<string, unknown>): Promise<T> {
    let url = `${this.base}/api/2.0/mlflow/${endpoint}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    const init: RequestInit = { method, headers, signal: AbortSignal.timeout(this.timeoutMs) };
    if (method === 'GET') {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(body)) if (value !== undefined) query.set(key, String(value));
      const text = query.toString();
      if (text) url += `?${text}`;
    } else {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    const text = await response.text();
    let parsed: unknown = {};
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (response.ok)
          throw new MlflowApiError(response.status, 'BAD_RESPONSE', 'response is not JSON', endpoint);
      }
    }
    if (!response.ok) {
      const error = parsed as { error_code?: string; message?: string };
      throw new MlflowApiError(
        response.status,
        error.error_code ?? `HTTP_${response.status}`,
        error.message ?? text.slice(0, 200),
        endpoint,
      );
    }
    return parsed as T;
  }
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'request timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

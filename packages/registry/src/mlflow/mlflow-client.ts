import { type Logger, UserError } from '@mlops/kit';
import { redactSecrets, showServerUrl, stripUrlCredentials } from './redact.ts';

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
    readonly detail: string,
    readonly endpoint: string,
    /** false when the body was not MLflow's JSON error (a web server's HTML page, the auth app's text). */
    readonly fromMlflow = true,
  ) {
    super(`MLflow ${endpoint} answered ${status} ${errorCode}: ${detail}`);
  }
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
  /** A 404 that did not come from MLflow's handlers: the route does not exist on this server. */
  get noSuchEndpoint(): boolean {
    return this.status === 404 && !this.fromMlflow;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * The Authorization header MLflow's own client sends (mlflow/utils/rest_utils.py http_request): Basic when both
 * user and password are set, else Bearer with the token, else none.
 */
export function authorizationHeader(auth: MlflowAuth): string | undefined {
  if (auth.username && auth.password) {
    return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  }
  if (auth.token) return `Bearer ${auth.token}`;
  return undefined;
}

/**
 * Every form a credential takes on the wire or in a message: the secrets themselves, `user:password`, its
 * base64, and the whole header value. Mask all of them (a server that echoes the header would otherwise print the
 * Basic value, which is the password in a reversible encoding).
 */
export function mlflowSecretForms(auth: MlflowAuth): string[] {
  const forms = new Set<string>();
  if (auth.password) forms.add(auth.password);
  if (auth.token) {
    forms.add(auth.token);
    forms.add(`Bearer ${auth.token}`);
  }
  if (auth.username && auth.password) {
    const pair = `${auth.username}:${auth.password}`;
    const encoded = Buffer.from(pair).toString('base64');
    forms.add(pair);
    forms.add(encoded);
    forms.add(`Basic ${encoded}`);
    // The same bytes in base64url, and without padding, as some proxies log them.
    forms.add(encoded.replace(/=+$/, ''));
    forms.add(Buffer.from(pair).toString('base64url'));
  }
  return [...forms].filter((form) => form.length >= 4);
}

/** Which permission of MLflow's auth app an endpoint needs (mlflow/server/auth/__init__.py BEFORE_REQUEST_VALIDATORS). */
function permissionFor(method: Method, endpoint: string): string {
  if (endpoint.startsWith('runs/'))
    return method === 'GET' ? "READ on the run's experiment" : "EDIT on the run's experiment";
  if (method === 'GET') return 'READ on the registered model';
  if (endpoint === 'registered-models/create') return 'the right to create registered models';
  if (endpoint === 'registered-models/delete' || endpoint === 'model-versions/delete')
    return 'MANAGE on the registered model';
  return 'EDIT on the registered model';
}

/**
 * A small client for MLflow's REST API (https://mlflow.org/docs/latest/rest-api.html): GET parameters in the
 * query string, other methods as a JSON body, as MLflow's own Python client sends them. Credentials go only in
 * the Authorization header; every form of them is cut out of any text a message quotes.
 */
export class MlflowClient {
  private readonly base: string;
  private readonly authorization: string | undefined;
  private readonly secrets: string[];
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: MlflowClientOptions) {
    this.secrets = mlflowSecretForms(options.auth);
    this.base = parseTrackingUri(options.trackingUri, this.secrets);
    const { token, username, password } = options.auth;
    if (Boolean(username) !== Boolean(password)) {
      options.logger.warning(
        `${username ? 'mlflow-username (or MLFLOW_TRACKING_USERNAME) is set without a password' : 'mlflow-password (or MLFLOW_TRACKING_PASSWORD) is set without a username'}: MLflow sends Basic auth only when both are set${token ? ', so the token is used' : ', so no credentials are sent'}`,
      );
    } else if (username && token) {
      options.logger.info(
        'both a token and a username / password are set: Basic auth is used, as MLflow does',
      );
    }
    this.authorization = authorizationHeader(options.auth);
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get trackingUri(): string {
    return this.base;
  }

  /** Text with every credential form replaced, for messages that quote a server or a URL. */
  redact(text: string): string {
    return redactSecrets(stripUrlCredentials(text), this.secrets);
  }

  /** One call, retried on network errors, 429 and 5xx unless `retry` is false (non-idempotent creates). */
  async call<T>(method: Method, endpoint: string, body: Record<string, unknown>, retry = true): Promise<T> {
    const attempts = retry ? this.attempts : 1;
    let lastError: unknown;
    let tried = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      tried = attempt;
      try {
        return await this.once<T>(method, endpoint, body);
      } catch (error) {
        lastError = error;
        const retryable = error instanceof MlflowApiError ? error.retryable : !(error instanceof UserError);
        if (!retryable || attempt === attempts) break;
        const delay = this.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
        this.options.logger.debug(
          `MLflow ${endpoint} failed (${this.redact((error as Error).message)}); retry ${attempt} in ${Math.round(delay)} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    if (lastError instanceof MlflowApiError) {
      if (lastError.status === 401) {
        throw new UserError(
          `MLflow at ${this.base} refused the credentials (401 ${lastError.errorCode}: ${lastError.detail.slice(0, 160)}); check mlflow-token, or mlflow-username and mlflow-password (or MLFLOW_TRACKING_TOKEN / MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD)`,
        );
      }
      if (lastError.status === 403) {
        const target =
          typeof body.name === 'string'
            ? ` model '${body.name}'`
            : typeof body.run_id === 'string'
              ? ` run ${body.run_id}`
              : '';
        throw new UserError(
          `MLflow at ${this.base} accepted the credentials but denied ${method} ${endpoint} on${target || ' this resource'} (403 ${lastError.errorCode}: ${lastError.detail.slice(0, 160)}): they need ${permissionFor(method, endpoint)}; this is a permission, not a wrong password`,
        );
      }
      if (lastError.retryable && tried > 1) {
        throw new MlflowApiError(
          lastError.status,
          lastError.errorCode,
          `${lastError.detail} (after ${tried} attempts)`,
          lastError.endpoint,
          lastError.fromMlflow,
        );
      }
      throw lastError;
    }
    if (lastError instanceof UserError) throw lastError;
    throw new UserError(
      `cannot reach the MLflow server at ${this.base} (${this.redact(describeNetworkError(lastError))}) after ${attempts} attempt(s); check mlflow-tracking-uri and that the server is up`,
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
    let parsed: unknown;
    let isJson = false;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
        isJson = true;
      } catch {
        if (response.ok)
          throw new MlflowApiError(response.status, 'BAD_RESPONSE', 'response is not JSON', endpoint, false);
      }
    }
    if (!response.ok) {
      const error = (isJson ? parsed : {}) as { error_code?: unknown; message?: unknown };
      const fromMlflow = isJson && typeof error.error_code === 'string';
      const detail = fromMlflow && typeof error.message === 'string' ? error.message : summarizeBody(text);
      throw new MlflowApiError(
        response.status,
        fromMlflow ? (error.error_code as string) : `HTTP_${response.status}`,
        this.redact(detail),
        endpoint,
        fromMlflow,
      );
    }
    return (parsed ?? {}) as T;
  }
}

/** The tracking URI as an http(s) base URL; anything else is a clear error that never echoes credentials. */
function parseTrackingUri(uri: string, secrets: readonly string[]): string {
  const shown = redactSecrets(showServerUrl(uri.trim()), secrets);
  const trimmed = uri.trim();
  if (/^databricks-uc(:|$)/i.test(trimmed)) {
    throw new UserError(
      "input 'mlflow-tracking-uri': Unity Catalog ('databricks-uc') is not supported: it is another REST API with three-level names, no stages, and versions whose files MLflow's Python client uploads into UC storage itself; use the Databricks workspace registry (https://<workspace-host>, stages only) or an open-source MLflow server (see docs/registry.md)",
    );
  }
  if (/^databricks(:|$)/i.test(trimmed)) {
    throw new UserError(
      "input 'mlflow-tracking-uri': 'databricks' profiles are read by MLflow's Python client from ~/.databrickscfg; give the workspace URL instead (https://<workspace-host>) with mlflow-token (see docs/registry.md)",
    );
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new UserError(
      `input 'mlflow-tracking-uri': '${shown}' is not a URL (expected http(s)://host[:port])`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(
      `input 'mlflow-tracking-uri': expected an http(s) URL of an MLflow server, got '${url.protocol}' (file: and database URIs are read by MLflow's Python client only)`,
    );
  }
  if (url.username || url.password) {
    throw new UserError(
      "input 'mlflow-tracking-uri': put credentials in mlflow-username / mlflow-password (masked), not in the URL",
    );
  }
  if (url.search || url.hash) {
    throw new UserError(
      `input 'mlflow-tracking-uri': '${shown}' has a query or fragment; give the server's root URL (the UI's #/models part is not part of it)`,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/** A short, single-line view of a non-JSON body (an HTML error page's title, a proxy's text). */
function summarizeBody(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.slice(0, 200) || '(empty body)';
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'request timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

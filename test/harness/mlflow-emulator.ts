// An MLflow tracking server on 127.0.0.1 for tests: a real HTTP server on a random port that answers the Model
// Registry endpoints and `runs/log-batch` / `runs/get` as MLflow's own server code does. Each answer below was
// rebuilt from MLflow's source (mlflow/server/handlers.py, mlflow/store/model_registry/sqlalchemy_store.py and
// file_store.py, mlflow/utils/validation.py, mlflow/exceptions.py), not from its docs:
// - errors are `{error_code, message}` JSON with the status MLflow maps each code to (exceptions.py
//   ERROR_CODE_TO_HTTP_STATUS); unknown routes are Flask's HTML 404, a known path with another method HTML 405;
// - an unset alias is 400 INVALID_PARAMETER_VALUE "Registered model alias X not found." (both stores);
//   `latest` and `v<digits>` are reserved alias names; an alias on a missing version is 404;
// - model-versions/create validates its source (_validate_source_run: a local path needs run_id and must lie in
//   that run's artifact directory; any source whose path is relative or does not resolve to itself is refused);
// - model-versions/search returns versions WITHOUT aliases (the SQL store does not populate them), ordered by
//   last_updated_timestamp DESC, name ASC, version DESC, with opaque base64 page tokens;
// - deleting a missing tag or alias is 200; tag values over 5000 characters are 400;
// - values the SQL columns cannot hold (source / run_link over 500, description over 5000, a lone surrogate)
//   make Postgres and MySQL raise outside MLflow's error handling: Flask's HTML 500;
// - the basic-auth app answers 401 / 403 in plain text.
// Faults fire before the write (failNext) or after it (failAfterWrite: the write happened, the client sees 5xx).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  current_stage: string;
  description: string;
  source: string;
  run_id: string;
  run_link: string;
  status: 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';
  status_message: string;
  tags: Map<string, string>;
  /** get calls left before a pending version becomes READY or FAILED. */
  pendingPolls: number;
  fails: boolean;
}

interface StoredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description: string;
  tags: Map<string, string>;
  aliases: Map<string, string>;
  versions: StoredVersion[];
}

export interface StoredRun {
  run_id: string;
  experiment_id: string;
  artifact_uri: string;
  lifecycle_stage: 'active' | 'deleted';
  params: Map<string, string>;
  tags: Map<string, string>;
  metrics: { key: string; value: number; timestamp: number; step: number }[];
}

export interface MlflowFaults {
  /** The next N requests (any endpoint) answer this status before doing anything. */
  failNext?: { count: number; status: number };
  /** The next N requests to this endpoint (`model-versions/create`) do their write, then answer this status. */
  failAfterWrite?: { endpoint: string; count: number; status: number };
  /** Delay every response by this many milliseconds. */
  delayMs?: number;
  /** New versions stay PENDING_REGISTRATION for this many model-versions/get calls (Databricks-style). */
  pendingPolls?: number;
  /** New versions whose source matches end FAILED_REGISTRATION. */
  failRegistration?: RegExp;
}

export interface MlflowEmulatorOptions {
  /** Require `Authorization: Bearer <token>`. */
  token?: string;
  /** Require HTTP basic auth (MLflow's basic-auth app). */
  basic?: { username: string; password: string };
  /** Authenticated, but every write answers 403 (a READ permission in MLflow's auth app). */
  readOnly?: boolean;
  /** false: a server without the alias API (MLflow < 2.3, Databricks' workspace registry): HTML 404 there. */
  aliasApi?: boolean;
  /** The SQL database behind the store: postgres (default) enforces column lengths, sqlite does not. */
  database?: 'postgres' | 'sqlite';
  /** A hostile or careless server that echoes the Authorization header in its error messages. */
  echoCredentials?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization?: string;
  status: number;
}

/** An MlflowException as the server turns it into a response; extra routes throw it too. */
export class MlflowError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code] ?? 500;
  }
}

/** A response that bypasses MLflow's JSON error handler (Flask's own pages, the auth app's plain text). */
class RawResponse extends Error {
  constructor(
    readonly status: number,
    readonly contentType: string,
    readonly body: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(body);
  }
}

export type ExtraRoute = (params: Record<string, unknown>, emulator: MlflowEmulator) => unknown;

// mlflow/exceptions.py ERROR_CODE_TO_HTTP_STATUS (the codes the registry and tracking stores raise).
const STATUS: Record<string, number> = {
  INTERNAL_ERROR: 500,
  INVALID_STATE: 500,
  TEMPORARILY_UNAVAILABLE: 503,
  BAD_REQUEST: 400,
  INVALID_PARAMETER_VALUE: 400,
  MALFORMED_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  REQUEST_LIMIT_EXCEEDED: 429,
  NOT_IMPLEMENTED: 501,
};

const PREFIX = '/api/2.0/mlflow/';
// mlflow/utils/validation.py. Param and run-tag values: the 2.x limits (500 / 5000); 2.9+ raised them to 6000 /
// 8000, the registry's 5000 never moved. The emulator keeps the strictest so the client is checked against all.
const MAX_TAG_KEY = 250;
const MAX_REGISTRY_TAG_VALUE = 5000;
const MAX_PARAM_VALUE = 500;
const MAX_RUN_TAG_VALUE = 5000;
const MAX_METRICS_PER_BATCH = 1000;
const MAX_PARAMS_TAGS_PER_BATCH = 100;
const MAX_ENTITIES_PER_BATCH = 1000;
// mlflow/store/model_registry/dbmodels/models.py column sizes.
const MAX_SOURCE = 500;
const MAX_RUN_LINK = 500;
const MAX_DESCRIPTION = 5000;

const FLASK_404 =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';
const FLASK_405 =
  '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n';
const FLASK_500 =
  '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n';

const ROUTES: Record<string, string[]> = {
  'registered-models/create': ['POST'],
  'registered-models/get': ['GET'],
  'registered-models/search': ['GET'],
  'registered-models/set-tag': ['POST'],
  'registered-models/delete-tag': ['DELETE'],
  'registered-models/alias': ['POST', 'DELETE', 'GET'],
  'model-versions/create': ['POST'],
  'model-versions/get': ['GET'],
  'model-versions/search': ['GET'],
  'model-versions/set-tag': ['POST'],
  'model-versions/delete-tag': ['DELETE'],
  'model-versions/transition-stage': ['POST'],
  'runs/get': ['GET'],
  'runs/log-batch': ['POST'],
};

export class MlflowEmulator {
  readonly models = new Map<string, StoredModel>();
  readonly runs = new Map<string, StoredRun>();
  readonly requests: RecordedRequest[] = [];
  faults: MlflowFaults = {};
  private readonly extra = new Map<string, ExtraRoute>();
  private server: Server | undefined;
  private clock = 1_800_000_000_000;
  private runCount = 0;

  constructor(private readonly options: MlflowEmulatorOptions = {}) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error) => {
        response.writeHead(500, { 'content-type': 'text/html; charset=utf-8' });
        response.end(`${FLASK_500}<!-- ${String(error)} -->`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /**
   * Adds an endpoint (`route('GET', 'metrics/get-history', handler)`): the handler gets the request's parameters
   * and this emulator, returns the JSON payload, and throws MlflowError for MLflow's error answers.
   */
  route(method: 'GET' | 'POST' | 'DELETE' | 'PATCH', endpoint: string, handler: ExtraRoute): void {
    this.extra.set(`${method} ${endpoint}`, handler);
  }

  /** The version an alias points to, for assertions. */
  alias(name: string, alias: string): string | undefined {
    return this.models.get(name)?.aliases.get(alias);
  }

  /** A run, as `mlflow.start_run()` would create it; returns its id. */
  createRun(artifactUri?: string): string {
    const runId = (++this.runCount).toString(16).padStart(32, '0');
    this.runs.set(runId, {
      run_id: runId,
      experiment_id: '0',
      artifact_uri: artifactUri ?? `mlflow-artifacts:/0/${runId}/artifacts`,
      lifecycle_stage: 'active',
      params: new Map(),
      tags: new Map(),
      metrics: [],
    });
    return runId;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const query = Object.fromEntries(url.searchParams);
    const method = request.method ?? 'GET';
    const record: RecordedRequest = { method, path: url.pathname, query, body: {}, status: 200 };
    if (request.headers.authorization) record.authorization = request.headers.authorization;
    this.requests.push(record);
    const send = async (
      status: number,
      body: string,
      contentType: string,
      headers: Record<string, string> = {},
    ) => {
      record.status = status;
      if (this.faults.delayMs) await new Promise((resolve) => setTimeout(resolve, this.faults.delayMs));
      response.writeHead(status, { 'content-type': contentType, ...headers });
      response.end(body);
    };
    const endpoint = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : undefined;
    try {
      if (this.faults.failNext && this.faults.failNext.count > 0) {
        this.faults.failNext.count--;
        throw new RawResponse(this.faults.failNext.status, 'text/html; charset=utf-8', FLASK_500);
      }
      this.authorize(request.headers.authorization, method);
      const known = endpoint !== undefined && this.knownMethods(endpoint);
      if (!known || known.length === 0) throw new RawResponse(404, 'text/html; charset=utf-8', FLASK_404);
      if (!known.includes(method)) throw new RawResponse(405, 'text/html; charset=utf-8', FLASK_405);
      let params: Record<string, unknown> = query;
      // handlers.py _get_request_message: GET reads the query string; other methods a JSON body.
      if (method !== 'GET' && !(method === 'DELETE' && text === '')) {
        const type = request.headers['content-type'] ?? '';
        if (!type.startsWith('application/json')) {
          throw new MlflowError(
            'INVALID_PARAMETER_VALUE',
            "Bad Request. Content-Type must be one of ['application/json'].",
          );
        }
        try {
          params = JSON.parse(text) as Record<string, unknown>;
        } catch {
          throw new MlflowError('MALFORMED_REQUEST', 'Bad Request. Request body is not valid JSON.');
        }
      }
      record.body = params;
      const payload = this.dispatch(`${method} ${endpoint}`, params);
      const after = this.faults.failAfterWrite;
      if (after && after.count > 0 && after.endpoint === endpoint) {
        after.count--;
        throw new RawResponse(after.status, 'text/html; charset=utf-8', FLASK_500);
      }
      await send(200, JSON.stringify(payload), 'application/json');
    } catch (error) {
      if (error instanceof RawResponse) {
        await send(error.status, error.body, error.contentType, error.headers);
      } else if (error instanceof MlflowError) {
        await send(
          error.status,
          JSON.stringify({ error_code: error.code, message: error.message }),
          'application/json',
        );
      } else throw error;
    }
  }

  private knownMethods(endpoint: string): string[] | undefined {
    const methods = [...(ROUTES[endpoint] ?? [])];
    for (const key of this.extra.keys()) {
      const [method, path] = key.split(' ');
      if (path === endpoint) methods.push(method!);
    }
    if (this.options.aliasApi === false && endpoint === 'registered-models/alias') return undefined;
    return methods.length > 0 ? methods : undefined;
  }

  private authorize(header: string | undefined, method: string): void {
    const { token, basic } = this.options;
    if (token !== undefined || basic !== undefined) {
      const expected =
        token !== undefined
          ? `Bearer ${token}`
          : `Basic ${Buffer.from(`${basic!.username}:${basic!.password}`).toString('base64')}`;
      if (header !== expected) {
        // mlflow/server/auth/__init__.py make_basic_auth_response: plain text, not MLflow's JSON.
        const echo = this.options.echoCredentials ? `(received Authorization: ${header ?? 'none'}) ` : '';
        throw new RawResponse(
          401,
          'text/plain; charset=utf-8',
          `${echo}You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.`,
          { 'www-authenticate': 'Basic realm="mlflow"' },
        );
      }
    }
    if (this.options.readOnly && method !== 'GET') {
      throw new RawResponse(403, 'text/plain; charset=utf-8', 'Permission denied');
    }
  }

  private dispatch(key: string, p: Record<string, unknown>): unknown {
    const extra = this.extra.get(key);
    if (extra) return extra(p, this);
    switch (key) {
      case 'POST registered-models/create': {
        const name = requireString(p, 'name');
        if (this.models.has(name)) {
          throw new MlflowError(
            'RESOURCE_ALREADY_EXISTS',
            `Registered Model (name=${name}) already exists. Error: (sqlite3.IntegrityError) UNIQUE constraint failed: registered_models.name`,
          );
        }
        const now = this.tick();
        const model: StoredModel = {
          name,
          creation_timestamp: now,
          last_updated_timestamp: now,
          description: optionalString(p, 'description') ?? '',
          tags: new Map(),
          aliases: new Map(),
          versions: [],
        };
        for (const tag of tagsOf(p.tags)) {
          this.validateRegistryTag(tag.key, tag.value);
          model.tags.set(tag.key, tag.value);
        }
        this.models.set(name, model);
        return { registered_model: this.modelJson(model) };
      }
      case 'GET registered-models/get':
        return { registered_model: this.modelJson(this.model(requireString(p, 'name'))) };
      case 'GET registered-models/search': {
        const max = intParam(p, 'max_results', 100);
        if (max > 1000) {
          throw new MlflowError(
            'INVALID_PARAMETER_VALUE',
            `Invalid value ${max} for parameter 'max_results' supplied: It must be at most 1000`,
          );
        }
        const filter = optionalString(p, 'filter') ?? '';
        const match = /^name\s*=\s*(['"])(.*)\1$/.exec(filter.trim());
        if (filter.trim() !== '' && !match)
          throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid filter '${filter}'`);
        const models = [...this.models.values()]
          .filter((model) => !match || model.name === match[2])
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const { page, next } = paginate(models, max, optionalString(p, 'page_token'));
        return omitEmpty({
          registered_models: page.map((model) => this.modelJson(model)),
          next_page_token: next,
        });
      }
      case 'POST registered-models/set-tag': {
        const name = requireString(p, 'name');
        const key = requireString(p, 'key');
        const value = optionalString(p, 'value') ?? '';
        this.validateRegistryTag(key, value);
        const model = this.model(name);
        model.tags.set(key, value);
        return {};
      }
      case 'DELETE registered-models/delete-tag': {
        const model = this.model(requireString(p, 'name'));
        const key = requireString(p, 'key');
        validateTagName(key);
        // sqlalchemy_store.delete_registered_model_tag: a missing tag is not an error.
        model.tags.delete(key);
        return {};
      }
      case 'POST model-versions/create': {
        const name = requireString(p, 'name');
        const source = requireString(p, 'source');
        const runId = optionalString(p, 'run_id') ?? '';
        const runLink = optionalString(p, 'run_link') ?? '';
        const description = optionalString(p, 'description') ?? '';
        const tags = tagsOf(p.tags);
        this.validateSource(source, runId);
        for (const tag of tags) this.validateRegistryTag(tag.key, tag.value);
        const model = this.model(name);
        this.column('model_versions.source', source, MAX_SOURCE);
        this.column('model_versions.run_link', runLink, MAX_RUN_LINK);
        this.column('model_versions.description', description, MAX_DESCRIPTION);
        if (source.startsWith('models:/')) this.resolveModelsUri(source);
        const now = this.tick();
        const pending = this.faults.pendingPolls ?? 0;
        const next = Math.max(0, ...model.versions.map((entry) => Number(entry.version))) + 1;
        const version: StoredVersion = {
          name: model.name,
          version: String(next),
          creation_timestamp: now,
          last_updated_timestamp: now,
          current_stage: 'None',
          description,
          source,
          run_id: runId,
          run_link: runLink,
          status: pending > 0 ? 'PENDING_REGISTRATION' : 'READY',
          status_message: '',
          tags: new Map(tags.map((tag) => [tag.key, tag.value])),
          pendingPolls: pending,
          fails: this.faults.failRegistration?.test(source) ?? false,
        };
        if (pending === 0 && version.fails) {
          version.status = 'FAILED_REGISTRATION';
          version.status_message = 'injected: could not copy model artifacts';
        }
        model.versions.push(version);
        model.last_updated_timestamp = now;
        return { model_version: this.versionJson(model, version, true) };
      }
      case 'GET model-versions/get': {
        const model = this.model(requireString(p, 'name'));
        const version = this.version(model, requireString(p, 'version'));
        if (version.status === 'PENDING_REGISTRATION' && --version.pendingPolls <= 0) {
          version.status = version.fails ? 'FAILED_REGISTRATION' : 'READY';
          if (version.fails) version.status_message = 'injected: could not copy model artifacts';
        }
        return { model_version: this.versionJson(model, version, true) };
      }
      case 'GET model-versions/search': {
        const max = intParam(p, 'max_results', 200_000);
        if (max > 200_000) {
          throw new MlflowError(
            'INVALID_PARAMETER_VALUE',
            `Invalid value ${max} for parameter 'max_results' supplied: It must be at most 200000`,
          );
        }
        const conditions = parseVersionFilter(optionalString(p, 'filter') ?? '');
        const all = [...this.models.values()]
          .flatMap((model) => model.versions.map((version) => ({ model, version })))
          .filter(({ version }) =>
            conditions.every(([key, value]) => (key === 'name' ? version.name : version.run_id) === value),
          )
          .sort(
            (a, b) =>
              b.version.last_updated_timestamp - a.version.last_updated_timestamp ||
              (a.version.name < b.version.name ? -1 : a.version.name > b.version.name ? 1 : 0) ||
              Number(b.version.version) - Number(a.version.version),
          );
        const { page, next } = paginate(all, max, optionalString(p, 'page_token'));
        // The SQL store's search does not populate aliases (sqlalchemy_store.search_model_versions).
        return omitEmpty({
          model_versions: page.map(({ model, version }) => this.versionJson(model, version, false)),
          next_page_token: next,
        });
      }
      case 'POST model-versions/set-tag': {
        const name = requireString(p, 'name');
        const versionNumber = requireString(p, 'version');
        const key = requireString(p, 'key');
        const value = optionalString(p, 'value') ?? '';
        this.validateRegistryTag(key, value);
        const version = this.version(this.model(name), versionNumber);
        version.tags.set(key, value);
        return {};
      }
      case 'DELETE model-versions/delete-tag': {
        const version = this.version(this.model(requireString(p, 'name')), requireString(p, 'version'));
        const key = requireString(p, 'key');
        validateTagName(key);
        version.tags.delete(key);
        return {};
      }
      case 'POST model-versions/transition-stage': {
        const model = this.model(requireString(p, 'name'));
        const version = this.version(model, requireString(p, 'version'));
        const stages = ['None', 'Staging', 'Production', 'Archived'];
        const requested = requireString(p, 'stage');
        const stage = stages.find((candidate) => candidate.toLowerCase() === requested.toLowerCase());
        if (!stage) {
          throw new MlflowError(
            'INVALID_PARAMETER_VALUE',
            `Invalid Model Version stage: ${requested}. Value must be one of None, Staging, Production, Archived.`,
          );
        }
        const archive = p.archive_existing_versions === true;
        if (archive && stage !== 'Staging' && stage !== 'Production') {
          throw new MlflowError(
            'INVALID_PARAMETER_VALUE',
            `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are ['Staging', 'Production']`,
          );
        }
        const now = this.tick();
        if (archive) {
          for (const other of model.versions) {
            if (other !== version && other.current_stage === stage) {
              other.current_stage = 'Archived';
              other.last_updated_timestamp = now;
            }
          }
        }
        version.current_stage = stage;
        version.last_updated_timestamp = now;
        model.last_updated_timestamp = now;
        return { model_version: this.versionJson(model, version, true) };
      }
      case 'POST registered-models/alias': {
        const name = requireString(p, 'name');
        const alias = requireString(p, 'alias');
        const versionNumber = requireString(p, 'version');
        validateAlias(alias);
        const model = this.model(name);
        const version = this.version(model, versionNumber);
        model.aliases.set(alias, version.version);
        return {};
      }
      case 'DELETE registered-models/alias': {
        const name = requireString(p, 'name');
        const alias = requireString(p, 'alias');
        validateAlias(alias);
        this.model(name).aliases.delete(alias);
        return {};
      }
      case 'GET registered-models/alias': {
        const name = requireString(p, 'name');
        const alias = requireString(p, 'alias');
        validateAlias(alias);
        const model = this.model(name);
        const version = model.aliases.get(alias);
        if (version === undefined) {
          throw new MlflowError('INVALID_PARAMETER_VALUE', `Registered model alias ${alias} not found.`);
        }
        return { model_version: this.versionJson(model, this.version(model, version), true) };
      }
      case 'GET runs/get':
        return { run: this.runJson(this.run(requireString(p, 'run_id'))) };
      case 'POST runs/log-batch':
        return this.logBatch(p);
      default:
        throw new RawResponse(404, 'text/html; charset=utf-8', FLASK_404);
    }
  }

  private logBatch(p: Record<string, unknown>): unknown {
    const run = this.run(requireString(p, 'run_id'));
    const list = (key: string) => {
      const value = p[key];
      if (value === undefined) return [];
      if (!Array.isArray(value)) {
        throw new MlflowError(
          'INVALID_PARAMETER_VALUE',
          `Invalid value ${JSON.stringify(value)} for parameter '${key}' supplied.`,
        );
      }
      return value as Record<string, unknown>[];
    };
    const metrics = list('metrics');
    const params = list('params');
    const tags = list('tags');
    // validation.py _validate_batch_log_limits
    const limit = (entity: string, max: number, length: number) => {
      if (length > max) {
        throw new MlflowError(
          'INVALID_PARAMETER_VALUE',
          `A batch logging request can contain at most ${max} ${entity}. Got ${length} ${entity}. Please split up ${entity} across multiple requests and try again.`,
        );
      }
    };
    limit('metrics', MAX_METRICS_PER_BATCH, metrics.length);
    limit('params', MAX_PARAMS_TAGS_PER_BATCH, params.length);
    limit('tags', MAX_PARAMS_TAGS_PER_BATCH, tags.length);
    limit('metrics, params, and tags', MAX_ENTITIES_PER_BATCH, metrics.length + params.length + tags.length);
    metrics.forEach((metric, index) => {
      validateEntityName(metric.key, `metrics[${index}].key`);
      if (typeof metric.value !== 'number') {
        throw new MlflowError(
          'INVALID_PARAMETER_VALUE',
          `Invalid value ${JSON.stringify(metric.value)} for parameter 'metrics[${index}].value' supplied: Please specify value as a valid double (64-bit floating point)`,
        );
      }
      if (typeof metric.timestamp !== 'number' || metric.timestamp < 0) {
        throw new MlflowError(
          'INVALID_PARAMETER_VALUE',
          `Invalid value ${JSON.stringify(metric.timestamp)} for parameter 'metrics[${index}].timestamp' supplied: Timestamp must be a nonnegative long (64-bit integer)`,
        );
      }
    });
    const seen = new Set<string>();
    params.forEach((param, index) => {
      validateEntityName(param.key, `params[${index}].key`);
      const value = String(param.value ?? '');
      if (value.length > MAX_PARAM_VALUE) {
        throw new MlflowError(
          'INVALID_PARAMETER_VALUE',
          `'params[${index}].value' exceeds the maximum length of ${MAX_PARAM_VALUE} characters`,
        );
      }
      if (seen.has(String(param.key))) {
        throw new MlflowError(
          'INVALID_PARAMETER_VALUE',
          `Duplicate parameter keys have been submitted: ['${String(param.key)}']. Please ensure the request contains only one param value per param key.`,
        );
      }
      seen.add(String(param.key));
    });
    tags.forEach((tag, index) => {
      validateEntityName(tag.key, `tags[${index}].key`);
      if (String(tag.value ?? '').length > MAX_RUN_TAG_VALUE) {
        throw new MlflowError(
          'INVALID_PARAMETER_VALUE',
          `'tags[${index}].value' exceeds the maximum length of ${MAX_RUN_TAG_VALUE} characters`,
        );
      }
    });
    if (run.lifecycle_stage !== 'active') {
      throw new MlflowError(
        'INVALID_PARAMETER_VALUE',
        `The run ${run.run_id} must be in the 'active' state. Current state is deleted.`,
      );
    }
    // sqlalchemy_store._log_params: the same value again is fine, another value is refused.
    for (const param of params) {
      const key = String(param.key);
      const value = String(param.value ?? '');
      const existing = run.params.get(key);
      if (existing !== undefined && existing !== value) {
        throw new MlflowError(
          'INVALID_PARAMETER_VALUE',
          `Changing param values is not allowed. Param with key='${key}' was already logged with value='${existing}' for run ID='${run.run_id}'. Attempted logging new value '${value}'.`,
        );
      }
    }
    for (const param of params) run.params.set(String(param.key), String(param.value ?? ''));
    for (const tag of tags) run.tags.set(String(tag.key), String(tag.value ?? ''));
    for (const metric of metrics) {
      const entry = {
        key: String(metric.key),
        value: metric.value as number,
        timestamp: metric.timestamp as number,
        step: Number(metric.step ?? 0),
      };
      // An identical (key, timestamp, step, value) row is the same row: the store keeps one.
      const duplicate = run.metrics.some(
        (other) =>
          other.key === entry.key &&
          other.value === entry.value &&
          other.timestamp === entry.timestamp &&
          other.step === entry.step,
      );
      if (!duplicate) run.metrics.push(entry);
    }
    return {};
  }

  /** handlers.py _validate_source_run and _validate_non_local_source_contains_relative_paths. */
  private validateSource(source: string, runId: string): void {
    if (isLocalUri(source)) {
      const run = runId ? this.run(runId) : undefined;
      const local = source.startsWith('file:') ? decodeURIComponent(new URL(source).pathname) : source;
      const root = run && isLocalUri(run.artifact_uri) ? localPath(run.artifact_uri) : undefined;
      if (root !== undefined && local.startsWith('/')) {
        const resolved = normalize(local);
        if (resolved === root || resolved.startsWith(`${root}/`)) return;
      }
      throw new MlflowError(
        'INVALID_PARAMETER_VALUE',
        `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
      );
    }
    let unquoted = source;
    for (;;) {
      let next: string;
      try {
        next = decodeURIComponent(unquoted.replace(/\+/g, ' '));
      } catch {
        break;
      }
      if (next === unquoted) break;
      unquoted = next;
    }
    const path = uriPath(unquoted).replace(/\/+$/, '').replace(/\/+/g, '/');
    if (path.includes('\u0000') || unquoted.split('/').includes('..') || normalize(path) !== path) {
      throw new MlflowError(
        'INVALID_PARAMETER_VALUE',
        `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`,
      );
    }
  }

  /** sqlalchemy_store.create_model_version resolves a models:/ source; a failure is an MlflowException (500). */
  private resolveModelsUri(source: string): void {
    const match = /^models:\/([^/@]+)(?:\/(\d+)|@([\w-]+))$/.exec(source);
    const model = match ? this.models.get(match[1]!) : undefined;
    const version = match?.[2] ?? (match?.[3] ? model?.aliases.get(match[3]) : undefined);
    if (!model || !version || !model.versions.some((entry) => entry.version === version)) {
      throw new MlflowError(
        'INTERNAL_ERROR',
        `Unable to fetch model from model URI source artifact location '${source}'.Error: not found`,
      );
    }
  }

  /** A value wider than its SQL column: Postgres raises DataError, which MLflow does not catch. */
  private column(column: string, value: string, max: number): void {
    if ((this.options.database ?? 'postgres') === 'postgres' && [...value].length > max) {
      throw new RawResponse(
        500,
        'text/html; charset=utf-8',
        `${FLASK_500}<!-- value too long for type character varying(${max}) (${column}) -->`,
      );
    }
  }

  private validateRegistryTag(key: string, value: string): void {
    validateTagName(key);
    if (key.length > MAX_TAG_KEY) {
      throw new MlflowError(
        'INVALID_PARAMETER_VALUE',
        `'key' exceeds the maximum length of ${MAX_TAG_KEY} characters`,
      );
    }
    // Python's len counts code points.
    if ([...value].length > MAX_REGISTRY_TAG_VALUE) {
      throw new MlflowError(
        'INVALID_PARAMETER_VALUE',
        `'value' exceeds the maximum length of ${MAX_REGISTRY_TAG_VALUE} characters`,
      );
    }
    // A lone surrogate cannot be encoded as UTF-8: psycopg2 / MySQLdb raise before MLflow sees it.
    if ((this.options.database ?? 'postgres') === 'postgres' && hasLoneSurrogate(value)) {
      throw new RawResponse(500, 'text/html; charset=utf-8', `${FLASK_500}<!-- surrogates not allowed -->`);
    }
  }

  private tick(): number {
    this.clock += 1000;
    return this.clock;
  }

  private model(name: string): StoredModel {
    const model = this.models.get(name);
    if (!model)
      throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${name} not found`);
    return model;
  }

  private version(model: StoredModel, version: string): StoredVersion {
    if (!/^-?\d+$/.test(version)) {
      throw new MlflowError(
        'INVALID_PARAMETER_VALUE',
        `Parameter 'version' must be an integer, got '${version}'.`,
      );
    }
    const found = model.versions.find((entry) => entry.version === version);
    if (!found) {
      throw new MlflowError(
        'RESOURCE_DOES_NOT_EXIST',
        `Model Version (name=${model.name}, version=${version}) not found`,
      );
    }
    return found;
  }

  private run(runId: string): StoredRun {
    const run = this.runs.get(runId);
    if (!run) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);
    return run;
  }

  private modelJson(model: StoredModel) {
    return omitEmpty({
      name: model.name,
      creation_timestamp: model.creation_timestamp,
      last_updated_timestamp: model.last_updated_timestamp,
      description: model.description,
      tags: [...model.tags].map(([key, value]) => ({ key, value })),
      aliases: [...model.aliases].map(([alias, version]) => ({ alias, version })),
    });
  }

  private versionJson(model: StoredModel, version: StoredVersion, withAliases: boolean) {
    return omitEmpty({
      name: version.name,
      version: version.version,
      creation_timestamp: version.creation_timestamp,
      last_updated_timestamp: version.last_updated_timestamp,
      current_stage: version.current_stage,
      description: version.description,
      source: version.source,
      run_id: version.run_id,
      run_link: version.run_link,
      status: version.status,
      status_message: version.status_message,
      tags: [...version.tags].map(([key, value]) => ({ key, value })),
      aliases: withAliases
        ? [...model.aliases].filter(([, target]) => target === version.version).map(([alias]) => alias)
        : [],
    });
  }

  private runJson(run: StoredRun) {
    const latest = new Map<string, StoredRun['metrics'][number]>();
    for (const metric of run.metrics) {
      const current = latest.get(metric.key);
      if (
        !current ||
        metric.step > current.step ||
        (metric.step === current.step && metric.timestamp >= current.timestamp)
      )
        latest.set(metric.key, metric);
    }
    return {
      info: omitEmpty({
        run_id: run.run_id,
        run_uuid: run.run_id,
        experiment_id: run.experiment_id,
        artifact_uri: run.artifact_uri,
        lifecycle_stage: run.lifecycle_stage,
        status: 'RUNNING',
      }),
      data: omitEmpty({
        metrics: [...latest.values()],
        params: [...run.params].map(([key, value]) => ({ key, value })),
        tags: [...run.tags].map(([key, value]) => ({ key, value })),
      }),
    };
  }
}

/** Protobuf's JSON form (MLflow's message_to_json) leaves out empty strings and empty lists. */
function omitEmpty<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(
      ([, value]) => value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0),
    ),
  ) as Partial<T>;
}

/** SearchUtils.create_page_token / parse_start_offset_from_page_token: base64 of {"offset": n}. */
function paginate<T>(items: T[], max: number, token: string | undefined): { page: T[]; next?: string } {
  let offset = 0;
  if (token) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    } catch {
      throw new MlflowError('INVALID_PARAMETER_VALUE', 'Invalid page token, could not base64-decode');
    }
    const value = (parsed as { offset?: unknown } | null)?.offset;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new MlflowError(
        'INVALID_PARAMETER_VALUE',
        `Invalid page token, parsed value=${JSON.stringify(parsed)}`,
      );
    }
    offset = value;
  }
  const page = items.slice(offset, offset + max);
  const next =
    offset + max < items.length
      ? Buffer.from(JSON.stringify({ offset: offset + max }).replace(':', ': ')).toString('base64')
      : undefined;
  return next === undefined ? { page } : { page, next };
}

function parseVersionFilter(filter: string): [string, string][] {
  if (filter.trim() === '') return [];
  const conditions: [string, string][] = [];
  for (const part of filter.split(/\s+AND\s+/i)) {
    const match = /^\s*(name|run_id)\s*=\s*(['"])((?:[^\\]|\\.)*?)\2\s*$/.exec(part);
    if (!match) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid filter '${filter}'`);
    conditions.push([match[1]!, match[3]!.replace(/\\(.)/g, '$1')]);
  }
  return conditions;
}

function requireString(params: Record<string, unknown>, key: string): string {
  const value = params[key];
  if (value === undefined || value === null || value === '') {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Missing value for required parameter '${key}'.`);
  }
  if (typeof value !== 'string') {
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${JSON.stringify(value)} for parameter '${key}' supplied: Hint: Value was of type '${typeof value}'. See the API docs for more information about request parameters.`,
    );
  }
  return value;
}

function optionalString(params: Record<string, unknown>, key: string): string | undefined {
  return params[key] === undefined ? undefined : requireString(params, key);
}

function intParam(params: Record<string, unknown>, key: string, fallback: number): number {
  const value = params[key];
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number)) {
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${JSON.stringify(value)} for parameter '${key}' supplied.`,
    );
  }
  return number;
}

function tagsOf(value: unknown): { key: string; value: string }[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${JSON.stringify(value)} for parameter 'tags' supplied.`,
    );
  }
  return value.map((tag: { key?: unknown; value?: unknown }) => ({
    key: String(tag?.key ?? ''),
    value: String(tag?.value ?? ''),
  }));
}

/** validation.py _validate_tag_name (also for param and metric names): no colon, to match the 2.x servers. */
function validateTagName(name: string): void {
  validateEntityName(name, 'key');
}

function validateEntityName(name: unknown, path: string): void {
  if (typeof name !== 'string' || name === '') {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Missing value for required parameter '${path}'.`);
  }
  const normalized = normpath(name);
  if (!/^[/\w.\- ]*$/.test(name)) {
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${JSON.stringify(name)} for parameter '${path}' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).`,
    );
  }
  if (
    normalized !== name ||
    normalized === '.' ||
    normalized.startsWith('..') ||
    normalized.startsWith('/')
  ) {
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${JSON.stringify(name)} for parameter '${path}' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${normalized}'`,
    );
  }
  if (name.length > MAX_TAG_KEY) {
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      `'${path}' exceeds the maximum length of ${MAX_TAG_KEY} characters`,
    );
  }
}

/** validation.py _validate_model_alias_name. */
function validateAlias(alias: string): void {
  if (!/^[\w-]*$/.test(alias)) {
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      `Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`,
    );
  }
  if (alias.length > 255) {
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      "'Registered model alias name' exceeds the maximum length of 255 characters",
    );
  }
  if (alias.toLowerCase() === 'latest') {
    throw new MlflowError('INVALID_PARAMETER_VALUE', "'latest' alias name (case insensitive) is reserved.");
  }
  if (/^[vV]\d+$/.test(alias)) {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Version alias name '${alias}' is reserved.`);
  }
}

/** mlflow/utils/uri.py is_local_uri for a POSIX server: no scheme, or file: without a remote host. */
function isLocalUri(uri: string): boolean {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1];
  if (scheme === undefined) return true;
  if (scheme.toLowerCase() !== 'file') return false;
  const host = /^file:\/\/([^/]*)/i.exec(uri)?.[1] ?? '';
  return host === '' || host === 'localhost' || host === '127.0.0.1';
}

function localPath(uri: string): string {
  return normalize(uri.startsWith('file:') ? decodeURIComponent(new URL(uri).pathname) : uri);
}

/** urllib.parse.urlparse(source).path: what follows the scheme and the authority. */
function uriPath(uri: string): string {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri);
  let rest = scheme ? uri.slice(scheme[0].length) : uri;
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    rest = slash === -1 ? '' : rest.slice(slash);
  }
  return rest.split(/[?#]/)[0]!;
}

/** posixpath.normpath. */
function normpath(path: string): string {
  if (path === '') return '.';
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** pathlib.Path(p).resolve() on POSIX without symlinks: relative paths become absolute, so they never match. */
function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return absolute ? `/${parts.join('/')}` : `/cwd/${parts.join('/')}`;
}

function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

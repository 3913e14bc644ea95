// An MLflow Model Registry on 127.0.0.1 for tests: a real HTTP server on a random port that answers the
// registry endpoints of MLflow's REST API (https://mlflow.org/docs/latest/rest-api.html) with MLflow's
// request and response shapes and error codes, plus fault injection (5xx bursts, slow responses, versions that
// stay PENDING_REGISTRATION for a while or end FAILED_REGISTRATION).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Tag {
  key: string;
  value: string;
}

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

export interface MlflowFaults {
  /** The next N requests (any endpoint) answer this status. */
  failNext?: { count: number; status: number };
  /** Delay every response by this many milliseconds. */
  delayMs?: number;
  /** New versions stay PENDING_REGISTRATION for this many model-versions/get calls. */
  pendingPolls?: number;
  /** New versions whose source matches end FAILED_REGISTRATION. */
  failRegistration?: RegExp;
}

export interface MlflowEmulatorOptions {
  /** Require `Authorization: Bearer <token>`. */
  token?: string;
  /** Require HTTP basic auth. */
  basic?: { username: string; password: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization?: string;
  status: number;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const PREFIX = '/api/2.0/mlflow/';
// MLflow's own limits (mlflow/utils/validation.py): tag keys up to 250 characters, model-version tag values
// 5000 before 2.x raised them; kept at the strict value so the client's chunking is exercised.
const MAX_TAG_KEY = 250;
const MAX_TAG_VALUE = 5000;

export class MlflowEmulator {
  readonly models = new Map<string, StoredModel>();
  readonly requests: RecordedRequest[] = [];
  faults: MlflowFaults = {};
  private server: Server | undefined;
  private clock = 1_800_000_000_000;

  constructor(private readonly options: MlflowEmulatorOptions = {}) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error_code: 'INTERNAL_ERROR', message: String(error) }));
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

  /** The version an alias points to, for assertions. */
  alias(name: string, alias: string): string | undefined {
    return this.models.get(name)?.aliases.get(alias);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const query = Object.fromEntries(url.searchParams);
    let body: Record<string, unknown> = {};
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query,
      body,
      status: 200,
    };
    if (request.headers.authorization) record.authorization = request.headers.authorization;
    this.requests.push(record);
    const send = async (status: number, payload: unknown) => {
      record.status = status;
      if (this.faults.delayMs) await new Promise((resolve) => setTimeout(resolve, this.faults.delayMs));
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    try {
      if (this.faults.failNext && this.faults.failNext.count > 0) {
        this.faults.failNext.count--;
        throw new ApiError(this.faults.failNext.status, 'TEMPORARILY_UNAVAILABLE', 'injected failure');
      }
      this.authorize(request.headers.authorization);
      if (text !== '') {
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          throw new ApiError(400, 'MALFORMED_REQUEST', 'request body is not JSON');
        }
      }
      // GET (and DELETE without a body) carry their parameters in the query string, as MLflow's server reads them.
      const params: Record<string, unknown> =
        request.method === 'GET' || (request.method === 'DELETE' && text === '') ? query : body;
      record.body = params;
      if (!url.pathname.startsWith(PREFIX))
        throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `no endpoint ${url.pathname}`);
      const endpoint = `${request.method} ${url.pathname.slice(PREFIX.length)}`;
      await send(200, this.route(endpoint, params));
    } catch (error) {
      if (error instanceof ApiError)
        await send(error.status, { error_code: error.code, message: error.message });
      else throw error;
    }
  }

  private authorize(header: string | undefined): void {
    const { token, basic } = this.options;
    if (token === undefined && basic === undefined) return;
    const expected =
      token !== undefined
        ? `Bearer ${token}`
        : `Basic ${Buffer.from(`${basic!.username}:${basic!.password}`).toString('base64')}`;
    if (header !== expected) throw new ApiError(401, 'UNAUTHENTICATED', 'invalid credentials');
  }

  private route(endpoint: string, p: Record<string, unknown>): unknown {
    switch (endpoint) {
      case 'POST registered-models/create': {
        const name = requireString(p, 'name');
        if (this.models.has(name))
          throw new ApiError(
            400,
            'RESOURCE_ALREADY_EXISTS',
            `Registered Model (name=${name}) already exists.`,
          );
        const now = this.tick();
        const model: StoredModel = {
          name,
          creation_timestamp: now,
          last_updated_timestamp: now,
          description: String(p.description ?? ''),
          tags: new Map(),
          aliases: new Map(),
          versions: [],
        };
        for (const tag of tagsOf(p.tags)) model.tags.set(tag.key, tag.value);
        this.models.set(name, model);
        return { registered_model: this.modelJson(model) };
      }
      case 'GET registered-models/get':
        return { registered_model: this.modelJson(this.model(requireString(p, 'name'))) };
      case 'GET registered-models/search': {
        const match = /^name\s*=\s*'(.*)'$/.exec(String(p.filter ?? '').trim());
        const models = [...this.models.values()].filter((model) => !match || model.name === match[1]);
        return { registered_models: models.map((model) => this.modelJson(model)) };
      }
      case 'POST registered-models/set-tag': {
        const model = this.model(requireString(p, 'name'));
        const key = requireString(p, 'key');
        const value = String(p.value ?? '');
        validateTag(key, value);
        model.tags.set(key, value);
        model.last_updated_timestamp = this.tick();
        return {};
      }
      case 'DELETE registered-models/delete-tag': {
        const model = this.model(requireString(p, 'name'));
        const key = requireString(p, 'key');
        if (!model.tags.delete(key))
          throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `tag ${key} not found`);
        return {};
      }
      case 'POST model-versions/create': {
        const model = this.model(requireString(p, 'name'));
        const source = requireString(p, 'source');
        const now = this.tick();
        const pending = this.faults.pendingPolls ?? 0;
        const version: StoredVersion = {
          name: model.name,
          version: String(model.versions.length + 1),
          creation_timestamp: now,
          last_updated_timestamp: now,
          current_stage: 'None',
          description: String(p.description ?? ''),
          source,
          run_id: String(p.run_id ?? ''),
          run_link: String(p.run_link ?? ''),
          status: pending > 0 ? 'PENDING_REGISTRATION' : 'READY',
          status_message: '',
          tags: new Map(),
          pendingPolls: pending,
          fails: this.faults.failRegistration?.test(source) ?? false,
        };
        for (const tag of tagsOf(p.tags)) {
          validateTag(tag.key, tag.value);
          version.tags.set(tag.key, tag.value);
        }
        if (pending === 0 && version.fails) {
          version.status = 'FAILED_REGISTRATION';
          version.status_message = 'injected: could not copy model artifacts';
        }
        model.versions.push(version);
        return { model_version: this.versionJson(model, version) };
      }
      case 'GET model-versions/get': {
        const model = this.model(requireString(p, 'name'));
        const version = this.version(model, requireString(p, 'version'));
        if (version.status === 'PENDING_REGISTRATION' && --version.pendingPolls <= 0) {
          version.status = version.fails ? 'FAILED_REGISTRATION' : 'READY';
          if (version.fails) version.status_message = 'injected: could not copy model artifacts';
        }
        return { model_version: this.versionJson(model, version) };
      }
      case 'GET model-versions/search': {
        const filter = String(p.filter ?? '').trim();
        const match = /^name\s*=\s*'((?:[^'\\]|\\.)*)'$/.exec(filter);
        if (filter !== '' && !match)
          throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `unsupported filter ${filter}`);
        const name = match?.[1]?.replace(/\\'/g, "'");
        const all = [...this.models.values()]
          .filter((model) => name === undefined || model.name === name)
          .flatMap((model) => model.versions.map((version) => this.versionJson(model, version)));
        const max = Number(p.max_results ?? 10_000);
        const start = Number(p.page_token ?? 0);
        const page = all.slice(start, start + max);
        return start + max < all.length
          ? { model_versions: page, next_page_token: String(start + max) }
          : { model_versions: page };
      }
      case 'POST model-versions/set-tag': {
        const model = this.model(requireString(p, 'name'));
        const version = this.version(model, requireString(p, 'version'));
        const key = requireString(p, 'key');
        const value = String(p.value ?? '');
        validateTag(key, value);
        version.tags.set(key, value);
        return {};
      }
      case 'POST model-versions/transition-stage': {
        const model = this.model(requireString(p, 'name'));
        const version = this.version(model, requireString(p, 'version'));
        const stages = ['None', 'Staging', 'Production', 'Archived'];
        const stage = stages.find(
          (candidate) => candidate.toLowerCase() === String(p.stage ?? '').toLowerCase(),
        );
        if (!stage)
          throw new ApiError(
            400,
            'INVALID_PARAMETER_VALUE',
            `Invalid Model Version stage: ${String(p.stage)}`,
          );
        if (p.archive_existing_versions === true && (stage === 'Staging' || stage === 'Production')) {
          for (const other of model.versions)
            if (other !== version && other.current_stage === stage) other.current_stage = 'Archived';
        }
        version.current_stage = stage;
        return { model_version: this.versionJson(model, version) };
      }
      case 'POST registered-models/alias': {
        const model = this.model(requireString(p, 'name'));
        const alias = requireString(p, 'alias');
        if (!/^[\w-]+$/.test(alias) || alias.toLowerCase() === 'latest') {
          throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Invalid alias name: '${alias}'`);
        }
        const version = this.version(model, requireString(p, 'version'));
        model.aliases.set(alias, version.version);
        return {};
      }
      case 'DELETE registered-models/alias': {
        const model = this.model(requireString(p, 'name'));
        model.aliases.delete(requireString(p, 'alias'));
        return {};
      }
      case 'GET registered-models/alias': {
        const model = this.model(requireString(p, 'name'));
        const alias = requireString(p, 'alias');
        const version = model.aliases.get(alias);
        if (version === undefined) {
          throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Registered model alias ${alias} not found.`);
        }
        return { model_version: this.versionJson(model, this.version(model, version)) };
      }
      default:
        throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `no endpoint ${endpoint}`);
    }
  }

  private tick(): number {
    this.clock += 1000;
    return this.clock;
  }

  private model(name: string): StoredModel {
    const model = this.models.get(name);
    if (!model)
      throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${name} not found`);
    return model;
  }

  private version(model: StoredModel, version: string): StoredVersion {
    const found = model.versions.find((entry) => entry.version === version);
    if (!found) {
      throw new ApiError(
        404,
        'RESOURCE_DOES_NOT_EXIST',
        `Model Version (name=${model.name}, version=${version}) not found`,
      );
    }
    return found;
  }

  private modelJson(model: StoredModel) {
    return {
      name: model.name,
      creation_timestamp: model.creation_timestamp,
      last_updated_timestamp: model.last_updated_timestamp,
      description: model.description,
      tags: [...model.tags].map(([key, value]) => ({ key, value })),
      aliases: [...model.aliases].map(([alias, version]) => ({ alias, version })),
    };
  }

  private versionJson(model: StoredModel, version: StoredVersion) {
    return {
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
      aliases: [...model.aliases].filter(([, target]) => target === version.version).map(([alias]) => alias),
    };
  }
}

function requireString(params: Record<string, unknown>, key: string): string {
  const value = params[key];
  if (typeof value !== 'string' || value === '') {
    throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Missing value for required parameter '${key}'.`);
  }
  return value;
}

function tagsOf(value: unknown): Tag[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((tag) => typeof tag?.key === 'string')) {
    throw new ApiError(400, 'INVALID_PARAMETER_VALUE', 'tags must be a list of {key, value}');
  }
  return value.map((tag) => ({ key: tag.key as string, value: String(tag.value ?? '') }));
}

function validateTag(key: string, value: string): void {
  if (key.length > MAX_TAG_KEY || !/^[\w\-./ ]+$/.test(key)) {
    throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Invalid tag key '${key}'`);
  }
  if (value.length > MAX_TAG_VALUE) {
    throw new ApiError(
      400,
      'INVALID_PARAMETER_VALUE',
      `Tag value for '${key}' exceeds ${MAX_TAG_VALUE} characters`,
    );
  }
}

// A GitHub REST emulator for integration tests: a real HTTP server on 127.0.0.1 (random port), so every
// client sees it through GITHUB_API_URL (@actions/github's undici fetch included, which msw / nock miss).
// It holds state (see github-emulator/state.ts), validates every request against GitHub's OpenAPI
// description (a committed subset, scripts/openapi-subset.mjs) and injects faults for reliability tests.
//
//   const github = await startGitHubEmulator();
//   github.state.addWorkflow(github.state.repo(), { path: 'train.yml' });
//   await runBundledAction('dispatch-retrain', { env: { GITHUB_API_URL: github.url, GITHUB_TOKEN: 't' } });
//   expect(github.violations).toEqual([]);
//   await github.close();
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Fault, FaultInjector, faultBody } from './github-emulator/faults.ts';
import { OpenApiValidator } from './github-emulator/openapi.ts';
import { graphql, HttpError, handlers, type Reply } from './github-emulator/routes.ts';
import { BOT, EmulatorState, type User } from './github-emulator/state.ts';

export type { Fault, FaultSpec } from './github-emulator/faults.ts';
export { createdFilter, evaluateRunName } from './github-emulator/routes.ts';
export * from './github-emulator/state.ts';

export interface RecordedRequest {
  method: string;
  /** Path without the query, as sent (percent-encoding kept). */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The operation of GitHub's description it matched, e.g. actions/create-workflow-dispatch. */
  operationId?: string;
  /** The token sent (tests assert which one); never printed by the emulator. */
  token?: string;
  userAgent?: string;
  status: number;
  /** The fault that answered instead of the handler, if any. */
  fault?: Fault;
}

export interface Violation {
  method: string;
  path: string;
  message: string;
}

export interface GitHubEmulator {
  /** Base URL for GITHUB_API_URL, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  state: EmulatorState;
  faults: FaultInjector;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Requests that broke GitHub's OpenAPI description (and the emulator's own undocumented answers). */
  violations: Violation[];
  /** Requests for one operationId. */
  requestsFor(operationId: string): RecordedRequest[];
  close(): Promise<void>;
}

let sharedValidator: OpenApiValidator | undefined;

export async function startGitHubEmulator(options: { state?: EmulatorState } = {}): Promise<GitHubEmulator> {
  sharedValidator ??= new OpenApiValidator();
  const validator = sharedValidator;
  const state = options.state ?? new EmulatorState();
  const faults = new FaultInjector();
  const requests: RecordedRequest[] = [];
  const violations: Violation[] = [];
  let apiUrl = '';

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push({
        method: req.method ?? '',
        path: req.url ?? '',
        message: `emulator crashed: ${(error as Error).stack ?? error}`,
      });
      if (!res.headersSent) send(res, { status: 500, body: { message: 'emulator error' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', apiUrl);
    const raw = await readBody(req);
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      status: 0,
      ...(token !== undefined ? { token } : {}),
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
    };
    requests.push(record);
    const violation = (message: string) =>
      violations.push({ method, path: url.pathname + url.search, message });
    const reply = (answer: Reply) => {
      record.status = answer.status;
      send(res, answer);
    };

    // Validation first, so a request that only fails because of an injected fault is still checked.
    const isGraphql = method === 'POST' && url.pathname === '/graphql';
    const binary = !isGraphql && validator.takesRawBody(method, url.pathname);
    let body: unknown;
    if (binary) {
      body = raw;
    } else if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        violation('request body is not JSON');
        return reply({ status: 400, body: { message: 'Problems parsing JSON' } });
      }
      const type = req.headers['content-type'] ?? '';
      if (!type.includes('json')) violation(`request body sent as '${type}', not application/json`);
    }
    record.body = body;

    const validation = isGraphql
      ? undefined
      : validator.validate(method, url.pathname, url.searchParams, body, raw.length > 0, {
          ...(req.headers['content-type'] !== undefined ? { contentType: req.headers['content-type'] } : {}),
          ...(req.headers['content-length'] !== undefined
            ? { contentLength: req.headers['content-length'] }
            : {}),
        });
    if (validation?.ok) record.operationId = validation.request.operation.operationId;
    else if (validation) record.operationId = validation.operation?.operationId;

    const fault = faults.take(method, url.pathname);
    if (fault) {
      record.fault = fault;
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.reset) {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined) {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        if (fault.status === 403 || fault.status === 429) headers['x-ratelimit-remaining'] = '4000';
        return reply({ status: fault.status, body: faultBody(fault), headers });
      }
    }

    if (validation && !validation.ok) {
      violation(validation.message);
      return reply({
        status: validation.status,
        body: {
          message: validation.status === 404 ? 'Not Found' : `Invalid request. ${validation.message}`,
          documentation_url: 'https://docs.github.com/rest',
        },
      });
    }

    if (!token)
      return reply({
        status: 401,
        body: { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' },
      });
    if (state.tokens.size > 0 && !state.tokens.has(token)) {
      return reply({
        status: 401,
        body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
      });
    }
    const user: User = state.tokenUsers.get(token) ?? BOT;

    if (isGraphql) {
      const { reply: answer, problem } = graphql(state, body, user);
      if (problem) violation(problem);
      return reply(answer);
    }

    const { operation, params, query } = validation!.ok ? validation!.request : (undefined as never);
    const handler = handlers[operation.operationId];
    if (!handler) {
      violation(`the emulator does not implement ${operation.operationId}`);
      return reply({ status: 501, body: { message: `emulator: ${operation.operationId} not implemented` } });
    }
    let answer: Reply;
    try {
      answer = handler({
        state,
        params,
        query,
        body,
        apiUrl,
        url,
        user,
        ...(req.headers['content-type'] !== undefined ? { contentType: req.headers['content-type'] } : {}),
      });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      answer = {
        status: error.status,
        body: {
          message: error.message,
          ...(error.errors ? { errors: error.errors } : {}),
          documentation_url: 'https://docs.github.com/rest',
          status: String(error.status),
        },
      };
    }
    if (answer.status < 300 && answer.body !== undefined) {
      const misfit = validator.checkResponse(operation, answer.status, answer.body);
      if (misfit) violation(misfit);
    }
    if (answer.status < 300 && !operation.responses.includes(String(answer.status))) {
      violation(
        `emulator answered ${answer.status}, not a documented status of ${operation.operationId} (${operation.responses.join(', ')})`,
      );
    }
    return reply(answer);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: apiUrl,
    state,
    faults,
    requests,
    violations,
    requestsFor: (operationId) => requests.filter((request) => request.operationId === operationId),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = {
    'x-github-request-id': `EMU:${Math.random().toString(16).slice(2, 10)}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    ...reply.headers,
  };
  if (reply.body === undefined || reply.status === 204) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res
    .writeHead(reply.status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    })
    .end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

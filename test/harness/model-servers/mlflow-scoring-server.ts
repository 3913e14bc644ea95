// An MLflow scoring server (`mlflow models serve`, mlflow/pyfunc/scoring_server) on 127.0.0.1 serving the
// example model: GET /ping and /health, GET /version (MLflow's own version, not the model's), POST
// /invocations with Content-Type application/json and exactly one of dataframe_split, dataframe_records,
// instances or inputs, answering {"predictions": [...]} or MLflow's {"error_code", "message"} errors.
// Requests outside that contract are recorded in `violations`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type ExampleModel, loadExampleModel } from './example-model.ts';
import { listenOnLoopback, readBody, ServerFaults } from './faults.ts';
import type { ModelServer, RecordedModelRequest } from './oip-server.ts';

export interface MlflowScoringOptions {
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  model?: ExampleModel;
  /** A response header naming the model version (a gateway in front of MLflow adds one). */
  versionHeader?: { name: string; value: string | ((invocation: number) => string) };
  nanOutput?: boolean;
  /** `/ping` answers 503 until this many ms after start. */
  readyAfterMs?: number;
}

const INPUT_KEYS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];

export async function startMlflowScoringServer(options: MlflowScoringOptions = {}): Promise<ModelServer> {
  const model = options.model ?? loadExampleModel();
  const faults = new ServerFaults();
  const requests: RecordedModelRequest[] = [];
  const violations: string[] = [];
  const started = Date.now();
  let invocations = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push(`server crashed on ${req.method} ${req.url}: ${(error as Error).stack}`);
      if (!res.headersSent) error500(res);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const text = await readBody(req);
    const record: RecordedModelRequest = {
      method: req.method ?? '',
      path: pathname,
      body: text,
      status: 0,
      headers: req.headers,
    };
    requests.push(record);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    const bad = (message: string, code = 'BAD_REQUEST') => reply(400, { error_code: code, message });
    if (await faults.apply(req, res, pathname)) {
      record.status = res.statusCode;
      return;
    }
    const ready = Date.now() - started >= (options.readyAfterMs ?? 0);
    if (req.method === 'GET' && (pathname === '/ping' || pathname === '/health'))
      return ready ? reply(200, '\n') : reply(503, '\n');
    if (req.method === 'GET' && pathname === '/version') return reply(200, '2.17.0');
    if (pathname !== '/invocations' || req.method !== 'POST') {
      violations.push(`${req.method} ${pathname} is not an endpoint of the MLflow scoring server`);
      return reply(404, { error_code: 'ENDPOINT_NOT_FOUND', message: 'not found' });
    }
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    if (type !== 'application/json') {
      violations.push(`POST /invocations with Content-Type '${type}'`);
      return reply(415, {
        error_code: 'BAD_REQUEST',
        message: `Content type must be application/json, got ${type}`,
      });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      violations.push('POST /invocations: body is not JSON');
      return bad('Failed to parse input as JSON', 'MALFORMED_REQUEST');
    }
    record.body = body;
    const keys = INPUT_KEYS.filter((key) => key in body);
    if (keys.length !== 1) {
      violations.push(
        `POST /invocations: ${keys.length} of ${INPUT_KEYS.join(', ')} (exactly one is required)`,
      );
      return bad(`The input must contain exactly one of ${INPUT_KEYS.join(', ')}`);
    }
    if (keys[0] !== 'dataframe_split')
      return bad(`this test server reads dataframe_split only, got ${keys[0]}`);
    const frame = body.dataframe_split as { columns?: unknown; data?: unknown };
    if (!Array.isArray(frame.columns) || !Array.isArray(frame.data)) {
      violations.push('dataframe_split without columns and data lists');
      return bad('dataframe_split must hold columns and data');
    }
    const columns = frame.columns as string[];
    const missing = model.features.filter((feature) => !columns.includes(feature));
    if (missing.length > 0)
      return bad(`Model is missing inputs ${JSON.stringify(missing)}`, 'INVALID_PARAMETER_VALUE');
    if (frame.data.length === 0) return bad('empty batch: no rows to score', 'INVALID_PARAMETER_VALUE');
    const positions = model.features.map((feature) => columns.indexOf(feature));
    const rows: (number | null)[][] = [];
    for (const [index, row] of (frame.data as unknown[]).entries()) {
      if (!Array.isArray(row) || row.length !== columns.length)
        return bad(
          `row ${index} has ${Array.isArray(row) ? row.length : 0} values for ${columns.length} columns`,
        );
      const values = positions.map((position) => row[position]);
      if (!values.every((value) => value === null || typeof value === 'number'))
        return bad(`Incompatible input types for row ${index}: expected double`, 'INVALID_PARAMETER_VALUE');
      rows.push(values as (number | null)[]);
    }
    invocations++;
    const headers: Record<string, string> = {};
    if (options.versionHeader) {
      const { name, value } = options.versionHeader;
      headers[name] = typeof value === 'function' ? value(invocations) : value;
    }
    if (options.nanOutput)
      return reply(200, `{"predictions": [${rows.map(() => 'NaN').join(', ')}]}`, headers);
    return reply(200, { predictions: rows.map((row) => model.predict(row)) }, headers);
  }

  const { url, close } = await listenOnLoopback(server, faults, options.port);
  return { url, requests, violations, faults, close };
}

function error500(res: ServerResponse): void {
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error_code: 'INTERNAL_ERROR', message: 'server error' }));
}

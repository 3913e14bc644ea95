// An Open Inference Protocol v2 model server on 127.0.0.1 (random port) serving the example model. Every
// request is validated against the protocol's OpenAPI file; what does not fit is answered 400 / 404 and
// recorded in `violations`, so a test fails when serving-check speaks the protocol wrongly.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type ExampleModel, loadExampleModel } from './example-model.ts';
import { listenOnLoopback, readBody, ServerFaults } from './faults.ts';
import { OipOpenApi } from './oip-openapi.ts';

export interface OipServerOptions {
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  model?: ExampleModel;
  /** The name the model is served under (default: the model's own name). */
  name?: string;
  version?: string;
  inputName?: string;
  /** Not ready (503) until this many ms after the first request (a model still loading when probed). */
  readyAfterMs?: number;
  /** Answer NaN for every row (Python's json writes a bare NaN token). */
  nanOutput?: boolean;
  /** Answer one prediction fewer than rows were sent. */
  wrongShape?: boolean;
  /** The version each inference answer names, by 1-based inference count (a rollout mid-check). */
  versionAt?: (inference: number) => string;
  /** 'columns': one [rows, 1] FP64 input per feature, named after it (MLServer's pandas codec). */
  layout?: 'tensor' | 'columns';
  /** Answer 401 unless the request carries exactly this Authorization header. */
  authorization?: string;
  /** Answer 200 with a guess to malformed requests instead of a 400 (a sloppy server). */
  lenient?: boolean;
}

export interface RecordedModelRequest {
  method: string;
  path: string;
  body: unknown;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  operationId?: string;
}

export interface ModelServer {
  url: string;
  requests: RecordedModelRequest[];
  /** Requests (and answers) that did not fit the protocol's description. */
  violations: string[];
  faults: ServerFaults;
  close(): Promise<void>;
}

let sharedSpec: OipOpenApi | undefined;

export async function startOipServer(options: OipServerOptions = {}): Promise<ModelServer> {
  sharedSpec ??= new OipOpenApi();
  const spec = sharedSpec;
  const model = options.model ?? loadExampleModel();
  const name = options.name ?? model.name;
  const version = options.version ?? '1';
  const inputName = options.inputName ?? 'input-0';
  let started: number | undefined;
  const faults = new ServerFaults();
  const requests: RecordedModelRequest[] = [];
  const violations: string[] = [];
  let inferences = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push(`server crashed on ${req.method} ${req.url}: ${(error as Error).stack}`);
      if (!res.headersSent) send(res, 500, { error: 'server error' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const text = await readBody(req);
    let body: unknown;
    let parsed = true;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = false;
    }
    const record: RecordedModelRequest = {
      method: req.method ?? '',
      path: pathname,
      body,
      status: 0,
      headers: req.headers,
    };
    requests.push(record);
    const reply = (status: number, payload: unknown) => {
      record.status = status;
      if (
        record.operationId &&
        (status === 200 || (status === 400 && record.operationId.includes('infer')))
      ) {
        const problem = spec.checkResponse(record.operationId, status, payload);
        if (problem) violations.push(problem);
      }
      send(res, status, payload);
    };
    if (await faults.apply(req, res, pathname)) {
      record.status = res.statusCode;
      return;
    }
    if (options.authorization !== undefined && req.headers.authorization !== options.authorization)
      return reply(401, { error: 'unauthorized' });
    if (!parsed) {
      violations.push(`${req.method} ${pathname}: body is not JSON`);
      return reply(400, { error: 'request body is not JSON' });
    }
    const validation = spec.validate(req.method ?? '', pathname, body, text !== '');
    if (!validation.ok) {
      violations.push(validation.message);
      return reply(validation.status, { error: validation.message });
    }
    record.operationId = validation.operationId;
    const modelName = validation.params.MODEL_NAME;
    const requestedVersion = validation.params.MODEL_VERSION;
    if (
      modelName !== undefined &&
      (modelName !== name || (requestedVersion !== undefined && requestedVersion !== version))
    )
      return reply(404, {
        error: `model '${modelName}'${requestedVersion ? ` version '${requestedVersion}'` : ''} not found`,
      });
    started ??= Date.now();
    const ready = Date.now() - started >= (options.readyAfterMs ?? 0);
    switch (validation.operationId) {
      case 'get-v2-health-live':
        return reply(200, {});
      case 'get-v2-health-ready':
      case 'get-v2-models-$-modelName-versions-$-modelVersion-ready':
        return reply(ready ? 200 : 503, ready ? {} : { error: 'loading' });
      case 'get-v2':
        return reply(200, { name: 'mlops-example-oip', version: '2', extensions: [] });
      case 'get-v2-models-$-modelName-versions-$-modelVersion':
        return reply(200, {
          name,
          versions: [version],
          platform: 'mlops-example-node',
          inputs:
            options.layout === 'columns'
              ? model.features.map((feature) => ({ name: feature, datatype: 'FP64', shape: [-1, 1] }))
              : [{ name: inputName, datatype: 'FP64', shape: [-1, model.features.length] }],
          outputs: [{ name: 'probabilities', datatype: 'FP64', shape: [-1, 2] }],
        });
      default:
        return infer(body as InferenceRequest, ready, reply, (raw) => {
          record.status = 200;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(raw);
        });
    }
  }

  interface InferenceRequest {
    id?: string;
    inputs: { name: string; shape: number[]; datatype: string; data: unknown[] }[];
    outputs?: { name: string }[];
  }

  /** One [rows, 1] tensor per feature (MLServer's pandas codec), as the [rows, features] tensor; or why not. */
  function columnsAsTensor(inputs: InferenceRequest['inputs']): InferenceRequest['inputs'][number] | string {
    const columns: unknown[][] = [];
    for (const feature of model.features) {
      const tensor = inputs.find((entry) => entry.name === feature);
      if (!tensor) return `no input named '${feature}'`;
      if (tensor.datatype !== 'FP64' && tensor.datatype !== 'FP32')
        return `input '${feature}' must be FP64 or FP32, got ${tensor.datatype}`;
      if (tensor.shape.length !== 2 || tensor.shape[1] !== 1)
        return `input '${feature}' must have shape [-1, 1], got [${tensor.shape.join(', ')}]`;
      columns.push(tensor.data.flat(Number.POSITIVE_INFINITY) as unknown[]);
    }
    const rows = columns[0]!.length;
    if (columns.some((column) => column.length !== rows)) return 'inputs of different lengths';
    const data = Array.from({ length: rows }, (_, row) => columns.map((column) => column[row])).flat();
    return { name: inputName, shape: [rows, model.features.length], datatype: 'FP64', data };
  }

  function infer(
    request: InferenceRequest,
    ready: boolean,
    reply: (status: number, payload: unknown) => void,
    replyRaw: (text: string) => void,
  ) {
    if (!ready) return reply(503, { error: 'model is loading' });
    const refuse = (message: string) => {
      if (!options.lenient) return reply(400, { error: message });
      return reply(200, {
        model_name: name,
        outputs: [{ name: 'probabilities', shape: [1, 2], datatype: 'FP64', data: [0.5, 0.5] }],
      });
    };
    const input =
      options.layout === 'columns'
        ? columnsAsTensor(request.inputs)
        : request.inputs.find((entry) => entry.name === inputName);
    if (typeof input === 'string') return refuse(input);
    if (!input) return refuse(`no input named '${inputName}'`);
    if (input.datatype !== 'FP64' && input.datatype !== 'FP32')
      return refuse(`input '${inputName}' must be FP64 or FP32, got ${input.datatype}`);
    const [rows, width] = input.shape;
    if (input.shape.length !== 2 || width !== model.features.length)
      return refuse(
        `input '${inputName}' must have shape [-1, ${model.features.length}], got [${input.shape.join(', ')}]`,
      );
    if (rows === 0) return refuse('empty batch');
    const data = input.data.flat(Number.POSITIVE_INFINITY) as unknown[];
    if (data.length !== rows! * width!)
      return refuse(`shape [${input.shape.join(', ')}] but ${data.length} values`);
    if (!data.every((value) => typeof value === 'number' && Number.isFinite(value)))
      return refuse(`input '${inputName}' holds a value that is not a finite number`);
    if (request.outputs && !request.outputs.every((output) => output.name === 'probabilities'))
      return refuse(`unknown output requested (outputs: probabilities)`);
    inferences++;
    const probabilities: number[] = [];
    const count = options.wrongShape ? rows! - 1 : rows!;
    for (let row = 0; row < count; row++) {
      const p = model.predict((data as number[]).slice(row * width!, (row + 1) * width!));
      probabilities.push(1 - p, p);
    }
    const payload = {
      model_name: name,
      model_version: options.versionAt ? options.versionAt(inferences) : version,
      ...(request.id !== undefined ? { id: request.id } : {}),
      outputs: [{ name: 'probabilities', shape: [count, 2], datatype: 'FP64', data: probabilities }],
    };
    if (options.nanOutput) {
      // What Python's json.dumps writes for float('nan'): not JSON, but what such servers send.
      const text = JSON.stringify({
        ...payload,
        outputs: [{ ...payload.outputs[0], data: probabilities.map(() => 0.123456789) }],
      }).replace(/0\.123456789/g, 'NaN');
      return replyRaw(text);
    }
    return reply(200, payload);
  }

  const { url, close } = await listenOnLoopback(server, faults, options.port);
  return { url, requests, violations, faults, close };
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}

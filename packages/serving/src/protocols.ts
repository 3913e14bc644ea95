// Request bodies and answers for the three protocols serving-check speaks:
// - oip: Open Inference Protocol v2 (KServe, Triton, MLServer, Seldon Core v2), REST, as its OpenAPI
//   description says: POST /v2/models/{name}/infer with {inputs: [{name, shape, datatype, data}]}.
// - mlflow: the MLflow scoring server, POST /invocations with {dataframe_split: {columns, data}}.
// - json: any JSON endpoint, from a request template and a JSON path to the predictions.
import { UserError } from '@mlops/kit';
import { AnswerError, flatten, rowPredictions, toNumber } from './answer.ts';
import { parseJsonPath, selectJsonPath } from './json-path.ts';
import type { GoldenRow, GoldenSet, Protocol } from './types.ts';

export interface ParsedAnswer {
  /** One per row; NaN where the server sent no finite number. */
  values: number[];
  /** The version the answer names (OIP model_version), when it names one. */
  version?: string;
}

export interface ProtocolCodec {
  readonly protocol: Protocol;
  /** Path (from the base URL) that predictions are POSTed to. */
  readonly predictPath: string;
  /** The JSON body asking for predictions of these rows. */
  body(rows: readonly GoldenRow[]): unknown;
  /** Predictions from a JSON answer; throws AnswerError when the answer has the wrong shape. */
  parse(answer: unknown, rows: number): ParsedAnswer;
}

export interface OipOptions {
  model: string;
  /** 'tensor': one [rows, features] tensor; 'columns': one [rows, 1] tensor per feature (BYTES for text). */
  layout: 'tensor' | 'columns';
  inputName: string;
  /** The tensor's datatype (FP64 unless the model's metadata declares FP32). */
  datatype?: 'FP64' | 'FP32';
  outputName?: string;
  /** For a [rows, k] output, the score's column (default the last). */
  outputIndex?: number;
}

export const OIP_NUMERIC_DATATYPES = new Set([
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
]);

/** `/v2/models/{name}` with the name percent-encoded. */
export function oipModelPath(model: string): string {
  return `/v2/models/${encodeURIComponent(model)}`;
}

export function oipCodec(set: GoldenSet, options: OipOptions): ProtocolCodec {
  if (options.layout === 'tensor') {
    const text = set.kinds.indexOf('string');
    if (text >= 0) {
      throw new UserError(
        `column '${set.features[text]}' holds text, which a numeric [rows, features] tensor cannot carry; set 'oip-layout: columns' to send one tensor per column (BYTES for text)`,
      );
    }
  }
  for (const row of set.rows) {
    const missing = row.values.indexOf(null);
    if (missing >= 0) {
      throw new UserError(
        `row '${row.id}' has no value in column '${set.features[missing]}': an Open Inference Protocol tensor cannot carry a missing value; fill it in the requests file (as the model's preprocessing would) or use a protocol that sends nulls (mlflow)`,
      );
    }
  }
  const path = oipModelPath(options.model);
  return {
    protocol: 'oip',
    predictPath: `${path}/infer`,
    body(rows) {
      const inputs =
        options.layout === 'tensor'
          ? [
              {
                name: options.inputName,
                shape: [rows.length, set.features.length],
                datatype: options.datatype ?? 'FP64',
                data: rows.flatMap((row) => row.values),
              },
            ]
          : set.features.map((feature, f) => ({
              name: feature,
              shape: [rows.length, 1],
              datatype:
                set.kinds[f] === 'string'
                  ? 'BYTES'
                  : set.kinds[f] === 'boolean'
                    ? 'BOOL'
                    : (options.datatype ?? 'FP64'),
              data: rows.map((row) => row.values[f]),
            }));
      return {
        inputs,
        ...(options.outputName ? { outputs: [{ name: options.outputName }] } : {}),
      };
    },
    parse(answer, rows) {
      const body = record(answer, 'an inference response object');
      const outputs = body.outputs;
      if (!Array.isArray(outputs) || outputs.length === 0)
        throw new AnswerError("no 'outputs' in the response");
      const output = options.outputName
        ? outputs.find((entry) => record(entry, 'an output object').name === options.outputName)
        : outputs[0];
      if (output === undefined) {
        const names = outputs.map((entry) => String(record(entry, 'an output object').name)).join(', ');
        throw new AnswerError(`no output named '${options.outputName}' (outputs: ${names})`);
      }
      const tensor = record(output, 'an output object');
      const name = String(tensor.name);
      if (!Array.isArray(tensor.shape) || !tensor.shape.every((size) => Number.isInteger(size) && size >= 0))
        throw new AnswerError(`output '${name}' has no valid shape`);
      const shape = tensor.shape as number[];
      const datatype = String(tensor.datatype);
      if (!OIP_NUMERIC_DATATYPES.has(datatype))
        throw new AnswerError(`output '${name}' has datatype ${datatype}, not a numeric type`);
      const data = flatten(tensor.data);
      const size = shape.reduce((product, dimension) => product * dimension, 1);
      if (data.length !== size)
        throw new AnswerError(`output '${name}' has shape [${shape.join(', ')}] but ${data.length} values`);
      if (shape[0] !== rows)
        throw new AnswerError(`output '${name}' has shape [${shape.join(', ')}] for ${rows} rows`);
      const width =
        shape.length === 1 ? 1 : shape.slice(1).reduce((product, dimension) => product * dimension, 1);
      if (shape.length > 2)
        throw new AnswerError(
          `output '${name}' has shape [${shape.join(', ')}]; expected [rows] or [rows, k]`,
        );
      const perRow = width === 1 ? data : chunk(data, width);
      const values = rowPredictions(perRow, rows, options.outputIndex);
      return {
        values,
        ...(typeof body.model_version === 'string' && body.model_version !== ''
          ? { version: body.model_version }
          : {}),
      };
    },
  };
}

export interface MlflowOptions {
  /** For list-per-row or record answers: the column index or the field name of the score. */
  outputIndex?: number;
  outputName?: string;
}

export function mlflowCodec(set: GoldenSet, options: MlflowOptions = {}): ProtocolCodec {
  return {
    protocol: 'mlflow',
    predictPath: '/invocations',
    body(rows) {
      return { dataframe_split: { columns: set.features, data: rows.map((row) => row.values) } };
    },
    parse(answer, rows) {
      // MLflow 2 wraps predictions as {"predictions": ...}; MLflow 1 answered with the bare list.
      const items = Array.isArray(answer)
        ? answer
        : record(answer, "an object with 'predictions'").predictions;
      if (items === undefined) throw new AnswerError("no 'predictions' in the response");
      return { values: fromItems(items, rows, options) };
    },
  };
}

export interface JsonOptions {
  path: string;
  /** JSON text with placeholders (see fillTemplate). */
  template: string;
  predictionsPath: string;
  outputIndex?: number;
  outputName?: string;
}

export function jsonCodec(set: GoldenSet, options: JsonOptions): ProtocolCodec {
  let template: unknown;
  try {
    template = JSON.parse(options.template);
  } catch (error) {
    throw new UserError(`input 'request-template': not JSON (${(error as Error).message})`);
  }
  if (!containsPlaceholder(template)) {
    throw new UserError(
      `input 'request-template': no placeholder for the rows; put "{{records}}" (a list of row objects) or "{{values}}" (a list of row lists) where they go`,
    );
  }
  const steps = parseJsonPath(options.predictionsPath);
  return {
    protocol: 'json',
    predictPath: options.path,
    body: (rows) => fillTemplate(template, set.features, rows),
    parse(answer, rows) {
      const selected = selectJsonPath(answer, steps);
      if (selected === undefined)
        throw new AnswerError(`nothing at '${options.predictionsPath}' in the response`);
      return { values: fromItems(selected, rows, options) };
    },
  };
}

const PLACEHOLDERS = new Set(['{{records}}', '{{values}}', '{{columns}}']);

/**
 * The template with `"{{records}}"` replaced by `[{feature: value, ...}, ...]`, `"{{values}}"` by
 * `[[value, ...], ...]` and `"{{columns}}"` by the feature names (each placeholder is a whole JSON string).
 * @example fillTemplate({instances: '{{records}}'}, ['a'], [{values: [1]}]) // => {instances: [{a: 1}]}
 */
export function fillTemplate(
  template: unknown,
  features: readonly string[],
  rows: readonly Pick<GoldenRow, 'values'>[],
): unknown {
  if (template === '{{records}}')
    return rows.map((row) => Object.fromEntries(features.map((feature, f) => [feature, row.values[f]])));
  if (template === '{{values}}') return rows.map((row) => row.values);
  if (template === '{{columns}}') return [...features];
  if (Array.isArray(template)) return template.map((item) => fillTemplate(item, features, rows));
  if (template !== null && typeof template === 'object')
    return Object.fromEntries(
      Object.entries(template).map(([key, value]) => [key, fillTemplate(value, features, rows)]),
    );
  return template;
}

function containsPlaceholder(template: unknown): boolean {
  if (template === '{{records}}' || template === '{{values}}') return true;
  if (Array.isArray(template)) return template.some(containsPlaceholder);
  if (template !== null && typeof template === 'object')
    return Object.values(template).some(containsPlaceholder);
  return false;
}

export { PLACEHOLDERS };

function fromItems(
  items: unknown,
  rows: number,
  options: { outputIndex?: number; outputName?: string },
): number[] {
  if (!Array.isArray(items)) throw new AnswerError(`predictions are ${describe(items)}, not a list`);
  // A list of records ({"score": 0.3, "label": 1}): the named field, or the only one.
  const records = items.map((item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? (item as Record<string, unknown>)
      : undefined,
  );
  if (records.length > 0 && records.every((entry) => entry !== undefined)) {
    const keys = Object.keys(records[0]!);
    const key = options.outputName ?? (keys.length === 1 ? keys[0] : undefined);
    if (key === undefined)
      throw new AnswerError(
        `predictions are records with fields ${keys.join(', ')}; set 'output-name' to the score's field`,
      );
    if (items.length !== rows) throw new AnswerError(`${items.length} predictions for ${rows} rows`);
    return records.map((entry) => toNumber(entry![key]));
  }
  return rowPredictions(items, rows, options.outputIndex);
}

function chunk(values: readonly unknown[], width: number): unknown[][] {
  const out: unknown[][] = [];
  for (let start = 0; start < values.length; start += width) out.push(values.slice(start, start + width));
  return out;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new AnswerError(`expected ${what}, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

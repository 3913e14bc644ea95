// Checks requests (and the server's own answers) against the Open Inference Protocol's OpenAPI file,
// vendored unchanged in test/fixtures/openapi/open_inference_rest.yaml, as the GitHub emulator does with
// GitHub's description. The file writes path parameters as `${MODEL_NAME}` and lists only the versioned
// model routes; the prose specification makes `/versions/${MODEL_VERSION}` optional, so both forms match.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

export const OIP_OPENAPI_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../fixtures/openapi/open_inference_rest.yaml',
);

// The description's own spelling of the optional version segment (a literal `$`, not a template string).
const VERSION_SEGMENT = ['/versions/', '$', '{MODEL_VERSION}'].join('');

interface Route {
  method: string;
  template: string;
  segments: string[];
  operationId: string;
  body?: ValidateFunction;
  responses: Map<string, ValidateFunction | undefined>;
}

export type OipValidation =
  | { ok: true; operationId: string; params: Record<string, string> }
  | { ok: false; status: 400 | 404; message: string };

export class OipOpenApi {
  private readonly routes: Route[] = [];

  constructor(file = OIP_OPENAPI_FILE) {
    const description = parse(readFileSync(file, 'utf8')) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema({ components: description.components }, 'oip');
    const compile = (schema: unknown) =>
      ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"oip#/components/')));
    for (const [template, item] of Object.entries(description.paths)) {
      for (const [method, value] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'delete'].includes(method)) continue;
        const operation = value as {
          operationId: string;
          requestBody?: { content: Record<string, { schema: unknown }> };
          responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
        };
        const jsonBody = operation.requestBody?.content['application/json']?.schema;
        const responses = new Map(
          Object.entries(operation.responses).map(([status, response]) => {
            const schema = response.content?.['application/json']?.schema;
            return [status, schema ? compile(schema) : undefined] as const;
          }),
        );
        const variants = [template];
        if (template.includes(VERSION_SEGMENT)) variants.push(template.replace(VERSION_SEGMENT, ''));
        for (const variant of variants) {
          this.routes.push({
            method: method.toUpperCase(),
            template: variant,
            segments: variant.replace(/\/$/, '').split('/').slice(1),
            operationId: operation.operationId,
            ...(jsonBody ? { body: compile(jsonBody) } : {}),
            responses,
          });
        }
      }
    }
  }

  /** Which operation a request is, and whether its body fits the description. */
  validate(method: string, pathname: string, body: unknown, hasBody: boolean): OipValidation {
    const raw = pathname.replace(/\/$/, '').split('/').slice(1);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = match(route.segments, raw);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      if (route.body) {
        if (!hasBody)
          return { ok: false, status: 400, message: `${route.operationId}: a JSON body is required` };
        if (!route.body(body))
          return {
            ok: false,
            status: 400,
            message: `${route.operationId}: request body ${formatErrors(route.body.errors)}`,
          };
      } else if (hasBody) {
        return { ok: false, status: 400, message: `${route.operationId} takes no request body` };
      }
      return { ok: true, operationId: route.operationId, params };
    }
    return {
      ok: false,
      status: 404,
      message: pathMatched
        ? `${method} is not an operation of ${pathname} in the OIP description`
        : `no operation of the OIP description matches ${method} ${pathname}`,
    };
  }

  /** Why an answer does not fit the description's schema for its status, or undefined. */
  checkResponse(operationId: string, status: number, body: unknown): string | undefined {
    const route = this.routes.find((candidate) => candidate.operationId === operationId);
    if (!route) return `unknown operation ${operationId}`;
    if (!route.responses.has(String(status)))
      return `${operationId} answered ${status}, which the description does not list`;
    const validate = route.responses.get(String(status));
    if (!validate || validate(body)) return undefined;
    return `${operationId} answer (${status}) ${formatErrors(validate.errors)}`;
  }
}

function match(template: string[], raw: string[]): Record<string, string> | undefined {
  if (template.length !== raw.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < template.length; index++) {
    const name = /^\$\{(.+)\}$/.exec(template[index]!)?.[1];
    if (name === undefined) {
      if (template[index] !== raw[index]) return undefined;
    } else {
      if (raw[index] === '') return undefined;
      params[name] = decodeURIComponent(raw[index]!);
    }
  }
  return params;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 4)
    .map((error) => `${error.instancePath || '(root)'} ${error.message ?? error.keyword}`)
    .join(', ');
}

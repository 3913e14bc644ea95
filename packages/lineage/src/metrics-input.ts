import { parseJsonText, readUserFile, UserError, yamlErrorText } from '@mlops/kit';
import { keyedByData } from '@mlops/kit/keyed-by-data';
import { parsePlainYaml } from '@mlops/kit/yaml-source';
import { EVALUATE_GATE_SCHEMA } from '@mlops/schemas';
import { sha256Bytes } from './checksum.ts';
import type { GateVerdict } from './lineage-record.ts';

export interface MetricsInput {
  metrics: Record<string, number>;
  gate?: GateVerdict;
}

/**
 * Reads the `metrics` input: either an evaluate-gate report (its challenger metrics, verdict and digest go into
 * the lineage) or a flat JSON object of numbers, as `dvc metrics` and most training scripts write.
 */
export async function readMetricsFile(file: string, shownAs: string): Promise<MetricsInput> {
  const bytes = await readInput(file, shownAs, 'metrics');
  const parsed = parseJsonText(bytes.toString('utf8'), `input 'metrics': '${shownAs}'`);
  if (!isObject(parsed)) throw new UserError(`input 'metrics': '${shownAs}' must hold a JSON object`);
  if (parsed.schema === EVALUATE_GATE_SCHEMA) return fromGateReport(parsed, sha256Bytes(bytes), shownAs);
  return { metrics: flattenNumbers(parsed, '') };
}

function fromGateReport(report: Record<string, unknown>, digest: string, shownAs: string): MetricsInput {
  if (typeof report.passed !== 'boolean') {
    throw new UserError(`input 'metrics': gate report '${shownAs}' has no boolean 'passed' field`);
  }
  const models = isObject(report.models) ? report.models : {};
  const challenger = isObject(models.challenger) ? models.challenger : {};
  const metrics = isObject(challenger.metrics) ? flattenNumbers(challenger.metrics, '') : {};
  const gate: GateVerdict = {
    passed: report.passed,
    report_sha256: digest,
    report_schema: EVALUATE_GATE_SCHEMA,
  };
  const comparison = isObject(report.comparison) ? report.comparison : undefined;
  if (comparison) {
    if (typeof comparison.metric === 'string') gate.metric = comparison.metric;
    if (typeof comparison.difference === 'number') gate.difference = comparison.difference;
    if (Array.isArray(comparison.ci) && comparison.ci.length === 2 && comparison.ci.every(Number.isFinite)) {
      gate.ci = [comparison.ci[0] as number, comparison.ci[1] as number];
    }
  }
  return { metrics, gate };
}

/** Reads the `params` input: YAML (a superset of JSON), any shape. */
export async function readParamsFile(file: string, shownAs: string): Promise<unknown> {
  const text = (await readInput(file, shownAs, 'params')).toString('utf8');
  // The YAML parser is loaded only when a params file is given.
  try {
    return await parsePlainYaml(text);
  } catch (error) {
    throw new UserError(`input 'params': '${shownAs}' is not YAML or JSON: ${yamlErrorText(error)}`);
  }
}

function readInput(file: string, shownAs: string, input: string): Promise<Buffer> {
  return readUserFile(file, () => `input '${input}': file '${shownAs}' does not exist or cannot be read`);
}

/** `{a: {b: 1}}` -> `{'a.b': 1}`; non-numeric leaves are dropped (they are not metrics). */
function flattenNumbers(value: Record<string, unknown>, prefix: string): Record<string, number> {
  const result = keyedByData<number>(); // metric names are the user's: `__proto__` is a name like any other
  for (const [key, child] of Object.entries(value)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof child === 'number' && Number.isFinite(child)) result[name] = child;
    else if (isObject(child)) Object.assign(result, flattenNumbers(child, name));
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

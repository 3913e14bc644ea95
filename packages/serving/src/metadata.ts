// OIP model metadata against what the requests need: the inputs serving-check will send exist with a
// compatible datatype and shape, and the output it will read exists.

import { OIP_NUMERIC_DATATYPES, type OipOptions } from './protocols.ts';
import type { GoldenSet } from './types.ts';

export interface MetadataVerdict {
  problems: string[];
  /** The model's versions, as its metadata lists them. */
  versions: string[];
  /** The float type the model declares for the tensor input (send that one). */
  datatype?: 'FP64' | 'FP32';
  /** What was checked, in words, for the report. */
  summary: string;
}

interface TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

/** Reads `{name, versions, platform, inputs, outputs}` and compares it with the requests. */
export function checkOipMetadata(
  metadata: unknown,
  set: GoldenSet,
  options: Pick<OipOptions, 'model' | 'layout' | 'inputName' | 'outputName'>,
): MetadataVerdict {
  const problems: string[] = [];
  const body =
    metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)
      ? (metadata as Record<string, unknown>)
      : {};
  const versions = Array.isArray(body.versions) ? body.versions.map(String) : [];
  if (typeof body.name === 'string' && body.name !== options.model)
    problems.push(`the metadata names model '${body.name}', not '${options.model}'`);
  const inputs = tensors(body.inputs, 'inputs', problems);
  const outputs = tensors(body.outputs, 'outputs', problems);
  let datatype: MetadataVerdict['datatype'];
  if (options.layout === 'tensor') {
    const input = inputs.find((entry) => entry.name === options.inputName);
    if (!input) {
      problems.push(
        `no input named '${options.inputName}' (inputs: ${inputs.map((entry) => entry.name).join(', ') || 'none'}); set 'input-name'`,
      );
    } else {
      if (input.datatype === 'FP32' || input.datatype === 'FP64') datatype = input.datatype;
      else
        problems.push(
          `input '${input.name}' has datatype ${input.datatype}; the requests send floating-point features`,
        );
      const last = input.shape.at(-1);
      if (last !== undefined && last !== -1 && last !== set.features.length)
        problems.push(
          `input '${input.name}' has shape [${input.shape.join(', ')}] but the requests have ${set.features.length} features (${set.features.join(', ')})`,
        );
    }
  } else {
    const names = new Set(inputs.map((entry) => entry.name));
    const missing = set.features.filter((feature) => !names.has(feature));
    if (missing.length > 0)
      problems.push(
        `no input for column(s) ${missing.join(', ')} (inputs: ${[...names].join(', ') || 'none'})`,
      );
    for (const [f, feature] of set.features.entries()) {
      const input = inputs.find((entry) => entry.name === feature);
      if (!input) continue;
      const text = set.kinds[f] === 'string';
      if (text !== (input.datatype === 'BYTES'))
        problems.push(
          `input '${feature}' has datatype ${input.datatype} but the column holds ${text ? 'text' : 'numbers'}`,
        );
    }
  }
  if (options.outputName !== undefined && !outputs.some((entry) => entry.name === options.outputName))
    problems.push(
      `no output named '${options.outputName}' (outputs: ${outputs.map((entry) => entry.name).join(', ') || 'none'})`,
    );
  const numericOutputs = outputs.filter((entry) => OIP_NUMERIC_DATATYPES.has(entry.datatype));
  if (outputs.length > 0 && numericOutputs.length === 0)
    problems.push(
      `no numeric output (outputs: ${outputs.map((entry) => `${entry.name} ${entry.datatype}`).join(', ')})`,
    );
  const summary = `inputs ${inputs.map(describe).join(', ') || 'none'}; outputs ${outputs.map(describe).join(', ') || 'none'}${versions.length > 0 ? `; versions ${versions.join(', ')}` : ''}`;
  return { problems, versions, ...(datatype ? { datatype } : {}), summary };
}

function tensors(value: unknown, field: string, problems: string[]): TensorMetadata[] {
  if (!Array.isArray(value)) {
    problems.push(`the metadata has no '${field}' list`);
    return [];
  }
  const out: TensorMetadata[] = [];
  for (const entry of value) {
    const tensor = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>) : {};
    if (
      typeof tensor.name !== 'string' ||
      typeof tensor.datatype !== 'string' ||
      !Array.isArray(tensor.shape)
    ) {
      problems.push(`an entry of '${field}' lacks name, datatype or shape`);
      continue;
    }
    out.push({ name: tensor.name, datatype: tensor.datatype, shape: tensor.shape.map(Number) });
  }
  return out;
}

function describe(tensor: TensorMetadata): string {
  return `${tensor.name} ${tensor.datatype} [${tensor.shape.join(', ')}]`;
}

// The action.yml reader (inputs and their defaults) for the CLI host and the test harness: a subpath
// (`@mlops/kit/action-metadata`), not part of the kit index, so a bundled action does not load the YAML
// parser at start-up only to run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ActionInputMetadata {
  description: string;
  required?: boolean;
  default?: string;
}

export interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, ActionInputMetadata>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

/** Reads `actions/<name>/action.yml`: the single source of input names, defaults and docs. */
export function loadActionMetadata(repoRoot: string, name: string): ActionMetadata {
  const file = path.join(repoRoot, 'actions', name, 'action.yml');
  const parsed = parse(readFileSync(file, 'utf8')) as ActionMetadata;
  return { ...parsed, inputs: parsed.inputs ?? {}, outputs: parsed.outputs ?? {} };
}

/** Input defaults as the runner would pass them (`INPUT_<NAME>` for every input with a default). */
export function inputDefaults(metadata: ActionMetadata, env: NodeJS.ProcessEnv = {}): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(metadata.inputs)) {
    if (input.default !== undefined) defaults[name] = evaluateDefault(String(input.default), env);
  }
  return defaults;
}

/**
 * The runner evaluates `${{ ... }}` in action.yml defaults; outside it there is no expression engine. The one
 * expression the suite's defaults use is the job token, which CI systems and laptops pass as GITHUB_TOKEN or
 * GH_TOKEN; any other expression has no value outside GitHub and reads as not given.
 */
function evaluateDefault(value: string, env: NodeJS.ProcessEnv): string {
  if (!value.includes('${{')) return value;
  if (/^\$\{\{\s*github\.token\s*\}\}$/.test(value)) return env.GITHUB_TOKEN || env.GH_TOKEN || '';
  return '';
}

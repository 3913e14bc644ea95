// The YAML examples in the docs are what a new user copies first, so each is held to what the reference
// workflows are held to: it parses as YAML (GitHub's parser would refuse it otherwise), every step that uses
// one of our actions passes only inputs its action.yml declares and every required one, every
// `steps.<id>.outputs.<name>` it reads is an output of that step's action, and no `run:` script has an
// expression expanded into it (script injection: outputs reach scripts as environment variables). The full
// configuration examples parse with the parser the action uses (docs/expectations.md's is checked with its
// schema in packages/expectations).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCanaryConfig } from '@mlops/canary';
import { parseGateConfig } from '@mlops/gate';
import { parseTrainingConfig } from '@mlops/training';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/runner.ts';

interface ActionYaml {
  inputs?: Record<string, { required?: boolean }>;
  outputs?: Record<string, unknown>;
}

const inFolder = (folder: string, file = 'README.md') =>
  readdirSync(path.join(repoRoot, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(repoRoot, folder, entry.name, file)))
    .map((entry) => `${folder}/${entry.name}/${file}`);

const documents = [
  'README.md',
  'action-catalog.md',
  'examples/README.md',
  ...readdirSync(path.join(repoRoot, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
  ...inFolder('actions'),
  ...inFolder('packages'),
];

const actions = new Map(
  inFolder('actions', 'action.yml').map((file) => [
    file.split('/')[1]!,
    parse(readFileSync(path.join(repoRoot, file), 'utf8')) as ActionYaml,
  ]),
);

/** The ```yaml blocks of a document, in order. */
const yamlBlocks = (file: string) =>
  [...readFileSync(path.join(repoRoot, file), 'utf8').matchAll(/```ya?ml\n([\s\S]*?)```/g)].map(
    (match) => match[1]!,
  );

/** Every mapping in the document, depth first. */
function* mappings(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) for (const item of node) yield* mappings(item);
  else if (node !== null && typeof node === 'object') {
    yield node as Record<string, unknown>;
    for (const value of Object.values(node)) yield* mappings(value);
  }
}

/** Problems of one YAML example: it must parse, and use our actions as their action.yml says. */
function exampleProblems(yaml: string): string[] {
  let document: unknown;
  try {
    document = parse(yaml);
  } catch (error) {
    return [`does not parse: ${(error as Error).message.split('\n')[0]}`];
  }
  const problems: string[] = [];
  const stepActions = new Map<string, string>();
  for (const step of mappings(document)) {
    if (typeof step.run === 'string' && step.run.includes('${{'))
      problems.push(`run: expands an expression into the script: ${step.run.split('\n')[0]}`);
    const name =
      typeof step.uses === 'string'
        ? /(?:^\.|\/)\/?actions\/([\w-]+)(?:@|$)/.exec(step.uses)?.[1]
        : undefined;
    const action = name === undefined ? undefined : actions.get(name);
    if (action === undefined) continue;
    if (typeof step.id === 'string') stepActions.set(step.id, name!);
    const given = Object.keys((step.with as Record<string, unknown> | undefined) ?? {});
    for (const input of given)
      if (!(input in (action.inputs ?? {}))) problems.push(`${step.uses}: input '${input}' is not declared`);
    for (const [input, spec] of Object.entries(action.inputs ?? {}))
      if (spec.required === true && !given.includes(input))
        problems.push(`${step.uses}: required input '${input}' is missing`);
  }
  for (const [, id, output] of yaml.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    const name = stepActions.get(id!);
    if (name !== undefined && !(output! in (actions.get(name)!.outputs ?? {})))
      problems.push(`steps.${id}.outputs.${output}: ${name} has no output '${output}'`);
  }
  return problems;
}

describe('YAML examples in the docs', () => {
  const examples = documents.flatMap((file) =>
    yamlBlocks(file).map((yaml, index) => ({ file, index, yaml })),
  );

  it('finds the examples (every action has at least one)', () => {
    const used = new Set(
      examples.flatMap(({ yaml }) => [...yaml.matchAll(/actions\/([\w-]+)@/g)].map((m) => m[1])),
    );
    expect([...actions.keys()].filter((name) => !used.has(name))).toEqual([]);
  });

  it('each parses and uses our actions as their action.yml says', () => {
    const problems = examples
      .filter(({ yaml }) => /\buses:|\brun:/.test(yaml))
      .flatMap(({ file, index, yaml }) =>
        exampleProblems(yaml).map((problem) => `${file} (example ${index + 1}): ${problem}`),
      );
    expect(problems).toEqual([]);
  });

  it('the checks catch what they are for', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, as written in YAML
    const unquoted = '- run: echo "${{ steps.x.outputs.y }}: z"';
    expect(exampleProblems(unquoted)[0]).toMatch(/^does not parse/);
    const misused = [
      '- uses: OWNER/REPO/actions/promote@v1',
      '  id: p',
      '  with: { name: m, stagee: s }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, as written in YAML
      '- env: { V: "${{ steps.p.outputs.versoin }}" }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, as written in YAML
      '  run: echo "${{ env.V }}"',
    ].join('\n');
    expect(exampleProblems(misused)).toEqual([
      "OWNER/REPO/actions/promote@v1: input 'stagee' is not declared",
      "OWNER/REPO/actions/promote@v1: required input 'stage' is missing",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, as written in YAML
      'run: expands an expression into the script: echo "${{ env.V }}"',
      "steps.p.outputs.versoin: promote has no output 'versoin'",
    ]);
  });
});

describe('configuration examples in the docs', () => {
  it.each([
    ['docs/gate-config.md', 0, (text: string) => parseGateConfig(text, 'gate.yml')],
    ['docs/training.md', 1, (text: string) => parseTrainingConfig(text, 'training.yml')],
    ['docs/canary.md', 0, (text: string) => parseCanaryConfig(text, 'canary.yml')],
  ])("%s (example %i) parses with the action's parser", (file, index, parseConfig) => {
    expect(() => parseConfig(yamlBlocks(file)[index]!)).not.toThrow();
  });
});

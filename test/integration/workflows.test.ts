// Every workflow and every action.yml is checked with GitHub's own parser, and every use of our actions —
// `uses: ./actions/<name>` in a workflow, or a composite step that runs `dist/<name>/index.cjs` with INPUT_*
// variables — passes only inputs that action declares, and all the ones it needs.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inputVariable, repoRoot } from '../harness/runner.ts';

type WorkflowParser = typeof import('@actions/workflow-parser') &
  typeof import('@actions/workflow-parser/actions/action-parser');

/**
 * GitHub's parser imports its JSON schemas without import attributes, which Node refuses when vitest leaves
 * the package external. Inlined by vitest (server.deps.inline) it loads as is; otherwise bundle it once with
 * esbuild, which resolves the JSON, and load the bundle.
 */
async function loadWorkflowParser(): Promise<WorkflowParser> {
  try {
    const [workflows, actions] = await Promise.all([
      import('@actions/workflow-parser'),
      import('@actions/workflow-parser/actions/action-parser'),
    ]);
    return { ...workflows, ...actions };
  } catch {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'workflow-parser-')), 'parser.mjs');
    const result = await build({
      stdin: {
        contents:
          "export * from '@actions/workflow-parser';\nexport { parseAction } from '@actions/workflow-parser/actions/action-parser';",
        resolveDir: repoRoot,
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      logLevel: 'error',
    });
    writeFileSync(out, result.outputFiles[0]!.text);
    return (await import(pathToFileURL(out).href)) as WorkflowParser;
  }
}

const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow, parseAction } =
  await loadWorkflowParser();

interface StepYaml {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  env?: Record<string, unknown>;
}
interface JobYaml {
  permissions?: unknown;
  environment?: unknown;
  if?: string;
  steps?: StepYaml[];
}
interface WorkflowYaml {
  on: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: unknown;
  jobs: Record<string, JobYaml>;
}
interface ActionYaml {
  inputs?: Record<string, { required?: boolean; default?: string }>;
  outputs?: Record<string, { value?: string }>;
  runs: { using: string; main?: string; steps?: StepYaml[] };
}

const workflowDir = path.join(repoRoot, '.github', 'workflows');
const workflowFiles = existsSync(workflowDir)
  ? readdirSync(workflowDir).filter((file) => /\.ya?ml$/.test(file))
  : [];
const actionNames = readdirSync(path.join(repoRoot, 'actions'), { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && existsSync(path.join(repoRoot, 'actions', entry.name, 'action.yml')),
  )
  .map((entry) => entry.name);
// The workflows this suite ships as reference material (the lead's ci.yml / check-dist.yml are parsed too).
const referenceWorkflows = [
  'mlops-pipeline.yml',
  'mlops-pr-report.yml',
  'mlops-canary.yml',
  'mlops-quickstart.yml',
];

function readAction(name: string): ActionYaml {
  return parse(readFileSync(path.join(repoRoot, 'actions', name, 'action.yml'), 'utf8')) as ActionYaml;
}

function readWorkflow(file: string): WorkflowYaml {
  return parse(readFileSync(path.join(workflowDir, file), 'utf8')) as WorkflowYaml;
}

/** Inputs a caller must pass when the runner does not fill in defaults: required ones and non-empty defaults. */
function neededInputs(action: ActionYaml): string[] {
  return Object.entries(action.inputs ?? {})
    .filter(([, input]) => input.required === true || (input.default ?? '') !== '')
    .map(([name]) => name);
}

/** Problems with one `uses: ./actions/<name>` step's `with:` against that action's declared inputs. */
function checkLocalUse(step: StepYaml): string[] {
  const match = /^\.\/actions\/([\w-]+)$/.exec(step.uses ?? '');
  if (!match) return [];
  const name = match[1]!;
  if (!actionNames.includes(name))
    return [`uses ${step.uses}: no actions/${name}/action.yml in this repository`];
  const declared = readAction(name).inputs ?? {};
  const given = Object.keys(step.with ?? {});
  const problems = given
    .filter((input) => !(input in declared))
    .map((input) => `uses ${step.uses}: input '${input}' is not declared in actions/${name}/action.yml`);
  for (const [input, spec] of Object.entries(declared)) {
    if (spec.required === true && !given.includes(input)) {
      problems.push(`uses ${step.uses}: required input '${input}' is missing`);
    }
  }
  return problems;
}

/** Problems with a composite `run:` step that runs a sibling bundle with INPUT_* variables. */
function checkBundleRun(step: StepYaml): string[] {
  const match = /dist\/([\w-]+)\/index\.cjs/.exec(step.run ?? '');
  if (!match) return [];
  const name = match[1]!;
  if (!actionNames.includes(name)) return [`run ${match[0]}: no actions/${name}/action.yml`];
  const action = readAction(name);
  if (action.runs.main !== `../../dist/${name}/index.cjs`) {
    return [`run ${match[0]}: actions/${name} runs ${action.runs.main}, not this bundle`];
  }
  const byVariable = new Map(Object.keys(action.inputs ?? {}).map((input) => [inputVariable(input), input]));
  const passed = Object.keys(step.env ?? {}).filter((key) => key.startsWith('INPUT_'));
  const problems = passed
    .filter((key) => !byVariable.has(key))
    .map((key) => `run ${name}: ${key} is not an input of actions/${name}/action.yml`);
  for (const input of neededInputs(action)) {
    const variable = inputVariable(input);
    if (!passed.includes(variable)) {
      problems.push(
        `run ${name}: ${variable} is not passed (the runner fills in defaults only for uses: steps)`,
      );
    }
  }
  return problems;
}

describe("GitHub's workflow parser", () => {
  it.each(workflowFiles)('parses .github/workflows/%s without errors', async (file) => {
    const content = readFileSync(path.join(workflowDir, file), 'utf8');
    const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
    const template = await convertWorkflowTemplate(result.context, result.value!);
    expect((template.errors ?? []).map((error) => error.Message)).toEqual([]);
    expect(template.jobs.length).toBeGreaterThan(0);
  });

  it.each(actionNames)('parses actions/%s/action.yml without errors', (name) => {
    const content = readFileSync(path.join(repoRoot, 'actions', name, 'action.yml'), 'utf8');
    const result = parseAction({ name: `actions/${name}/action.yml`, content }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
  });

  it('reports a broken workflow (the check can fail)', () => {
    const content =
      'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: a\n        run: b\n';
    const result = parseWorkflow({ name: 'broken.yml', content }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });
});

describe('uses of our own actions', () => {
  it('ships the reference workflows', () => {
    for (const file of referenceWorkflows) expect(workflowFiles).toContain(file);
  });

  it('the reference workflows together use every action of this repository', () => {
    const used = new Set(
      referenceWorkflows.flatMap((file) =>
        Object.values(readWorkflow(file).jobs).flatMap((spec) =>
          (spec.steps ?? []).flatMap((step) => /^\.\/actions\/([\w-]+)$/.exec(step.uses ?? '')?.[1] ?? []),
        ),
      ),
    );
    expect(actionNames.filter((name) => !used.has(name))).toEqual([]);
  });

  it.each(workflowFiles)('%s: every ./actions/<name> exists and gets only declared inputs', (file) => {
    const problems = Object.entries(readWorkflow(file).jobs).flatMap(([job, spec]) =>
      (spec.steps ?? []).flatMap((step) => checkLocalUse(step).map((problem) => `${job}: ${problem}`)),
    );
    expect(problems).toEqual([]);
  });

  it('the composite gate passes every sibling exactly its declared INPUT_* variables', () => {
    const gate = readAction('gate');
    expect(gate.runs.using).toBe('composite');
    const steps = gate.runs.steps ?? [];
    const bundles = steps.flatMap((step) => /dist\/([\w-]+)\/index\.cjs/.exec(step.run ?? '')?.[1] ?? []);
    expect(bundles).toEqual(['validate-data', 'evaluate-gate', 'pr-comment']);
    expect(steps.flatMap(checkBundleRun)).toEqual([]);
    // A composite's outputs need a value; each must name a step that exists.
    const ids = new Set(steps.map((step) => step.id));
    for (const [name, output] of Object.entries(gate.outputs ?? {})) {
      const step = /steps\.([\w-]+)\.outputs/.exec(output.value ?? '')?.[1];
      expect(step, `output ${name}`).toBeDefined();
      expect(ids.has(step), `output ${name} reads step ${step}`).toBe(true);
    }
    // Every `${{ inputs.x }}` the composite reads is one of its own inputs.
    const text = readFileSync(path.join(repoRoot, 'actions', 'gate', 'action.yml'), 'utf8');
    const read = [...text.matchAll(/inputs\.([\w-]+)/g)].map((match) => match[1]!);
    expect(read.filter((input) => !(input in (gate.inputs ?? {})))).toEqual([]);
  });

  it('the checks catch an undeclared input, a missing required input and a missing INPUT_ default', () => {
    expect(
      checkLocalUse({ uses: './actions/promote', with: { name: 'm', stage: 's', stagee: 'x' } }),
    ).toEqual(["uses ./actions/promote: input 'stagee' is not declared in actions/promote/action.yml"]);
    expect(checkLocalUse({ uses: './actions/promote', with: { name: 'm' } })).toEqual([
      "uses ./actions/promote: required input 'stage' is missing",
    ]);
    expect(checkLocalUse({ uses: './actions/nope' })).toHaveLength(1);
    const problems = checkBundleRun({
      run: 'node "$GITHUB_ACTION_PATH/../../dist/pr-comment/index.cjs"',
      env: { INPUT_REPORT: 'x' },
    });
    expect(problems).toContain(
      'run pr-comment: INPUT_REPORT is not an input of actions/pr-comment/action.yml',
    );
    expect(problems.some((problem) => problem.includes('INPUT_HEADER is not passed'))).toBe(true);
  });

  it('paths under examples/ that the reference workflows name exist', () => {
    for (const file of referenceWorkflows) {
      const text = readFileSync(path.join(workflowDir, file), 'utf8');
      for (const [mentioned] of text.matchAll(/examples\/[\w./-]+\.(?:csv|yml|json|py)/g)) {
        expect(existsSync(path.join(repoRoot, mentioned)), `${file} names ${mentioned}`).toBe(true);
      }
    }
  });
});

describe('reference pipeline', () => {
  const pipeline = readWorkflow('mlops-pipeline.yml');

  it('triggers on model / data / params pushes, pull requests, a nightly schedule and dispatch', () => {
    expect(Object.keys(pipeline.on).sort()).toEqual([
      'pull_request',
      'push',
      'schedule',
      'workflow_dispatch',
    ]);
    const dispatch = pipeline.on.workflow_dispatch as { inputs: Record<string, unknown> };
    expect(Object.keys(dispatch.inputs).sort()).toEqual([
      'data-version',
      'force-retrain',
      'mlops_fingerprint',
      'mlops_reason',
      'reason',
    ]);
    // dispatch-retrain recognises its own runs by the marker in mlops_reason, which must be the run title.
    expect((pipeline as { 'run-name'?: string })['run-name']).toMatch(/^\$\{\{ inputs\.mlops_reason \|\|/);
    const push = pipeline.on.push as { paths: string[] };
    expect(push.paths).toEqual(
      expect.arrayContaining(['examples/model/**', 'examples/data/**', 'examples/params.yml']),
    );
  });

  it('runs the stages in order, production behind an environment, drift monitor on schedule', () => {
    const needs = (job: string) => {
      const value = (pipeline.jobs[job] as { needs?: string | string[] }).needs;
      return Array.isArray(value) ? value : value === undefined ? [] : [value];
    };
    expect(needs('train')).toContain('validate-data');
    expect(needs('validate-training')).toContain('train');
    expect(needs('evaluate-gate')).toContain('validate-training');
    expect(needs('register-model')).toContain('validate-training');
    expect(needs('register-model')).toContain('evaluate-gate');
    expect(needs('promote-staging')).toContain('register-model');
    expect(needs('promote-production')).toContain('promote-staging');
    expect(needs('serving-check')).toContain('promote-staging');
    expect(needs('promote-production')).toContain('serving-check');
    expect(pipeline.jobs['promote-production']!.environment).toBe('production');
    expect(pipeline.jobs['drift-monitor']!.if).toContain("github.event_name == 'schedule'");
    const uses = (job: string) => (pipeline.jobs[job]!.steps ?? []).map((step) => step.uses ?? '');
    expect(uses('train')).toContain('./actions/lookup-model');
    expect(uses('drift-monitor')).toContain('./actions/dispatch-retrain');
    expect(uses('pr-report')).toContain('./actions/pr-comment');
    expect(uses('validate-training')).toContain('./actions/validate-training');
    expect(uses('serving-check')).toContain('./actions/serving-check');
    expect(pipeline.concurrency).toBeDefined();
  });
});

describe('workflow hygiene (reference workflows)', () => {
  it.each(referenceWorkflows)('%s: no default permissions, every job declares its own', (file) => {
    const workflow = readWorkflow(file);
    expect(workflow.permissions).toEqual({});
    for (const [job, spec] of Object.entries(workflow.jobs)) expect(spec.permissions, job).toBeDefined();
  });

  it.each(referenceWorkflows)(
    '%s: a job that checks out or uses a local action can read contents',
    (file) => {
      const workflow = readWorkflow(file);
      const unreadable = Object.entries(workflow.jobs)
        .filter(([, spec]) => (spec.steps ?? []).some((step) => step.uses?.startsWith('actions/checkout@')))
        .filter(([, spec]) => {
          const contents = (spec.permissions as Record<string, string> | undefined)?.contents;
          return contents !== 'read' && contents !== 'write';
        })
        .map(([job]) => job);
      expect(unreadable).toEqual([]);
    },
  );

  it.each(referenceWorkflows)(
    '%s: no expression expansion inside run: scripts (script injection)',
    (file) => {
      const workflow = readWorkflow(file);
      const injected = Object.entries(workflow.jobs).flatMap(([job, spec]) =>
        (spec.steps ?? [])
          .filter((step) => step.run?.includes('${{'))
          .map((step) => `${job}: ${step.name ?? step.run}`),
      );
      expect(injected).toEqual([]);
    },
  );

  it('the composite action expands no expression inside run: either', () => {
    const steps = readAction('gate').runs.steps ?? [];
    expect(steps.filter((step) => step.run?.includes('${{'))).toEqual([]);
  });

  it('the fork-safe workflow runs on workflow_run, checks out only the default branch, and comments', () => {
    const workflow = readWorkflow('mlops-pr-report.yml');
    expect(Object.keys(workflow.on)).toEqual(['workflow_run']);
    const job = workflow.jobs.comment!;
    expect(job.permissions).toEqual({ contents: 'read', actions: 'read', 'pull-requests': 'write' });
    const checkout = (job.steps ?? []).find((step) => step.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.ref).toBeUndefined();
    const download = (job.steps ?? []).find((step) => step.uses?.startsWith('actions/download-artifact@'));
    expect(download?.with?.['run-id']).toContain('github.event.workflow_run.id');
    const comment = (job.steps ?? []).find((step) => step.uses === './actions/pr-comment');
    // The PR number comes from the artifact, through pr-comment's strict parser, never through a shell.
    expect(String(comment?.with?.['pr-number-file'])).toMatch(new RegExp(`^${String(download?.with?.path)}`));
    expect((job.steps ?? []).filter((step) => step.run !== undefined)).toEqual([]);
    // The pipeline hands over exactly what this workflow downloads.
    const pipelineText = readFileSync(path.join(workflowDir, 'mlops-pipeline.yml'), 'utf8');
    expect(pipelineText).toContain('name: mlops-pr-report');
    expect(pipelineText).toMatch(/^name: mlops-pipeline$/m);
  });
});

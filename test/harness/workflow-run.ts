// Runs a workflow of .github/workflows end to end, the way GitHub runs it, so a reference workflow is tested
// as written and not only as a list of `uses:` lines. Jobs run in the order their `needs:` allow, each `if:`
// (jobs and steps) and every `${{ }}` of `env:`, `with:` and outputs is evaluated by GitHub's own expression
// engine (./expressions.ts), and every job starts from a fresh checkout of the repository's git remote.
// The steps it knows:
//   actions/checkout          `git clone` of the remote (fetch-depth 0: every tag; else one commit, no tags)
//   actions/upload-artifact   a copy into the run's artifact store; a name is uploaded once (as in v4+)
//   actions/download-artifact by name or by pattern (merge-multiple), into `path`
//   actions/setup-node        nothing: this Node runs everything
//   ./actions/<name>          the checkout's action.yml: a node action runs its `main` with INPUT_* (the
//                             action.yml defaults filled in and evaluated, as the runner does); a composite
//                             runs through ./composite.ts
//   run:                      `bash --noprofile --norc -eo pipefail`, with the step's env
// Not modelled: environments' required reviewers, concurrency groups, matrices, services, GITHUB_ENV.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runComposite } from './composite.ts';
import { condition, expand, type Status } from './expressions.ts';
import { commandMessages, distDir, inputVariable, parseOutputFile, repoRoot, runProcess } from './runner.ts';
import { inNeedsOrder, needsOf, triggers } from './workflow-jobs.ts';

interface StepSpec {
  id?: string;
  name?: string;
  if?: string | boolean;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  'continue-on-error'?: boolean;
}

interface JobSpec {
  needs?: string | string[];
  if?: string | boolean;
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
  steps?: StepSpec[];
}

interface WorkflowSpec {
  name?: string;
  on: unknown;
  env?: Record<string, unknown>;
  jobs: Record<string, JobSpec>;
}

interface ActionSpec {
  inputs?: Record<string, { default?: string }>;
  runs: { using: string; main?: string };
}

export type Result = 'success' | 'failure' | 'skipped';

export interface StepRun {
  /** The step's id, else its name, else what it uses or runs. */
  label: string;
  outcome: Result;
  outputs: Record<string, string>;
  errors: string[];
  /** stdout and stderr, for a failing test's message. */
  log: string;
}

export interface JobRun {
  result: Result;
  outputs: Record<string, string>;
  steps: StepRun[];
  /** The job summary its steps appended. */
  summary: string;
}

export interface WorkflowRunOptions {
  /** A file of .github/workflows, read from the remote's checkout. */
  workflow: string;
  eventName: string;
  /** github.event, the webhook payload. */
  event?: Record<string, unknown>;
  /** workflow_dispatch inputs as given; the workflow's declared defaults fill in the rest. */
  inputs?: Record<string, string | boolean>;
  /** The `vars` context; a `beforeJob` hook may change it (a deployment that now has a URL). */
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
  /** The repository: its git remote (see createRemote) and its name and API on the GitHub emulator. */
  remote: string;
  repository: string;
  apiUrl: string;
  /** The run's GITHUB_TOKEN (github.token). */
  token: string;
  /** Scratch folder of this run: workspaces, artifacts, runner temp. */
  dir: string;
  runId?: number;
  /** Earlier runs' scratch folders by run id: `download-artifact` with `run-id` reads their artifacts. */
  earlierRuns?: Record<string, string>;
  /** Called before a job's steps run, with the results of the jobs it needs: the world moving on. */
  beforeJob?: (job: string, needs: Record<string, JobRun>) => Promise<void> | void;
  /** Called after every job that ran, e.g. to tell the GitHub emulator what was pushed to the remote. */
  afterJob?: (job: string, result: JobRun) => void;
}

/** Runs every job of the workflow for the event; a job the event does not start, or whose `if:` is false, is skipped. */
export async function runWorkflow(options: WorkflowRunOptions): Promise<Record<string, JobRun>> {
  const sha = git(options.remote, 'rev-parse', 'main');
  const workflowText = execFileSync('git', ['show', `main:.github/workflows/${options.workflow}`], {
    cwd: options.remote,
    encoding: 'utf8',
  });
  const workflow = parse(workflowText) as WorkflowSpec;
  const jobs: Record<string, JobRun> = {};
  const skipped: JobRun = { result: 'skipped', outputs: {}, steps: [], summary: '' };
  if (!triggers(workflow).includes(options.eventName)) {
    for (const id of Object.keys(workflow.jobs)) jobs[id] = skipped;
    return jobs;
  }
  const run = {
    ...options,
    file: options.workflow,
    sha,
    workflow,
    inputs: dispatchInputs(workflow, options),
    artifacts: path.join(options.dir, 'artifacts'),
  };
  mkdirSync(run.artifacts, { recursive: true });
  for (const id of inNeedsOrder(workflow.jobs)) {
    const spec = workflow.jobs[id]!;
    const needs = Object.fromEntries(needsOf(spec).map((need) => [need, jobs[need]!]));
    const status: Status = {
      success: Object.values(needs).every((job) => job.result === 'success'),
      failure: Object.values(needs).some((job) => job.result === 'failure'),
    };
    if (!condition(spec.if, baseContexts(run, id, needs, {}), status)) {
      jobs[id] = skipped;
      continue;
    }
    await options.beforeJob?.(id, needs);
    jobs[id] = await runJob(run, id, spec, needs);
    options.afterJob?.(id, jobs[id]);
  }
  return jobs;
}

/** Each job's result (success, failure, skipped), for an assertion on which jobs ran. */
export function jobResults(jobs: Record<string, JobRun>): Record<string, Result> {
  return Object.fromEntries(Object.entries(jobs).map(([id, job]) => [id, job.result]));
}

/** Each failed job's failing step with its errors and the end of its log: a failed assertion's message. */
export function failureReport(jobs: Record<string, JobRun>): string {
  return Object.entries(jobs)
    .filter(([, job]) => job.result === 'failure')
    .map(([id, job]) => {
      const step = job.steps.find((candidate) => candidate.outcome === 'failure');
      return `${id} / ${step?.label}: ${step?.errors.join(' | ')}\n${step?.log.slice(-2000)}`;
    })
    .join('\n\n');
}

type Run = Omit<WorkflowRunOptions, 'workflow'> & {
  file: string;
  sha: string;
  workflow: WorkflowSpec;
  inputs: Record<string, string | boolean>;
  artifacts: string;
};

/** A workflow_dispatch run's `inputs`: the given ones over the declared defaults (booleans stay booleans). */
function dispatchInputs(
  workflow: WorkflowSpec,
  options: WorkflowRunOptions,
): Record<string, string | boolean> {
  if (options.eventName !== 'workflow_dispatch') return {};
  const declared = ((
    workflow.on as Record<string, { inputs?: Record<string, { default?: unknown; type?: string }> }>
  ).workflow_dispatch?.inputs ?? {}) as Record<string, { default?: unknown; type?: string }>;
  const inputs: Record<string, string | boolean> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const given = options.inputs?.[name];
    const value = given ?? spec.default ?? (spec.type === 'boolean' ? false : '');
    inputs[name] = spec.type === 'boolean' ? value === true || value === 'true' : String(value);
  }
  return inputs;
}

function baseContexts(
  run: Run,
  job: string,
  needs: Record<string, JobRun>,
  env: Record<string, string>,
): Record<string, unknown> {
  const [owner] = run.repository.split('/');
  return {
    github: {
      event_name: run.eventName,
      event: run.event ?? {},
      repository: run.repository,
      repository_owner: owner,
      ref: 'refs/heads/main',
      ref_name: 'main',
      sha: run.sha,
      token: run.token,
      run_id: String(run.runId ?? 1),
      job,
      workflow: run.workflow.name ?? run.file,
      server_url: 'https://github.com',
      api_url: run.apiUrl,
    },
    inputs: run.inputs,
    vars: run.vars ?? {},
    secrets: run.secrets ?? {},
    needs: Object.fromEntries(
      Object.entries(needs).map(([id, need]) => [id, { result: need.result, outputs: need.outputs }]),
    ),
    env,
    runner: { os: 'Linux', temp: path.join(run.dir, 'jobs', job, 'temp') },
    matrix: {},
    strategy: {},
  };
}

async function runJob(run: Run, id: string, spec: JobSpec, needs: Record<string, JobRun>): Promise<JobRun> {
  const jobDir = path.join(run.dir, 'jobs', id);
  const workspace = path.join(jobDir, 'workspace');
  const temp = path.join(jobDir, 'temp');
  const home = path.join(jobDir, 'home');
  for (const folder of [workspace, temp, home]) mkdirSync(folder, { recursive: true });
  const eventPath = path.join(jobDir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(run.event ?? {}));

  // Workflow env, then the job's, each evaluated where the runner evaluates it (the job's sees the workflow's).
  let env: Record<string, string> = {};
  for (const layer of [run.workflow.env, spec.env])
    env = {
      ...env,
      ...expandAll(layer, baseContexts(run, id, needs, env), { success: true, failure: false }),
    };

  const steps: Record<string, { outputs: Record<string, string>; outcome: Result; conclusion: Result }> = {};
  const records: StepRun[] = [];
  let failed = false;
  let summary = '';
  for (const [index, step] of (spec.steps ?? []).entries()) {
    const contexts = {
      ...baseContexts(run, id, needs, env),
      steps,
      job: { status: failed ? 'failure' : 'success' },
    };
    const status = { success: !failed, failure: failed };
    const label = step.id ?? step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${index}`;
    if (!condition(step.if, contexts, status)) {
      if (step.id) steps[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      records.push({ label, outcome: 'skipped', outputs: {}, errors: [], log: '' });
      continue;
    }
    const stepEnv = { ...env, ...expandAll(step.env, { ...contexts, env }, status) };
    const outputFile = path.join(jobDir, `output-${index}`);
    const summaryFile = path.join(jobDir, `summary-${index}`);
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const processEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_EVENT_NAME: run.eventName,
      GITHUB_REPOSITORY: run.repository,
      GITHUB_REPOSITORY_OWNER: run.repository.split('/')[0]!,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: run.apiUrl,
      GITHUB_SHA: run.sha,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_ACTOR: 'octocat',
      GITHUB_WORKFLOW: run.workflow.name ?? run.file,
      GITHUB_RUN_ID: String(run.runId ?? 1),
      GITHUB_RUN_NUMBER: String(run.runId ?? 1),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: id,
      RUNNER_OS: 'Linux',
      RUNNER_TEMP: temp,
      ...stepEnv,
    };
    const withInputs = expandAll(step.with, { ...contexts, env }, status);
    const result = await runStep(run, step, {
      workspace,
      env: processEnv,
      inputs: withInputs,
      contexts,
      status,
    });
    summary += existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '';
    const outputs = { ...result.outputs, ...parseOutputFile(readFileSync(outputFile, 'utf8')) };
    const outcome: Result = result.ok ? 'success' : 'failure';
    const conclusion: Result =
      outcome === 'failure' && step['continue-on-error'] === true ? 'success' : outcome;
    if (step.id) steps[step.id] = { outputs, outcome, conclusion };
    records.push({ label, outcome, outputs, errors: result.errors, log: result.log });
    if (conclusion === 'failure') failed = true;
  }
  const contexts = { ...baseContexts(run, id, needs, env), steps };
  const outputs = expandAll(spec.outputs, contexts, { success: !failed, failure: failed });
  return { result: failed ? 'failure' : 'success', outputs, steps: records, summary };
}

function expandAll(
  values: Record<string, unknown> | undefined,
  contexts: Record<string, unknown>,
  status: Status,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values ?? {}).map(([key, value]) => [key, expand(String(value), contexts, status)]),
  );
}

interface StepInput {
  workspace: string;
  env: Record<string, string>;
  inputs: Record<string, string>;
  contexts: Record<string, unknown>;
  status: Status;
}

interface StepResult {
  ok: boolean;
  outputs: Record<string, string>;
  errors: string[];
  log: string;
}

const done = (ok: boolean, log = ''): StepResult => ({ ok, outputs: {}, errors: ok ? [] : [log], log });

async function runStep(run: Run, step: StepSpec, input: StepInput): Promise<StepResult> {
  const uses = step.uses ?? '';
  if (step.run !== undefined) return bash(step.run, input);
  if (uses.startsWith('actions/checkout@')) return checkout(run, input);
  if (uses.startsWith('actions/upload-artifact@')) return uploadArtifact(run, input);
  if (uses.startsWith('actions/download-artifact@')) return downloadArtifact(run, input);
  if (uses.startsWith('actions/setup-node@')) return done(true);
  if (uses.startsWith('./actions/')) return localAction(run, uses, input);
  throw new Error(`workflow-run: no stand-in for the step '${uses}'`);
}

async function bash(script: string, input: StepInput): Promise<StepResult> {
  const file = path.join(
    input.env.RUNNER_TEMP!,
    `step-${Date.now()}-${Math.random().toString(36).slice(2)}.sh`,
  );
  writeFileSync(file, script);
  return processStep(
    await runProcess('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
      cwd: input.workspace,
      env: input.env,
    }),
  );
}

/** A `run:` step's or a node action's result: its exit status, its `::error::` messages and its output. */
function processStep(result: { status: number | null; stdout: string; stderr: string }): StepResult {
  return {
    ok: result.status === 0,
    outputs: {},
    errors: commandMessages(result.stdout, 'error'),
    log: result.stdout + result.stderr,
  };
}

function checkout(run: Run, input: StepInput): StepResult {
  // actions/checkout fetches one commit and no tags unless fetch-depth is 0: a registry step in a job that
  // forgot `fetch-depth: 0` sees no versions here either.
  const full = input.inputs['fetch-depth'] === '0';
  const args = full
    ? ['clone', '--quiet', run.remote, input.workspace]
    : ['clone', '--quiet', '--depth', '1', '--no-tags', `file://${run.remote}`, input.workspace];
  git(path.dirname(input.workspace), ...args);
  return done(true);
}

function uploadArtifact(run: Run, input: StepInput): StepResult {
  const name = input.inputs.name || 'artifact';
  const target = path.join(run.artifacts, name);
  if (existsSync(target)) return done(false, `an artifact named '${name}' was already uploaded in this run`);
  const source = path.resolve(input.workspace, input.inputs.path ?? '');
  if (!existsSync(source) || (statSync(source).isDirectory() && readdirSync(source).length === 0)) {
    const missing = input.inputs['if-no-files-found'] ?? 'warn';
    return done(missing !== 'error', `no files were found with the provided path: ${input.inputs.path}`);
  }
  if (statSync(source).isDirectory()) cpSync(source, target, { recursive: true });
  else {
    mkdirSync(target, { recursive: true });
    cpSync(source, path.join(target, path.basename(source)));
  }
  return done(true);
}

function downloadArtifact(run: Run, input: StepInput): StepResult {
  const destination = path.resolve(input.workspace, input.inputs.path || '.');
  // With run-id (and a token), another run's artifacts, as a workflow_run workflow downloads its trigger's.
  const otherRun = input.inputs['run-id'];
  const otherDir = otherRun ? run.earlierRuns?.[otherRun] : undefined;
  if (otherRun && otherDir === undefined) return done(false, `no run ${otherRun} to download from`);
  const store = otherDir === undefined ? run.artifacts : path.join(otherDir, 'artifacts');
  const names = readdirSync(store);
  if (input.inputs.name) {
    if (!names.includes(input.inputs.name))
      return done(false, `Artifact not found for name: ${input.inputs.name}`);
    cpSync(path.join(store, input.inputs.name), destination, { recursive: true });
    return done(true);
  }
  const pattern = new RegExp(`^${(input.inputs.pattern ?? '*').split('*').map(escapeRegExp).join('.*')}$`);
  const merge = input.inputs['merge-multiple'] === 'true';
  for (const name of names.filter((candidate) => pattern.test(candidate))) {
    cpSync(path.join(store, name), merge ? destination : path.join(destination, name), {
      recursive: true,
    });
  }
  return done(true);
}

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

async function localAction(run: Run, uses: string, input: StepInput): Promise<StepResult> {
  const actionPath = path.join(input.workspace, uses);
  const action = parse(readFileSync(path.join(actionPath, 'action.yml'), 'utf8')) as ActionSpec;
  if (action.runs.using === 'composite') {
    const composite = await runComposite({
      inputs: input.inputs,
      workspace: input.workspace,
      eventName: run.eventName,
      event: run.event ?? {},
      env: { ...input.env, GITHUB_TOKEN: run.token },
      actionPath,
    });
    return {
      ok: !composite.failed,
      outputs: composite.outputs,
      errors: composite.errors,
      log: composite.summary,
    };
  }
  // The runner fills in every default the step did not set, evaluating `${{ github.token }}` and the like.
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs ?? {}))
    inputs[name] = expand(spec.default ?? '', input.contexts, input.status);
  Object.assign(inputs, input.inputs);
  const env = { ...input.env };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  return processStep(
    await runProcess(process.execPath, [path.join(actionPath, action.runs.main!)], {
      cwd: input.workspace,
      env,
    }),
  );
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  }).trim();
}

/** What a checkout of this repository needs for the reference workflows: the actions, their bundles, the example project. */
const REPOSITORY_FILES = [
  'actions',
  'examples',
  '.github/workflows',
  'test/fixtures/serving',
  'package.json',
];

/**
 * A bare git repository standing in for the GitHub repository: this repository's actions, the bundles under
 * test (MLOPS_DIST or dist/) at dist/, and the example project, committed on main.
 */
export function createRemote(dir: string): string {
  const source = path.join(dir, 'source');
  const remote = path.join(dir, 'remote.git');
  mkdirSync(source, { recursive: true });
  for (const file of REPOSITORY_FILES)
    cpSync(path.join(repoRoot, file), path.join(source, file), { recursive: true });
  cpSync(distDir, path.join(source, 'dist'), { recursive: true });
  const identity = ['-c', 'user.name=Octo Cat', '-c', 'user.email=octocat@example.com'];
  git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  git(source, 'init', '--quiet', '--initial-branch=main');
  git(source, 'add', '.');
  git(source, ...identity, 'commit', '--quiet', '-m', 'the project');
  git(source, 'push', '--quiet', remote, 'main');
  return remote;
}

/** Tags of the remote, sorted (the registry's versions and stages). */
export function remoteTags(remote: string): string[] {
  const listing = git(remote, 'tag', '--list');
  return listing === '' ? [] : listing.split('\n').sort();
}

/** Every branch and tag of the remote, each with the commit it names (annotated tags peeled). */
export function remoteRefs(remote: string): { ref: string; sha: string }[] {
  const listing = git(
    remote,
    'for-each-ref',
    '--format=%(refname) %(*objectname) %(objectname)',
    'refs/heads',
    'refs/tags',
  );
  return listing === ''
    ? []
    : listing.split('\n').map((line) => {
        const [ref, peeled, object] = line.split(' ') as [string, string, string];
        return { ref, sha: peeled === '' ? object : peeled };
      });
}

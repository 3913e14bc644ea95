// Runs the composite action actions/gate the way GitHub's runner runs a composite: each step's `if:` and
// `${{ }}` templates evaluated with GitHub's own expression engine (@actions/expressions), `run:` steps as
// `bash --noprofile --norc -eo pipefail` with the step's env, GITHUB_ACTION_PATH pointing at actions/gate,
// a fresh GITHUB_OUTPUT per step, continue-on-error and step outcomes, then the action's outputs. Used by the
// composite's tests and by the demo.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { condition, expand } from './expressions.ts';
import { commandMessages, parseOutputFile, repoRoot, runProcess } from './runner.ts';

interface CompositeStep {
  id?: string;
  name?: string;
  if?: string;
  run: string;
  shell: string;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}
interface CompositeAction {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: 'composite'; steps: CompositeStep[] };
}

export interface CompositeRun {
  outputs: Record<string, string>;
  /** Step id -> outcome (success, failure, skipped). */
  outcomes: Record<string, string>;
  errors: string[];
  failed: boolean;
  /** The job summary the steps appended, in order. */
  summary: string;
}

export async function runComposite(options: {
  inputs: Record<string, string>;
  workspace: string;
  eventName: string;
  event: unknown;
  env?: Record<string, string>;
  /** The action's folder (GITHUB_ACTION_PATH): the repository's by default, a checkout's in a workflow run. */
  actionPath?: string;
}): Promise<CompositeRun> {
  const actionPath = options.actionPath ?? path.join(repoRoot, 'actions', 'gate');
  const action = parse(readFileSync(path.join(actionPath, 'action.yml'), 'utf8')) as CompositeAction;
  const runner = mkdtempSync(path.join(tmpdir(), 'mlops-composite-'));
  const eventPath = path.join(runner, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.event));
  const repository = options.env?.GITHUB_REPOSITORY ?? 'octo-org/octo-repo';
  const token = options.env?.GITHUB_TOKEN ?? 'ghs_test';
  const github = {
    token,
    event_name: options.eventName,
    event: options.event,
    repository,
    action_path: actionPath,
    workspace: options.workspace,
  };
  const inputs: Record<string, string> = {};
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const contextOf = () => ({ inputs, github, steps, env: {}, runner: { temp: runner } });
  const status = (failed: boolean) => ({ success: !failed, failure: failed });
  for (const [name, spec] of Object.entries(action.inputs)) {
    inputs[name] = options.inputs[name] ?? expand(spec.default ?? '', contextOf(), status(false));
  }

  let failed = false;
  const errors: string[] = [];
  for (const [index, step] of action.runs.steps.entries()) {
    const id = step.id ?? `__${index}`;
    if (!condition(step.if, contextOf(), status(failed))) {
      steps[id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      continue;
    }
    if (step.shell !== 'bash') throw new Error(`composite step ${id}: only bash steps are run here`);
    const outputFile = path.join(runner, `output-${index}`);
    writeFileSync(outputFile, '');
    const stepEnv = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([key, value]) => [
        key,
        expand(String(value), contextOf(), status(failed)),
      ]),
    );
    const script = path.join(runner, `step-${index}.sh`);
    writeFileSync(script, step.run);
    // Asynchronous: the GitHub emulator answering the step lives in this process.
    const result = await runBash(script, {
      cwd: options.workspace,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? runner,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: options.workspace,
        GITHUB_ACTION_PATH: actionPath,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: path.join(runner, `summary-${index}`),
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_EVENT_NAME: options.eventName,
        GITHUB_REPOSITORY: repository,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_API_URL: 'http://127.0.0.1:9',
        GITHUB_SHA: '0000000000000000000000000000000000000000',
        GITHUB_RUN_ID: '1',
        RUNNER_TEMP: runner,
        ...options.env,
        ...stepEnv,
      },
    });
    errors.push(...commandMessages(result.stdout, 'error'));
    const outcome = result.status === 0 ? 'success' : 'failure';
    const conclusion = outcome === 'failure' && step['continue-on-error'] === true ? 'success' : outcome;
    steps[id] = { outputs: parseOutputFile(readFileSync(outputFile, 'utf8')), outcome, conclusion };
    if (conclusion === 'failure') failed = true;
  }
  const outputs = Object.fromEntries(
    Object.entries(action.outputs).map(([name, output]) => [
      name,
      expand(output.value, contextOf(), status(failed)),
    ]),
  );
  const outcomes = Object.fromEntries(Object.entries(steps).map(([id, step]) => [id, step.outcome]));
  const summary = action.runs.steps
    .map((_, index) => path.join(runner, `summary-${index}`))
    .map((file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    })
    .join('');
  return { outputs, outcomes, errors, failed, summary };
}

function runBash(script: string, options: { cwd: string; env: NodeJS.ProcessEnv }) {
  return runProcess('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], options);
}

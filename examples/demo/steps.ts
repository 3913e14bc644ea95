// Runs the demo's steps through the bundled actions (dist/) exactly as GitHub's runner would, keeps going past
// a failed step where later steps do not depend on it, and records what each step did for the summary.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runComposite } from '../../test/harness/composite.ts';
import { type RunResult, runBundledAction } from '../../test/harness/runner.ts';

export interface DemoStep {
  id: string;
  /** One line for the log and the summary. */
  title: string;
  action: string;
  inputs: Record<string, string>;
  /** Ids of steps whose success this one needs; a failed dependency skips it. */
  needs?: string[];
  eventName?: string;
  event?: unknown;
  /**
   * A verdict failure that the pipeline expects and handles (e.g. a second dispatch refused by the
   * cooldown is a success; a gate rejection is not). Default: every non-zero exit is a failure.
   */
  acceptExit?: (result: RunResult) => boolean;
  /** Runs after the step passed: the world moving on between steps (e.g. a dispatched run finishing). */
  after?: () => void;
}

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface StepRecord {
  step: DemoStep;
  status: StepStatus;
  outputs: Record<string, string>;
  /** The action's own `::error::` message, or why the step was skipped. */
  message?: string;
  durationMs: number;
}

export interface StepContext {
  workspace: string;
  env: Record<string, string>;
  log: (line: string) => void;
  /** Where each step's job summary is kept, as `<step id>.md` (what GitHub shows on the run's page). */
  summariesDir?: string;
}

export async function runStep(step: DemoStep, context: StepContext, done: StepRecord[]): Promise<StepRecord> {
  const blocked = (step.needs ?? []).filter(
    (id) => done.find((record) => record.step.id === id)?.status !== 'passed',
  );
  if (blocked.length > 0) {
    const record: StepRecord = {
      step,
      status: 'skipped',
      outputs: {},
      message: `skipped: needs ${blocked.join(', ')}`,
      durationMs: 0,
    };
    context.log(`  - ${step.title} ... skipped (needs ${blocked.join(', ')})`);
    return record;
  }
  const env = { ...context.env, GITHUB_RUN_ID: String(1000 + done.length), GITHUB_JOB: step.id };
  const result =
    step.action === 'gate'
      ? await runGateComposite(step, context.workspace, env)
      : await runBundledAction(step.action, {
          inputs: step.inputs,
          workspace: context.workspace,
          env,
          ...(step.eventName === undefined ? {} : { eventName: step.eventName }),
          ...(step.event === undefined ? {} : { event: step.event }),
        });
  if (context.summariesDir && result.summary !== '') {
    mkdirSync(context.summariesDir, { recursive: true });
    writeFileSync(path.join(context.summariesDir, `${step.id}.md`), result.summary);
  }
  const passed = result.exitCode === 0 || (step.acceptExit?.(result) ?? false);
  const record: StepRecord = {
    step,
    status: passed ? 'passed' : 'failed',
    outputs: result.outputs,
    durationMs: result.durationMs,
  };
  if (!passed) record.message = failureMessage(result);
  else step.after?.();
  const seconds = (result.durationMs / 1000).toFixed(2);
  context.log(`  ${passed ? '✓' : '✗'} ${step.title} (${step.action}, ${seconds} s)`);
  if (!passed) context.log(`      ${record.message}`);
  return record;
}

/** The composite `gate` action (no bundle of its own): its bash steps run the sibling bundles. */
async function runGateComposite(
  step: DemoStep,
  workspace: string,
  env: Record<string, string>,
): Promise<RunResult> {
  const started = Date.now();
  const run = await runComposite({
    inputs: step.inputs,
    workspace,
    eventName: step.eventName ?? 'push',
    event: step.event ?? {},
    env,
  });
  return {
    exitCode: run.failed ? 1 : 0,
    outputs: run.outputs,
    summary: run.summary,
    stdout: '',
    stderr: '',
    errors: run.errors,
    warnings: [],
    workspace,
    durationMs: Date.now() - started,
  };
}

/** The action's own error line (what the runner would show in red), else the gist of its stderr. */
function failureMessage(result: RunResult): string {
  if (result.exitCode === null) return 'killed: the action did not finish in time';
  const error = result.errors.at(-1);
  if (error !== undefined) return error.split('\n')[0]!;
  const missing = /Cannot find module '([^']*dist\/[^']*)'/.exec(result.stderr);
  if (missing) return `${missing[1]} is missing: run npm run build`;
  const lines = result.stderr.split('\n').map((line) => line.trim());
  const thrown = lines.find((line) => /^\w*Error\b/.test(line));
  const last = lines.filter((line) => line !== '' && !/^Node\.js v/.test(line)).at(-1);
  return thrown ?? last ?? `exit code ${result.exitCode}, no error message`;
}

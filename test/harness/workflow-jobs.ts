// Which jobs of a workflow run for an event, decided the way GitHub decides it: each job's `if:` evaluated
// with GitHub's own expression engine (@actions/expressions) against the event's `github` and `inputs`
// contexts and the outputs of the jobs it needs; no `if:` means `success()`; a job whose needs did not all
// succeed (skipped or failed) answers `success()` with false, so it is skipped unless its condition uses
// `always()` / `failure()`. Every job that runs is taken to succeed with the outputs the scenario gives it.
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';

export interface WorkflowJob {
  needs?: string | string[];
  if?: string | boolean;
}

export interface Workflow {
  on: unknown;
  jobs: Record<string, WorkflowJob>;
}

export interface JobScenario {
  eventName: string;
  /** github.event (the webhook payload). */
  event?: Record<string, unknown>;
  /** workflow_dispatch inputs (the `inputs` context); string, boolean or number as GitHub passes them. */
  inputs?: Record<string, string | boolean | number>;
  /** Outputs of jobs that run, by job id. */
  outputs?: Record<string, Record<string, string>>;
  /** Jobs that run and fail (their dependants see failure()). */
  failing?: string[];
  repository?: string;
}

export type JobResult = 'success' | 'failure' | 'skipped';

const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'] as const;

/** The result of every job, in the workflow's order. */
export function simulateJobs(workflow: Workflow, scenario: JobScenario): Record<string, JobResult> {
  const results: Record<string, JobResult> = {};
  const pending = Object.keys(workflow.jobs);
  while (pending.length > 0) {
    const ready = pending.findIndex((id) => needsOf(workflow.jobs[id]!).every((need) => need in results));
    if (ready === -1) throw new Error(`jobs with unmet or circular needs: ${pending.join(', ')}`);
    const [id] = pending.splice(ready, 1) as [string];
    const job = workflow.jobs[id]!;
    const needs = needsOf(job);
    for (const need of needs)
      if (!(need in workflow.jobs)) throw new Error(`job '${id}' needs '${need}', which does not exist`);
    const allSucceeded = needs.every((need) => results[need] === 'success');
    const anyFailed = needs.some((need) => results[need] === 'failure');
    const runs = condition(job.if, context(scenario, needs, results), { allSucceeded, anyFailed });
    results[id] = !runs ? 'skipped' : scenario.failing?.includes(id) ? 'failure' : 'success';
  }
  return Object.fromEntries(Object.keys(workflow.jobs).map((id) => [id, results[id]!]));
}

/** The jobs that run, in the workflow's order. */
export function jobsThatRun(workflow: Workflow, scenario: JobScenario): string[] {
  return Object.entries(simulateJobs(workflow, scenario))
    .filter(([, result]) => result !== 'skipped')
    .map(([id]) => id);
}

function needsOf(job: WorkflowJob): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

function context(
  scenario: JobScenario,
  needs: readonly string[],
  results: Record<string, JobResult>,
): data.Dictionary {
  const needsContext: Record<string, unknown> = {};
  for (const need of needs) {
    needsContext[need] = {
      result: results[need],
      outputs: results[need] === 'skipped' ? {} : (scenario.outputs?.[need] ?? {}),
    };
  }
  return toData({
    github: {
      event_name: scenario.eventName,
      event: scenario.event ?? {},
      repository: scenario.repository ?? 'octo-org/octo-repo',
      ref: 'refs/heads/main',
    },
    inputs: scenario.inputs ?? {},
    needs: needsContext,
    vars: {},
    env: {},
  }) as data.Dictionary;
}

function toData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'string') return new data.StringData(value);
  if (Array.isArray(value)) {
    const array = new data.Array();
    for (const item of value) array.add(toData(item));
    return array;
  }
  const dictionary = new data.Dictionary();
  for (const [key, item] of Object.entries(value as Record<string, unknown>))
    dictionary.add(key, toData(item));
  return dictionary;
}

/** A job `if:` may be bare or wrapped in ${{ }}; without a status function, success() applies first. */
function condition(
  text: string | boolean | undefined,
  context: data.Dictionary,
  status: { allSucceeded: boolean; anyFailed: boolean },
): boolean {
  if (text === undefined) return status.allSucceeded;
  if (typeof text === 'boolean') return text && status.allSucceeded;
  const expression = text.trim().replace(/^\$\{\{(.*)\}\}$/s, '$1');
  const guarded = STATUS_FUNCTIONS.some((name) => expression.includes(`${name}(`))
    ? expression
    : `success() && (${expression})`;
  const lexed = new Lexer(guarded).lex();
  const parsed = new Parser(
    lexed.tokens,
    ['github', 'inputs', 'needs', 'vars', 'env'],
    STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 })),
  ).parse();
  const constant = (value: boolean) => () => new data.BooleanData(value);
  const functions = new Map([
    ['success', { name: 'success', minArgs: 0, maxArgs: 0, call: constant(status.allSucceeded) }],
    ['failure', { name: 'failure', minArgs: 0, maxArgs: 0, call: constant(status.anyFailed) }],
    ['always', { name: 'always', minArgs: 0, maxArgs: 0, call: constant(true) }],
    ['cancelled', { name: 'cancelled', minArgs: 0, maxArgs: 0, call: constant(false) }],
  ]);
  const result = new Evaluator(parsed, context, functions).evaluate();
  return truthy(result);
}

// Which jobs of a workflow run for an event, decided the way GitHub decides it: each job's `if:` evaluated
// with GitHub's own expression engine (@actions/expressions) against the event's `github` and `inputs`
// contexts and the outputs of the jobs it needs; no `if:` means `success()`; a job whose needs did not all
// succeed (skipped or failed) answers `success()` with false, so it is skipped unless its condition uses
// `always()` / `failure()`. An event the workflow's `on:` does not name runs nothing. Every job that runs is
// taken to succeed with the outputs the scenario gives it.
import { condition } from './expressions.ts';

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

/** The events that start the workflow (`on:` as a name, a list or a map). */
export function triggers(workflow: Workflow): string[] {
  const on = workflow.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return on !== null && typeof on === 'object' ? Object.keys(on) : [];
}

/** The result of every job, in the workflow's order; every job is skipped when the event does not start the workflow. */
export function simulateJobs(workflow: Workflow, scenario: JobScenario): Record<string, JobResult> {
  if (!triggers(workflow).includes(scenario.eventName))
    return Object.fromEntries(Object.keys(workflow.jobs).map((id) => [id, 'skipped' as const]));
  const results: Record<string, JobResult> = {};
  for (const id of inNeedsOrder(workflow.jobs)) {
    const job = workflow.jobs[id]!;
    const needs = needsOf(job);
    const allSucceeded = needs.every((need) => results[need] === 'success');
    const anyFailed = needs.some((need) => results[need] === 'failure');
    const runs = condition(job.if, contexts(scenario, needs, results), {
      success: allSucceeded,
      failure: anyFailed,
    });
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

/**
 * Job ids, each after every job it needs (in file order where the needs allow), as GitHub schedules them;
 * throws on a need that does not exist or a cycle.
 */
export function* inNeedsOrder(jobs: Record<string, WorkflowJob>): Generator<string> {
  const done = new Set<string>();
  const pending = Object.keys(jobs);
  while (pending.length > 0) {
    const ready = pending.findIndex((id) => needsOf(jobs[id]!).every((need) => done.has(need)));
    if (ready === -1) {
      const missing = pending.flatMap((id) => needsOf(jobs[id]!).filter((need) => !(need in jobs)));
      throw new Error(
        `jobs with unmet or circular needs: ${pending.join(', ')}${missing.length > 0 ? ` (no job ${missing.join(', ')})` : ''}`,
      );
    }
    const [id] = pending.splice(ready, 1) as [string];
    done.add(id);
    yield id;
  }
}

export function needsOf(job: WorkflowJob): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

function contexts(
  scenario: JobScenario,
  needs: readonly string[],
  results: Record<string, JobResult>,
): Record<string, unknown> {
  const needsContext: Record<string, unknown> = {};
  for (const need of needs) {
    needsContext[need] = {
      result: results[need],
      outputs: results[need] === 'skipped' ? {} : (scenario.outputs?.[need] ?? {}),
    };
  }
  return {
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
  };
}

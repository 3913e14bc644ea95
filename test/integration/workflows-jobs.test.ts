// Which jobs of the reference workflows run on push, pull_request, schedule and workflow_dispatch: each job's
// `if:` evaluated with GitHub's own expression engine (test/harness/workflow-jobs.ts), so a condition that
// reads well but never fires (a typo in an output name, `==` against a boolean) fails here, not in a user's
// repository at 3 a.m.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/runner.ts';
import { jobsThatRun, simulateJobs, triggers, type Workflow } from '../harness/workflow-jobs.ts';

const workflowsDir = path.join(repoRoot, '.github', 'workflows');
const load = (file: string): Workflow =>
  parse(readFileSync(path.join(workflowsDir, file), 'utf8')) as Workflow;
const pipeline = load('mlops-pipeline.yml');

/** Every job runs and succeeds with these outputs unless a scenario says otherwise. */
const healthy = {
  'validate-data': { passed: 'true', 'drift-detected': 'true' },
  'evaluate-gate': { passed: 'true', decision: 'promote' },
  'validate-training': { passed: 'true' },
  'serving-check': { passed: 'true' },
};

describe('mlops-pipeline.yml: the jobs each event runs', () => {
  const pullRequest = { pull_request: { number: 7, head: { repo: { full_name: 'octo-org/octo-repo' } } } };

  it('push to main: the whole offline pipeline up to production, no comment, no drift monitor', () => {
    const jobs = jobsThatRun(pipeline, { eventName: 'push', outputs: healthy });
    expect(jobs).not.toContain('pr-report');
    expect(jobs).not.toContain('drift-monitor');
    for (const job of [
      'validate-data',
      'train',
      'validate-training',
      'evaluate-gate',
      'register-model',
      'promote-staging',
      'serving-check',
      'promote-production',
    ])
      expect(jobs).toContain(job);
  });

  it('pull_request: validate, train, gate and comment; nothing is registered or promoted', () => {
    const jobs = jobsThatRun(pipeline, { eventName: 'pull_request', event: pullRequest, outputs: healthy });
    expect(jobs).toContain('pr-report');
    expect(jobs).toContain('evaluate-gate');
    for (const job of [
      'register-model',
      'promote-staging',
      'serving-check',
      'promote-production',
      'drift-monitor',
    ])
      expect(jobs).not.toContain(job);
  });

  it('pull_request with a failing gate still comments (always()), and nothing after the gate runs', () => {
    const results = simulateJobs(pipeline, {
      eventName: 'pull_request',
      event: pullRequest,
      outputs: healthy,
      failing: ['evaluate-gate'],
    });
    expect(results['evaluate-gate']).toBe('failure');
    expect(results['pr-report']).toBe('success');
    expect(results['register-model']).toBe('skipped');
  });

  it('schedule: only validation and the drift monitor', () => {
    expect(jobsThatRun(pipeline, { eventName: 'schedule', outputs: healthy })).toEqual([
      'validate-data',
      'drift-monitor',
    ]);
  });

  it('workflow_dispatch trains when the data drifted or when asked to, and not otherwise', () => {
    const calm = { ...healthy, 'validate-data': { passed: 'true', 'drift-detected': 'false' } };
    const drifted = jobsThatRun(pipeline, {
      eventName: 'workflow_dispatch',
      inputs: { 'force-retrain': false, reason: 'drift' },
      outputs: healthy,
    });
    expect(drifted).toContain('train');
    expect(drifted).toContain('promote-production');
    expect(drifted).not.toContain('pr-report');
    const idle = jobsThatRun(pipeline, {
      eventName: 'workflow_dispatch',
      inputs: { 'force-retrain': false },
      outputs: calm,
    });
    expect(idle).toEqual(['validate-data']);
    const forced = jobsThatRun(pipeline, {
      eventName: 'workflow_dispatch',
      inputs: { 'force-retrain': true },
      outputs: calm,
    });
    expect(forced).toContain('train');
  });

  it('a failed training run stops before the gate; on a pull request the comment still reports it', () => {
    const push = simulateJobs(pipeline, {
      eventName: 'push',
      outputs: healthy,
      failing: ['validate-training'],
    });
    expect(push['validate-training']).toBe('failure');
    expect(push['evaluate-gate']).toBe('skipped');
    expect(push['register-model']).toBe('skipped');
    const pr = simulateJobs(pipeline, {
      eventName: 'pull_request',
      event: pullRequest,
      outputs: healthy,
      failing: ['validate-training'],
    });
    expect(pr['pr-report']).toBe('success');
  });

  it('a failed serving check on staging keeps the version out of production', () => {
    const push = simulateJobs(pipeline, { eventName: 'push', outputs: healthy, failing: ['serving-check'] });
    expect(push['promote-staging']).toBe('success');
    expect(push['serving-check']).toBe('failure');
    expect(push['promote-production']).toBe('skipped');
  });

  it('a rejected gate stops before the registry on push', () => {
    const jobs = jobsThatRun(pipeline, {
      eventName: 'push',
      outputs: { ...healthy, 'evaluate-gate': { passed: 'false', decision: 'reject' } },
    });
    expect(jobs).not.toContain('register-model');
    expect(jobs).not.toContain('promote-production');
  });
});

describe('mlops-pr-report.yml: the fork-safe comment', () => {
  const report = load('mlops-pr-report.yml');
  const run = (headRepository: string, event = 'pull_request') =>
    jobsThatRun(report, {
      eventName: 'workflow_run',
      event: { workflow_run: { event, head_repository: { full_name: headRepository } } },
    });

  it.each(['push', 'pull_request', 'schedule', 'workflow_dispatch'])(
    '%s starts nothing here',
    (eventName) => {
      expect(jobsThatRun(report, { eventName, outputs: healthy })).toEqual([]);
    },
  );

  it('comments for a fork pull request only', () => {
    expect(run('someone/fork')).toEqual(['comment']);
    expect(run('octo-org/octo-repo')).toEqual([]);
    expect(run('someone/fork', 'push')).toEqual([]);
  });
});

describe('mlops-quickstart.yml: one step on pull requests and pushes', () => {
  const quickstart = load('mlops-quickstart.yml');

  it.each([
    ['push', ['gate']],
    ['pull_request', ['gate']],
    ['schedule', []],
    ['workflow_dispatch', []],
  ])('%s runs %j', (eventName, expected) => {
    expect(jobsThatRun(quickstart, { eventName: eventName as string })).toEqual(expected);
  });
});

describe('every job condition in every workflow evaluates for every event that starts it', () => {
  const files = readdirSync(workflowsDir).filter((name) => /\.ya?ml$/.test(name));
  it.each(files)('%s', (file) => {
    const workflow = load(file);
    expect(triggers(workflow).length).toBeGreaterThan(0);
    for (const eventName of triggers(workflow))
      expect(() => simulateJobs(workflow, { eventName, outputs: healthy })).not.toThrow();
  });
});

describe('the simulation itself (it can fail)', () => {
  it('skips dependants of a skipped job unless they use always()', () => {
    const workflow: Workflow = {
      on: { push: {}, schedule: [] },
      jobs: {
        a: { if: "github.event_name == 'push'" },
        b: { needs: 'a' },
        c: { needs: 'a', if: 'always()' },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, as written in YAML
        d: { needs: ['a', 'c'], if: "${{ needs.a.outputs.x == 'y' }}" },
      },
    };
    expect(simulateJobs(workflow, { eventName: 'schedule' })).toEqual({
      a: 'skipped',
      b: 'skipped',
      c: 'success',
      d: 'skipped',
    });
    expect(jobsThatRun(workflow, { eventName: 'push', outputs: { a: { x: 'y' } } })).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(() =>
      simulateJobs({ on: 'push', jobs: { a: { needs: 'missing' } } }, { eventName: 'push' }),
    ).toThrow(/unmet/);
    // An event the workflow does not name starts nothing, whatever the jobs' conditions say.
    expect(
      jobsThatRun({ on: ['pull_request'], jobs: { a: { if: 'always()' } } }, { eventName: 'push' }),
    ).toEqual([]);
  });
});

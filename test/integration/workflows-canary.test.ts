// mlops-canary.yml, the deployment half of the reference pipeline: which jobs each event and each decision
// runs (every job's `if:` evaluated with GitHub's own expression engine, test/harness/workflow-jobs.ts), and
// every use of our actions passes only declared inputs and all the required ones. GitHub's parser checks the
// file itself in workflows.test.ts (it parses every workflow).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/runner.ts';
import { jobsThatRun, simulateJobs, type Workflow } from '../harness/workflow-jobs.ts';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
const file = path.join(repoRoot, '.github', 'workflows', 'mlops-canary.yml');
const text = readFileSync(file, 'utf8');
const workflow = parse(text) as Workflow & {
  on: Record<string, unknown>;
  permissions: unknown;
  jobs: Record<string, { steps?: Step[]; permissions?: unknown; environment?: unknown }>;
};

const open = {
  state: {
    open: 'true',
    baseline: 'v1.0.0',
    canary: 'v1.1.0',
    'canary-percent': '10',
    'started-at': '2026-12-07T08:00:00Z',
  },
};
const decided = (decision: string, next: string) => ({
  ...open,
  analyse: { decision, 'next-traffic-percent': next },
});

describe('mlops-canary.yml: the jobs each event and decision runs', () => {
  it('runs on a 10-minute schedule and on dispatch only', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(text).toMatch(/cron: "\*\/10 \* \* \* \*"/);
    for (const eventName of ['push', 'pull_request'])
      expect(jobsThatRun(workflow, { eventName, outputs: decided('promote', '25') })).toEqual([]);
  });

  it.each(['schedule', 'workflow_dispatch'])('%s with no rollout open: only the state job', (eventName) => {
    expect(jobsThatRun(workflow, { eventName, outputs: { state: { open: 'false' } } })).toEqual(['state']);
  });

  it('promote below 100 %: the next traffic step, nothing promoted or rolled back', () => {
    expect(jobsThatRun(workflow, { eventName: 'schedule', outputs: decided('promote', '25') })).toEqual([
      'state',
      'analyse',
      'advance',
    ]);
  });

  it('promote at the last step: production (behind its environment), not another step', () => {
    expect(
      jobsThatRun(workflow, {
        eventName: 'workflow_dispatch',
        inputs: { 'started-at': '2026-12-07T08:00:00Z', 'canary-percent': '50' },
        outputs: decided('promote', '100'),
      }),
    ).toEqual(['state', 'analyse', 'promote-production']);
    expect(workflow.jobs['promote-production']!.environment).toBe('production');
  });

  it('rollback: the rollback job; continue and inconclusive: nothing after the analysis', () => {
    expect(jobsThatRun(workflow, { eventName: 'schedule', outputs: decided('rollback', '0') })).toEqual([
      'state',
      'analyse',
      'rollback',
    ]);
    for (const decision of ['continue', 'inconclusive'])
      expect(jobsThatRun(workflow, { eventName: 'schedule', outputs: decided(decision, '10') })).toEqual([
        'state',
        'analyse',
      ]);
  });

  it('a failed analysis (Prometheus down) changes nothing', () => {
    const results = simulateJobs(workflow, { eventName: 'schedule', outputs: open, failing: ['analyse'] });
    expect(results).toMatchObject({
      analyse: 'failure',
      advance: 'skipped',
      rollback: 'skipped',
      'promote-production': 'skipped',
    });
  });
});

describe('mlops-canary.yml: uses of our actions and hygiene', () => {
  const uses = Object.values(workflow.jobs).flatMap((job) =>
    (job.steps ?? []).filter((step) => step.uses?.startsWith('./actions/')),
  );

  it('passes only declared inputs and every required one', () => {
    expect(new Set(uses.map((step) => step.uses))).toEqual(
      new Set(['./actions/lookup-model', './actions/canary-analysis', './actions/promote']),
    );
    for (const step of uses) {
      const metadata = parse(
        readFileSync(path.join(repoRoot, step.uses!.slice(2), 'action.yml'), 'utf8'),
      ) as {
        inputs: Record<string, { required?: boolean }>;
      };
      const given = Object.keys(step.with ?? {});
      for (const name of given) expect(Object.keys(metadata.inputs), `${step.uses} ${name}`).toContain(name);
      for (const [name, input] of Object.entries(metadata.inputs))
        if (input.required) expect(given, `${step.uses} needs ${name}`).toContain(name);
    }
  });

  it('the config it names exists and parses', async () => {
    const { parseCanaryConfig } = await import('@mlops/canary');
    const step = uses.find((entry) => entry.uses === './actions/canary-analysis')!;
    const config = String(step.with!.config);
    const parsed = parseCanaryConfig(readFileSync(path.join(repoRoot, config), 'utf8'), config);
    expect(parsed.metrics.map((metric) => metric.name)).toEqual(['error_rate', 'slow_requests']);
  });

  it('no expression inside run: (values reach scripts through env), least permissions per job', () => {
    for (const job of Object.values(workflow.jobs))
      for (const step of job.steps ?? []) if (step.run) expect(step.run).not.toContain('${{');
    expect(workflow.permissions).toEqual({});
    for (const [name, job] of Object.entries(workflow.jobs)) expect(job.permissions, name).toBeDefined();
    expect(workflow.jobs.analyse!.permissions).toEqual({ contents: 'read' });
  });
});

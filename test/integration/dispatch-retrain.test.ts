import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitHubEmulator, startGitHubEmulator, type Workflow } from '../harness/github-emulator.ts';
import { makeWorkspace, type RunResult, runBundledAction } from '../harness/runner.ts';

const TOKEN = 'ghs_dispatchTestToken0123456789';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, as the README tells users to write it
const RUN_NAME = "${{ inputs.mlops_reason || 'Train' }}";

let github: GitHubEmulator;
let workspace: string;
let train: Workflow;

function driftReport(columns: Record<string, { score: number; drift: boolean }>, detected = true) {
  const entries = Object.entries(columns);
  const share = entries.filter(([, c]) => c.drift).length / entries.length;
  return {
    schema: 'mlops.validate-data/v1',
    passed: true,
    rows: { current: 1000, reference: 1000 },
    checks: [],
    drift: {
      detected,
      share,
      threshold_share: 0.5,
      columns: Object.fromEntries(
        entries.map(([name, c]) => [
          name,
          { method: 'wasserstein', score: c.score, threshold: 0.1, drift: c.drift },
        ]),
      ),
    },
  };
}

function writeReport(report: unknown, name = 'validate-data.json'): string {
  mkdirSync(path.join(workspace, 'reports'), { recursive: true });
  writeFileSync(path.join(workspace, 'reports', name), JSON.stringify(report));
  return `reports/${name}`;
}

const DRIFT = {
  age: { score: 0.31, drift: true },
  income: { score: 0.22, drift: true },
  city: { score: 0.02, drift: false },
};

async function run(
  inputs: Record<string, string | number | boolean>,
  env: Record<string, string> = {},
): Promise<RunResult> {
  const result = await runBundledAction('dispatch-retrain', {
    workspace,
    inputs: { workflow: 'train.yml', 'drift-report': writeReport(driftReport(DRIFT)), ...inputs },
    env: { GITHUB_API_URL: github.url, GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'octo-org/octo-repo', ...env },
  });
  // The token reaches the runner once, to be masked; no other line carries it.
  const lines = `${result.stdout}\n${result.stderr}`.split('\n');
  expect(lines.filter((line) => line.includes(TOKEN))).toEqual(
    lines.includes(`::add-mask::${TOKEN}`) ? [`::add-mask::${TOKEN}`] : [],
  );
  return result;
}

const posts = () => github.requests.filter((request) => request.method !== 'GET');
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

beforeEach(async () => {
  github = await startGitHubEmulator();
  workspace = makeWorkspace('mlops-dispatch-');
  train = github.state.addWorkflow(github.state.repo(), {
    path: 'train.yml',
    name: 'Train',
    inputs: { mlops_fingerprint: {}, mlops_reason: {}, epochs: { default: '10' } },
    runName: RUN_NAME,
  });
});

afterEach(async () => {
  expect(github.violations).toEqual([]);
  await github.close();
});

describe('dispatch-retrain through the bundle', () => {
  it('dispatches on drift with the fingerprint and reason in the inputs, and outputs the run', async () => {
    const result = await run({ inputs: '{"epochs": "20"}' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const runs = github.state.repo().runs;
    expect(runs).toHaveLength(1);
    const started = runs[0]!;
    expect(result.outputs.dispatched).toBe('true');
    expect(result.outputs['run-id']).toBe(String(started.id));
    expect(result.outputs['run-url']).toBe(
      `https://github.com/octo-org/octo-repo/actions/runs/${started.id}`,
    );
    expect(result.outputs.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(result.outputs.reason).toMatch(
      /^Dispatched train\.yml on main: drift detected \(share 0\.667; 2 of 3 columns drifted: age, income\)\.$/,
    );
    expect(started.inputs).toEqual({
      epochs: '20',
      mlops_fingerprint: result.outputs.fingerprint,
      mlops_reason: expect.stringContaining(`[mlops:${result.outputs.fingerprint}]`),
    });
    expect(started.display_title).toContain(`[mlops:${result.outputs.fingerprint}]`);
    const dispatch = github.requestsFor('actions/create-workflow-dispatch')[0]!;
    expect(dispatch.body).toMatchObject({ ref: 'main', return_run_details: true });
    const report = JSON.parse(readFileSync(result.outputs.report!, 'utf8'));
    expect(report).toMatchObject({
      schema: 'mlops.dispatch-retrain/v1',
      dispatched: true,
      run_id: started.id,
      fingerprint: result.outputs.fingerprint,
      drift: { drifted_columns: ['age', 'income'] },
    });
    expect(result.summary).toContain('Dispatched train.yml on main');
    expect(result.summary).toContain(result.outputs.fingerprint);
  });

  it('does not dispatch while a run is in progress, for a duplicate, or within the cooldown', async () => {
    const first = await run({});
    expect(first.outputs.dispatched).toBe('true');
    // The dispatched run is still queued.
    const second = await run({});
    expect(second.outputs.dispatched).toBe('false');
    expect(second.outputs.reason).toBe('Run #1 is queued; a new one waits until it finishes.');
    expect(second.outputs['run-id']).toBe('');
    // Finished: the same drift is a duplicate even with the cooldown off.
    const started = github.state.repo().runs[0]!;
    Object.assign(started, { status: 'completed', conclusion: 'success' });
    const duplicate = await run({ cooldown: '0' });
    expect(duplicate.outputs.reason).toMatch(
      /was already dispatched for this drift \(fingerprint [0-9a-f]{16}\) at .*, it ended success\.$/,
    );
    // Different drift, but the cooldown has not passed.
    const changed = { ...DRIFT, city: { score: 0.4, drift: true } };
    const cooling = await run({
      'drift-report': writeReport(driftReport(changed), 'other.json'),
      cooldown: '24h',
    });
    expect(cooling.outputs.dispatched).toBe('false');
    expect(cooling.outputs.reason).toMatch(
      /started \d+s ago, within the 1d cooldown \(next dispatch possible after /,
    );
    expect(cooling.outputs.fingerprint).not.toBe(first.outputs.fingerprint);
    // Without a cooldown it goes.
    const again = await run({
      'drift-report': writeReport(driftReport(changed), 'other.json'),
      cooldown: '0',
    });
    expect(again.outputs.dispatched).toBe('true');
    expect(github.requestsFor('actions/create-workflow-dispatch')).toHaveLength(2);
    // Every run asked GitHub rather than local state.
    expect(github.requestsFor('actions/list-workflow-runs').length).toBeGreaterThanOrEqual(15);
  });

  it('is blocked by any run of the workflow in progress, and ignores old and manual runs', async () => {
    const repo = github.state.repo();
    github.state.addRun(repo, train, {
      event: 'workflow_dispatch',
      display_title: `Retrain [mlops:0123456789abcdef]`,
      created_at: hoursAgo(48),
    });
    github.state.addRun(repo, train, {
      event: 'workflow_dispatch',
      display_title: 'Train',
      created_at: hoursAgo(1),
    });
    const push = github.state.addRun(repo, train, {
      event: 'push',
      status: 'in_progress',
      created_at: hoursAgo(0.5),
    });
    const blocked = await run({});
    expect(blocked.outputs.reason).toMatch(/^Run #3 is in progress/);
    push.status = 'completed';
    push.conclusion = 'failure';
    // The manual run 1 h ago carries no marker while marked runs exist: it is not ours, no cooldown.
    const result = await run({});
    expect(result.outputs.dispatched).toBe('true');
    expect(result.warnings).toEqual([]);
  });

  it('counts unmarked dispatch runs for the cooldown and warns how to mark them', async () => {
    const plain = github.state.addWorkflow(github.state.repo(), { path: 'plain.yml', name: 'Plain' });
    github.state.addRun(github.state.repo(), plain, { event: 'workflow_dispatch', created_at: hoursAgo(2) });
    const result = await run({ workflow: 'plain.yml' });
    expect(result.outputs.dispatched).toBe('false');
    expect(result.outputs.reason).toMatch(/started 2h( 0m)?( \d+s)? ago, within the 1d cooldown/);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain(`run-name: ${RUN_NAME}`);
  });

  it('sends nothing in a dry run, and asks GitHub nothing without drift', async () => {
    const dry = await run({ 'dry-run': true });
    expect(dry.exitCode).toBe(0);
    expect(dry.outputs.dispatched).toBe('false');
    expect(dry.outputs.reason).toMatch(/^Dry run: would dispatch train\.yml on main; drift detected/);
    expect(posts()).toEqual([]);
    github.requests.length = 0;
    const calm = await run({
      'drift-report': writeReport(
        driftReport({ a: { score: 0.01, drift: false }, b: { score: 0.3, drift: true } }, false),
        'calm.json',
      ),
    });
    expect(calm.outputs.dispatched).toBe('false');
    expect(calm.outputs.reason).toBe(
      "No drift detected (share 0.5; 1 of 2 columns drifted: b), below the report's threshold 0.5, nothing to retrain.",
    );
    expect(github.requests).toEqual([]);
    const small = await run({
      'drift-detected': true,
      'drift-share': 0.2,
      'drift-report': '',
      'min-drift-share': 0.3,
    });
    expect(small.outputs.reason).toBe('Drift detected but its share 0.2 is below min-drift-share 0.3.');
    expect(github.requests).toEqual([]);
  });

  it('survives an injected 5xx and a secondary rate limit', async () => {
    github.faults.add({ method: 'GET', path: /\/actions\/workflows\/train\.yml$/, status: 502, times: 1 });
    github.faults.add({ method: 'POST', path: /\/dispatches$/, status: 403, retryAfter: 1, times: 1 });
    const result = await run({});
    expect(result.errors).toEqual([]);
    expect(result.outputs.dispatched).toBe('true');
    expect(github.faults.pending()).toEqual([]);
    expect(github.requestsFor('actions/create-workflow-dispatch').map((r) => r.status)).toEqual([403, 200]);
    expect(github.state.repo().runs).toHaveLength(1);
    expect(result.stdout).toMatch(/secondary rate limit on POST .*retrying in 1s/);
  });

  it('fails cleanly with one error and no outputs on a persistent 401 or a missing workflow', async () => {
    github.state.tokens.add('ghs_someOtherToken');
    const unauthorised = await run({});
    expect(unauthorised.exitCode).toBe(1);
    expect(unauthorised.errors).toHaveLength(1);
    expect(unauthorised.errors[0]).toMatch(
      /^dispatch-retrain: could not read workflow train\.yml in octo-org\/octo-repo: GitHub rejected the token \(401: Bad credentials\)/,
    );
    expect(unauthorised.outputs).toEqual({});
    expect(unauthorised.stdout).not.toMatch(/\n\s+at /);
    github.state.tokens.clear();
    const missing = await run({ workflow: 'trian.yml' });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors).toEqual([
      "dispatch-retrain: workflow 'trian.yml' not found in octo-org/octo-repo (did you mean 'train.yml'?); its workflows are train.yml (the file must be on the default branch; the token needs actions: read)",
    ]);
    expect(missing.outputs).toEqual({});
    github.faults.add({ status: 404, times: Number.POSITIVE_INFINITY });
    const gone = await run({});
    expect(gone.errors).toHaveLength(1);
    expect(gone.outputs).toEqual({});
  });

  it('explains a workflow that does not declare the mlops inputs', async () => {
    github.state.addWorkflow(github.state.repo(), { path: 'strict.yml', inputs: { epochs: {} } });
    const result = await run({ workflow: 'strict.yml' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      /GitHub refused the request \(422: Unexpected inputs provided: \["mlops_fingerprint","mlops_reason"\]\)/,
    );
    const without = await run({ workflow: 'strict.yml', 'send-fingerprint': false, inputs: '{"epochs": 3}' });
    expect(without.outputs.dispatched).toBe('true');
  });

  it('respects GitHub limits before sending', async () => {
    const many = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`in${i}`, 'x']));
    const tooMany = await run({ inputs: JSON.stringify(many) });
    expect(tooMany.errors).toEqual([
      "dispatch-retrain: input 'inputs': workflow_dispatch takes at most 25 inputs; 24 given plus this action's mlops_fingerprint and mlops_reason is 26",
    ]);
    const keys = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    const tooWide = await run({ workflow: '', 'event-type': 'retrain', inputs: JSON.stringify(keys) });
    expect(tooWide.errors[0]).toMatch(
      /client_payload takes at most 10 top-level keys and this action adds 'mlops': give at most 9, got 10/,
    );
    const longType = await run({ workflow: '', 'event-type': 'x'.repeat(101) });
    expect(longType.errors[0]).toMatch(/input 'event-type': must be at most 100 characters/);
    expect(posts()).toEqual([]);
  });

  it('falls back when GitHub answers 204 without run details', async () => {
    github.state.returnRunDetails = false;
    const result = await run({});
    expect(result.outputs.dispatched).toBe('true');
    expect(result.outputs['run-id']).toBe('');
    expect(result.outputs['run-url']).toBe('');
    expect(result.stdout).toContain('without the run');
  });

  it('sends repository_dispatch with its fields nested under one key, and finds the runs it started', async () => {
    const listener = github.state.addWorkflow(github.state.repo(), {
      path: 'retrain-listener.yml',
      repositoryDispatchTypes: ['retrain'],
      dispatchable: false,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression
      runName: "${{ github.event.client_payload.mlops.title || 'Train' }}",
    });
    const first = await run({ workflow: '', 'event-type': 'retrain', inputs: '{"model": "churn"}' });
    expect(first.outputs.dispatched).toBe('true');
    const [sent] = github.state.repo().repositoryDispatches;
    expect(Object.keys(sent!.client_payload!)).toEqual(['model', 'mlops']);
    expect(sent!.client_payload!.mlops).toMatchObject({
      fingerprint: first.outputs.fingerprint,
      drift_share: 2 / 3,
      drifted_columns: ['age', 'income'],
    });
    expect(github.state.repo().runs[0]!.workflow_id).toBe(listener.id);
    const second = await run({ workflow: '', 'event-type': 'retrain' });
    expect(second.outputs.dispatched).toBe('false');
    expect(second.outputs.reason).toMatch(/is queued/);
    expect(github.state.repo().repositoryDispatches).toHaveLength(1);
  });
});

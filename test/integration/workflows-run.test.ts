// The reference workflows run end to end as written (test/harness/workflow-run.ts): every job's steps, the
// bundled actions from a fresh checkout of a real git remote, artifacts handed between jobs, the GitHub REST
// emulator for comments, deployments and dispatches, and an Open Inference Protocol server as the staging
// endpoint. One story, in order: a pull request, its merge (push), the nightly monitor (schedule) and the
// retraining it dispatches (workflow_dispatch with the dispatched inputs); then the one-step quick start.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type GitHubEmulator, startGitHubEmulator } from '../harness/github-emulator.ts';
import { type ModelServer, startOipServer } from '../harness/model-servers/index.ts';
import { repoRoot } from '../harness/runner.ts';
import {
  createRemote,
  type JobRun,
  remoteRefs,
  remoteTags,
  jobResults as results,
  runWorkflow,
  type WorkflowRunOptions,
  failureReport as why,
} from '../harness/workflow-run.ts';

const REPOSITORY = 'octo-org/pima-diabetes';
const PR = 7;
const pipelineFile = path.join(repoRoot, '.github', 'workflows', 'mlops-pipeline.yml');
const pipeline = parse(readFileSync(pipelineFile, 'utf8')) as {
  'run-name': string;
  on: { workflow_dispatch: { inputs: Record<string, unknown> } };
};

let dir: string;
let remote: string;
let github: GitHubEmulator;
const servers: ModelServer[] = [];
let runs = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mlops-workflow-run-'));
  remote = createRemote(dir);
  github = await startGitHubEmulator();
  const repo = github.state.addRepo({ owner: 'octo-org', name: 'pima-diabetes' });
  github.state.addWorkflow(repo, {
    path: 'mlops-pipeline.yml',
    name: 'mlops-pipeline',
    inputs: Object.fromEntries(Object.keys(pipeline.on.workflow_dispatch.inputs).map((name) => [name, {}])),
    runName: pipeline['run-name'],
  });
  github.state.addPullRequest(repo, {
    number: PR,
    title: 'Retrain on the older cohort',
    head: 'older-cohort',
  });
});

afterAll(async () => {
  await github?.close();
  for (const server of servers) await server.close();
});

/** Runs a workflow of the repository on the shared remote and emulator; `vars` may be set by a hook. */
const runDirs: Record<string, string> = {};

function run(workflow: string, options: Partial<WorkflowRunOptions> & { eventName: string }) {
  runs += 1;
  const runId = 1000 + runs;
  runDirs[runId] = path.join(dir, `run-${runs}`);
  return runWorkflow({
    workflow,
    remote,
    repository: REPOSITORY,
    apiUrl: github.url,
    token: 'ghs_workflow-run-token',
    dir: runDirs[runId],
    runId,
    earlierRuns: runDirs,
    // GitHub knows what the jobs pushed: the registry's tags are refs a deployment can name.
    afterJob: () => {
      const repo = github.state.repo(REPOSITORY);
      for (const { ref, sha } of remoteRefs(remote)) github.state.mirrorRef(repo, ref, sha);
    },
    ...options,
  });
}

/** The staging endpoint comes up once promote-staging has put a version there (the rollout the job waits for). */
function servingStaging(vars: Record<string, string>) {
  return async (job: string, needs: Record<string, JobRun>) => {
    if (job !== 'serving-check') return;
    const version = needs['register-model']!.outputs.version!;
    const server = await startOipServer({ name: 'pima-diabetes', version });
    servers.push(server);
    vars.STAGING_MODEL_URL = server.url;
  };
}

const pullRequestEvent = {
  action: 'synchronize',
  number: PR,
  pull_request: {
    number: PR,
    head: { ref: 'older-cohort', repo: { full_name: REPOSITORY } },
    base: { ref: 'main' },
  },
  repository: { full_name: REPOSITORY },
};

describe('mlops-pipeline.yml, run as written', () => {
  it('pull request: validates, trains, checks the run, gates and comments; registers nothing', async () => {
    const jobs = await run('mlops-pipeline.yml', { eventName: 'pull_request', event: pullRequestEvent });
    expect(results(jobs), why(jobs)).toEqual({
      'validate-data': 'success',
      train: 'success',
      'validate-training': 'success',
      'evaluate-gate': 'success',
      'pr-report': 'success',
      'register-model': 'skipped',
      'promote-staging': 'skipped',
      'serving-check': 'skipped',
      'promote-production': 'skipped',
      'drift-monitor': 'skipped',
    });
    expect(jobs['evaluate-gate']!.outputs).toMatchObject({ passed: 'true', decision: 'promote' });
    expect(jobs['validate-data']!.outputs['drift-detected']).toBe('true');
    const comments = github.state.repo(REPOSITORY).comments.filter((comment) => comment.issue_number === PR);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('evaluate-gate');
    expect(comments[0]!.body).toContain('validate-training');
    expect(remoteTags(remote)).toEqual([]);
    expect(github.violations).toEqual([]);
  });

  it('push to main: registers the challenger, promotes it to staging, checks the endpoint, then production', async () => {
    const vars: Record<string, string> = {};
    const jobs = await run('mlops-pipeline.yml', {
      eventName: 'push',
      vars,
      beforeJob: servingStaging(vars),
    });
    expect(results(jobs), why(jobs)).toEqual({
      'validate-data': 'success',
      train: 'success',
      'validate-training': 'success',
      'evaluate-gate': 'success',
      'pr-report': 'skipped',
      'register-model': 'success',
      'promote-staging': 'success',
      'serving-check': 'success',
      'promote-production': 'success',
      'drift-monitor': 'skipped',
    });
    const version = jobs['register-model']!.outputs.version!;
    expect(version).toMatch(/^v\d+\.\d+\.\d+$/);
    const tags = remoteTags(remote);
    expect(tags).toContain(`pima-diabetes@${version}`);
    expect(tags.filter((tag) => tag.startsWith('pima-diabetes#staging'))).toHaveLength(1);
    expect(tags.filter((tag) => tag.startsWith('pima-diabetes#production'))).toHaveLength(1);
    expect(jobs['serving-check']!.outputs['served-version']).toBe(version);
    const deployments = github.state.repo(REPOSITORY).deployments;
    expect(deployments.map((deployment) => deployment.environment)).toContain('staging');
    expect(github.violations).toEqual([]);
  });

  it('nightly schedule: the drifted batch dispatches a retraining; that run trains, gates and promotes the version that holds its model', async () => {
    const nightly = await run('mlops-pipeline.yml', { eventName: 'schedule' });
    expect(results(nightly), why(nightly)).toMatchObject({
      'validate-data': 'success',
      train: 'skipped',
      'drift-monitor': 'success',
    });
    const dispatched = github.state
      .repo(REPOSITORY)
      .runs.filter((candidate) => candidate.event === 'workflow_dispatch');
    expect(dispatched).toHaveLength(1);
    const inputs = dispatched[0]!.inputs as Record<string, string>;
    expect(inputs.mlops_fingerprint).toMatch(/\S/);

    const versions = () => remoteTags(remote).filter((tag) => tag.includes('@v'));
    const before = versions();
    const vars: Record<string, string> = {};
    const retrain = await run('mlops-pipeline.yml', {
      eventName: 'workflow_dispatch',
      event: { inputs },
      inputs,
      vars,
      beforeJob: servingStaging(vars),
    });
    expect(results(retrain), why(retrain)).toMatchObject({
      'validate-data': 'success',
      train: 'success',
      'validate-training': 'success',
      'evaluate-gate': 'success',
      'register-model': 'success',
      'promote-staging': 'success',
      'serving-check': 'success',
      'promote-production': 'success',
      'drift-monitor': 'skipped',
    });
    // The example's training step collects the committed model, so the retrained model is the registered
    // one: register-model answers with the version that already holds it and writes no new tag.
    expect(versions()).toEqual(before);
    expect(before).toContain(`pima-diabetes@${retrain['register-model']!.outputs.version}`);
    expect(github.violations).toEqual([]);
  });
});

describe('mlops-pr-report.yml, run as written: the fork-safe comment', () => {
  it("a fork's pull request: the pipeline hands its reports over, and the base repository's workflow comments", async () => {
    const repo = github.state.repo(REPOSITORY);
    const pull = github.state.addPullRequest(repo, { number: 8, title: 'From a fork', head: 'fork-branch' });
    const forkEvent = {
      ...pullRequestEvent,
      number: 8,
      pull_request: {
        ...pullRequestEvent.pull_request,
        number: 8,
        head: { ref: 'fork-branch', repo: { full_name: 'someone/fork' } },
      },
    };
    const pipelineRunId = String(1000 + runs + 1);
    const jobs = await run('mlops-pipeline.yml', { eventName: 'pull_request', event: forkEvent });
    expect(results(jobs), why(jobs)).toMatchObject({ 'evaluate-gate': 'success', 'pr-report': 'success' });
    const commentStep = jobs['pr-report']!.steps.find((step) => step.label === 'Comment on the pull request');
    expect(commentStep?.outcome).toBe('skipped'); // a fork's token cannot comment
    const onEight = () => repo.comments.filter((comment) => comment.issue_number === 8);
    expect(onEight()).toEqual([]);

    const workflowRun = {
      id: Number(pipelineRunId),
      event: 'pull_request',
      head_sha: pull.pull_request!.head.sha,
      head_repository: { full_name: 'someone/fork' },
      html_url: `https://github.com/${REPOSITORY}/actions/runs/${pipelineRunId}`,
    };
    const report = await run('mlops-pr-report.yml', {
      eventName: 'workflow_run',
      event: { workflow_run: workflowRun },
    });
    expect(results(report), why(report)).toEqual({ comment: 'success' });
    expect(onEight()).toHaveLength(1);
    expect(onEight()[0]!.body).toContain('evaluate-gate');
    expect(github.violations).toEqual([]);
  });
});

describe('mlops-quickstart.yml, run as written', () => {
  it('one step on a pull request: data checks, the gate and a sticky comment', async () => {
    const jobs = await run('mlops-quickstart.yml', { eventName: 'pull_request', event: pullRequestEvent });
    expect(results(jobs), why(jobs)).toEqual({ gate: 'success' });
    const comments = github.state.repo(REPOSITORY).comments.filter((comment) => comment.issue_number === PR);
    expect(comments.some((comment) => comment.body.includes('mlops-quickstart'))).toBe(true);
    expect(await run('mlops-quickstart.yml', { eventName: 'schedule' })).toEqual({
      gate: { result: 'skipped', outputs: {}, steps: [], summary: '' },
    });
  });
});

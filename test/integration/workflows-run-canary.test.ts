// mlops-canary.yml run as written (test/harness/workflow-run.ts) against Debian's Prometheus: the registry
// (a real git remote) has v0.0.1 in production and v0.0.2 on the canary stage, the model server's counters for
// both versions over the last 45 minutes are backfilled into Prometheus, and the workflow is dispatched with
// the traffic step and its start, as a team without a KUBE_CONFIG secret does. A healthy canary advances to
// the next traffic step; one with twice the error rate is rolled back, and the canary stage with it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubEmulator, startGitHubEmulator } from '../harness/github-emulator.ts';
import { type PrometheusServer, prometheusAvailable, startPrometheus } from '../harness/prometheus.ts';
import { runBundledAction } from '../harness/runner.ts';
import {
  createRemote,
  type JobRun,
  remoteTags,
  jobResults as results,
  runWorkflow,
  failureReport as why,
} from '../harness/workflow-run.ts';

const REPOSITORY = 'octo-org/pima-diabetes';
const MODEL = 'pima-diabetes';
const SCRAPE_SECONDS = 15;
const MINUTES = 45;

/**
 * A model server's counters for the baseline (90 requests/s) and the canary (10/s), scraped every 15 s for
 * the last 45 minutes: requests by status code and a latency histogram. Linear counts, so the shares are exact.
 */
function openMetrics(end: number, canaryErrorShare: number): string {
  const versions = [
    { version: 'v0.0.1', rps: 90, error: 0.02 },
    { version: 'v0.0.2', rps: 10, error: canaryErrorShare },
  ];
  const requests: string[] = [];
  const latency: string[] = [];
  const start = end - MINUTES * 60;
  for (let time = start; time <= end; time += SCRAPE_SECONDS) {
    for (const { version, rps, error } of versions) {
      const total = rps * (time - start);
      const errors = Math.round(total * error);
      const labels = `model="${MODEL}",model_version="${version}"`;
      requests.push(`model_requests_total{${labels},code="200"} ${total - errors} ${time}`);
      requests.push(`model_requests_total{${labels},code="500"} ${errors} ${time}`);
      latency.push(`req_seconds_bucket{${labels},le="0.1"} ${total - Math.round(total * 0.05)} ${time}`);
      latency.push(`req_seconds_bucket{${labels},le="+Inf"} ${total} ${time}`);
      latency.push(`req_seconds_count{${labels}} ${total} ${time}`);
    }
  }
  // OpenMetrics wants each metric family's samples together, in time order within a series.
  const bySeries = (lines: string[]) =>
    [...lines].sort((a, b) => {
      const [seriesA] = a.split(' ');
      const [seriesB] = b.split(' ');
      return seriesA === seriesB ? 0 : seriesA! < seriesB! ? -1 : 1;
    });
  return [
    '# TYPE model_requests counter',
    ...bySeries(requests),
    '# TYPE req_seconds histogram',
    ...bySeries(latency),
    '# EOF',
    '',
  ].join('\n');
}

describe.skipIf(!prometheusAvailable())('mlops-canary.yml, run as written', () => {
  let dir: string;
  let remote: string;
  let github: GitHubEmulator;
  const servers: PrometheusServer[] = [];
  const end = Math.floor(Date.now() / 1000) - 30;
  let runs = 0;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mlops-canary-run-'));
    remote = createRemote(dir);
    github = await startGitHubEmulator();
    github.state.addRepo({ owner: 'octo-org', name: 'pima-diabetes' });
    // The registry before the rollout: the champion in production, the challenger on the canary stage.
    const checkout = path.join(dir, 'setup');
    execFileSync('git', ['clone', '--quiet', remote, checkout]);
    const identity = {
      GIT_AUTHOR_NAME: 'a',
      GIT_AUTHOR_EMAIL: 'a@example.com',
      GIT_COMMITTER_NAME: 'a',
      GIT_COMMITTER_EMAIL: 'a@example.com',
    };
    const registry = (action: string, inputs: Record<string, string>) =>
      runBundledAction(action, { workspace: checkout, inputs: { name: MODEL, ...inputs }, env: identity });
    for (const [model, stage] of [
      ['examples/model/champion.json', 'production'],
      ['examples/model/challenger.json', 'canary'],
    ] as const) {
      const registered = await registry('register-model', { 'model-path': model });
      expect(registered.exitCode, registered.stdout).toBe(0);
      const promoted = await registry('promote', { version: registered.outputs.version!, stage });
      expect(promoted.exitCode, promoted.stdout).toBe(0);
    }
  });

  afterAll(async () => {
    await github?.close();
    for (const server of servers) await server.stop();
  });

  async function dispatch(canaryErrorShare: number): Promise<Record<string, JobRun>> {
    runs += 1;
    const metrics = path.join(dir, `metrics-${runs}`);
    mkdirSync(metrics);
    writeFileSync(path.join(metrics, 'canary.om'), openMetrics(end, canaryErrorShare));
    const prometheus = await startPrometheus(path.join(metrics, 'canary.om'));
    servers.push(prometheus);
    const inputs = { 'canary-percent': '10', 'started-at': String(end - MINUTES * 60) };
    return runWorkflow({
      workflow: 'mlops-canary.yml',
      eventName: 'workflow_dispatch',
      event: { inputs },
      inputs,
      vars: { PROMETHEUS_URL: prometheus.url },
      remote,
      repository: REPOSITORY,
      apiUrl: github.url,
      token: 'ghs_canary-run-token',
      dir: path.join(dir, `run-${runs}`),
      runId: 2000 + runs,
    });
  }

  it('a healthy canary after the soak advances to the next traffic step', async () => {
    const jobs = await dispatch(0.02);
    expect(results(jobs), why(jobs)).toEqual({
      state: 'success',
      analyse: 'success',
      advance: 'success',
      'promote-production': 'skipped',
      rollback: 'skipped',
    });
    expect(jobs.state!.outputs).toMatchObject({ open: 'true', baseline: 'v0.0.1', canary: 'v0.0.2' });
    expect(jobs.analyse!.outputs).toEqual({ decision: 'promote', 'next-traffic-percent': '25' });
  });

  it('a canary with twice the error rate is rolled back: the canary stage returns to the baseline', async () => {
    const jobs = await dispatch(0.04);
    expect(results(jobs), why(jobs)).toEqual({
      state: 'success',
      analyse: 'success',
      advance: 'skipped',
      'promote-production': 'skipped',
      rollback: 'success',
    });
    expect(jobs.analyse!.outputs.decision).toBe('rollback');
    const setup = path.join(dir, 'setup');
    execFileSync('git', ['fetch', '--quiet', '--tags', '--force', 'origin'], { cwd: setup });
    const lookup = (stage: string) =>
      runBundledAction('lookup-model', { workspace: setup, inputs: { name: MODEL, stage } });
    expect((await lookup('canary')).outputs.version).toBe('v0.0.1');
    expect((await lookup('production')).outputs.version).toBe('v0.0.1');
    // The rejected version stays in the canary stage's history.
    const tags = remoteTags(remote).filter((tag) => tag.startsWith(`${MODEL}#canary#`));
    expect(tags).toHaveLength(2);
  });
});

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures/registry/setup.ts';
import { MlflowEmulator } from '../harness/mlflow-emulator.ts';
import { makeWorkspace, runBundledAction } from '../harness/runner.ts';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function workspace(model: string): string {
  const dir = makeWorkspace('mlops-mlflow-');
  mkdirSync(path.join(dir, 'model'));
  writeFileSync(path.join(dir, 'model', 'model.pkl'), model);
  writeFileSync(path.join(dir, 'gate.json'), readFileSync(path.join(fixtures, 'gate-passed.json')));
  return dir;
}

describe('register-model / promote / lookup-model against the MLflow emulator', () => {
  let server: MlflowEmulator;
  beforeEach(async () => {
    server = new MlflowEmulator({ basic: { username: 'ci', password: 'hunter2-secret' } });
    await server.start();
  });
  afterEach(() => server.stop());

  const common = () => ({
    name: 'churn',
    backend: 'mlflow',
    'mlflow-tracking-uri': server.url,
    'mlflow-username': 'ci',
    'mlflow-password': 'hunter2-secret',
  });
  const env = { GITHUB_SHA: SHA, GITHUB_ACTOR: 'octocat' };

  it('register -> promote -> register -> promote -> rollback ends on version 1, with the audit trail', async () => {
    server.faults.pendingPolls = 2;
    const r1 = await runBundledAction('register-model', {
      workspace: workspace('m1'),
      env: { ...env, GITHUB_RUN_ID: '11' },
      inputs: {
        ...common(),
        'model-path': 'model',
        metrics: 'gate.json',
        'artifact-uri': 's3://models/churn/1',
      },
    });
    expect(r1.errors).toEqual([]);
    expect(r1.outputs).toMatchObject({
      version: '1',
      tag: 'churn/1',
      'model-uri': 's3://models/churn/1',
      created: 'true',
    });
    // Credentials are masked for the runner and never printed in clear anywhere else.
    expect(r1.stdout).toContain('::add-mask::hunter2-secret');
    expect(r1.stdout.replace('::add-mask::hunter2-secret', '')).not.toContain('hunter2-secret');

    const p1 = await runBundledAction('promote', {
      env: { ...env, GITHUB_RUN_ID: '12' },
      inputs: { ...common(), stage: 'champion', version: '1', 'require-gate': 'true' },
    });
    expect(p1.errors).toEqual([]);
    expect(p1.outputs).toMatchObject({ version: '1', 'previous-version': '', tag: 'champion' });

    const r2 = await runBundledAction('register-model', {
      workspace: workspace('m2'),
      env: { ...env, GITHUB_RUN_ID: '13' },
      inputs: { ...common(), 'model-path': 'model', 'artifact-uri': 's3://models/churn/2' },
    });
    expect(r2.outputs).toMatchObject({ version: '2', created: 'true' });
    const p2 = await runBundledAction('promote', {
      env: { ...env, GITHUB_RUN_ID: '14' },
      inputs: { ...common(), stage: 'champion', version: 'latest' },
    });
    expect(p2.outputs).toMatchObject({ version: '2', 'previous-version': '1' });
    const back = await runBundledAction('promote', {
      env: { ...env, GITHUB_RUN_ID: '15' },
      inputs: { ...common(), stage: 'champion', rollback: 'true' },
    });
    expect(back.errors).toEqual([]);
    expect(back.outputs).toMatchObject({ version: '1', 'previous-version': '2' });
    expect(server.alias('churn', 'champion')).toBe('1');
    const report = JSON.parse(readFileSync(back.outputs.report!, 'utf8'));
    expect(report).toMatchObject({
      schema: 'mlops.promote/v1',
      backend: 'mlflow',
      action: 'rollback',
      gate: { passed: true },
    });
    expect(
      report.audit.map((entry: { action: string; from: string | null; to: string; run_id: string }) => [
        entry.action,
        entry.from,
        entry.to,
        entry.run_id,
      ]),
    ).toEqual([
      ['promote', null, '1', '12'],
      ['promote', '1', '2', '14'],
      ['rollback', '2', '1', '15'],
    ]);

    const lookup = await runBundledAction('lookup-model', {
      env,
      inputs: { ...common(), stage: 'champion' },
    });
    expect(lookup.outputs).toMatchObject({
      found: 'true',
      version: '1',
      'model-uri': 's3://models/churn/1',
      commit: SHA,
    });
    const lineage = JSON.parse(readFileSync(lookup.outputs.lineage!, 'utf8'));
    expect(lineage).toMatchObject({
      schema: 'mlops.lineage/v1',
      version: '1',
      gate: { passed: true },
      trigger: { run_id: '11' },
    });
  });

  it('fails clearly on an unreachable server, bad credentials and a failed registration', async () => {
    const ws = workspace('m1');
    const closed = new MlflowEmulator();
    const closedUrl = await closed.start();
    await closed.stop();
    const offline = await runBundledAction('register-model', {
      workspace: ws,
      env,
      inputs: { ...common(), 'mlflow-tracking-uri': closedUrl, 'model-path': 'model' },
    });
    expect(offline.exitCode).toBe(1);
    expect(offline.errors[0]).toMatch(
      /cannot reach the MLflow server at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\) after 4 attempt\(s\)/,
    );

    const denied = await runBundledAction('register-model', {
      workspace: ws,
      env,
      inputs: { ...common(), 'mlflow-password': 'wrong', 'model-path': 'model' },
    });
    expect(denied.errors[0]).toMatch(/refused the credentials \(401\)/);
    expect(denied.stdout.replace('::add-mask::wrong', '')).not.toMatch(/::.*wrong/);

    server.faults.failRegistration = /broken/;
    const failed = await runBundledAction('register-model', {
      workspace: ws,
      env,
      inputs: { ...common(), 'model-path': 'model', 'artifact-uri': 's3://broken/churn' },
    });
    expect(failed.errors[0]).toMatch(/MLflow failed to register churn version 1: injected/);
    expect(server.models.get('churn')?.aliases.size).toBe(0);

    const missingUri = await runBundledAction('lookup-model', {
      env,
      inputs: { name: 'churn', backend: 'mlflow' },
    });
    expect(missingUri.errors[0]).toMatch(/input 'mlflow-tracking-uri': is required with backend: mlflow/);
  });
});

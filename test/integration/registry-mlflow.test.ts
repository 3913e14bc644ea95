// The bundled register-model / promote / lookup-model against the MLflow emulator, which answers as MLflow's own
// server code does (test/harness/mlflow-emulator.ts): unset aliases are 400, search results carry no aliases,
// sources are validated, faults can fire after a write.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures/registry/setup.ts';
import { MlflowEmulator } from '../harness/mlflow-emulator.ts';
import { makeWorkspace, type RunResult, runBundledAction } from '../harness/runner.ts';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const PASSWORD = 'hunter2-secret';
const BASIC = Buffer.from(`ci:${PASSWORD}`).toString('base64');

function workspace(model: string): string {
  const dir = makeWorkspace('mlops-mlflow-');
  mkdirSync(path.join(dir, 'model'));
  writeFileSync(path.join(dir, 'model', 'model.pkl'), model);
  writeFileSync(path.join(dir, 'gate.json'), readFileSync(path.join(fixtures, 'gate-passed.json')));
  return dir;
}

/** Everything the step printed except the runner's own mask commands. */
const unmasked = (run: RunResult) =>
  run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');

function expectNoCredentials(run: RunResult) {
  const text = `${unmasked(run)}\n${run.stderr}\n${run.summary}`;
  for (const secret of [PASSWORD, BASIC, BASIC.replace(/=+$/, '')]) expect(text).not.toContain(secret);
}

describe('register-model / promote / lookup-model against the MLflow emulator', () => {
  let server: MlflowEmulator;
  beforeEach(async () => {
    server = new MlflowEmulator({ basic: { username: 'ci', password: PASSWORD } });
    await server.start();
  });
  afterEach(() => server.stop());

  const common = () => ({
    name: 'churn',
    backend: 'mlflow',
    'mlflow-tracking-uri': server.url,
    'mlflow-username': 'ci',
    'mlflow-password': PASSWORD,
  });
  const env = { GITHUB_SHA: SHA, GITHUB_ACTOR: 'octocat' };
  const promote = (inputs: Record<string, string>, runId: string) =>
    runBundledAction('promote', {
      env: { ...env, GITHUB_RUN_ID: runId },
      inputs: { ...common(), ...inputs },
    });

  it('register -> staging -> production -> register -> production -> rollback -> lookup ends on version 1 with the alias', async () => {
    const run1 = server.createRun();
    const r1 = await runBundledAction('register-model', {
      workspace: workspace('m1'),
      env: { ...env, GITHUB_RUN_ID: '11' },
      inputs: {
        ...common(),
        'model-path': 'model',
        metrics: 'gate.json',
        'artifact-uri': `runs:/${run1}/model`,
      },
    });
    expect(r1.errors).toEqual([]);
    expect(r1.outputs).toMatchObject({
      version: '1',
      tag: 'churn/1',
      'model-uri': `runs:/${run1}/model`,
      created: 'true',
    });
    // Every credential form is masked for the runner, and none is printed.
    expect(r1.stdout).toContain(`::add-mask::${PASSWORD}`);
    expect(r1.stdout).toContain(`::add-mask::Basic ${BASIC}`);
    expectNoCredentials(r1);
    // The version links to its MLflow run and to the GitHub run; the run shows what the gate saw.
    const v1 = server.models.get('churn')!.versions[0]!;
    expect(v1).toMatchObject({
      run_id: run1,
      run_link: 'https://github.com/octo-org/octo-repo/actions/runs/11',
      source: `runs:/${run1}/model`,
    });
    expect(v1.tags.get('mlops.github_run_url')).toBe('https://github.com/octo-org/octo-repo/actions/runs/11');
    const logged = server.runs.get(run1)!;
    expect(Object.fromEntries(logged.metrics.map((metric) => [metric.key, metric.value]))).toMatchObject({
      'gate.passed': 1,
      'gate.difference': 0.018,
      'gate.ci_low': 0.004,
      'gate.ci_high': 0.032,
    });
    expect(logged.params.get('gate.metric')).toBe('roc_auc');
    expect(logged.tags.get('mlops.gate.verdict')).toBe('passed');
    expect(logged.tags.get('mlops.registered_model')).toBe('churn/1');

    const staging = await promote({ stage: 'staging', version: '1', 'require-gate': 'true' }, '12');
    expect(staging.errors).toEqual([]);
    expect(staging.outputs).toMatchObject({ version: '1', 'previous-version': '' });
    const production = await promote({ stage: 'production', version: '1' }, '13');
    expect(production.errors).toEqual([]);
    expect(production.outputs).toMatchObject({ version: '1', 'previous-version': '' });

    const r2 = await runBundledAction('register-model', {
      workspace: workspace('m2'),
      env: { ...env, GITHUB_RUN_ID: '14' },
      inputs: { ...common(), 'model-path': 'model', 'artifact-uri': 's3://models/churn/2' },
    });
    expect(r2.outputs).toMatchObject({ version: '2', created: 'true' });
    const p2 = await promote({ stage: 'production', version: 'latest' }, '15');
    expect(p2.outputs).toMatchObject({ version: '2', 'previous-version': '1' });
    const back = await promote({ stage: 'production', rollback: 'true' }, '16');
    expect(back.errors).toEqual([]);
    expect(back.outputs).toMatchObject({ version: '1', 'previous-version': '2' });
    expect(server.alias('churn', 'production')).toBe('1');
    expect(server.alias('churn', 'staging')).toBe('1');
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
      ['promote', null, '1', '13'],
      ['promote', '1', '2', '15'],
      ['rollback', '2', '1', '16'],
    ]);

    const lookup = await runBundledAction('lookup-model', {
      env,
      inputs: { ...common(), stage: 'production' },
    });
    expect(lookup.errors).toEqual([]);
    expect(lookup.outputs).toMatchObject({
      found: 'true',
      version: '1',
      'model-uri': `runs:/${run1}/model`,
      commit: SHA,
    });
    const lineage = JSON.parse(readFileSync(lookup.outputs.lineage!, 'utf8'));
    expect(lineage).toMatchObject({
      schema: 'mlops.lineage/v1',
      version: '1',
      gate: { passed: true },
      trigger: { run_id: '11' },
    });
    const report2 = JSON.parse(readFileSync(lookup.outputs.report!, 'utf8'));
    expect(report2.stages.sort()).toEqual(['production', 'staging']);
    // No alias was ever probed with GET registered-models/alias (MLflow answers an unset one with 400).
    expect(
      server.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/alias')),
    ).toEqual([]);
  });

  it('a stage never set is "nothing holds it", and a rollback there says why, never an internal error', async () => {
    await runBundledAction('register-model', {
      workspace: workspace('m1'),
      env,
      inputs: { ...common(), 'model-path': 'model', 'artifact-uri': 's3://models/churn/1' },
    });
    const missing = await runBundledAction('lookup-model', {
      env,
      inputs: { ...common(), stage: 'production', 'allow-missing': 'true' },
    });
    expect(missing.errors).toEqual([]);
    expect(missing.outputs).toMatchObject({ found: 'false', version: '' });
    const required = await runBundledAction('lookup-model', {
      env,
      inputs: { ...common(), stage: 'production' },
    });
    expect(required.errors).toEqual([
      expect.stringMatching(
        /no version of 'churn' holds stage 'production' in MLflow http:\/\/127\.0\.0\.1:\d+/,
      ),
    ]);
    const rollback = await promote({ stage: 'production', rollback: 'true' }, '20');
    expect(rollback.exitCode).toBe(1);
    expect(rollback.errors[0]).toMatch(
      /cannot roll back churn production: no earlier version in its audit history \(0 recorded/,
    );
    for (const run of [missing, required, rollback]) expect(run.stdout).not.toContain('internal error');
  });

  it('refuses sources MLflow cannot load before any request, with the reason', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /GitHub page or release asset is not an artifact store/],
      [{ 'artifact-uri': `runs:/${'a'.repeat(32)}/model/.` }, /a '\.' segment \(such as a trailing '\/\.'\)/],
      [{ 'artifact-uri': '/mnt/models/churn' }, /a local path only with a run id \(mlflow-run-id\)/],
      [
        { 'artifact-uri': `s3://models/${'x'.repeat(500)}` },
        /it is 512 characters, and MLflow stores at most 500/,
      ],
      [{ 'artifact-uri': 's3://models/1', 'mlflow-run-id': 'b'.repeat(32) }, /run b{32} does not exist/],
    ];
    for (const [inputs, message] of cases) {
      const before = server.requests.filter((request) => request.method !== 'GET').length;
      const run = await runBundledAction('register-model', {
        workspace: workspace('m1'),
        env,
        inputs: { ...common(), 'model-path': 'model', ...inputs },
      });
      expect(run.exitCode).toBe(1);
      expect(run.errors).toEqual([expect.stringMatching(message)]);
      // Nothing was written.
      expect(server.requests.filter((request) => request.method !== 'GET').length).toBe(before);
    }
    expect(server.models.size).toBe(0);
    const longDescription = await runBundledAction('register-model', {
      workspace: workspace('m1'),
      env,
      inputs: {
        ...common(),
        'model-path': 'model',
        'artifact-uri': 's3://m/1',
        description: 'd'.repeat(5001),
      },
    });
    expect(longDescription.errors).toEqual([
      "register-model: input 'description': 5001 characters, and MLflow stores at most 5000 per model version",
    ]);
  });

  it('recovers from a version created and then a 5xx, and from writes that failed after landing', async () => {
    server.faults.failAfterWrite = { endpoint: 'model-versions/create', count: 1, status: 503 };
    const r1 = await runBundledAction('register-model', {
      workspace: workspace('m1'),
      env,
      inputs: { ...common(), 'model-path': 'model', 'artifact-uri': 's3://models/churn/1' },
    });
    expect(r1.errors).toEqual([]);
    expect(r1.outputs).toMatchObject({ version: '1', created: 'true' });
    expect(server.models.get('churn')!.versions).toHaveLength(1);
    expect(server.requests.filter((request) => request.status === 503)).toHaveLength(1);

    server.faults.failAfterWrite = { endpoint: 'registered-models/alias', count: 1, status: 500 };
    const p1 = await promote({ stage: 'production', version: '1' }, '31');
    expect(p1.errors).toEqual([]);
    expect(server.alias('churn', 'production')).toBe('1');
    const audit = [...server.models.get('churn')!.tags.keys()].filter((key) =>
      key.startsWith('mlops.audit.'),
    );
    expect(audit).toHaveLength(1);

    // A server that keeps failing is a clear, named failure, not an internal error.
    server.faults.failNext = { count: 100, status: 502 };
    const down = await runBundledAction('lookup-model', {
      env,
      inputs: { ...common(), stage: 'production' },
    });
    expect(down.exitCode).toBe(1);
    expect(down.errors[0]).toMatch(
      /cannot look up churn production: MLflow http:\/\/127\.0\.0\.1:\d+ answered 502 HTTP_502 to registered-models\/get \(500 Internal Server Error \(after 4 attempts\)\); the server or its database is failing/,
    );
  });

  it('a server without the alias API gets the fix; with legacy stages it works through stages', async () => {
    await server.stop();
    server = new MlflowEmulator({ basic: { username: 'ci', password: PASSWORD }, aliasApi: false });
    await server.start();
    await runBundledAction('register-model', {
      workspace: workspace('m1'),
      env,
      inputs: { ...common(), 'model-path': 'model', 'artifact-uri': 's3://models/churn/1' },
    });
    const refused = await promote({ stage: 'production', version: '1' }, '41');
    expect(refused.exitCode).toBe(1);
    expect(refused.errors[0]).toMatch(
      /has no model-alias API \(registered-models\/alias answered HTTP 404 from the web server, not from MLflow\): aliases need open-source MLflow 2\.3 or later\. On an older server or Databricks' workspace registry, set mlflow-legacy-stages: true/,
    );
    // The audit entry written before the failed alias move was withdrawn.
    expect(
      [...server.models.get('churn')!.tags.keys()].filter((key) => key.startsWith('mlops.audit.')),
    ).toEqual([]);

    const legacy = await promote({ stage: 'production', version: '1', 'mlflow-legacy-stages': 'true' }, '42');
    expect(legacy.errors).toEqual([]);
    expect(server.models.get('churn')!.versions[0]!.current_stage).toBe('Production');
    const lookup = await runBundledAction('lookup-model', {
      env,
      inputs: { ...common(), stage: 'production', 'mlflow-legacy-stages': 'true' },
    });
    expect(lookup.outputs).toMatchObject({ found: 'true', version: '1' });
  });
});

describe('MLflow credentials: environment fallbacks, 401 versus 403, and nothing echoed in clear', () => {
  const env = { GITHUB_SHA: SHA };

  it('reads MLFLOW_TRACKING_TOKEN as MLflow does, and says 403 is a permission, 401 bad credentials', async () => {
    const server = new MlflowEmulator({ token: 'tok-123456' });
    await server.start();
    try {
      const ok = await runBundledAction('register-model', {
        workspace: workspace('m1'),
        env: { ...env, MLFLOW_TRACKING_TOKEN: 'tok-123456' },
        inputs: {
          name: 'churn',
          backend: 'mlflow',
          'mlflow-tracking-uri': server.url,
          'model-path': 'model',
          'artifact-uri': 's3://m/1',
        },
      });
      expect(ok.errors).toEqual([]);
      expect(ok.stdout).toContain('MLflow settings from the environment: MLFLOW_TRACKING_TOKEN');
      expect(ok.stdout).toContain('::add-mask::Bearer tok-123456');
      expect(server.requests.every((request) => request.authorization === 'Bearer tok-123456')).toBe(true);

      const wrong = await runBundledAction('lookup-model', {
        env: { ...env, MLFLOW_TRACKING_TOKEN: 'nope-nope' },
        inputs: { name: 'churn', backend: 'mlflow', 'mlflow-tracking-uri': server.url },
      });
      expect(wrong.errors[0]).toMatch(/refused the credentials \(401 HTTP_401: You are not authenticated/);
    } finally {
      await server.stop();
    }
    const readOnly = new MlflowEmulator({ token: 'tok-123456', readOnly: true });
    await readOnly.start();
    try {
      const denied = await runBundledAction('register-model', {
        workspace: workspace('m1'),
        env,
        inputs: {
          name: 'churn',
          backend: 'mlflow',
          'mlflow-tracking-uri': readOnly.url,
          'mlflow-token': 'tok-123456',
          'model-path': 'model',
          'artifact-uri': 's3://m/1',
        },
      });
      expect(denied.errors[0]).toMatch(
        /accepted the credentials but denied POST registered-models\/create on model 'churn' \(403 HTTP_403: Permission denied\): they need the right to create registered models; this is a permission, not a wrong password/,
      );
    } finally {
      await readOnly.stop();
    }
  });

  it('a server that echoes the Authorization header, and a malformed URI with user:pass@, leak nothing', async () => {
    const server = new MlflowEmulator({
      basic: { username: 'ci', password: 'other' },
      echoCredentials: true,
    });
    await server.start();
    try {
      const echoed = await runBundledAction('lookup-model', {
        env,
        inputs: {
          name: 'churn',
          backend: 'mlflow',
          'mlflow-tracking-uri': server.url,
          'mlflow-username': 'ci',
          'mlflow-password': PASSWORD,
        },
      });
      expect(echoed.exitCode).toBe(1);
      // The server put "Basic <base64(ci:password)>" in its answer; the message shows *** in its place.
      expect(echoed.errors[0]).toMatch(/\(received Authorization: \*\*\*\)/);
      expectNoCredentials(echoed);
    } finally {
      await server.stop();
    }
    for (const uri of [
      'http://ci:hunter2-secret@mlflow host:5000',
      'http://ci:hunter2/secret@[mlflow:5000',
    ]) {
      const malformed = await runBundledAction('lookup-model', {
        env,
        inputs: { name: 'churn', backend: 'mlflow', 'mlflow-tracking-uri': uri },
      });
      expect(malformed.exitCode).toBe(1);
      expect(malformed.errors[0]).toMatch(/input 'mlflow-tracking-uri': 'http:\/\/\*\*\*@.*' is not a URL/);
      expect(unmasked(malformed)).not.toMatch(/hunter2/);
    }
  });
});

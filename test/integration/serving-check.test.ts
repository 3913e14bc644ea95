// serving-check end to end: the bundle, run as the runner runs it, against real model servers on 127.0.0.1
// serving the example champion (examples/model/champion.json scored in Node). The offline predictions come
// from scikit-learn (test/fixtures/serving/generate.py), so parity here is Node-served vs scikit-learn.
// Every request the OIP server receives is validated against the protocol's OpenAPI file.
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServingReport } from '@mlops/serving';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CHAMPION_FILE,
  loadExampleModel,
  type ModelServer,
  startMlflowScoringServer,
  startOipServer,
} from '../harness/model-servers/index.ts';
import { makeWorkspace, repoRoot, runBundledAction } from '../harness/runner.ts';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'serving');
const servers: ModelServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function started<T extends ModelServer>(server: Promise<T>): Promise<T> {
  const ready = await server;
  servers.push(ready);
  return ready;
}

function workspace(): string {
  const dir = makeWorkspace('serving-');
  copyFileSync(path.join(fixtures, 'golden.csv'), path.join(dir, 'golden.csv'));
  copyFileSync(path.join(fixtures, 'expected.csv'), path.join(dir, 'expected.csv'));
  return dir;
}

const golden = { requests: 'golden.csv', expected: 'expected.csv', 'id-column': 'id' };

async function check(inputs: Record<string, string | number | boolean>) {
  const dir = workspace();
  const result = await runBundledAction('serving-check', {
    workspace: dir,
    inputs: { ...golden, repeats: 5, concurrency: 2, warmup: 1, ...inputs },
    timeoutMs: 30_000,
  });
  const report = JSON.parse(
    readFileSync(path.join(dir, 'mlops-reports', 'serving-check.json'), 'utf8'),
  ) as ServingReport;
  return { result, report };
}

function status(report: ServingReport, name: string): string | undefined {
  return report.checks.find((entry) => entry.name === name)?.status;
}

describe('serving-check against an Open Inference Protocol server', () => {
  it('passes the healthy champion: every row within 1e-9 of scikit-learn, version, latency, edge cases', async () => {
    const server = await started(startOipServer({ version: '1.0.0' }));
    const { result, report } = await check({
      url: server.url,
      model: 'champion',
      'expected-version': '1.0.0',
      atol: 1e-9,
      rtol: 0,
      'min-agreement': 1,
      'edge-cases': true,
      'latency-p95-ms': 2000,
      headers: 'Authorization: Bearer s3cret-token-value',
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(report.passed).toBe(true);
    expect(report.rows).toBe(182);
    expect(report.checks.map((entry) => [entry.name, entry.status])).toEqual([
      ['readiness', 'passed'],
      ['metadata', 'passed'],
      ['version', 'passed'],
      ['answers', 'passed'],
      ['parity', 'passed'],
      ['agreement', 'passed'],
      ['latency', 'passed'],
      ['edge-cases', 'passed'],
    ]);
    expect(report.parity.max_abs_diff).toBeLessThan(1e-12);
    expect(result.outputs).toMatchObject({ passed: 'true', 'served-version': '1.0.0', mismatches: '0' });
    expect(Number(result.outputs['p95-ms'])).toBeGreaterThan(0);
    expect(report.latency?.samples).toBe(10);
    // The protocol spoken as its OpenAPI file says, the token sent and never shown.
    expect(server.violations).toEqual([]);
    const infer = server.requests.filter((request) => request.path.endsWith('/infer'));
    expect(infer.length).toBeGreaterThan(6 + 1 + 10);
    expect(infer[0]!.headers.authorization).toBe('Bearer s3cret-token-value');
    expect(infer[0]!.body).toMatchObject({ inputs: [{ name: 'input-0', datatype: 'FP64', shape: [32, 6] }] });
    // Masked (the runner hides it from then on) and never written anywhere else.
    expect(result.stdout).toContain('::add-mask::Bearer s3cret-token-value');
    expect(result.stdout).toContain('::add-mask::s3cret-token-value');
    const logged = result.stdout.replace(/::add-mask::.*\n/g, '');
    expect(logged + result.stderr + result.summary + JSON.stringify(report)).not.toContain('s3cret');
    expect(result.summary).toContain('Serving check');
    expect(result.summary).toContain('xychart-beta');
  });

  it('catches the server that skips its preprocessing: parity fails with the worst rows listed', async () => {
    const server = await started(
      startOipServer({ model: loadExampleModel(CHAMPION_FILE, { skipPreprocessing: true }) }),
    );
    const { result, report } = await check({ url: server.url, model: 'champion', repeats: 0 });
    expect(result.exitCode).toBe(1);
    expect(report.passed).toBe(false);
    expect(status(report, 'answers')).toBe('passed');
    expect(status(report, 'parity')).toBe('failed');
    expect(report.parity.mismatches).toBeGreaterThan(150);
    expect(report.parity.worst[0]!.abs_diff).toBeGreaterThan(0.5);
    expect(result.errors.join('\n')).toMatch(/parity: \d+ of 182 rows differ/);
    expect(result.summary).toMatch(/Worst rows/);
    expect(server.violations).toEqual([]);
  });
});

describe('serving-check against an OIP server with one tensor per column and basic auth', () => {
  it('sends [rows, 1] tensors named after the columns; credentials in the URL become a masked header', async () => {
    const server = await started(
      startOipServer({
        layout: 'columns',
        authorization: `Basic ${Buffer.from('svc:p4ssw0rd-x').toString('base64')}`,
      }),
    );
    const { result, report } = await check({
      url: server.url.replace('http://', 'http://svc:p4ssw0rd-x@'),
      model: 'champion',
      'oip-layout': 'columns',
      atol: 1e-9,
      rtol: 0,
      repeats: 0,
    });
    expect(result.errors).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.url).toBe(server.url);
    const infer = server.requests.find((request) => request.path.endsWith('/infer'))!;
    const inputs = (infer.body as { inputs: { name: string; shape: number[]; datatype: string }[] }).inputs;
    expect(inputs.map((input) => input.name)).toEqual(['npreg', 'glu', 'bp', 'bmi', 'ped', 'age']);
    expect(inputs[0]).toMatchObject({ shape: [32, 1], datatype: 'FP64' });
    expect(server.violations).toEqual([]);
    const logged = result.stdout.replace(/::add-mask::.*\n/g, '');
    expect(logged + result.summary + JSON.stringify(report)).not.toContain('p4ssw0rd');
  });
});

describe('serving-check against an MLflow scoring server', () => {
  it('passes with dataframe_split; the version comes from version-header', async () => {
    const server = await started(
      startMlflowScoringServer({ versionHeader: { name: 'X-Model-Version', value: '1.0.0' } }),
    );
    const { result, report } = await check({
      url: server.url,
      protocol: 'mlflow',
      'version-header': 'X-Model-Version',
      'expected-version': '1.0.0',
      atol: 1e-9,
      rtol: 0,
      'edge-cases': true,
    });
    expect(result.errors).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.version_source).toBe('header x-model-version');
    expect(status(report, 'metadata')).toBe('skipped');
    expect(server.violations).toEqual([]);
    const invocation = server.requests.find((request) => request.path === '/invocations')!;
    expect(invocation.body).toMatchObject({
      dataframe_split: { columns: ['npreg', 'glu', 'bp', 'bmi', 'ped', 'age'] },
    });
  });

  it('protocol json: a request template and a JSON path (here against the same scoring server)', async () => {
    const server = await started(startMlflowScoringServer());
    const { result, report } = await check({
      url: `${server.url}/invocations`,
      protocol: 'json',
      'request-template': '{"dataframe_split": {"columns": "{{columns}}", "data": "{{values}}"}}',
      'predictions-path': '$.predictions',
      'ready-path': '/ping',
      atol: 1e-9,
      rtol: 0,
      repeats: 0,
    });
    expect(result.errors).toEqual([]);
    expect(report.passed).toBe(true);
    expect(status(report, 'readiness')).toBe('passed');
    expect(status(report, 'version')).toBe('skipped');
    expect(server.requests.some((request) => request.path === '/ping')).toBe(true);
    expect(server.violations).toEqual([]);
  });

  it('says an expected version is not possible to check without version-header, and fails', async () => {
    const server = await started(startMlflowScoringServer());
    const { result, report } = await check({
      url: server.url,
      protocol: 'mlflow',
      'expected-version': '1.0.0',
    });
    expect(result.exitCode).toBe(1);
    expect(status(report, 'version')).toBe('not-possible');
    expect(report.checks.find((entry) => entry.name === 'version')!.message).toMatch(/version-header/);
  });
});

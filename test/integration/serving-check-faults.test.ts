// serving-check when the endpoint misbehaves: every fault is a failed check or a clear error naming the
// request (with the response body truncated and escaped), never a pass.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { ServingReport } from '@mlops/serving';
import { afterEach, describe, expect, it } from 'vitest';
import {
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

async function oip(options: Parameters<typeof startOipServer>[0] = {}): Promise<ModelServer> {
  const server = await startOipServer(options);
  servers.push(server);
  return server;
}

async function check(inputs: Record<string, string | number | boolean>) {
  const dir = makeWorkspace('serving-faults-');
  copyFileSync(path.join(fixtures, 'golden.csv'), path.join(dir, 'golden.csv'));
  copyFileSync(path.join(fixtures, 'expected.csv'), path.join(dir, 'expected.csv'));
  const result = await runBundledAction('serving-check', {
    workspace: dir,
    inputs: {
      requests: 'golden.csv',
      expected: 'expected.csv',
      'id-column': 'id',
      model: 'champion',
      repeats: 0,
      'ready-timeout': '5s',
      ...inputs,
    },
    timeoutMs: 30_000,
  });
  const file = path.join(dir, 'mlops-reports', 'serving-check.json');
  const report = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ServingReport) : undefined;
  return { result, report };
}

function checkOf(report: ServingReport | undefined, name: string) {
  return report?.checks.find((entry) => entry.name === name);
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('serving-check faults', () => {
  it('connection refused: readiness fails within ready-timeout, naming the probe', async () => {
    const { result, report } = await check({
      url: `http://127.0.0.1:${await closedPort()}`,
      'ready-timeout': '1s',
    });
    expect(result.exitCode).toBe(1);
    expect(report?.passed).toBe(false);
    expect(checkOf(report, 'readiness')).toMatchObject({ status: 'failed' });
    expect(checkOf(report, 'readiness')!.message).toMatch(/GET \/v2\/health\/ready: connection refused/);
    expect(checkOf(report, 'parity')).toMatchObject({ status: 'skipped' });
  });

  it('a server that is still loading is waited for with backoff', async () => {
    const server = await oip({ readyAfterMs: 1000 });
    const { result, report } = await check({ url: server.url });
    expect(result.errors).toEqual([]);
    expect(report?.passed).toBe(true);
    // 503 for the first second: at least three probes (0, 250, 750 ms) before the one that finds it ready.
    const probes = Number(/\((\d+) probes\)/.exec(checkOf(report, 'readiness')!.message)?.[1]);
    expect(probes).toBeGreaterThanOrEqual(4);
    expect(checkOf(report, 'readiness')!.message).toMatch(/^ready after \d(\.\d)? s/);
    expect(server.violations).toEqual([]);
  });

  it('a reset, a hung answer and a 5xx each fail the request they hit, and the body is escaped', async () => {
    const server = await oip();
    server.faults.add({ path: /\/infer$/, reset: true, times: 1 });
    server.faults.add({ path: /\/infer$/, hang: true, times: 1 });
    server.faults.add({
      path: /\/infer$/,
      status: 503,
      times: 1,
      contentType: 'text/html',
      body: `<html><script>alert(1)</script> overloaded, ask @oncall [x](https://evil.example) ${'z'.repeat(600)}</html>`,
    });
    const { result, report } = await check({ url: server.url, timeout: '1s' });
    expect(result.exitCode).toBe(1);
    const problems = report!.problems;
    expect(problems.map((problem) => [problem.request, problem.problem, problem.status])).toEqual([
      [
        'POST /v2/models/champion/infer (rows 1-32)',
        'connection reset by the server before a full answer',
        undefined,
      ],
      ['POST /v2/models/champion/infer (rows 33-64)', 'no answer within 1 s', undefined],
      ['POST /v2/models/champion/infer (rows 65-96)', 'HTTP 503', 503],
    ]);
    expect(problems[2]!.body!.length).toBeLessThan(340);
    expect(problems[2]!.body).toMatch(/… \(\d+ characters\)$/);
    expect(checkOf(report, 'answers')!.message).toMatch(
      /3 requests failed .*96 of 182 rows without a usable answer/,
    );
    expect(report!.parity.mismatches).toBe(96);
    // The summary shows what the server said, inert: no HTML, no link, no mention.
    expect(result.summary).toContain('Failed requests');
    // Inside a code span GitHub renders no HTML, links or mentions; outside one, none may remain.
    expect(result.summary).toContain('<script>alert(1)</script>');
    const outsideCode = result.summary.replace(/(`+).*?\1/g, '');
    expect(outsideCode).not.toContain('<script>');
    expect(outsideCode).not.toMatch(/\]\(https:\/\/evil/);
    expect(outsideCode).not.toContain('@oncall');
    expect(result.errors.join('\n')).toMatch(
      /answers: 3 requests failed \(first: POST \/v2\/models\/champion\/infer \(rows 1-32\)/,
    );
  });

  it('a slow answer within the timeout passes', async () => {
    const server = await oip();
    server.faults.add({ path: /\/infer$/, delayMs: 300, times: 2 });
    const { report } = await check({ url: server.url, timeout: '3s' });
    expect(report?.passed).toBe(true);
  });

  it('a body that is not JSON fails the request', async () => {
    const server = await oip();
    server.faults.add({
      path: /\/infer$/,
      status: 200,
      body: '<html>Gateway says hi</html>',
      contentType: 'text/html',
      times: 1,
    });
    const { report } = await check({ url: server.url });
    expect(report?.passed).toBe(false);
    expect(report!.problems[0]).toMatchObject({
      problem: 'the body is not JSON',
      status: 200,
      body: '<html>Gateway says hi</html>',
    });
  });

  it('a wrong output shape fails with the shape named', async () => {
    const server = await oip({ wrongShape: true });
    const { report } = await check({ url: server.url });
    expect(report?.passed).toBe(false);
    expect(report!.problems[0]!.problem).toBe("output 'probabilities' has shape [31, 2] for 32 rows");
    expect(checkOf(report, 'answers')).toMatchObject({ status: 'failed' });
  });

  it('NaN in the output (Python writes a bare NaN) fails answers and parity', async () => {
    const server = await oip({ nanOutput: true });
    const { report } = await check({ url: server.url });
    expect(report?.passed).toBe(false);
    expect(checkOf(report, 'answers')!.message).toMatch(/182 rows answered with a non-finite value/);
    expect(report!.parity.mismatches).toBe(182);
    expect(report!.parity.max_abs_diff).toBeNull();
  });

  it('NaN from an MLflow scoring server fails the same way', async () => {
    const server = await startMlflowScoringServer({ nanOutput: true });
    servers.push(server);
    const { report } = await check({ url: server.url, protocol: 'mlflow' });
    expect(report?.passed).toBe(false);
    expect(checkOf(report, 'answers')).toMatchObject({ status: 'failed' });
  });

  it('a version that changes between requests fails the version check, naming where', async () => {
    const server = await oip({ version: '1', versionAt: (inference) => (inference <= 3 ? '1' : '2') });
    const { report } = await check({ url: server.url });
    expect(report?.passed).toBe(false);
    expect(report?.served_version).toBeNull();
    expect(checkOf(report, 'version')!.message).toMatch(
      /changed between requests: '1' \(metadata versions, first at GET \/v2\/models\/champion\), then '2' \(model_version, first at POST \/v2\/models\/champion\/infer \(rows 97-128\)\)/,
    );
  });

  it('a server that answers 200 to malformed requests fails edge-cases', async () => {
    const server = await oip({ lenient: true });
    const { report } = await check({ url: server.url, 'edge-cases': true });
    expect(report?.passed).toBe(false);
    expect(checkOf(report, 'edge-cases')!.message).toMatch(
      /empty batch: answered 200: the server accepted a malformed request/,
    );
  });

  it('the wrong version is a failed check; a missing model name is an input error before any request', async () => {
    const server = await oip({ version: '1.0.0' });
    const wrong = await check({ url: server.url, 'expected-version': '1.1.0' });
    expect(checkOf(wrong.report, 'version')!.message).toBe(
      "serves '1.0.0' (metadata versions), expected '1.1.0'",
    );
    const before = server.requests.length;
    const missing = await check({ url: server.url, model: '' });
    expect(missing.result.exitCode).toBe(1);
    expect(missing.result.errors).toEqual([
      "serving-check: input 'model': is required for protocol 'oip' (the {name} of /v2/models/{name}/infer)",
    ]);
    expect(missing.result.stdout).not.toMatch(/at .*\.[cm]js/);
    expect(server.requests.length).toBe(before);
    const noFile = await check({ url: server.url, requests: 'missing.csv' });
    expect(noFile.result.errors).toEqual([
      "serving-check: input 'requests': file 'missing.csv' does not exist",
    ]);
    expect(server.requests.length).toBe(before);
  });
});

// canary-analysis end to end: the bundled action, run as the runner runs it, against Debian's Prometheus
// serving OpenMetrics data backfilled with promtool (test/fixtures/canary/generate.mjs), directly or through
// a proxy that injects faults. The counts the action reports are checked against the generator's true
// counts; the statistics themselves against scipy in packages/canary.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CanaryReport, MatrixSeries, MetricResult } from '@mlops/canary';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FaultProxy,
  freePort,
  type PrometheusServer,
  prometheusAvailable,
  startFaultProxy,
  startPrometheus,
} from '../harness/prometheus.ts';
import { makeWorkspace, repoRoot, runBundledAction, runProcess } from '../harness/runner.ts';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'canary');
const expected = JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8'));
const START: number = expected.start;
const at = (minutes: number) => String(START + minutes * 60);

interface Totals {
  requests: number;
  errors: number;
  slow: number;
}

export function canaryConfig(scenario: string, extra = ''): string {
  const s = `scenario="${scenario}"`;
  return `source: prometheus
version_label: model_version
traffic: { canary_percent: 10 }
soak: 30m
alpha: 0.05
step: 15s
query_timeout: 2s
${extra}metrics:
  - name: error_rate
    kind: proportion
    events: sum by (model_version) (model_requests_total{${s},code=~"5.."})
    trials: sum by (model_version) (model_requests_total{${s}})
    max_increase: 0.25
  - name: slow_requests
    kind: proportion
    events: sum by (model_version) (req_seconds_count{${s}}) - sum by (model_version) (req_seconds_bucket{${s},le="0.1"})
    trials: sum by (model_version) (req_seconds_count{${s}})
    max_increase: 0.25
steps: [10, 25, 50, 100]
`;
}

describe.skipIf(!prometheusAvailable())('canary-analysis against a real Prometheus', () => {
  let prometheus: PrometheusServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlops-canary-om-'));
    const generated = await runProcess(process.execPath, [path.join(fixtures, 'generate.mjs'), '--om', dir], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(generated.status, generated.stderr).toBe(0);
    // The committed true counts are what the generator makes today (it is deterministic).
    expect(readFileSync(path.join(dir, 'expected.json'), 'utf8')).toBe(
      readFileSync(path.join(fixtures, 'expected.json'), 'utf8'),
    );
    prometheus = await startPrometheus(path.join(dir, 'canary.om'));
    proxy = await startFaultProxy(prometheus.url);
  });

  afterAll(async () => {
    await proxy?.stop();
    await prometheus?.stop();
  });

  async function judge(
    scenario: string,
    options: { minutes?: number; config?: string; inputs?: Record<string, string>; viaProxy?: boolean } = {},
  ) {
    const workspace = makeWorkspace('mlops-canary-');
    writeFileSync(path.join(workspace, 'canary.yml'), options.config ?? canaryConfig(scenario));
    const result = await runBundledAction('canary-analysis', {
      workspace,
      inputs: {
        config: 'canary.yml',
        'prometheus-url': options.viaProxy ? proxy.url : prometheus.url,
        baseline: 'v1',
        canary: 'v2',
        'started-at': String(START),
        now: at(options.minutes ?? 45),
        ...options.inputs,
      },
    });
    const reportFile = path.join(workspace, 'mlops-reports', 'canary-analysis.json');
    let report: CanaryReport | undefined;
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8'));
    } catch {
      report = undefined;
    }
    return { ...result, report };
  }

  function expectCounts(report: CanaryReport, scenario: string) {
    const truth: Record<string, Totals> = expected.totals[scenario];
    const [errors, slow] = report.metrics as [MetricResult, MetricResult];
    expect(errors.baseline).toMatchObject({ requests: truth.v1!.requests, events: truth.v1!.errors });
    expect(errors.canary).toMatchObject({ requests: truth.v2!.requests, events: truth.v2!.errors });
    expect(slow.baseline).toMatchObject({ requests: truth.v1!.requests, events: truth.v1!.slow });
    expect(slow.canary).toMatchObject({ requests: truth.v2!.requests, events: truth.v2!.slow });
  }

  it('promotes a healthy canary after the soak, with exact counts, and renders the decision first', async () => {
    const run = await judge('healthy');
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.decision).toBe('promote');
    expect(run.outputs['next-traffic-percent']).toBe('25');
    expect(run.outputs.reason).toMatch(/^Every metric is proven within its limit/);
    expectCounts(run.report!, 'healthy');
    expect(run.report!.schema).toBe('mlops.canary-analysis/v1');
    expect(run.report!.traffic.srm.broken).toBe(false);
    expect(run.summary.split('\n')[0]).toMatch(/^### ✅ Canary analysis$/);
    expect(run.summary).toMatch(/\*\*promote\*\* to 25 %/);
    expect(run.summary).toContain('```mermaid');
    expect(run.summary).toMatch(/Colours: blue line = lower bound, orange line = upper bound/);
  });

  it('holds the same healthy canary before the soak time', async () => {
    const run = await judge('healthy', { minutes: 20 });
    expect(run.outputs.decision).toBe('continue');
    expect(run.outputs['next-traffic-percent']).toBe('10');
  });

  it('rolls back twice the error rate, fails the step after writing the outputs', async () => {
    const run = await judge('errors-2x');
    expect(run.outputs.decision).toBe('rollback');
    expect(run.outputs['next-traffic-percent']).toBe('0');
    expect(run.outputs.reason).toMatch(/^error_rate is worse on the canary/);
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/canary-analysis: error_rate is worse/);
    expectCounts(run.report!, 'errors-2x');
    const relaxed = await judge('errors-2x', { inputs: { 'fail-on-rollback': 'false' } });
    expect(relaxed.exitCode).toBe(0);
    expect(relaxed.outputs.decision).toBe('rollback');
  });

  it('never promotes a canary with 1.5 times the error rate', async () => {
    const run = await judge('errors-1.5x');
    expect(['rollback', 'continue']).toContain(run.outputs.decision);
    expect(run.report!.metrics[0]!.status).not.toBe('within');
  });

  it('rolls back a latency regression seen through the histogram', async () => {
    const run = await judge('latency-2x');
    expect(run.outputs.decision).toBe('rollback');
    expect(run.outputs.reason).toMatch(/^slow_requests is worse/);
    expect(run.report!.metrics[0]!.status).not.toBe('regressed');
  });

  it('judge: kayenta scores 5-minute buckets, rolls back the 2x canary and says it does not control looks', async () => {
    const config = canaryConfig('errors-2x', 'judge: kayenta\nkayenta: { bucket: 5m }\n');
    const run = await judge('errors-2x', { config, inputs: { 'fail-on-rollback': 'false' } });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.decision).toBe('rollback');
    expect(run.report!.kayenta).toMatchObject({ verdict: 'Fail', buckets: 9, bucket_minutes: 5 });
    expect(run.summary).toMatch(/\*\*Kayenta-style judge:\*\* Fail, score 50 .* over 9 bucket\(s\) of 5 min/);
    expect(run.summary).toContain('This judge does not control the false-alarm rate over repeated looks.');
  });

  it('calls a broken traffic split inconclusive', async () => {
    const run = await judge('srm');
    expect(run.exitCode).toBe(0);
    expect(run.outputs.decision).toBe('inconclusive');
    expect(run.outputs.reason).toMatch(/sample ratio mismatch.*where 10 % was expected/);
    expect(run.report!.traffic.observed_canary_percent).toBeGreaterThan(12);
  });

  it('says how much more a sparse canary needs', async () => {
    const run = await judge('sparse');
    expect(run.outputs.decision).toBe('continue');
    expect(run.outputs.reason).toMatch(
      /needs about [\d,]+ more canary requests \(about [\d,]+ minutes at the current traffic\)/,
    );
    expectCounts(run.report!, 'sparse');
  });

  it('counts across counter resets exactly', async () => {
    const run = await judge('resets');
    expectCounts(run.report!, 'resets');
    expect(run.report!.metrics[0]!.counter_resets).toBeGreaterThan(0);
    expect(run.outputs.decision).toBe('promote');
  });

  it('calls a canary without traffic, or without any series, inconclusive', async () => {
    const idle = await judge('no-traffic');
    expect(idle.outputs.decision).toBe('inconclusive');
    expect(idle.outputs.reason).toMatch(/canary \(v2\) has no requests/);
    const absent = await judge('healthy', { inputs: { canary: 'v9' } });
    expect(absent.outputs.decision).toBe('inconclusive');
  });

  describe('faults between the action and Prometheus', () => {
    it('retries a 503 and then answers', async () => {
      proxy.setFault((_, index) =>
        index === 0 ? { kind: 'status', status: 503, body: 'overloaded' } : undefined,
      );
      const run = await judge('healthy', { viaProxy: true });
      proxy.setFault(undefined);
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs.decision).toBe('promote');
    });

    it('fails clearly when Prometheus keeps answering 503', async () => {
      proxy.setFault(() => ({
        kind: 'status',
        status: 503,
        body: { status: 'error', errorType: 'unavailable', error: 'shutting down' },
      }));
      const run = await judge('healthy', { viaProxy: true });
      proxy.setFault(undefined);
      expect(run.exitCode).toBe(1);
      expect(run.errors.join('\n')).toMatch(
        /error_rate: the (events|trials) query failed after 3 attempts: Prometheus at .* answered 503/,
      );
      expect(run.outputs.decision).toBeUndefined();
      expect(run.stdout).not.toMatch(/\s+at .*\.[cm]js:\d+/);
    });

    it('names the metric and the query on a 422 execution error', async () => {
      proxy.setFault((request) =>
        request.params.get('query')?.includes('le="0.1"')
          ? {
              kind: 'status',
              status: 422,
              body: {
                status: 'error',
                errorType: 'execution',
                error: 'query processing would load too many samples',
              },
            }
          : undefined,
      );
      const run = await judge('healthy', { viaProxy: true });
      proxy.setFault(undefined);
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(
        /slow_requests: the events query failed in Prometheus \(422 execution: query processing would load too many samples\): sum by \(model_version\) \(req_seconds_count/,
      );
    });

    it('gives up after query_timeout', async () => {
      proxy.setFault(() => ({ kind: 'delay', ms: 4000 }));
      const run = await judge('healthy', {
        viaProxy: true,
        config: canaryConfig('healthy').replace('query_timeout: 2s', 'query_timeout: 1s'),
      });
      proxy.setFault(undefined);
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(/got no answer from Prometheus at .* within 1 s \(query_timeout\)/);
    });

    it.each(['NaN', '+Inf'])('refuses %s values, naming the query', async (value) => {
      proxy.setFault((request) =>
        request.params.get('query')?.includes('code=~')
          ? {
              kind: 'rewrite',
              rewrite: (body) => {
                const result = (body as { data: { result: MatrixSeries[] } }).data.result;
                result[0]!.values[3]![1] = value;
                return body;
              },
            }
          : undefined,
      );
      const run = await judge('healthy', { viaProxy: true });
      proxy.setFault(undefined);
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toContain(`error_rate: the events query returned ${value} for model_version=`);
      expect(run.errors[0]).toContain('code=~"5.."');
    });

    it('treats an empty answer as no data, never promote', async () => {
      proxy.setFault(() => ({
        kind: 'rewrite',
        rewrite: (body) => ({ ...body, data: { resultType: 'matrix', result: [] } }),
      }));
      const run = await judge('healthy', { viaProxy: true });
      proxy.setFault(undefined);
      expect(run.exitCode).toBe(0);
      expect(run.outputs.decision).toBe('inconclusive');
      expect(run.report!.warnings[0]).toMatch(/returned no series for either version/);
    });

    it('sends prometheus-headers and never logs them', async () => {
      const before = proxy.requests.length;
      const run = await judge('healthy', {
        viaProxy: true,
        inputs: { 'prometheus-headers': 'Authorization: Bearer s3cret-token' },
      });
      expect(run.exitCode).toBe(0);
      const sent = proxy.requests.slice(before);
      expect(sent.length).toBe(4);
      expect(sent.every((request) => request.headers.authorization === 'Bearer s3cret-token')).toBe(true);
      expect(
        sent.every(
          (request) => request.path === '/api/v1/query_range' && request.params.get('step') === '15',
        ),
      ).toBe(true);
      // The one place the value may appear is the runner's own mask command, which hides it everywhere after.
      const logged = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
      expect(run.stdout).toContain('::add-mask::Bearer s3cret-token');
      expect(logged.join('\n')).not.toContain('s3cret-token');
      expect(run.summary).not.toContain('s3cret-token');
    });
  });

  describe('bad input', () => {
    it('a query Prometheus cannot parse', async () => {
      const config = canaryConfig('healthy').replace(
        'trials: sum by (model_version) (model_requests_total{scenario="healthy"})',
        'trials: sum by (model_version) (rate(model_requests_total{scenario="healthy"}[5m]) /)',
      );
      const run = await judge('healthy', { config });
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(
        /error_rate: the trials query failed in Prometheus \(400 bad_data: .*\): sum by \(model_version\) \(rate\(/,
      );
    });

    it('a query without the version label, and one with several series per version', async () => {
      const unlabelled = await judge('healthy', {
        config: canaryConfig('healthy').replace(
          'trials: sum by (model_version) (model_requests_total{scenario="healthy"})',
          'trials: sum(model_requests_total{scenario="healthy"})',
        ),
      });
      expect(unlabelled.exitCode).toBe(1);
      expect(unlabelled.errors[0]).toMatch(
        /error_rate: the trials query returned a series without the 'model_version' label \(\{\}\)/,
      );
      const several = await judge('healthy', {
        config: canaryConfig('healthy').replace(
          'trials: sum by (model_version) (model_requests_total{scenario="healthy"})',
          'trials: model_requests_total{scenario="healthy"}',
        ),
      });
      expect(several.exitCode).toBe(1);
      expect(several.errors[0]).toMatch(
        /error_rate: the trials query returned several series for model_version="v\d"/,
      );
    });

    it('events that outnumber trials', async () => {
      const run = await judge('healthy', {
        config: canaryConfig('healthy').replace(
          'events: sum by (model_version) (model_requests_total{scenario="healthy",code=~"5.."})',
          'events: sum by (model_version) (model_requests_total{scenario="healthy"}) * 2',
        ),
      });
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(/error_rate: the events query counts more than the trials query/);
    });

    it('Prometheus unreachable', async () => {
      const port = await freePort(); // nothing listens there
      const run = await judge('healthy', { inputs: { 'prometheus-url': `http://127.0.0.1:${port}` } });
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(
        new RegExp(
          `error_rate: the (events|trials) query failed after 3 attempts: could not reach Prometheus at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`,
        ),
      );
    });

    it('started-at after now, and a config mistake with its line', async () => {
      const late = await judge('healthy', { inputs: { 'started-at': at(50) } });
      expect(late.exitCode).toBe(1);
      expect(late.errors[0]).toMatch(/input 'started-at': 2026-11-02T08:50:00.000Z is after now/);
      const typo = await judge('healthy', {
        config: canaryConfig('healthy').replace('max_increase: 0.25', 'max_increse: 0.25'),
      });
      expect(typo.exitCode).toBe(1);
      expect(typo.errors[0]).toMatch(
        /canary\.yml line 13: metrics\[0\]\.max_increse: unknown key \(did you mean 'max_increase'\?\)/,
      );
    });
  });
});

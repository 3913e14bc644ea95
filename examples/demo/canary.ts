// The demo's online gate: a local Debian Prometheus over backfilled counters (the integration tests'
// OpenMetrics fixture, test/fixtures/canary/generate.mjs), and canary-analysis judging a 10 % canary on it:
// held during the soak, promoted to the next traffic step after it, and a canary with twice the error rate
// rolled back. Without `prometheus` installed the act says it was skipped.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prometheusAvailable, startPrometheus } from '../../test/harness/prometheus.ts';
import { repoRoot, runProcess } from '../../test/harness/runner.ts';
import type { DemoStep } from './steps.ts';

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'canary');
const START = Date.UTC(2026, 10, 2, 8, 0, 0) / 1000; // the fixture's rollout start (expected.json "start")

export interface CanaryAct {
  title: string;
  steps: DemoStep[];
  close(): Promise<void>;
}

/** The canary file of the demo: error rate and slow-request share of one fixture scenario. */
function config(scenario: string): string {
  const s = `scenario="${scenario}"`;
  return `# The demo's canary file (see examples/canary.yml for the reference pipeline's).
source: prometheus
version_label: model_version
traffic: { canary_percent: 10 }
soak: 30m
alpha: 0.05
step: 15s
metrics:
  - name: error_rate
    events: sum by (model_version) (model_requests_total{${s},code=~"5.."})
    trials: sum by (model_version) (model_requests_total{${s}})
    max_increase: 0.25
  - name: slow_requests
    events: sum by (model_version) (req_seconds_count{${s}}) - sum by (model_version) (req_seconds_bucket{${s},le="0.1"})
    trials: sum by (model_version) (req_seconds_count{${s}})
    max_increase: 0.25
steps: [10, 25, 50, 100]
`;
}

export async function canaryAct(workspace: string): Promise<CanaryAct> {
  const title = 'act 5: the online gate (a 10 % canary judged on a local Prometheus)';
  if (!prometheusAvailable()) {
    return {
      title: `${title}: skipped, Debian's prometheus is not installed (apt-get install prometheus)`,
      steps: [],
      close: async () => {},
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'mlops-demo-canary-'));
  const generated = await runProcess(process.execPath, [path.join(FIXTURE, 'generate.mjs'), '--om', dir], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
  });
  if (generated.status !== 0) throw new Error(`the canary fixture generator failed: ${generated.stderr}`);
  const prometheus = await startPrometheus(path.join(dir, 'canary.om'));
  writeFileSync(path.join(workspace, 'canary-healthy.yml'), config('healthy'));
  writeFileSync(path.join(workspace, 'canary-errors.yml'), config('errors-2x'));
  const judge = (id: string, stepTitle: string, file: string, minutes: number): DemoStep => ({
    id,
    title: stepTitle,
    action: 'canary-analysis',
    inputs: {
      config: file,
      'prometheus-url': prometheus.url,
      baseline: 'v1',
      canary: 'v2',
      'started-at': String(START),
      now: String(START + minutes * 60),
      report: `mlops-reports/canary/${id}.json`,
    },
  });
  return {
    title,
    steps: [
      judge(
        'canary-soak',
        'judge the canary 20 minutes in (still soaking: continue)',
        'canary-healthy.yml',
        20,
      ),
      judge(
        'canary-promote',
        'judge it after the 30-minute soak (promote to 25 %)',
        'canary-healthy.yml',
        45,
      ),
      {
        ...judge(
          'canary-rollback',
          'judge a canary with twice the error rate (rollback)',
          'canary-errors.yml',
          45,
        ),
        // fail-on-rollback fails the step on purpose: the workflow's rollback job runs on it.
        acceptExit: (result) => result.outputs.decision === 'rollback',
      },
    ],
    close: async () => {
      await prometheus.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// validate-training reading an MLflow run: the real training runs of test/fixtures/training logged into the
// MLflow emulator (metrics/get-history answered as MLflow's handlers.py and SQL store do, test/harness/
// mlflow-metrics.ts), read through the bundle with paging past MLflow's 25,000-point page, and compared with
// the same run read from its CSV.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseLog, parseTrainingConfig, readMlflowHistory, validateTraining } from '@mlops/training';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MlflowEmulator } from '../harness/mlflow-emulator.ts';
import { installMetricHistory, logMetricHistory } from '../harness/mlflow-metrics.ts';
import { makeWorkspace, repoRoot, runBundledAction } from '../harness/runner.ts';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'training');
const read = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');
const TOKEN = 'mlflow-secret-token-1234';

/** A Keras CSV fixture as MLflow's autolog would log it: each metric per epoch, step = epoch. */
function logCsvRun(server: MlflowEmulator, runId: string, file: string): void {
  const [header, ...rows] = read(file).trim().split(/\r?\n/);
  const keys = header!.split(',');
  for (const key of keys.slice(1)) {
    const column = keys.indexOf(key);
    logMetricHistory(
      server,
      runId,
      key,
      rows.map((row) => {
        const cells = row.split(',');
        return { step: Number(cells[0]), value: Number(cells[column]) };
      }),
    );
  }
}

describe('validate-training from an MLflow run', () => {
  let server: MlflowEmulator;
  beforeEach(async () => {
    server = new MlflowEmulator({ token: TOKEN });
    installMetricHistory(server);
    await server.start();
  });
  afterEach(() => server.stop());

  const action = async (runId: string, config = read('checks.yml')) => {
    const workspace = makeWorkspace('mlops-training-mlflow-');
    writeFileSync(path.join(workspace, 'training.yml'), config);
    const result = await runBundledAction('validate-training', {
      workspace,
      inputs: {
        config: 'training.yml',
        'mlflow-tracking-uri': server.url,
        'run-id': runId,
        'mlflow-token': TOKEN,
      },
    });
    const report = JSON.parse(
      readFileSync(path.join(workspace, 'mlops-reports', 'validate-training.json'), 'utf8'),
    );
    return { ...result, report };
  };

  for (const [name, failed] of [
    ['healthy', ''],
    ['overfit', 'val_loss:max_rise_from_best'],
    ['overflow', 'loss:finite,val_loss:finite'],
  ] as const) {
    it(`${name}: the same verdict and statistics as from its CSV`, async () => {
      const runId = server.createRun();
      logCsvRun(server, runId, `${name}.csv`);
      const result = await action(runId);
      const fromCsv = validateTraining(
        parseLog(read(`${name}.csv`), `${name}.csv`, 'csv'),
        parseTrainingConfig(read('checks.yml'), 'training.yml'),
      );
      expect(result.outputs['failed-checks']).toBe(failed);
      expect(result.exitCode).toBe(failed === '' ? 0 : 1);
      expect(result.report.format).toBe('mlflow');
      expect(result.report.log).toBe(`MLflow run ${runId}`);
      expect(result.report.step_key).toBe('step');
      expect(result.report.metrics).toEqual(
        ['accuracy', 'grad_norm', 'learning_rate', 'loss', 'val_accuracy', 'val_loss'].filter(
          (key) => name !== 'overflow' || !key.includes('accuracy'),
        ),
      );
      expect(result.report.checks.map((check: { observed: unknown }) => check.observed)).toEqual(
        fromCsv.checks.map((check) => check.observed),
      );
      // What went over the wire: runs/get, then one get-history page per checked metric, with the token.
      const history = server.requests.filter((request) => request.path.endsWith('/metrics/get-history'));
      expect(history.map((request) => request.query.metric_key)).toEqual(['loss', 'val_loss']);
      expect(
        history.every((request) => request.query.max_results === '25000' && request.query.run_id === runId),
      ).toBe(true);
      expect(server.requests.every((request) => request.authorization === `Bearer ${TOKEN}`)).toBe(true);
      // The token is masked before anything could print it, and printed nowhere else.
      const lines = result.stdout.split('\n');
      expect(lines).toContain(`::add-mask::${TOKEN}`);
      expect(lines.filter((line) => !line.startsWith('::add-mask::')).join('\n')).not.toContain(TOKEN);
    });
  }

  it('pages past 25,000 points (MLflow page tokens) and judges the whole history', async () => {
    const runId = server.createRun();
    // A per-batch loss curve of 30,001 steps (a second page of 5,001 points), logged out of step order.
    const steps = 30_001;
    const loss = Array.from({ length: steps }, (_, step) => 2.3 * Math.exp(-step / 4000) + 0.05);
    logMetricHistory(
      server,
      runId,
      'loss',
      loss.map((value, step) => ({ step, value, timestamp: 1_900_000_000_000 + ((step * 7919) % steps) })),
    );
    const result = await action(runId, 'checks:\n  - { metric: loss, min_decrease: 0.5 }\n');
    expect(result.exitCode).toBe(0);
    const pages = server.requests.filter((request) => request.path.endsWith('/metrics/get-history'));
    expect(pages).toHaveLength(2);
    expect(pages[0]!.query.page_token).toBeUndefined();
    expect(Buffer.from(pages[1]!.query.page_token!, 'base64').toString()).toBe('{"offset": 25000}');
    expect(result.report.steps).toBe(steps);
    const decrease = result.report.checks[0];
    expect(decrease.observed).toBeCloseTo((loss[0]! - loss.at(-1)!) / loss[0]!, 12);
    expect(decrease.step).toBe(steps - 1);
  });

  it('the package reads every page with a small page size (60 epochs in pages of 7)', async () => {
    const runId = server.createRun();
    logCsvRun(server, runId, 'overfit.csv');
    const config = parseTrainingConfig(read('checks.yml'), 'training.yml');
    const get = async (endpoint: string, params: Record<string, string | number>) => {
      const query = new URLSearchParams(
        Object.entries(params).map(([key, value]): [string, string] => [key, String(value)]),
      );
      const response = await fetch(`${server.url}/api/2.0/mlflow/${endpoint}?${query}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      return response.json();
    };
    const log = await readMlflowHistory(get, runId, config, { pageSize: 7 });
    const report = validateTraining(log, config);
    const fromCsv = validateTraining(parseLog(read('overfit.csv'), 'overfit.csv', 'csv'), config);
    expect(report.checks.map((check) => check.observed)).toEqual(
      fromCsv.checks.map((check) => check.observed),
    );
    const pages = server.requests.filter((request) => request.path.endsWith('/metrics/get-history'));
    expect(pages).toHaveLength(2 * Math.ceil(60 / 7)); // 60 epochs per metric; the last page has no token
  });

  it('MLflow answers the endpoint as its handlers do: required parameters, bad page tokens, empty history', async () => {
    const get = (query: string) =>
      fetch(`${server.url}/api/2.0/mlflow/metrics/get-history?${query}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      }).then(async (response) => [response.status, await response.json()]);
    expect(await get('run_id=abc')).toEqual([
      400,
      {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: "Missing value for required parameter 'metric_key'.",
      },
    ]);
    expect(await get('run_id=abc&metric_key=loss&max_results=10&page_token=%%%')).toEqual([
      400,
      { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid page token, could not base64-decode' },
    ]);
    expect(await get('run_id=abc&metric_key=loss')).toEqual([200, {}]);
  });

  it('a missing run or metric is a one-line error naming the run and what it has', async () => {
    const missingRun = await runBundledAction('validate-training', {
      workspace: (() => {
        const workspace = makeWorkspace('mlops-training-mlflow-');
        writeFileSync(path.join(workspace, 'training.yml'), read('checks.yml'));
        return workspace;
      })(),
      inputs: {
        config: 'training.yml',
        'mlflow-tracking-uri': server.url,
        'run-id': 'nope',
        'mlflow-token': TOKEN,
      },
    });
    expect(missingRun.exitCode).toBe(1);
    expect(missingRun.errors).toEqual([
      `validate-training: MLflow at ${server.url} answered runs/get for run nope with 404 RESOURCE_DOES_NOT_EXIST: Run with id=nope not found`,
    ]);

    const runId = server.createRun();
    logCsvRun(server, runId, 'healthy.csv');
    const workspace = makeWorkspace('mlops-training-mlflow-');
    writeFileSync(path.join(workspace, 'training.yml'), 'checks:\n  - { metric: eval_loss, finite: true }\n');
    const missingMetric = await runBundledAction('validate-training', {
      workspace,
      inputs: {
        config: 'training.yml',
        'mlflow-tracking-uri': server.url,
        'run-id': runId,
        'mlflow-token': TOKEN,
      },
    });
    expect(missingMetric.errors).toEqual([
      `validate-training: training.yml line 2: checks[0]: metric 'eval_loss' is not in MLflow run ${runId} (did you mean 'val_loss'?); the run has 'accuracy', 'grad_norm', 'learning_rate', 'loss', 'val_accuracy', 'val_loss'`,
    ]);
  });
});

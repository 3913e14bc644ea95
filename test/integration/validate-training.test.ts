// validate-training as the runner runs it: the bundle on the real training runs of
// test/fixtures/training/generate.py (scikit-learn MLPs trained epoch by epoch), the JSON report's exact shape,
// the job summary (verdict first, check table, line charts with their colours named), and bad input.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { TrainingReport } from '@mlops/training';
import { describe, expect, it } from 'vitest';
import { git, makeRemote } from '../fixtures/registry/setup.ts';
import { makeWorkspace, repoRoot, runBundledAction } from '../harness/runner.ts';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'training');
const expected = JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8'));

async function run(files: Record<string, string>, inputs: Record<string, string>) {
  const workspace = makeWorkspace('mlops-training-');
  for (const [name, source] of Object.entries(files)) {
    if (source.startsWith('/')) copyFileSync(source, path.join(workspace, name));
    else writeFileSync(path.join(workspace, name), source);
  }
  const result = await runBundledAction('validate-training', { workspace, inputs });
  let report = {} as TrainingReport;
  try {
    report = JSON.parse(
      readFileSync(path.join(workspace, 'mlops-reports', 'validate-training.json'), 'utf8'),
    );
  } catch {
    // No report: the run failed before writing one (asserted by the caller).
  }
  return { ...result, report };
}

const fixture = (name: string) => path.join(fixtures, name);

describe('validate-training on real training runs', () => {
  it('a healthy run passes, with the report in its documented shape', async () => {
    const result = await run(
      { 'metrics.csv': fixture('healthy.csv'), 'training.yml': fixture('checks.yml') },
      { log: 'metrics.csv', config: 'training.yml' },
    );
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({
      passed: 'true',
      'failed-checks': '',
      report: 'mlops-reports/validate-training.json',
    });
    const report = result.report;
    expect(Object.keys(report).sort()).toEqual(
      [
        'checks',
        'explanation',
        'failed_checks',
        'format',
        'history',
        'log',
        'metrics',
        'passed',
        'schema',
        'step_key',
        'steps',
      ].sort(),
    );
    expect(report.schema).toBe('mlops.validate-training/v1');
    expect(report).toMatchObject({
      passed: true,
      log: 'metrics.csv',
      format: 'csv',
      step_key: 'epoch',
      steps: 20,
    });
    expect(report.metrics).toEqual([
      'accuracy',
      'grad_norm',
      'learning_rate',
      'loss',
      'val_accuracy',
      'val_loss',
    ]);
    expect(report.checks.map((check) => `${check.metric}:${check.check}`)).toEqual([
      'loss:finite',
      'loss:min_decrease',
      'val_loss:max_rise_from_best',
      'val_loss:finite',
    ]);
    for (const check of report.checks) {
      expect(Object.keys(check).filter((key) => key !== 'details')).toEqual([
        'metric',
        'check',
        'passed',
        'observed',
        'threshold',
        'step',
        'message',
      ]);
    }
    const decrease = report.checks[1];
    expect(Math.abs(decrease!.observed! - expected.healthy.csv.min_decrease.observed)).toBeLessThan(1e-12);
    expect(report.history.loss!.step).toHaveLength(20);

    // The summary: verdict first, then the table, then one chart of loss and val_loss with its colours named.
    const lines = result.summary.split('\n');
    expect(lines[0]).toBe('### ✅ Training run');
    expect(lines[2]).toBe('all 4 checks passed over 20 epoch values.');
    expect(result.summary).toContain('|   | metric | check | observed | threshold | epoch | detail |');
    expect(result.summary).toContain('| ✅ | `loss` | min\\_decrease | 89.1% | ≥ 10% | 19 |');
    expect(result.summary.match(/```mermaid/g)).toHaveLength(1);
    expect(result.summary).toContain('title "loss (blue) and val_loss (orange) by epoch"');
    expect(result.summary).toContain('<sub>Colours: blue line = loss, orange line = val_loss.</sub>');
  });

  const cases = [
    { run: 'stuck', file: 'stuck.jsonl', config: 'checks.yml', failed: 'loss:min_decrease' },
    {
      run: 'overfit',
      file: 'overfit.trainer_state.json',
      config: 'checks.trainer-state.yml',
      failed: 'eval_loss:max_rise_from_best',
    },
    { run: 'overflow', file: 'overflow.csv', config: 'checks.yml', failed: 'loss:finite,val_loss:finite' },
  ];
  for (const entry of cases) {
    it(`${entry.run} (${entry.file}) fails on ${entry.failed} only`, async () => {
      const result = await run(
        { [entry.file]: fixture(entry.file), 'training.yml': fixture(entry.config) },
        { log: entry.file, config: 'training.yml' },
      );
      expect(result.exitCode).toBe(1);
      expect(result.outputs.passed).toBe('false');
      expect(result.outputs['failed-checks']).toBe(entry.failed);
      expect(result.report.failed_checks.join(',')).toBe(entry.failed);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^validate-training: \d of 4 checks failed: /);
      expect(result.summary.split('\n')[0]).toBe('### ❌ Training run');
    });
  }

  it('the overflow run: the first NaN epoch in the table, the NaN not drawn and said so', async () => {
    const result = await run(
      { 'overflow.csv': fixture('overflow.csv'), 'training.yml': fixture('checks.yml') },
      { log: 'overflow.csv', config: 'training.yml' },
    );
    expect(result.summary).toContain(
      '| ❌ | `loss` | finite | 1 non-finite | 0 | 10 | NaN at epoch 10, the first of 1 non-finite value \\(of 11\\) |',
    );
    expect(result.summary).toContain('loss: not finite from epoch 10, not drawn');
    expect(result.report.history.loss!.value.at(-1)).toBeNull();
  });
});

describe('validate-training on a gzip-compressed log', () => {
  it('reads metrics.jsonl.gz as JSON Lines', async () => {
    const workspace = makeWorkspace('mlops-training-');
    writeFileSync(path.join(workspace, 'metrics.jsonl.gz'), gzipSync(readFileSync(fixture('stuck.jsonl'))));
    copyFileSync(fixture('checks.yml'), path.join(workspace, 'training.yml'));
    const result = await runBundledAction('validate-training', {
      workspace,
      inputs: { log: 'metrics.jsonl.gz', config: 'training.yml' },
    });
    expect(result.outputs['failed-checks']).toBe('loss:min_decrease');
  });
});

describe('validate-training on bad input', () => {
  it('a check file mistake names the file, line and key', async () => {
    const result = await run(
      {
        'metrics.csv': fixture('healthy.csv'),
        'training.yml': 'checks:\n  - { metric: val_loss, max_rise: 0.3 }\n',
      },
      { log: 'metrics.csv', config: 'training.yml' },
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "validate-training: training.yml line 2: checks[0].max_rise: unknown check 'max_rise' (did you mean 'max_rise_from_best'?); checks are finite, min_decrease, max_rise_from_best, gap, percentile, plateau, min, max",
    ]);
    expect(result.stderr).not.toMatch(/at .*\.[cm]js:\d+/);
  });

  it('a metric missing from the log, a header-only log, an unknown file type, both sources', async () => {
    const missing = await run(
      {
        'metrics.csv': fixture('healthy.csv'),
        'training.yml': 'checks:\n  - { metric: eval_loss, finite: true }\n',
      },
      { log: 'metrics.csv', config: 'training.yml' },
    );
    expect(missing.errors).toEqual([
      "validate-training: training.yml line 2: checks[0]: metric 'eval_loss' is not in metrics.csv (did you mean 'val_loss'?); the log has 'accuracy', 'grad_norm', 'learning_rate', 'loss', 'val_accuracy', 'val_loss'",
    ]);
    const headerOnly = await run(
      { 'metrics.csv': 'epoch,loss\n', 'training.yml': fixture('checks.yml') },
      { log: 'metrics.csv', config: 'training.yml' },
    );
    expect(headerOnly.errors).toEqual([
      'validate-training: metrics.csv: the log has a header but no rows (no metrics were logged)',
    ]);
    const unknown = await run(
      { 'metrics.txt': 'x', 'training.yml': fixture('checks.yml') },
      { log: 'metrics.txt', config: 'training.yml' },
    );
    expect(unknown.errors).toEqual([
      "validate-training: input 'format': cannot tell the format of 'metrics.txt' from its name; set format to csv, jsonl, trainer-state",
    ]);
    const both = await run(
      { 'metrics.csv': fixture('healthy.csv'), 'training.yml': fixture('checks.yml') },
      {
        log: 'metrics.csv',
        config: 'training.yml',
        'mlflow-tracking-uri': 'http://127.0.0.1:9',
        'run-id': 'abc',
      },
    );
    expect(both.errors).toEqual([
      "validate-training: input 'log': give either a log file or mlflow-tracking-uri with run-id, not both",
    ]);
    for (const result of [missing, headerOnly, unknown, both]) expect(result.exitCode).toBe(1);
  });
});

describe('register-model records the training verdict in the lineage', () => {
  it("the report's verdict, failed checks and sha256 go into the version's lineage and its tag", async () => {
    const remote = makeRemote();
    const job = remote.workspace('weights-1');
    copyFileSync(fixture('overfit.csv'), path.join(job, 'metrics.csv'));
    copyFileSync(fixture('checks.yml'), path.join(job, 'training.yml'));
    const training = await runBundledAction('validate-training', {
      workspace: job,
      inputs: { log: 'metrics.csv', config: 'training.yml', report: 'out/training.json' },
    });
    expect(training.outputs['failed-checks']).toBe('val_loss:max_rise_from_best');
    const bytes = readFileSync(path.join(job, 'out', 'training.json'));
    const registered = await runBundledAction('register-model', {
      workspace: job,
      inputs: { name: 'churn', 'model-path': 'model', 'training-report': 'out/training.json' },
    });
    expect(registered.errors).toEqual([]);
    const lineage = JSON.parse(readFileSync(registered.outputs.lineage!, 'utf8'));
    expect(lineage.training).toEqual({
      passed: false,
      report_sha256: createHash('sha256').update(bytes).digest('hex'),
      report_schema: 'mlops.validate-training/v1',
      failed_checks: ['val_loss:max_rise_from_best'],
    });
    const message = git(job, 'for-each-ref', '--format=%(contents)', 'refs/tags/churn@v0.0.1');
    expect(message).toContain(lineage.training.report_sha256);
  });
});

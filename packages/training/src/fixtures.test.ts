// The four real runs of test/fixtures/training/generate.py (scikit-learn MLPs trained epoch by epoch), each in
// three formats: each is caught by the check meant for it and by no other, and every statistic matches the
// one numpy computed beside the fixtures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainingConfig } from './config.ts';
import { parseLog } from './read-log.ts';
import type { CheckResult, LogFormat, TrainingReport } from './types.ts';
import { validateTraining } from './validate.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/training');
const read = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');
const expected = JSON.parse(read('expected.json'));

const RUNS = {
  healthy: undefined,
  stuck: 'min_decrease',
  overfit: 'max_rise_from_best',
  overflow: 'finite',
} as const;

const FORMATS: {
  format: Exclude<LogFormat, 'mlflow'>;
  file: (run: string) => string;
  config: string;
  key: string;
}[] = [
  { format: 'csv', file: (run) => `${run}.csv`, config: 'checks.yml', key: 'csv' },
  { format: 'jsonl', file: (run) => `${run}.jsonl`, config: 'checks.yml', key: 'jsonl' },
  {
    format: 'trainer-state',
    file: (run) => `${run}.trainer_state.json`,
    config: 'checks.trainer-state.yml',
    key: 'trainer-state',
  },
];

function run(file: string, format: Exclude<LogFormat, 'mlflow'>, configFile: string): TrainingReport {
  const config = parseTrainingConfig(read(configFile), configFile);
  return validateTraining(parseLog(read(file), file, format), config);
}

function find(report: TrainingReport, check: string, metric?: string): CheckResult {
  const found = report.checks.find(
    (entry) => entry.check === check && (metric === undefined || entry.metric === metric),
  );
  if (!found) throw new Error(`no ${check} check`);
  return found;
}

const close = (actual: number | null, reference: number) =>
  expect(Math.abs((actual ?? Number.NaN) - reference)).toBeLessThanOrEqual(
    1e-12 * Math.max(1, Math.abs(reference)),
  );

describe('the fixture runs, each caught by its own check only', () => {
  for (const { format, file, config, key } of FORMATS) {
    for (const [name, meant] of Object.entries(RUNS)) {
      it(`${name} (${format})`, () => {
        const report = run(file(name), format, config);
        const reference = expected[name][key];
        const validation = format === 'trainer-state' ? 'eval_loss' : 'val_loss';
        const failedKinds = [
          ...new Set(report.checks.filter((check) => !check.passed).map((check) => check.check)),
        ];
        expect(failedKinds).toEqual(meant === undefined ? [] : [meant]);
        expect(report.passed).toBe(meant === undefined);
        // Steps: epochs (0-based in Keras' CSV, 1-based in the JSON Lines) or the global step.
        expect(report.steps).toBe(expected[name].epochs);

        const finite = find(report, 'finite', 'loss');
        expect(finite.observed).toBe(reference.finite.observed);
        expect(finite.step).toBe(reference.finite.step);
        const finiteValidation = find(report, 'finite', validation);
        expect(finiteValidation.observed).toBe(reference.finite_val.observed);
        expect(finiteValidation.step).toBe(reference.finite_val.step);

        const decrease = find(report, 'min_decrease');
        close(decrease.observed, reference.min_decrease.observed);
        expect(decrease.step).toBe(reference.min_decrease.step);
        const rise = find(report, 'max_rise_from_best');
        close(rise.observed, reference.max_rise_from_best.observed);
        expect(rise.step).toBe(reference.max_rise_from_best.step);
        expect(rise.details?.best_step).toBe(reference.max_rise_from_best.best_step);
      });
    }
  }

  it("Lightning's sparse CSV (train and validation on separate rows) merges by step", () => {
    const report = run('healthy.lightning.csv', 'csv', 'checks.yml');
    const reference = expected.healthy.lightning;
    expect(report.passed).toBe(true);
    expect(report.step_key).toBe('step');
    expect(report.steps).toBe(20);
    close(find(report, 'min_decrease').observed, reference.min_decrease.observed);
    close(find(report, 'max_rise_from_best').observed, reference.max_rise_from_best.observed);
    expect(find(report, 'max_rise_from_best').step).toBe(reference.max_rise_from_best.step);
  });

  it('the overflow run reports NaN at the first bad epoch, once per metric', () => {
    const report = run('overflow.csv', 'csv', 'checks.yml');
    const finite = find(report, 'finite', 'loss');
    expect(finite.message).toBe('NaN at epoch 10, the first of 1 non-finite value (of 11)');
    expect(report.failed_checks).toEqual(['loss:finite', 'val_loss:finite']);
    expect(report.history.loss!.value.at(-1)).toBeNull();
  });
});

describe('the other checks on the real runs', () => {
  const extra = `
checks:
  - { metric: val_accuracy, min: 0.90 }
  - { metric: loss, max: 0.5 }
  - { gap: { train: accuracy, validation: val_accuracy }, max: 0.05 }
  - { metric: grad_norm, percentile: 99, max: 5 }
  - { metric: grad_norm, percentile: 50, min: 0.01, max: 5 }
  - { metric: val_loss, plateau: { patience: 5, min_delta: 0.001 } }
`;
  const report = (name: string) =>
    validateTraining(
      parseLog(read(`${name}.csv`), `${name}.csv`, 'csv'),
      parseTrainingConfig(extra, 'extra.yml'),
    );

  it('healthy: floors, gap and grad_norm percentiles pass; still improving, so not converged', () => {
    const healthy = report('healthy');
    const reference = expected.healthy.csv;
    close(find(healthy, 'min').observed, reference.val_accuracy_last);
    expect(find(healthy, 'min').passed).toBe(true);
    expect(find(healthy, 'max').passed).toBe(true);
    close(find(healthy, 'gap').observed, reference.accuracy_gap);
    expect(find(healthy, 'gap').passed).toBe(true);
    const [p99, p50] = healthy.checks.filter((check) => check.check === 'percentile');
    close(p99!.observed, reference.grad_norm_p99);
    close(p50!.observed, reference.grad_norm_p50);
    expect(p50!.threshold).toEqual([0.01, 5]);
    const plateau = find(healthy, 'plateau');
    expect(plateau.observed).toBe(reference.val_loss_plateau.observed);
    expect(plateau.step).toBe(reference.val_loss_plateau.best_step);
    expect(plateau.passed).toBe(false);
    expect(healthy.failed_checks).toEqual(['val_loss:plateau']);
  });

  it('overfit: the gap and the floor catch it, EarlyStopping would have stopped it (plateau)', () => {
    const overfit = report('overfit');
    const reference = expected.overfit.csv;
    close(find(overfit, 'gap').observed, reference.accuracy_gap);
    expect(find(overfit, 'gap').passed).toBe(false);
    expect(find(overfit, 'min').passed).toBe(false);
    expect(find(overfit, 'plateau').observed).toBe(reference.val_loss_plateau.observed);
    expect(find(overfit, 'plateau').passed).toBe(true);
  });

  it('a grad_norm bound points at the first step beyond it', () => {
    const config = parseTrainingConfig('checks: [{ metric: grad_norm, percentile: 99, max: 1.0 }]', 'c.yml');
    const healthy = validateTraining(parseLog(read('healthy.csv'), 'healthy.csv', 'csv'), config);
    const check = find(healthy, 'percentile');
    expect(check.passed).toBe(false);
    expect(check.step).toBe(0); // epoch 0: grad_norm 1.2577, the first above 1.0
  });
});

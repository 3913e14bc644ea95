// Acceptance of evaluate-gate on real models: the bundle runs as the runner runs it on out-of-fold predictions
// of two scikit-learn models (test/fixtures/evaluate-gate/generate.py), and every number in its report is
// checked against scikit-learn, R pROC, statsmodels, scipy and numpy (the expected JSON beside the data).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ComparisonReport, GateReport } from '@mlops/gate';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../packages/stats/src/metrics/fixture-testing.ts';
import { makeWorkspace, repoRoot, runBundledAction } from '../harness/runner.ts';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'evaluate-gate');
const bad = path.join(repoRoot, 'test', 'fixtures', 'bad');
const expected = JSON.parse(readFileSync(path.join(fixtures, 'breast-cancer.expected.json'), 'utf8'));
const diabetes = JSON.parse(readFileSync(path.join(fixtures, 'diabetes.expected.json'), 'utf8'));
const latencyExpected = JSON.parse(readFileSync(path.join(fixtures, 'latency.expected.json'), 'utf8'));

/**
 * Bootstrap intervals: ours (B = 4000, stratified by class for binary tasks, seeded) against scipy's (B = 9999,
 * unstratified). Each endpoint's Monte-Carlo standard error is about 0.012 of the interval's width at these B,
 * so 0.08 of the width is ~5 standard errors of the difference; a wrong interval (wrong quantiles, no pairing,
 * wrong sign) misses by far more.
 */
function expectIntervalNear(actual: [number, number], reference: [number, number], what: string): void {
  const width = reference[1] - reference[0];
  for (const index of [0, 1]) {
    expect(
      Math.abs(actual[index]! - reference[index]!),
      `${what}[${index}]: ${actual} vs scipy ${reference}`,
    ).toBeLessThan(0.08 * width);
  }
}

interface Run {
  exitCode: number | null;
  outputs: Record<string, string>;
  errors: string[];
  summary: string;
  report: GateReport;
}

function comparisonOf(report: GateReport, metric: string): ComparisonReport {
  const comparison = report.comparisons.find((candidate) => candidate.metric === metric);
  if (!comparison) throw new Error(`no ${metric} comparison in the report`);
  return comparison;
}

async function runGate(files: Record<string, string>, inputs: Record<string, string>): Promise<Run> {
  const workspace = makeWorkspace('mlops-gate-');
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    if (source.startsWith('/')) copyFileSync(source, path.join(workspace, name));
    else writeFileSync(path.join(workspace, name), source);
  }
  const result = await runBundledAction('evaluate-gate', { workspace, inputs });
  let report = {} as GateReport;
  try {
    report = JSON.parse(readFileSync(path.join(workspace, 'mlops-reports', 'evaluate-gate.json'), 'utf8'));
  } catch {
    // No report: the run failed before writing one (asserted by the caller).
  }
  return {
    exitCode: result.exitCode,
    outputs: result.outputs,
    errors: result.errors,
    summary: result.summary,
    report,
  };
}

const BREAST_CANCER = path.join(fixtures, 'breast-cancer.csv');

const FULL_GATE = `
task: binary
threshold: 0.5
metrics:
  roc_auc: { min: 0.80, max_regression: 0.01, method: delong }
  accuracy: { max_regression: 0.02, method: mcnemar }
  f1: { min: 0.70 }
  log_loss: { max_regression: 0.02, method: bootstrap }
require_improvement: true
confidence: 0.95
bootstrap: { resamples: 4000, seed: 7, method: percentile }
slices:
  - { column: region, metrics: { roc_auc: { min: 0.75, max_regression: 0.05 } }, min_support: 50 }
fairness:
  - { column: group, metric: demographic_parity_ratio, min: 0.8 }
  - { column: group, metric: equalized_odds_difference, max: 0.1 }
`;

describe('evaluate-gate on real models (breast cancer: gradient boosting vs logistic regression)', () => {
  it('reports every metric, DeLong, McNemar and the bootstrap as the outside references compute them', async () => {
    const run = await runGate(
      { 'predictions.csv': BREAST_CANCER, 'gate.yml': FULL_GATE },
      { predictions: 'predictions.csv', config: 'gate.yml' },
    );
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const report = run.report;
    expect(report.schema).toBe('mlops.evaluate-gate/v1');
    expect(report.task).toBe('binary');
    expect(report.n).toBe(expected.n);
    for (const model of ['challenger', 'champion'] as const) {
      for (const [metric, value] of Object.entries(expected.models[model] as Record<string, number>)) {
        expectClose(report.models[model]!.metrics[metric], value, `${model} ${metric}`);
      }
    }
    // pROC roc.test(paired = TRUE, method = "delong")
    const delong = comparisonOf(report, 'roc_auc');
    expect(delong.method).toBe('delong');
    expectClose(delong.z, expected.delong.z, 'DeLong z');
    expectClose(delong.p_value, expected.delong.p_value, 'DeLong p');
    expectClose(delong.ci[0], expected.delong.ci[0], 'DeLong CI low');
    expectClose(delong.ci[1], expected.delong.ci[1], 'DeLong CI high');
    expect(report.comparison).toEqual(delong);
    // statsmodels mcnemar(exact=True) on the paired correctness table
    const mcnemar = comparisonOf(report, 'accuracy');
    expect(mcnemar.discordant).toEqual({
      challenger_only: expected.mcnemar.table[0][1],
      champion_only: expected.mcnemar.table[1][0],
    });
    expectClose(mcnemar.p_value, expected.mcnemar.p_value, 'McNemar p');
    // scipy.stats.bootstrap(paired=True), percentile
    const logLoss = comparisonOf(report, 'log_loss');
    expect(logLoss.method).toBe('bootstrap');
    expectClose(
      logLoss.difference,
      expected.models.challenger.log_loss - expected.models.champion.log_loss,
      'log_loss difference',
    );
    expectIntervalNear(logLoss.ci, expected.bootstrap.log_loss.percentile, 'log_loss bootstrap CI');
    // slices and fairness
    for (const slice of report.slices) {
      const reference = expected.slices.region[slice.group];
      expect(slice.n).toBe(reference.n);
      expectClose(
        slice.metrics.challenger.roc_auc,
        reference.challenger.roc_auc,
        `slice ${slice.group} roc_auc`,
      );
      expectClose(
        slice.metrics.champion!.roc_auc,
        reference.champion.roc_auc,
        `slice ${slice.group} champion roc_auc`,
      );
    }
    const fairness = expected.fairness.group.challenger;
    for (const entry of report.fairness) expectClose(entry.value, fairness[entry.metric], entry.metric);
    expect(report.fairness[0]!.groups.a!.selection_rate).toBeCloseTo(fairness.by_group.a.selection_rate, 12);
    // verdict, outputs, summary
    expect(report.passed).toBe(true);
    expect(report.decision).toBe('promote');
    expect(report.explanation).toMatch(
      /^Promote: the challenger's roc_auc is 0\.9919 vs the champion's 0\.9556/,
    );
    expect(run.outputs.decision).toBe('promote');
    expectClose(Number(run.outputs['ci-lower']), expected.delong.ci[0], 'output ci-lower');
    expectClose(Number(run.outputs['p-value']), expected.delong.p_value, 'output p-value');
    expect(run.summary).toContain('roc_auc');
    expect(run.summary).toContain('```mermaid');
    expect(report.curves!.roc.champion!.fpr.length).toBeGreaterThan(5);
    expect(report.curves!.calibration.challenger!.prob_pred.length).toBeGreaterThan(3);
  });

  for (const method of ['percentile', 'bca'] as const) {
    it(`paired bootstrap (${method}) of the AUC and log-loss differences is within sampling error of scipy's`, async () => {
      const gate = `metrics:\n  roc_auc: { method: bootstrap, max_regression: 0.01 }\n  log_loss: { max_regression: 0.02 }\nbootstrap: { resamples: 4000, seed: 11, method: ${method} }\n`;
      const run = await runGate(
        { 'p.csv': BREAST_CANCER, 'gate.yml': gate },
        { predictions: 'p.csv', config: 'gate.yml' },
      );
      expect(run.errors).toEqual([]);
      const auc = comparisonOf(run.report, 'roc_auc');
      const logLoss = comparisonOf(run.report, 'log_loss');
      expect(auc.bootstrap_method).toBe(method);
      expectClose(
        auc.difference,
        expected.delong.auc_challenger - expected.delong.auc_champion,
        'AUC difference',
        1e-12,
      );
      expectIntervalNear(auc.ci, expected.bootstrap.roc_auc[method], `roc_auc ${method}`);
      expectIntervalNear(logLoss.ci, expected.bootstrap.log_loss[method], `log_loss ${method}`);
    });
  }

  it('a thresholded metric (f1) through the generic bootstrap matches scipy', async () => {
    const gate = 'metrics:\n  f1: { max_regression: 0.05 }\nbootstrap: { resamples: 4000, seed: 3 }\n';
    const run = await runGate(
      { 'p.csv': BREAST_CANCER, 'gate.yml': gate },
      { predictions: 'p.csv', config: 'gate.yml' },
    );
    expectIntervalNear(run.report.comparison!.ci, expected.bootstrap.f1.percentile, 'f1 percentile');
  });

  it('one-metric gate from inputs only: require-improvement on accuracy judged by McNemar / Tango', async () => {
    const run = await runGate(
      { 'p.csv': BREAST_CANCER },
      {
        predictions: 'p.csv',
        metric: 'accuracy_score',
        min: '0.9',
        'require-improvement': 'true',
        confidence: '0.99',
      },
    );
    expect(run.exitCode).toBe(0);
    expect(run.report.settings).toMatchObject({
      primary_metric: 'accuracy',
      confidence: 0.99,
      require_improvement: true,
    });
    expect(run.report.comparison!.method).toBe('mcnemar');
    expect(run.report.gates.map((g) => g.name)).toEqual(['accuracy min', 'accuracy improvement']);
  });

  it('a challenger that is not shown better keeps the champion (retain-champion), fails the step and says why', async () => {
    // Swap the roles: the weaker logistic regression as challenger cannot show an improvement.
    const run = await runGate(
      { 'p.csv': BREAST_CANCER },
      {
        predictions: 'p.csv',
        'challenger-column': 'champion',
        'champion-column': 'challenger',
        metric: 'roc_auc',
        'require-improvement': 'true',
      },
    );
    expect(run.exitCode).toBe(1);
    expect(run.report.decision).toBe('retain-champion');
    expect(run.outputs.passed).toBe('false');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^evaluate-gate: Keep the champion: .*no evidence that the challenger's roc_auc is higher/,
    );
    expectClose(
      Number(run.outputs.difference),
      -(expected.delong.auc_challenger - expected.delong.auc_champion),
      'swapped difference',
      1e-12,
    );
  });

  it('a failed floor and a slice without enough data reject, and the reasons are in the explanation', async () => {
    const gate =
      'metrics:\n  f1: { min: 0.97 }\nslices:\n  - { column: region, metrics: { roc_auc: { min: 0.5 } }, min_support: 200 }\n';
    const run = await runGate(
      { 'p.csv': BREAST_CANCER, 'gate.yml': gate },
      { predictions: 'p.csv', config: 'gate.yml' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.report.decision).toBe('reject');
    expect(run.report.slices.every((s) => s.status === 'insufficient' && s.passed === false)).toBe(true);
    expect(run.report.slices[0]!.message).toMatch(/^not enough data: 190 rows, at least 200 needed/);
    expect(run.report.explanation).toMatch(
      /^Reject: 4 of 4 gates failed: f1 0\.9526 is below the minimum 0\.97/,
    );
  });

  it('on_insufficient: warn reports "not enough data" as a warning without failing', async () => {
    const gate =
      'slices:\n  - { column: region, metrics: { roc_auc: { min: 0.5 } }, min_support: 200, on_insufficient: warn }\n';
    const run = await runGate(
      { 'p.csv': BREAST_CANCER, 'gate.yml': gate },
      { predictions: 'p.csv', config: 'gate.yml' },
    );
    expect(run.exitCode).toBe(0);
    expect(run.report.gates.filter((g) => g.severity === 'warning')).toHaveLength(3);
    expect(run.report.explanation).toMatch(/3 warnings: slice region=low: not enough data/);
  });

  it('without a champion column only absolute gates run, and the report says so', async () => {
    const csv = readFileSync(BREAST_CANCER, 'utf8')
      .split('\n')
      .map((line) =>
        line
          .split(',')
          .filter((_, index) => index !== 3)
          .join(','),
      )
      .join('\n');
    const run = await runGate(
      { 'p.csv': csv },
      { predictions: 'p.csv', metric: 'roc_auc', min: '0.95', 'max-regression': '0.01' },
    );
    expect(run.exitCode).toBe(0);
    expect(run.report.has_champion).toBe(false);
    expect(run.report.comparison).toBeNull();
    expect(run.report.champion_note).toMatch(/no 'champion' column .*absolute gates only/);
    expect(run.report.warnings[0]).toMatch(/max_regression not checked: there is no champion/);
    expect(run.report.explanation).toMatch(
      /there is no champion to compare with, so only absolute gates ran/,
    );
    expect(run.outputs.champion).toBe('');
  });
});

describe('evaluate-gate on a larger file (the AUC bootstrap on worker threads, inside the bundle)', () => {
  it('25,000 rows x 1,000 resamples: the same interval as DeLong within sampling error', async () => {
    // Deterministic pseudo-data; the bundle's workers evaluate the kernel's own source, so this checks that
    // the minified bundle still carries a self-contained kernel.
    let state = 12345;
    const uniform = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state + 0.5) / 4294967296;
    };
    const rows = ['label,challenger,champion'];
    for (let i = 0; i < 25_000; i++) {
      const y = uniform() < 0.3 ? 1 : 0;
      const signal = y + uniform() + uniform();
      rows.push(
        `${y},${((signal + uniform() * 0.3) / 3.3).toFixed(6)},${((signal + uniform() * 0.6) / 3.6).toFixed(6)}`,
      );
    }
    const gate =
      'metrics:\n  roc_auc: { method: bootstrap, max_regression: 0.01 }\nbootstrap: { resamples: 1000, seed: 1 }\n';
    const run = await runGate(
      { 'p.csv': `${rows.join('\n')}\n`, 'gate.yml': gate },
      { predictions: 'p.csv', config: 'gate.yml' },
    );
    expect(run.errors).toEqual([]);
    const bootstrap = comparisonOf(run.report, 'roc_auc');
    const delong = await runGate(
      { 'p.csv': `${rows.join('\n')}\n` },
      { predictions: 'p.csv', metric: 'roc_auc' },
    );
    const reference = delong.report.comparison!;
    expect(bootstrap.difference).toBeCloseTo(reference.difference, 12);
    const width = reference.ci[1] - reference.ci[0];
    for (const index of [0, 1])
      expect(Math.abs(bootstrap.ci[index]! - reference.ci[index]!)).toBeLessThan(0.08 * width);
  });
});

describe('evaluate-gate on a multiclass model with per-class probabilities (iris)', () => {
  const iris = JSON.parse(readFileSync(path.join(fixtures, 'iris.expected.json'), 'utf8'));
  it('metrics from the probability columns and McNemar on the argmax classes, as scikit-learn / statsmodels', async () => {
    const gate =
      'metrics:\n  accuracy: { min: 0.9, max_regression: 0.02 }\n  log_loss: { max_regression: 0.05 }\n  roc_auc_ovr: { min: 0.95 }\nbootstrap: { resamples: 1000, seed: 2 }\n';
    const run = await runGate(
      { 'iris.csv': path.join(fixtures, 'iris.csv'), 'gate.yml': gate },
      { predictions: 'iris.csv', config: 'gate.yml', 'label-column': 'species' },
    );
    expect(run.errors).toEqual([]);
    expect(run.report.task).toBe('multiclass');
    expect(run.report.classes).toEqual(iris.classes);
    for (const model of ['challenger', 'champion'] as const) {
      for (const [metric, value] of Object.entries(iris.models[model] as Record<string, number>)) {
        expectClose(run.report.models[model]!.metrics[metric], value, `${model} ${metric}`);
      }
    }
    const accuracy = comparisonOf(run.report, 'accuracy');
    expect(accuracy.discordant).toEqual({
      challenger_only: iris.mcnemar.table[0][1],
      champion_only: iris.mcnemar.table[1][0],
    });
    expectClose(accuracy.p_value, iris.mcnemar.p_value, 'McNemar p');
    const logLoss = comparisonOf(run.report, 'log_loss');
    expectClose(
      logLoss.difference,
      iris.models.challenger.log_loss - iris.models.champion.log_loss,
      'log_loss difference',
    );
    expect(logLoss.ci[1]).toBeLessThan(0);
    expect(run.report.decision).toBe('promote');
  });

  it('a probability metric without probability columns is refused with the columns it needs', async () => {
    const csv = 'label,challenger,champion\na,a,b\nb,b,b\nc,c,a\na,b,a\n';
    const run = await runGate(
      { 'p.csv': csv },
      { predictions: 'p.csv', metric: 'log_loss', task: 'multiclass' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /log_loss on a multiclass task need per-class probabilities: columns challenger_<class>/,
    );
  });
});

describe('evaluate-gate on a regression (diabetes: gradient boosting vs linear regression)', () => {
  it('rmse / mae / r2 as scikit-learn, and the paired bootstrap of the rmse difference as scipy', async () => {
    const gate =
      'task: regression\nmetrics:\n  rmse: { max_regression: 3 }\n  mae: { max_regression: 3 }\n  r2: { min: 0.3 }\nbootstrap: { resamples: 4000, seed: 5 }\n';
    const run = await runGate(
      { 'd.csv': path.join(fixtures, 'diabetes.csv'), 'gate.yml': gate },
      {
        predictions: 'd.csv',
        config: 'gate.yml',
        'label-column': 'target',
        'challenger-column': 'new_model',
        'champion-column': 'old_model',
      },
    );
    expect(run.errors).toEqual([]);
    for (const model of ['challenger', 'champion'] as const) {
      for (const [metric, value] of Object.entries(diabetes.models[model] as Record<string, number>)) {
        expectClose(run.report.models[model]!.metrics[metric], value, `${model} ${metric}`);
      }
    }
    const rmse = comparisonOf(run.report, 'rmse');
    const mae = comparisonOf(run.report, 'mae');
    expectIntervalNear(rmse.ci, diabetes.bootstrap.rmse.percentile, 'rmse percentile');
    expectIntervalNear(mae.ci, diabetes.bootstrap.mae.percentile, 'mae percentile');
    // A loss: improvement is the negated difference, and non-inferiority reads the upper end of the CI.
    expect(rmse.higher_is_better).toBe(false);
    expect(rmse.improvement_ci).toEqual([-rmse.ci[1], -rmse.ci[0]]);
    expect(run.report.passed).toBe(true);
  });
});

describe('evaluate-gate latency gates', () => {
  it('percentiles as numpy, and the regression ratio judged on its bootstrap interval', async () => {
    const gate =
      'metrics:\n  roc_auc: { min: 0.5 }\nlatency:\n  file: latency.csv\n  p50_ms: { max: 30 }\n  p95_ms: { max: 60, max_regression_ratio: 1.5 }\n  p99_ms: { max_regression_ratio: 1.05 }\n';
    const run = await runGate(
      { 'p.csv': BREAST_CANCER, 'latency.csv': path.join(fixtures, 'latency.csv'), 'gate.yml': gate },
      { predictions: 'p.csv', config: 'gate.yml' },
    );
    const latency = run.report.latency!;
    for (const entry of latency.percentiles) {
      const key = entry.key.replace('_ms', '');
      expectClose(entry.challenger.value, latencyExpected.challenger[key], `challenger ${key}`);
      expectClose(entry.champion!.value, latencyExpected.champion[key], `champion ${key}`);
      expect(entry.challenger.ci[0]).toBeLessThan(entry.challenger.value);
      expect(entry.challenger.ci[1]).toBeGreaterThan(entry.challenger.value);
    }
    const gates = Object.fromEntries(
      run.report.gates.filter((g) => g.kind === 'latency').map((g) => [g.name, g]),
    );
    expect(gates['latency p50_ms max']!.passed).toBe(true);
    expect(gates['latency p95_ms regression']!.passed).toBe(true);
    // P99 is ~1.15x the champion's: the interval cannot rule out more than 1.05x, so the gate fails.
    expect(gates['latency p99_ms regression']!.passed).toBe(false);
    expect(run.report.decision).toBe('reject');
    expect(run.exitCode).toBe(1);
  });
});

describe('evaluate-gate refuses bad input with one clear error', () => {
  const cases: [string, Record<string, string>, Record<string, string>, RegExp][] = [
    [
      'labels that are not binary',
      { 'p.csv': path.join(bad, 'labels-not-binary.csv') },
      {},
      /label column 'label' is not binary/,
    ],
    [
      'scores outside [0, 1]',
      { 'p.csv': path.join(bad, 'scores-out-of-range.csv') },
      {},
      /outside \[0, 1\]: a binary gate needs probabilities/,
    ],
    ['NaN scores', { 'p.csv': path.join(bad, 'nan-scores.csv') }, {}, /row \d+ is empty \(or NaN\)/],
    [
      'empty scores',
      { 'p.csv': path.join(bad, 'empty-scores.csv') },
      {},
      /column 'challenger' row 1 is empty/,
    ],
    [
      'duplicate ids',
      { 'p.csv': path.join(bad, 'duplicate-ids.csv') },
      { 'id-column': 'id' },
      /duplicate id '1' in column 'id' \(rows 1 and 2\)/,
    ],
    [
      'an unknown metric',
      { 'p.csv': BREAST_CANCER, 'g.yml': path.join(bad, 'gate-unknown-metric.yml') },
      { config: 'g.yml' },
      /g\.yml line 2: metrics\.roc_acu: unknown metric 'roc_acu' \(did you mean 'roc_auc'\?\)/,
    ],
    [
      'an unknown key',
      { 'p.csv': BREAST_CANCER, 'g.yml': path.join(bad, 'gate-unknown-key.yml') },
      { config: 'g.yml' },
      /line 1: metrcs: unknown key \(did you mean 'metrics'\?\)/,
    ],
    [
      'contradictory thresholds',
      { 'p.csv': BREAST_CANCER, 'g.yml': path.join(bad, 'gate-contradictory.yml') },
      { config: 'g.yml' },
      /min 0\.9 is above max 0\.8: no model can pass/,
    ],
    [
      'a missing slice column',
      { 'p.csv': BREAST_CANCER, 'g.yml': path.join(bad, 'gate-missing-slice-column.yml') },
      { config: 'g.yml' },
      /g\.yml line 4: slices\[0\]\.column: p\.csv has no slice column 'country'.*; its columns: id, label, challenger, champion, region, group/,
    ],
    [
      'an alias bomb',
      { 'p.csv': BREAST_CANCER, 'g.yml': path.join(bad, 'gate-alias-bomb.yml') },
      { config: 'g.yml' },
      /g\.yml/,
    ],
    [
      'a different row count in the champion file',
      { 'p.csv': BREAST_CANCER, 'c.csv': path.join(fixtures, 'diabetes.csv') },
      { 'champion-predictions': 'c.csv', 'champion-column': 'old_model' },
      /different row counts: p\.csv has 569 rows but c\.csv has 442/,
    ],
    [
      'an unknown metric input',
      { 'p.csv': BREAST_CANCER },
      { metric: 'f1_scor' },
      /input 'metric': unknown metric 'f1_scor' \(did you mean 'f1_score'\?\)/,
    ],
    [
      'a metric of another task',
      { 'p.csv': BREAST_CANCER },
      { metric: 'rmse' },
      /metric 'rmse' is for regression models but the task is binary/,
    ],
  ];
  for (const [what, files, inputs, message] of cases) {
    it(what, async () => {
      const run = await runGate(files, { predictions: 'p.csv', ...inputs });
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(/^evaluate-gate: /);
      expect(run.errors[0]).toMatch(message);
      expect(run.errors[0]).not.toMatch(/internal error/);
      expect(run.outputs).toEqual({});
    });
  }
});

// Issue 18: ranking metrics at k, disparate impact, golden-set flips and behavioral tests, through the bundle
// and against generate_model_checks.py (scikit-learn, scipy, statsmodels, the definitions), 1e-9 relative.
const checks = JSON.parse(readFileSync(path.join(fixtures, 'model-checks.expected.json'), 'utf8'));
const EXAMPLES = path.join(repoRoot, 'examples');

describe('evaluate-gate: ranking at k, disparate impact, flips and behavioral tests', () => {
  it('breast cancer: metrics at k everywhere a metric works, flips per slice, disparate impact', async () => {
    const gate = `
id_column: id
metrics:
  roc_auc: { min: 0.8 }
  precision_at_50: { min: 0.9, max_regression: 0.05 }
  recall_at_100: {}
  lift_at_10: {}
  ndcg_at_50: {}
bootstrap: { resamples: 1000, seed: 3 }
slices:
  - { column: region, metrics: { ndcg_at_50: { min: 0.5 } }, min_support: 100 }
fairness:
  - { column: group, metric: disparate_impact, privileged: a, min: 0.8 }
flips: { max_negative_flip_rate: 0.05, slices: true }
`;
    const run = await runGate(
      { 'predictions.csv': BREAST_CANCER, 'gate.yml': gate },
      { predictions: 'predictions.csv', config: 'gate.yml' },
    );
    expect(run.errors).toEqual([]);
    const report = run.report;
    for (const model of ['challenger', 'champion'] as const) {
      const metrics = report.models[model]!.metrics;
      const reference = checks.ranking['breast-cancer'][model];
      expectClose(metrics.precision_at_50, reference['50'].precision, `${model} precision_at_50`);
      expectClose(metrics.recall_at_100, reference['100'].recall, `${model} recall_at_100`);
      expectClose(metrics.lift_at_10, reference['10'].lift, `${model} lift_at_10`);
      expectClose(metrics.ndcg_at_50, reference['50'].ndcg, `${model} ndcg_at_50`);
    }
    // The paired bootstrap of a metric at k, and slice groups with fewer rows than k are "not enough data".
    const precision = comparisonOf(report, 'precision_at_50');
    expect(precision.method).toBe('bootstrap');
    expect(precision.ci[0]).toBeLessThanOrEqual(precision.difference);
    expect(precision.ci[1]).toBeGreaterThanOrEqual(precision.difference);
    expect(report.slices.map((slice) => [slice.group, slice.status])).toEqual([
      ['low', 'passed'],
      ['mid', 'passed'],
      ['high', 'passed'],
    ]);
    const fairness = report.fairness[0]!;
    expectClose(fairness.value, checks.disparate_impact['breast-cancer'].challenger.a, 'disparate impact');
    expectClose(fairness.champion_value, checks.disparate_impact['breast-cancer'].champion.a, 'champion DI');
    const flips = report.flips!;
    const reference = checks.flips['breast-cancer']['0.95'];
    expect([flips.n, flips.negative, flips.positive]).toEqual([
      reference.n,
      reference.negative,
      reference.positive,
    ]);
    for (const key of ['negative_flip_rate', 'positive_flip_rate', 'upper_bound', 'mcnemar_p'] as const)
      expectClose(flips[key], reference[key], `flips ${key}`);
    expectClose(flips.negative_flip_index, reference.negative_flip_index, 'NFI');
    expectClose(flips.btc, reference.btc, 'BTC');
    expect(flips.ids).toEqual(
      reference.first_negative_rows.map((row: number) => `bc-${String(row).padStart(4, '0')}`),
    );
    for (const slice of flips.slices!) {
      const bySlice = checks.flips_by_region[slice.group];
      expect([slice.n, slice.negative]).toEqual([bySlice.n, bySlice.negative]);
      expectClose(slice.upper_bound, bySlice.upper_bound, `flips ${slice.group} bound`);
    }
    expect(run.summary).toContain('**Golden-set flips**');
    expect(run.summary).toContain(
      `First negative flips (the champion was right, the challenger is wrong): \`${flips.ids[0]}\``,
    );
  });

  it('iris: top-k accuracy on the class probabilities and flips of the argmax classes', async () => {
    const run = await runGate(
      {
        'iris.csv': path.join(fixtures, 'iris.csv'),
        'gate.yml': 'metrics:\n  top_2_accuracy: { min: 0.9 }\nflips: {}\n',
      },
      { predictions: 'iris.csv', config: 'gate.yml', 'label-column': 'species' },
    );
    expect(run.errors).toEqual([]);
    for (const model of ['challenger', 'champion'] as const)
      expectClose(
        run.report.models[model]!.metrics.top_2_accuracy,
        checks.top_k_accuracy.iris[model]['2'],
        model,
      );
    const reference = checks.flips.iris['0.95'];
    expect([run.report.flips!.negative, run.report.flips!.positive]).toEqual([
      reference.negative,
      reference.positive,
    ]);
    expectClose(run.report.flips!.upper_bound, reference.upper_bound, 'iris flips bound');
  });

  it('the example project: its behavioral file (made from the committed models) and flips, as the reference counts', async () => {
    // Laid out as the reference pipeline's checkout is: examples/gate.yml names data/behavior.csv, which is
    // relative to the gate file's folder, not to the workspace.
    const run = await runGate(
      {
        'out/predictions.csv': path.join(EXAMPLES, 'data', 'predictions.csv'),
        'examples/data/behavior.csv': path.join(EXAMPLES, 'data', 'behavior.csv'),
        'examples/gate.yml': path.join(EXAMPLES, 'gate.yml'),
      },
      { predictions: 'out/predictions.csv', config: 'examples/gate.yml' },
    );
    expect(run.errors).toEqual([]);
    expect(run.report.decision).toBe('promote');
    for (const entry of run.report.behavioral!) {
      for (const model of ['challenger', 'champion'] as const) {
        const reference = checks.behavioral[model][entry.test];
        expect(
          [entry.type, entry.cases, entry.failed[model], entry.excluded[model]],
          `${entry.test} ${model}`,
        ).toEqual([reference.type, reference.cases, reference.failed, reference.excluded]);
        expectClose(entry.fail_rate[model], reference.fail_rate, `${entry.test} ${model} fail rate`);
      }
      expect(entry.examples).toEqual(checks.behavioral.challenger[entry.test].first_failed);
    }
    const pima = checks.flips.pima['0.95'];
    expect(run.report.flips!.negative).toBe(pima.negative);
    expectClose(run.report.flips!.upper_bound, pima.upper_bound, 'pima flips bound');
    expectClose(
      run.report.models.challenger.metrics.precision_at_20,
      checks.ranking.pima.challenger['20'].precision,
      'p@20',
    );
    expect(run.summary).toContain('**Behavioral tests**');
    expect(run.summary).toMatch(
      /\| `older` \| directional \| 190 \| 68 \| 0\.3579 \| 0 \| 0 \| <0\.0001 \| — \|/,
    );
  });

  const BEHAVIOR_HEADER = 'test,type,case,variant,expect,label,tolerance,champion,challenger\n';
  const bad: [string, Record<string, string>, RegExp][] = [
    [
      'a behavioral case without its original',
      {
        'b.csv': `${BEHAVIOR_HEADER}noise,invariance,c1,1,,,,0.5,0.5\n`,
        'gate.yml': 'behavioral: { file: b.csv }\n',
      },
      /b\.csv row 1: test 'noise' case 'c1' has no original \(variant 0\)/,
    ],
    [
      'a test named in the gate file but absent from the behavioral file',
      {
        'b.csv': `${BEHAVIOR_HEADER}noise,invariance,c1,0,,,,0.5,0.5\nnoise,invariance,c1,1,,,,0.5,0.5\n`,
        'gate.yml':
          'metrics:\n  roc_auc: {}\nbehavioral:\n  file: b.csv\n  tests:\n    nosie: { max_fail_rate: 0 }\n',
      },
      /gate\.yml line 6: behavioral\.tests\.nosie: no test 'nosie' in b\.csv \(did you mean 'noise'\?\); its tests: noise/,
    ],
    [
      'k larger than the rows',
      { 'gate.yml': 'metrics:\n  ndcg_at_1000: {}\n' },
      /gate\.yml line 2: metrics\.ndcg_at_1000: k = 1000 is more than the 569 rows/,
    ],
    [
      'disparate_impact without privileged',
      { 'gate.yml': 'fairness:\n  - { column: group, metric: disparate_impact, min: 0.8 }\n' },
      /gate\.yml line 2: fairness\[0\]: disparate_impact needs 'privileged'/,
    ],
  ];
  for (const [what, files, message] of bad) {
    it(`refuses ${what}, naming file, line or key`, async () => {
      const run = await runGate(
        { 'p.csv': BREAST_CANCER, ...files },
        { predictions: 'p.csv', config: 'gate.yml' },
      );
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(message);
      expect(run.errors[0]).not.toMatch(/internal error/);
    });
  }
});

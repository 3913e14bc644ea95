import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import { applyInputOverrides, emptyGateConfig, parseGateConfig } from './config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bad = (name: string) => readFileSync(path.join(root, 'test', 'fixtures', 'bad', name), 'utf8');

function parseError(text: string, file = 'gate.yml'): string {
  try {
    parseGateConfig(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('parseGateConfig', () => {
  it("reads the issue's example with every default filled in", () => {
    const config = parseGateConfig(
      `task: binary
threshold: 0.5
metrics:
  roc_auc: { min: 0.80, max_regression: 0.01, method: delong }
  f1: { min: 0.70 }
  log_loss: { max_regression: 0.02, method: bootstrap }
require_improvement: false
confidence: 0.95
bootstrap: { resamples: 2000, seed: 42 }
slices:
  - { column: region, metrics: { roc_auc: { min: 0.75 } }, min_support: 50 }
fairness:
  - { column: gender, metric: demographic_parity_ratio, min: 0.8 }
  - { column: gender, metric: equalized_odds_difference, max: 0.1 }
latency: { file: out/latency.csv, p95_ms: { max: 50, max_regression_ratio: 1.2 } }
`,
      'gate.yml',
    );
    expect(config.primary).toBe('roc_auc');
    expect(Object.keys(config.metrics)).toEqual(['roc_auc', 'f1', 'log_loss']);
    expect(config.metrics.roc_auc).toEqual({ min: 0.8, max_regression: 0.01, method: 'delong' });
    expect(config.bootstrap).toEqual({ resamples: 2000, seed: 42, method: 'percentile', scheme: 'auto' });
    expect(config.slices[0]).toEqual({
      column: 'region',
      metrics: { roc_auc: { min: 0.75 } },
      min_support: 50,
      min_class_support: 5,
      on_insufficient: 'fail',
    });
    expect(config.fairness[1]).toMatchObject({
      metric: 'equalized_odds_difference',
      max: 0.1,
      min_support: 30,
    });
    expect(config.latency).toEqual({
      file: 'out/latency.csv',
      model_column: 'model',
      value_column: 'ms',
      challenger: 'challenger',
      champion: 'champion',
      bounds: { p95_ms: { max: 50, max_regression_ratio: 1.2 } },
    });
  });

  it('reads the example project gate file', () => {
    const config = parseGateConfig(
      readFileSync(path.join(root, 'examples', 'gate.yml'), 'utf8'),
      'examples/gate.yml',
    );
    expect(config.primary).toBe('roc_auc');
    expect(config.fairness[0]!.metric).toBe('equalized_odds_difference');
  });

  it('takes scikit-learn function names and the four-fifths rule', () => {
    const config = parseGateConfig(
      'metrics:\n  roc_auc_score: {}\n  brier_score_loss: { max: 0.2 }\nfairness:\n  - { column: sex, rule: four_fifths }\n',
    );
    expect(Object.keys(config.metrics)).toEqual(['roc_auc', 'brier']);
    expect(config.fairness[0]).toMatchObject({ metric: 'demographic_parity_ratio', min: 0.8 });
  });

  it('positive_label may be text, a number or a boolean', () => {
    expect(parseGateConfig('positive_label: malignant\n').positive_label).toBe('malignant');
    expect(parseGateConfig('positive_label: 1\n').positive_label).toBe('1');
    expect(parseGateConfig('positive_label: true\n').positive_label).toBe('true');
  });

  it('an empty file is the default gate', () => {
    expect(parseGateConfig('', 'gate.yml')).toEqual(emptyGateConfig());
    expect(parseGateConfig('# nothing yet\n', 'gate.yml')).toEqual(emptyGateConfig());
  });

  // Every refusal names the file, the line and the key path, then what was expected and what was found.
  const cases: [string, string, RegExp][] = [
    [
      'gate-unknown-key.yml',
      bad('gate-unknown-key.yml'),
      /^gate\.yml line 1: metrcs: unknown key \(did you mean 'metrics'\?\); allowed: task, threshold/,
    ],
    [
      'gate-unknown-metric.yml',
      bad('gate-unknown-metric.yml'),
      /^gate\.yml line 2: metrics\.roc_acu: unknown metric 'roc_acu' \(did you mean 'roc_auc'\?\); known: roc_auc,/,
    ],
    [
      'gate-contradictory.yml',
      bad('gate-contradictory.yml'),
      /^gate\.yml line 2: metrics\.roc_auc: min 0\.9 is above max 0\.8: no model can pass/,
    ],
    [
      'gate-bad-confidence.yml',
      bad('gate-bad-confidence.yml'),
      /^gate\.yml line 1: confidence: must be less than 1, got 1\.5$/,
    ],
    [
      'gate-negative-resamples.yml',
      bad('gate-negative-resamples.yml'),
      /^gate\.yml line 1: bootstrap\.resamples: must be at least 100, got -5$/,
    ],
    [
      'gate-unknown-method.yml',
      bad('gate-unknown-method.yml'),
      /^gate\.yml line 2: metrics\.roc_auc\.method: expected one of delong, bootstrap, mcnemar, got 'magic'$/,
    ],
    [
      'gate-unknown-task.yml',
      bad('gate-unknown-task.yml'),
      /^gate\.yml line 1: task: expected one of binary, multiclass, regression, got 'ranking'$/,
    ],
    [
      'gate-metrics-not-mapping.yml',
      bad('gate-metrics-not-mapping.yml'),
      /^gate\.yml line 1: metrics: expected a mapping \(key: value\), got a list$/,
    ],
    [
      'gate-unknown-fairness-metric.yml',
      bad('gate-unknown-fairness-metric.yml'),
      /^gate\.yml line 4: fairness\[0\]\.metric: expected one of demographic_parity_difference, .*got 'demographic_parity_sparkle' \(did you mean 'demographic_parity_ratio'\?\)$/,
    ],
    ['gate-alias-bomb.yml', bad('gate-alias-bomb.yml'), /^gate\.yml: .*alias/i],
    ['custom-tag.yml', bad('custom-tag.yml'), /^gate\.yml line 1: not valid YAML: Unresolved tag/],
    ['unparseable', 'metrics: { roc_auc: [\n', /^gate\.yml line \d+: not valid YAML/],
    [
      'a method that cannot compare the metric',
      'metrics:\n  roc_auc: { method: mcnemar }\n',
      /^gate\.yml line 2: metrics\.roc_auc\.method: 'mcnemar' cannot compare roc_auc; use delong or bootstrap$/,
    ],
    [
      'a floor outside the metric range, saying why',
      'metrics:\n  roc_auc: { min: 1.2 }\n',
      /^gate\.yml line 2: metrics\.roc_auc\.min: must be at most 1, got 1\.2: roc_auc lies in \[0, 1\]$/,
    ],
    [
      'a negative margin',
      'metrics:\n  f1: { max_regression: -0.1 }\n',
      /^gate\.yml line 2: metrics\.f1\.max_regression: must be at least 0, got -0\.1$/,
    ],
    [
      "a McNemar margin of 1 (the issue's example), saying why it must be below 1",
      'task: binary\nthreshold: 0.5\nmetrics:\n  accuracy: { max_regression: 1.0, method: mcnemar }\n',
      /^gate\.yml line 4: metrics\.accuracy\.max_regression: expected a number in \[0, 1\) for a McNemar comparison, got 1: the margin is a difference of two accuracies, which lies in \(-1, 1\)/,
    ],
    [
      "accuracy's default method is McNemar: the same margin check without 'method'",
      'metrics:\n  accuracy:\n    max_regression: 1.5\n',
      /^gate\.yml line 3: metrics\.accuracy\.max_regression: expected a number in \[0, 1\) for a McNemar comparison, got 1\.5/,
    ],
    [
      'a margin as wide as the metric range',
      'slices:\n  - column: g\n    metrics:\n      f1: { max_regression: 1 }\n',
      /^gate\.yml line 4: slices\[0\]\.metrics\.f1\.max_regression: expected a number below 1, got 1: f1 lies in \[0, 1\], so .* every challenger would pass$/,
    ],
    [
      'a fairness ratio bound above 1',
      'metrics: {}\nfairness:\n  - { column: g, metric: demographic_parity_ratio, min: 1.2 }\n',
      /^gate\.yml line 3: fairness\[0\]\.min: demographic_parity_ratio lies in \[0, 1\], so min 1\.2 can never be met$/,
    ],
    [
      'a fairness entry without a bound',
      'fairness:\n  - { column: g, metric: equalized_odds_difference }\n',
      /^gate\.yml line 2: fairness\[0\]: needs a bound: max \(e\.g\. 0\.1\) or max_regression$/,
    ],
    [
      'a fairness entry without a column',
      'fairness:\n  - metric: equalized_odds_difference\n    max: 0.1\n',
      /^gate\.yml line 2: fairness\[0\]: needs 'column' \(the sensitive attribute\)$/,
    ],
    [
      'latency percentiles out of order',
      'latency: { file: l.csv, p50_ms: { max: 80 }, p95_ms: { max: 50 } }\n',
      /^gate\.yml line 1: latency: a higher percentile has a lower max than a lower percentile: no model can pass$/,
    ],
    [
      'a latency bound of zero',
      'latency:\n  file: l.csv\n  p95_ms: { max: 0 }\n',
      /^gate\.yml line 3: latency\.p95_ms\.max: must be greater than 0, got 0$/,
    ],
    [
      'a duplicated metric through an alias',
      'metrics:\n  roc_auc: {}\n  roc_auc_score: {}\n',
      /^gate\.yml line 3: metrics\.roc_auc_score: 'roc_auc' is listed twice$/,
    ],
    [
      'a slice without metrics',
      'slices:\n  - { column: region }\n',
      /^gate\.yml line 2: slices\[0\]: needs 'metrics' \(e\.g\. metrics: \{ roc_auc: \{ min: 0\.75 \} \}\)$/,
    ],
    [
      'a slice without a column',
      'slices:\n  - metrics: { roc_auc: { min: 0.7 } }\n',
      /^gate\.yml line 2: slices\[0\]: needs 'column'/,
    ],
    [
      'a slice support that is not a whole number',
      'slices:\n  - column: region\n    metrics: { roc_auc: { min: 0.7 } }\n    min_support: 2.5\n',
      /^gate\.yml line 4: slices\[0\]\.min_support: expected a whole number, got 2\.5$/,
    ],
    [
      'a primary metric not in the list',
      'metrics:\n  f1: {}\nprimary_metric: roc_auc\n',
      /^gate\.yml line 3: primary_metric: 'roc_auc' is not one of the gate's metrics$/,
    ],
    [
      'disparate_impact without privileged',
      'fairness:\n  - { column: age, metric: disparate_impact, min: 0.8 }\n',
      /^gate\.yml line 2: fairness\[0\]: disparate_impact needs 'privileged' \(the group whose selection rate is the denominator/,
    ],
    [
      'privileged on a symmetric measure',
      'fairness:\n  - column: age\n    metric: demographic_parity_ratio\n    privileged: young\n    min: 0.8\n',
      /^gate\.yml line 4: fairness\[0\]\.privileged: only disparate_impact has a privileged group/,
    ],
    [
      'a disparate impact floor below 0',
      'fairness:\n  - { column: age, metric: disparate_impact, privileged: young, min: -1 }\n',
      /^gate\.yml line 2: fairness\[0\]\.min: disparate_impact lies in \[0, ∞\), so min -1 can never be met$/,
    ],
    [
      'a negative flip budget above 1',
      'flips:\n  max_negative_flip_rate: 2\n',
      /^gate\.yml line 2: flips\.max_negative_flip_rate: must be at most 1, got 2: a share of the rows$/,
    ],
    [
      'an unknown flips key',
      'flips: { max_flip_rate: 0.02 }\n',
      /^gate\.yml line 1: flips\.max_flip_rate: unknown key; allowed: max_negative_flip_rate, slices, flip_tolerance$/,
    ],
    [
      'a behavioral section without a file',
      'behavioral:\n  max_fail_rate: 0.05\n',
      /^gate\.yml line 1: behavioral: needs 'file' \(the behavioral tests/,
    ],
    [
      'a behavioral fail rate that is not a share',
      'behavioral:\n  file: b.csv\n  tests:\n    noise: { max_fail_rate: 5 }\n',
      /^gate\.yml line 4: behavioral\.tests\.noise\.max_fail_rate: must be at most 1, got 5: a share of the test cases$/,
    ],
    [
      'a metric at k spelled with @',
      'metrics:\n  precision@50: { min: 0.5 }\n',
      /^gate\.yml line 2: metrics\.precision@50: unknown metric 'precision@50'.*at a cut-off k: precision_at_<k>/,
    ],
    [
      'a threshold that is not a number',
      'threshold: high\n',
      /^gate\.yml line 1: threshold: expected a number, got 'high'$/,
    ],
    [
      'a bootstrap section that is not a mapping',
      'bootstrap: 2000\n',
      /^gate\.yml line 1: bootstrap: expected a mapping \(key: value\), got 2000$/,
    ],
  ];
  for (const [what, text, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(parseError(text)).toMatch(message);
    });
  }
});

describe('applyInputOverrides', () => {
  it('the metric input becomes the primary metric, min on a loss is its ceiling', () => {
    const config = applyInputOverrides(parseGateConfig('metrics:\n  roc_auc: { min: 0.8 }\n'), {
      metric: 'log_loss',
      min: 0.3,
      maxRegression: 0.01,
      requireImprovement: true,
      confidence: 0.9,
    });
    expect(config.primary).toBe('log_loss');
    expect(Object.keys(config.metrics)).toEqual(['log_loss', 'roc_auc']);
    expect(config.metrics.log_loss).toEqual({ max: 0.3, max_regression: 0.01 });
    expect(config).toMatchObject({ require_improvement: true, confidence: 0.9 });
  });

  it('inputs that are not given leave the file alone', () => {
    const file = parseGateConfig(
      'confidence: 0.9\nrequire_improvement: true\nmetrics:\n  f1: { min: 0.5 }\n',
    );
    expect(applyInputOverrides(file, {})).toEqual(file);
  });

  it('min without any metric is an error naming the inputs', () => {
    expect(() => applyInputOverrides(emptyGateConfig(), { min: 0.8 })).toThrow(
      /no metric to apply it to; set the 'metric' input/,
    );
  });

  it('contradictory input and file bounds are refused', () => {
    expect(() =>
      applyInputOverrides(parseGateConfig('metrics:\n  roc_auc: { max: 0.9 }\n'), { min: 0.95 }),
    ).toThrow(/min 0\.95 > max 0\.9: no model can pass/);
  });
});

describe('YAML safety', () => {
  it('refuses YAML 1.1 types that are not plain values', () => {
    expect(parseError('metrics: !!set { roc_auc }\n')).toMatch(
      /YAML tag 'tag:yaml\.org,2002:set' is not supported/,
    );
  });
});

describe('bootstrap.scheme', () => {
  it('reads auto, multinomial and poisson, and names the choices for anything else', () => {
    for (const scheme of ['auto', 'multinomial', 'poisson']) {
      expect(parseGateConfig(`bootstrap: { scheme: ${scheme} }\n`).bootstrap.scheme).toBe(scheme);
    }
    expect(() => parseGateConfig('bootstrap: { scheme: stratified }\n')).toThrow(
      /bootstrap\.scheme: expected one of auto, multinomial, poisson, got 'stratified'/,
    );
  });
});

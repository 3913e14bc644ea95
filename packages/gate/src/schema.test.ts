// docs/gate-config.schema.json (for editors and CI linting of gate files) and the parser must agree.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_KEYS } from './config.ts';
import { FAIRNESS_METRICS } from './config-types.ts';
import { canonicalMetric, METRIC_ALIASES, METRIC_NAMES } from './metric-catalog.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const schema = JSON.parse(readFileSync(path.join(root, 'docs', 'gate-config.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
const yaml = (file: string) => parse(readFileSync(path.join(root, file), 'utf8'));

describe('docs/gate-config.schema.json', () => {
  it('lists exactly the keys the parser accepts', () => {
    const keys = (object: { properties: Record<string, unknown> }) => Object.keys(object.properties).sort();
    expect(keys(schema)).toEqual([...CONFIG_KEYS.top].sort());
    expect(keys(schema.definitions.metricGate)).toEqual([...CONFIG_KEYS.metric].sort());
    expect(keys(schema.definitions.sliceMetricGate)).toEqual([...CONFIG_KEYS.sliceMetric].sort());
    expect(keys(schema.definitions.slice)).toEqual([...CONFIG_KEYS.slice].sort());
    expect(keys(schema.definitions.fairness)).toEqual([...CONFIG_KEYS.fairness].sort());
    expect(keys(schema.definitions.latency)).toEqual([...CONFIG_KEYS.latency].sort());
    expect(keys(schema.definitions.flips)).toEqual([...CONFIG_KEYS.flips].sort());
    expect(keys(schema.definitions.behavioral)).toEqual([...CONFIG_KEYS.behavioral].sort());
    expect(keys(schema.definitions.behavioralTest)).toEqual([...CONFIG_KEYS.behavioralTest].sort());
  });

  it('names exactly the metrics and fairness measures the gate knows', () => {
    expect([...schema.properties.metrics.propertyNames.anyOf[0].enum].sort()).toEqual(
      [...METRIC_NAMES, ...Object.keys(METRIC_ALIASES)].sort(),
    );
    // Names that carry k: the schema's pattern and the catalog accept the same ones.
    const pattern = new RegExp(schema.properties.metrics.propertyNames.anyOf[1].pattern);
    for (const name of ['precision_at_50', 'recall_at_1', 'lift_at_10', 'ndcg_at_100', 'top_3_accuracy'])
      expect([pattern.test(name), canonicalMetric(name)], name).toEqual([true, name]);
    for (const name of ['precision_at_0', 'precision_at_', 'ndcg@10', 'top_0_accuracy', 'recall_at_05'])
      expect([pattern.test(name), canonicalMetric(name)], name).toEqual([false, undefined]);
    expect(schema.definitions.fairness.properties.metric.enum).toEqual([...FAIRNESS_METRICS]);
  });

  it('every key the parser accepts is documented in docs/gate-config.md, and every fairness measure', () => {
    const doc = readFileSync(path.join(root, 'docs', 'gate-config.md'), 'utf8');
    const keys = new Set(Object.values(CONFIG_KEYS).flat());
    const missing = [...keys, ...FAIRNESS_METRICS].filter(
      (key) => !new RegExp(`(^|[^a-z_])${key}([^a-z_0-9]|$)`, 'm').test(doc),
    );
    expect(missing).toEqual([]);
  });

  it('accepts the example project gate file', () => {
    expect(validate(yaml('examples/gate.yml')), JSON.stringify(validate.errors)).toBe(true);
  });

  it('requires privileged with disparate_impact and refuses it elsewhere, as the parser does', () => {
    const entry = (extra: object) => ({ fairness: [{ column: 'g', min: 0.8, ...extra }] });
    expect(validate(entry({ metric: 'disparate_impact', privileged: 'a' }))).toBe(true);
    expect(validate(entry({ metric: 'disparate_impact' }))).toBe(false);
    expect(validate(entry({ metric: 'demographic_parity_ratio', privileged: 'a' }))).toBe(false);
    // A ratio lies in [0, 1]; disparate impact may exceed 1.
    expect(validate(entry({ metric: 'demographic_parity_ratio', min: 1.2 }))).toBe(false);
    expect(validate(entry({ metric: 'disparate_impact', privileged: 'a', max: 1.25 }))).toBe(true);
  });

  for (const file of [
    'gate-unknown-key.yml',
    'gate-unknown-metric.yml',
    'gate-unknown-method.yml',
    'gate-unknown-task.yml',
    'gate-bad-confidence.yml',
    'gate-negative-resamples.yml',
    'gate-metrics-not-mapping.yml',
    'gate-unknown-fairness-metric.yml',
  ]) {
    it(`rejects test/fixtures/bad/${file}, as the parser does`, () => {
      expect(validate(yaml(`test/fixtures/bad/${file}`))).toBe(false);
    });
  }
});

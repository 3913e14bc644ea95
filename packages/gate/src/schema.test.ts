// docs/gate-config.schema.json (for editors and CI linting of gate files) and the parser must agree.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_KEYS } from './config.ts';
import { FAIRNESS_METRICS } from './config-types.ts';
import { METRIC_ALIASES, METRIC_NAMES } from './metric-catalog.ts';

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
  });

  it('names exactly the metrics and fairness measures the gate knows', () => {
    expect([...schema.properties.metrics.propertyNames.enum].sort()).toEqual(
      [...METRIC_NAMES, ...Object.keys(METRIC_ALIASES)].sort(),
    );
    expect(schema.definitions.fairness.properties.metric.enum).toEqual([...FAIRNESS_METRICS]);
  });

  it('accepts the example project gate file', () => {
    expect(validate(yaml('examples/gate.yml')), JSON.stringify(validate.errors)).toBe(true);
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

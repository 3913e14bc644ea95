// Shadow-mode predictions against numpy / scipy / scikit-learn (fixtures/generate.py "predictions").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCanaryConfig } from './config.ts';
import { comparePredictions } from './predictions.ts';
import { collectFromTable } from './sources.ts';

interface Quality {
  n: number;
  roc_auc: number;
  accuracy: number;
  log_loss: number;
}
const reference = JSON.parse(readFileSync(new URL('../fixtures/reference.json', import.meta.url), 'utf8'))
  .predictions as {
  request_id: string[];
  version: string[];
  label: (number | null)[];
  score: number[];
  psi: number;
  jensen_shannon: number;
  bins: number;
  baseline: Quality;
  canary: Quality;
  pairs: number;
  disagreement_rate: number;
  mean_score_difference: number;
  mean_abs_score_difference: number;
};

const n = reference.score.length;
const table = {
  columns: ['request_id', 'version', 'label', 'score', 'timestamp'],
  rowCount: n,
  data: {
    request_id: reference.request_id,
    version: reference.version,
    label: Float64Array.from(reference.label, (value) => (value === null ? Number.NaN : value)),
    score: Float64Array.from(reference.score),
    timestamp: Float64Array.from({ length: n }, (_, row) => 1_000 + row),
  },
  types: {
    request_id: 'string',
    version: 'string',
    label: 'number',
    score: 'number',
    timestamp: 'datetime',
  } as const,
};
const close = (actual: number | null | undefined, expected: number) =>
  expect(Math.abs(actual! - expected)).toBeLessThan(1e-9 * Math.max(1, Math.abs(expected)));

describe('comparePredictions against scipy / scikit-learn', () => {
  it('PSI and Jensen-Shannon on the baseline deciles, quality on labelled rows, paired disagreement', () => {
    const report = comparePredictions(
      table,
      'log.csv',
      { score: 'score', label: 'label', request_id: 'request_id', threshold: 0.5 },
      { version: 'version', inWindow: () => true },
      { baseline: 'v1', canary: 'v2' },
    );
    close(report.psi, reference.psi);
    close(report.jensen_shannon, reference.jensen_shannon);
    expect(report.bins).toBe(reference.bins);
    for (const arm of ['baseline', 'canary'] as const) {
      expect(report.quality![arm].n).toBe(reference[arm].n);
      close(report.quality![arm].roc_auc, reference[arm].roc_auc);
      close(report.quality![arm].accuracy, reference[arm].accuracy);
      close(report.quality![arm].log_loss, reference[arm].log_loss);
    }
    expect(report.paired!.pairs).toBe(reference.pairs);
    close(report.paired!.disagreement_rate, reference.disagreement_rate);
    close(report.paired!.mean_score_difference, reference.mean_score_difference);
    close(report.paired!.mean_abs_score_difference, reference.mean_abs_score_difference);
    expect(report.note).toMatch(/not part of the decision/);
  });

  it('comes with the file source when the config asks, and only within the window', () => {
    const config = parseCanaryConfig(
      `source: file
traffic: { canary_percent: 25 }
soak: 1m
predictions: { score: score }
metrics:
  - { name: errors, events: label == 1 }
`,
      'c.yml',
    );
    const all = collectFromTable(table, 'log.csv', config, { baseline: 'v1', canary: 'v2' }, 999, 2_000);
    expect(all.predictions).toMatchObject({ baseline_n: 300, canary_n: 100 });
    expect(all.predictions!.quality).toBeUndefined();
    const part = collectFromTable(
      table,
      'log.csv',
      config,
      { baseline: 'v1', canary: 'v2' },
      999,
      1_000 + 349,
    );
    expect(part.predictions).toMatchObject({ baseline_n: 300, canary_n: 50 });
    expect(() =>
      parseCanaryConfig(
        'traffic: { canary_percent: 10 }\npredictions: { score: s }\nmetrics: [{ name: e, events: a, trials: b }]\n',
        'c.yml',
      ),
    ).toThrow(/c\.yml line 2: predictions: needs per-request predictions \(source: file/);
  });
});

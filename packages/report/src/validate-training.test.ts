// The training-run section: verdict first, failing checks first, charts of train / validation pairs with their
// colours named, and every report string inert (metric names and messages come from the user's log).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseLog, parseTrainingConfig, validateTraining } from '@mlops/training';
import { describe, expect, it } from 'vitest';
import { reportSection } from './render.ts';
import { FULL_DETAIL } from './section.ts';
import { renderValidateTrainingMarkdown, validateTrainingSection } from './validate-training.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/training');
const read = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

function reportOf(run: string, config = read('checks.yml')) {
  return validateTraining(
    parseLog(read(`${run}.csv`), `${run}.csv`, 'csv'),
    parseTrainingConfig(config, 'training.yml'),
  );
}

describe('validate-training section', () => {
  it('is the renderer for mlops.validate-training/v1', () => {
    expect(reportSection(reportOf('healthy')).title).toBe('Training run');
  });

  it('an overfitting run: verdict, the failing check first, the chart of loss and val_loss', () => {
    const markdown = renderValidateTrainingMarkdown(reportOf('overfit'));
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('### ❌ Training run');
    expect(lines[2]).toBe('1 of 4 checks failed over 60 epoch values: `val_loss` max\\_rise\\_from\\_best.');
    const rows = lines.filter((line) => /^\| (✅|❌) /.test(line));
    expect(rows[0]).toMatch(/^\| ❌ \| `val_loss` \| max\\_rise\\_from\\_best \| 37\.8% \| ≤ 30% \| 59 \|/);
    expect(rows).toHaveLength(3);
    expect(markdown).toContain(
      '_All values finite in `val_loss` (checked for every metric the checks read)._',
    );
    expect(markdown).toContain('title "loss (blue) and val_loss (orange) by epoch"');
    expect(markdown).toContain('<sub>Colours: blue line = loss, orange line = val_loss.</sub>');
    // 60 epochs thinned to at most 40 points, the last one kept.
    const axis = lines.find((line) => line.startsWith('  x-axis'))!;
    expect(axis.split(',').length).toBeLessThanOrEqual(40);
    expect(axis).toContain('"59"]');
  });

  it('gap and percentile rows read as bounds; passing rows can be left out', () => {
    const report = reportOf(
      'healthy',
      'checks:\n  - { gap: { train: accuracy, validation: val_accuracy }, max: 0.01 }\n  - { metric: grad_norm, percentile: 50, min: 0.01 }\n',
    );
    const markdown = renderValidateTrainingMarkdown(report);
    expect(markdown).toMatch(/\| ❌ \| `accuracy - val_accuracy` \| gap \| 0\.02133 \| ≤ 0\.01 \| 19 \|/);
    expect(markdown).toMatch(/\| ✅ \| `grad_norm` \| percentile \| [\d.]+ \| ≥ 0\.01 \| — \|/);
    const section = validateTrainingSection(report, { ...FULL_DETAIL, passingRows: false, charts: false });
    expect(section.body).not.toContain('percentile |');
    expect(section.body).toContain('passing check not shown');
    expect(section.body).not.toContain('```mermaid');
  });

  it('metric names and messages from the log stay inert, in the table and in the chart', () => {
    const evil = '%%{init: {"theme":"dark"}}%% [x](https://evil) @alice';
    const report = {
      schema: 'mlops.validate-training/v1',
      passed: false,
      log: '<img src=x>metrics.csv',
      format: 'csv',
      step_key: 'epoch',
      steps: 2,
      metrics: [evil],
      checks: [
        {
          metric: evil,
          check: 'finite',
          passed: false,
          observed: 1,
          threshold: 0,
          step: 1,
          message: '<b>@bob</b> #12',
        },
      ],
      failed_checks: [`${evil}:finite`],
      history: { [evil]: { step: [0, 1, 2], value: [1, 0.5, null] } },
    };
    const markdown = renderValidateTrainingMarkdown(report);
    expect(markdown).not.toContain('<b>');
    // Outside code spans nothing is live: no HTML, no mention, no link.
    const outsideCode = markdown.replace(/(`+)[^`]*?\1/g, '');
    expect(outsideCode).not.toContain('<img');
    expect(outsideCode).not.toMatch(/@alice|@bob/);
    expect(outsideCode).not.toContain('](https://evil)');
    // In the chart: one init directive (ours, the palette); the name's own is flattened.
    const chart = markdown.slice(markdown.indexOf('```mermaid'), markdown.lastIndexOf('```'));
    expect(chart.match(/%%\{/g)).toHaveLength(1);
    expect(chart).not.toContain('"theme"');
  });

  it('never throws on a malformed report', () => {
    for (const junk of [
      null,
      {},
      { checks: 'x', history: [1] },
      { checks: [null, 1, { observed: 'a' }], history: { a: { step: 'x' } } },
    ]) {
      expect(() =>
        renderValidateTrainingMarkdown({ schema: 'mlops.validate-training/v1', ...(junk ?? {}) }),
      ).not.toThrow();
    }
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderGateMarkdown } from './evaluate-gate.ts';
import { renderLineageMarkdown, renderLookupMarkdown } from './lineage.ts';
import { renderDispatchMarkdown, renderPromoteMarkdown } from './promote.ts';
import { releaseAssetsMarkdown } from './release.ts';
import { KNOWN_SCHEMAS, reportSection } from './render.ts';
import { FULL_DETAIL, sectionMarkdown } from './section.ts';
import { elements, renderHtml } from './test-support/render-html.ts';
import { renderValidateDataMarkdown } from './validate-data.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/reports');
const load = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));

describe('renderValidateDataMarkdown', () => {
  it('puts failed checks first with examples, and drift per column with charts for drifted ones', () => {
    const markdown = renderValidateDataMarkdown(load('validate-data-drift.json'));
    expect(markdown).toMatch(
      /^### ❌ Data validation\n\n2 of 4 checks failed; \*\*dataset drift\*\*: 2 of 4 columns drifted \(50% ≥ 50%\); 1,200 rows vs 5,000 reference\./,
    );
    expect(markdown).toContain(
      '| ❌ | `age` | between | 14 | 1.2% | 14 values outside \\[21, 90\\] | `17`, `18`, `19`, `101`, `130` …+1 |',
    );
    expect(markdown).toContain('| ⚠️ | `smoker` | in\\_set | 3 | 0.3% |');
    expect(markdown).toContain('| `age` | wasserstein | 0.23 | 0.1 | ⚠️ drift |');
    expect(markdown).toContain('| `bmi` | wasserstein | 0.02 | 0.1 | no |');
    expect(markdown).toContain('**Drift** (p-values adjusted: holm)');
    expect(markdown.match(/```mermaid/g)).toHaveLength(2);
    expect(markdown).toContain('bar [0.18, 0.22, 0.2, 0.18, 0.12, 0.07, 0.03]');
    // Failing rows come before passing ones.
    expect(markdown.indexOf('`smoker` | in')).toBeLessThan(markdown.indexOf('`patient_id`'));
  });

  it('says all passed when nothing failed, with p-values when the report has them', () => {
    const markdown = renderValidateDataMarkdown(load('validate-data-pass.json'));
    expect(markdown).toContain('### ✅ Data validation');
    expect(markdown).toContain('All 3 checks passed; no dataset drift (0 of 2 columns drifted, 0% < 50%)');
    expect(markdown).toContain('| `glucose` | ks | 0.031 | 0.05 | 0.84 | no |');
    expect(markdown).toContain('| ✅ | _table_ | row\\_count\\_between |');
  });

  it('drops examples, charts and passing rows when asked, and says what it left out', () => {
    const markdown = renderValidateDataMarkdown(load('validate-data-drift.json'), {
      ...FULL_DETAIL,
      examples: false,
      charts: false,
      passingRows: false,
    });
    expect(markdown).not.toContain('Examples');
    expect(markdown).not.toContain('```mermaid');
    expect(markdown).not.toContain('patient_id');
    expect(markdown).toContain('_…and 2 passing checks not shown (see the full report)._');
    expect(markdown).toContain('_…and 2 passing columns not shown (see the full report)._');
  });

  it('folds passing checks away under the failures, and a long all-passing list too', () => {
    const markdown = renderValidateDataMarkdown(load('validate-data-drift.json'));
    expect(markdown).toMatch(
      /\| ⚠️ \| `smoker` [^\n]*\n\n<details><summary>2 passing checks<\/summary>\n\n\| {3}\| Column/,
    );
    const many = Array.from({ length: 11 }, (_, index) => ({
      column: `c${index}`,
      check: 'not_null',
      passed: true,
    }));
    expect(renderValidateDataMarkdown({ schema: 'mlops.validate-data/v1', checks: many })).toContain(
      '<details><summary>11 passing checks</summary>',
    );
    expect(
      renderValidateDataMarkdown({ schema: 'mlops.validate-data/v1', checks: many.slice(1) }),
    ).not.toContain('<details>');
  });

  it('lists report warnings and marks sketched statistics', () => {
    const markdown = renderValidateDataMarkdown({
      schema: 'mlops.validate-data/v1',
      warnings: ['reference has 3 rows', { message: '@bob <b>x</b>' }],
      drift: {
        detected: false,
        effect_size_floor: 0.1,
        columns: { a: { method: 'ks', score: 0.2, threshold: 0.05, drift: false, exact: false } },
      },
    });
    expect(markdown).toContain('- ⚠️ reference has 3 rows\n- ⚠️ @\u200dbob &lt;b&gt;x&lt;/b&gt;');
    expect(markdown).toContain('| `a` | ks (sketch) |');
    expect(markdown).toContain('Columns need an effect size of at least 0.1 to count as drifted.');
  });

  it('warns (not fails) when only drift or warning-severity checks fired', () => {
    const report = { ...load('validate-data-drift.json'), passed: true };
    expect(renderValidateDataMarkdown(report)).toMatch(/^### ⚠️ Data validation/);
  });
});

describe('renderGateMarkdown', () => {
  it('leads with the comparison and its CI, then gates, metrics, slices, fairness groups and curves', () => {
    const markdown = renderGateMarkdown(load('evaluate-gate-pass.json'));
    expect(markdown).toContain(
      'Challenger `roc_auc` 0.842 vs champion 0.828: difference +0.014 (95% CI -0.004 to +0.032, delong, p = 0.127); all 2 gates passed; 768 rows.',
    );
    expect(markdown).toContain(
      '| ✅ | `roc_auc non-inferiority (margin 0.01)` | 0.014 | -0.01 | -0.004 to +0.032 |',
    );
    expect(markdown).toContain('| `brier` | 0.155 | 0.161 | -0.006 |');
    expect(markdown).toContain('| ✅ | `age_band` | `21-40` | 420 | 0.85 | — |');
    expect(markdown).toContain('| `female` | 400 | 0.31 | 0.64 | 0.11 |');
    expect(markdown).toContain('> The challenger is not worse than the champion');
    expect(markdown).toContain('title "ROC - challenger (blue) vs champion (orange)"');
    expect(markdown).toContain('title "Calibration - challenger (blue) vs champion (orange)"');
    expect(markdown).toContain(
      'Colours: blue line = challenger, orange line = champion, grey line = diagonal.',
    );
  });

  it('names the bootstrap interval and resampling scheme of each comparison', () => {
    const report = load('evaluate-gate-pass.json') as Record<string, unknown>;
    const headline = report.comparison as Record<string, unknown>;
    const markdown = renderGateMarkdown({
      ...report,
      comparisons: [
        headline,
        {
          ...headline,
          metric: 'log_loss',
          method: 'bootstrap',
          bootstrap_method: 'bca',
        },
        {
          ...headline,
          metric: 'roc_auc',
          method: 'bootstrap',
          bootstrap_method: 'percentile',
          bootstrap_scheme: 'poisson',
        },
      ],
    });
    // Parentheses are escaped as all report text is; GitHub renders them plainly.
    expect(markdown).toMatch(/\| `log_loss` \|[^\n]*\| bootstrap \\\(bca\\\) \|/);
    expect(markdown).toMatch(/\| `roc_auc` \|[^\n]*\| bootstrap \\\(percentile, poisson\\\) \|/);
  });

  it('shows a rejected gate, nested slice metrics and unsupported slices', () => {
    const markdown = renderGateMarkdown(load('evaluate-gate-fail.json'));
    expect(markdown).toMatch(/^### ❌ Model gate/);
    expect(markdown).toContain('1 of 2 gates failed');
    expect(markdown).toContain(
      '| ❌ | `age_band` | `41+` | 348 | 0.74 | 0.8 | challenger below champion by 0.06 |',
    );
    expect(markdown).toContain(
      '| ⏭️ | `age_band` | `80+` | 12 | — | — | support 12 below minimum 30: not gated |',
    );
    expect(markdown).toContain('| ❌ | `sex` | `equalized_odds_difference` | 0.14 | 0.1 |');
  });
});

describe('registry renderers', () => {
  it('renders a lineage record: version, commit, checksums, params, metrics, gate', () => {
    const markdown = renderLineageMarkdown({ ...load('lineage.json'), storage: { backend: 'git' } });
    expect(markdown).toContain(
      'Registered `diabetes-classifier@v1.3.0`, from commit `3f2a9c1d5e7b`, gate passed.',
    );
    expect(markdown).toContain('| Gate | ✅ passed (`roc_auc` +0.014, CI -0.004 to +0.032) |');
    expect(markdown).toContain('| `data/train.csv` | `e3b0c44298fc` | 102,400 |');
    expect(markdown).toContain('| `n_estimators` | `200` |');
    expect(renderLineageMarkdown({ params: { seed: 20261122, lr: 0.000123456789 } })).toContain(
      '| `seed` | `20261122` |\n| `lr` | `0.000123456789` |',
    );
    expect(markdown).toContain('| Run | [run 123](https://github.com/octo-org/models/actions/runs/123) |');
    // Fields the renderer does not know yet still show.
    expect(markdown).toContain('| storage.backend | git |');
    expect(markdown).toContain('| Runner OS | `Linux` |');
    // The training run's verdict, when register-model was given a validate-training report.
    const trained = renderLineageMarkdown({
      training: {
        passed: false,
        report_sha256: 'ab'.repeat(32),
        report_schema: 'mlops.validate-training/v1',
        failed_checks: ['val_loss:max_rise_from_best', 'a|b'],
      },
    });
    expect(trained).toContain('| Training run | ❌ failed (`val_loss:max_rise_from_best`, `a\\|b`) |');
    expect(trained).toContain('| Training report sha256 | `abababababab` |');
    expect(trained).not.toContain('training.passed');
  });

  it('renders promotions, rollbacks, dispatch decisions and lookups in one sentence each', () => {
    const promote = renderPromoteMarkdown(load('promote.json'));
    expect(promote).toContain('`pima-diabetes` `v1.1.0` promoted to `production` (was `v1.0.0`).');
    expect(promote).toContain('| Stage tag | `pima-diabetes#production#4` |');
    expect(promote).toContain('| Gate | ✅ passed (`roc_auc` +0.00688, CI -0.01772 to +0.03148) |');
    // The audit trail, oldest first, folded under the stage's name.
    expect(promote).toContain('<details><summary>Audit trail of production (2 move(s))</summary>');
    expect(promote).toContain(
      '| 2026-11-22T03:37:27.000Z | promote | `v1.0.0` | `v1.1.0` | `demo-scientist` |',
    );
    expect(promote.indexOf('| 2026-11-22T03:37:24.000Z |')).toBeLessThan(
      promote.lastIndexOf('| 2026-11-22T03:37:27.000Z |'),
    );
    expect(renderPromoteMarkdown(load('promote-rollback.json'))).toContain(
      '### ℹ️ Rollback\n\n`pima-diabetes` `production` rolled back to `v1.0.0` (was `v1.1.0`).',
    );
    const dispatched = renderDispatchMarkdown(load('dispatch-retrain.json'));
    expect(dispatched).toContain('Dispatched mlops-pipeline.yml on main: drift detected \\(share 0.5;');
    expect(dispatched).toContain(
      '| Run | [run 1009](https://github.com/octo-org/pima-diabetes/actions/runs/1009) |',
    );
    expect(dispatched).toContain('| Cooldown | 24h |');
    const skipped = renderDispatchMarkdown(load('dispatch-retrain-skipped.json'));
    expect(skipped).toContain(
      '| Blocked by | duplicate: [run 1](https://github.com/octo-org/pima-diabetes/actions/runs/1009) (success) |',
    );
    expect(skipped).toContain('was already dispatched for this drift');
    const lookup = renderLookupMarkdown(load('lookup.json'));
    expect(lookup).toContain('`pima-diabetes@v1.0.0` in stage `production`.');
    expect(lookup).toContain('| Registry ref | `pima-diabetes@v1.0.0` |');
    expect(lookup).toContain('| Stages | `production` |');
    expect(lookup).toContain('| Backend | `git` |');
    expect(lookup).toContain("| Registry | git remote 'origin' |");
    expect(lookup.match(/\| Field \| Value \|/g)).toHaveLength(1);
  });

  it('renders the reports the actions write (demo outputs)', () => {
    const data = renderValidateDataMarkdown(load('validate-data-demo.json'));
    expect(data).toContain('1 of 40 checks failed; **dataset drift**: 4 of 8 columns drifted (50% ≥ 50%)');
    expect(data).toContain('<details><summary>39 passing checks</summary>');
    expect(data.match(/```mermaid/g)).toHaveLength(4);
    const gate = renderGateMarkdown(load('evaluate-gate-demo.json'));
    expect(gate).toContain('all 9 gates passed; 166 rows.');
    expect(gate.match(/```mermaid/g)).toHaveLength(2);
    expect(gate).toContain(
      '| `log_loss` | -0.01121 | 95%: -0.04069 to +0.01592 | bootstrap \\(percentile\\) | 0.448 |',
    );
    expect(gate).toMatch(
      /\| ✅ \| `age_group` \| `equalized_odds_difference` \| 0\.2 \| 0\.3301 \| max 0\.25 \| /,
    );
    expect(data).toContain('| `npreg` | ks | 5.760e-13 | 0.05 | <0.0001 | 0.3784 | ⚠️ drift |');
    expect(renderLineageMarkdown(load('lineage-demo.json'))).toContain('Registered `pima-diabetes@v1.1.0`');
  });

  it('links report URLs only to allowed hosts', () => {
    const markdown = renderDispatchMarkdown({
      ...load('dispatch-retrain.json'),
      run_url: 'https://evil.example/runs/1',
    });
    expect(markdown).toContain('| Run | run 1009 |');
  });
});

describe('any report', () => {
  it('renders every fixture to markdown whose HTML has no injected elements', () => {
    const allowed = new Set([
      'h3',
      'p',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'code',
      'strong',
      'em',
      'blockquote',
      'pre',
      'a',
      'br',
      'sub', // the charts' colour captions
    ]);
    for (const file of readdirSync(fixtures).filter((name) => name.endsWith('.json'))) {
      const html = renderHtml(sectionMarkdown(reportSection(load(file))));
      const unexpected = elements(html).filter((tag) => !allowed.has(tag));
      // The only <details> are the folds we write for passing checks and a stage's audit trail.
      const summaries = [...html.matchAll(/<summary>([^<]*)<\/summary>/g)].map((match) => match[1]);
      expect(
        summaries.every((summary) =>
          /^(\d+ passing checks?|Audit trail of [\w-]+ \(\d+ move\(s\)\))$/.test(summary!),
        ),
        file,
      ).toBe(true);
      expect(
        unexpected.filter((tag) => tag !== 'details' && tag !== 'summary'),
        file,
      ).toEqual([]);
      expect(unexpected.filter((tag) => tag === 'summary').length, file).toBe(summaries.length);
      for (const href of html.matchAll(/href="([^"]*)"/g))
        expect(href[1], file).toMatch(/^https:\/\/github\.com\//);
    }
  });

  it('answers an unknown schema with one line, not an error', () => {
    const section = reportSection(load('unknown-schema.json'));
    expect(section.title).toBe('Unrecognised report');
    expect(section.headline).toContain('schema `mlops.future-thing/v9`');
    expect(reportSection(null).headline).toContain('no schema field');
    expect(KNOWN_SCHEMAS).toContain('mlops.evaluate-gate/v1');
  });

  it('property: never throws on malformed reports of a known schema', () => {
    const schema = fc.constantFrom(...KNOWN_SCHEMAS);
    const junk = fc.anything({ maxDepth: 3, withNullPrototype: false });
    const report = fc.record(
      {
        schema,
        passed: junk,
        checks: fc.oneof(
          junk,
          fc.array(
            fc.dictionary(
              fc.constantFrom('column', 'check', 'passed', 'examples', 'unexpected_share', 'message'),
              junk,
            ),
          ),
        ),
        drift: fc.oneof(
          junk,
          fc.record({
            detected: junk,
            share: junk,
            columns: fc.dictionary(
              fc.string(),
              fc.oneof(junk, fc.record({ drift: junk, histogram: junk, score: junk })),
            ),
          }),
        ),
        models: junk,
        comparison: fc.oneof(junk, fc.record({ metric: junk, ci: junk, difference: junk })),
        gates: fc.oneof(junk, fc.array(junk)),
        slices: fc.oneof(junk, fc.array(junk)),
        fairness: fc.oneof(junk, fc.array(fc.record({ groups: junk, threshold: junk }))),
        curves: fc.oneof(
          junk,
          fc.record({ roc: fc.dictionary(fc.string(), fc.record({ fpr: junk, tpr: junk })) }),
        ),
        name: junk,
        version: junk,
        code: junk,
        data: junk,
        gate: junk,
        trigger: junk,
        dispatched: junk,
        reason: junk,
        lineage: junk,
      },
      { requiredKeys: ['schema'] },
    );
    fc.assert(
      fc.property(report, (value) => {
        expect(typeof sectionMarkdown(reportSection(value))).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});

describe('releaseAssetsMarkdown', () => {
  it('lists each asset with its checksum and whether this run uploaded it; names are escaped', () => {
    const markdown = releaseAssetsMarkdown('churn@v0.0.1', {
      htmlUrl: 'https://github.com/o/r/releases/tag/churn@v0.0.1',
      created: false,
      modelUri: 'https://github.com/o/r/releases/download/churn@v0.0.1/model.pkl',
      assets: [
        {
          name: 'model.pkl',
          url: 'https://x/model.pkl',
          bytes: 1234,
          sha256: 'ab'.repeat(32),
          uploaded: true,
        },
        { name: 'a|b <i>', url: 'javascript:alert(1)', bytes: 5, sha256: 'cd'.repeat(32), uploaded: false },
      ],
    });
    expect(markdown).toContain('### Release assets of `churn@v0.0.1`');
    expect(markdown).toContain('[Existing release](https://github.com/o/r/releases/tag/churn@v0.0.1)');
    expect(markdown).toContain(
      `| [model.pkl](https://x/model.pkl) | 1,234 | \`${'ab'.repeat(32)}\` | uploaded |`,
    );
    // Not a link (not http), the pipe cannot split the row, the tag is inert.
    expect(markdown).toContain(`| a\\|b &lt;i&gt; | 5 | \`${'cd'.repeat(32)}\` | already there |`);
  });
});

describe('promote audit trail', () => {
  it('escapes a hostile stage and actor and shows only the last 20 moves', () => {
    const audit = Array.from({ length: 25 }, (_, index) => ({
      action: 'promote',
      stage: 'prod<script>',
      from: null,
      to: `v${index}`,
      at: `t${index}`,
      actor: '@alice | x',
    }));
    const markdown = renderPromoteMarkdown({ schema: 'mlops.promote/v1', stage: 'prod<script>', audit });
    expect(markdown).toContain('<summary>Audit trail of prod&lt;script&gt; (25 move(s))</summary>');
    // Outside code spans (where GitHub renders nothing) the tag never appears raw.
    expect(markdown.replace(/`[^`]*`/g, '')).not.toContain('<script>');
    expect(markdown).not.toContain('| t4 |');
    expect(markdown).toContain('| t5 |');
    expect(markdown).toContain('_…and 5 earlier move(s) in the JSON report._');
    expect(markdown).toContain('`@alice \\| x`');
  });
});

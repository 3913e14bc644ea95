import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  composeComment,
  GITHUB_COMMENT_LIMIT,
  isStickyComment,
  REDUCTION_STEPS,
  stickyMarker,
} from './compose.ts';
import { stickyHeader } from './sticky-header.ts';
import { elements, renderHtml } from './test-support/render-html.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/reports');
const load = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));

/** A validate-data report of a chosen size: `columns` drifted columns with histograms, `checks` failed checks. */
function bigValidateReport(columns: number, checks: number, nameLength = 12): Record<string, unknown> {
  const name = (index: number) => `col_${index}_${'x'.repeat(nameLength)}`;
  return {
    schema: 'mlops.validate-data/v1',
    passed: false,
    rows: { current: 1000, reference: 1000 },
    checks: Array.from({ length: checks }, (_, index) => ({
      column: name(index),
      check: 'between',
      passed: index % 3 === 0,
      unexpected: index,
      unexpected_share: index / 1000,
      message: `value out of range ${'y'.repeat(index % 50)}`,
      examples: Array.from({ length: 8 }, (_, example) => `example-${example}-${index}`),
    })),
    drift: {
      detected: true,
      share: 0.9,
      threshold_share: 0.5,
      columns: Object.fromEntries(
        Array.from({ length: columns }, (_, index) => [
          name(index),
          {
            method: 'wasserstein',
            score: 0.1 + index / 10000,
            threshold: 0.1,
            drift: index % 4 !== 0,
            histogram: {
              edges: Array.from({ length: 11 }, (_, edge) => edge * 10),
              reference: Array.from({ length: 10 }, (_, bin) => 100 + bin),
              current: Array.from({ length: 10 }, (_, bin) => 200 - bin),
            },
          },
        ]),
      ),
    },
  };
}

function bigGateReport(gates: number): Record<string, unknown> {
  const gate = load('evaluate-gate-pass.json');
  return {
    ...gate,
    gates: Array.from({ length: gates }, (_, index) => ({
      name: `gate ${index}`,
      passed: index % 2 === 0,
      observed: index / 100,
      threshold: 0.5,
      ci: [0.1, 0.2],
      message: 'm'.repeat(index % 120),
    })),
    slices: Array.from({ length: gates }, (_, index) => ({
      column: 'region',
      group: `g${index}`,
      n: index,
      metrics: { roc_auc: 0.8 },
      passed: index % 5 !== 0,
    })),
  };
}

/** Invariants of every body; `render` also parses it as GitHub would (slow on 65 KB: ~1.5 s). */
function checkStructure(body: string, header: string, render = true) {
  expect(body.split('\n', 1)[0]).toBe(stickyMarker(header));
  expect(isStickyComment(body, header)).toBe(true);
  // Every <details> we open is closed, and mermaid fences come in pairs.
  expect((body.match(/<details/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
  expect((body.match(/^```/gm) ?? []).length % 2).toBe(0);
  if (!render) return;
  const html = renderHtml(body);
  expect((html.match(/<details/g) ?? []).length).toBe((html.match(/<\/details>/g) ?? []).length);
  expect(elements(html)).not.toContain('img');
  expect(elements(html)).not.toContain('script');
}

describe('sticky marker', () => {
  it('sanitises the header so it cannot end the HTML comment', () => {
    expect(stickyHeader('model A -->')).toBe('model-A');
    expect(stickyHeader('')).toBe('mlops');
    expect(stickyHeader('<!-- x --> y')).toBe('x-y');
    expect(stickyHeader('a'.repeat(200))).toHaveLength(64);
    expect(stickyMarker('nightly drift')).toBe('<!-- mlops-sticky:nightly-drift -->');
  });

  it('matches only a first-line marker for the same header', () => {
    const body = composeComment([load('promote.json')], { header: 'a' }).body;
    expect(isStickyComment(body, 'a')).toBe(true);
    expect(isStickyComment(body, 'b')).toBe(false);
    expect(isStickyComment(`quoting:\n${body}`, 'a')).toBe(false);
    expect(isStickyComment(null, 'a')).toBe(false);
  });
});

describe('composeComment', () => {
  it('lists verdicts first, in pipeline order, then one section per report', () => {
    const { body, verdict, reductions } = composeComment(
      [load('promote.json'), load('evaluate-gate-fail.json'), load('validate-data-pass.json')],
      { header: 'ci', labels: ['promote.json', 'gate.json', 'data.json'] },
    );
    expect(verdict).toBe('fail');
    expect(reductions).toEqual([]);
    const lines = body.split('\n');
    expect(lines[0]).toBe('<!-- mlops-sticky:ci -->');
    expect(lines[1]).toBe('### ❌ ML pipeline report · ci');
    expect(lines[3]).toMatch(/^- ✅ \*\*Data validation\*\* \(data\.json\) — All 3 checks passed/);
    expect(lines[4]).toMatch(/^- ❌ \*\*Model gate\*\* \(gate\.json\) — Challenger/);
    expect(lines[5]).toMatch(/^- ℹ️ \*\*Promotion\*\* \(promote\.json\) — /);
    expect(body).toContain('<details open><summary><b>Model gate (gate.json)</b> ❌</summary>');
    expect(body).toContain('#### Data validation \\(data.json\\)');
    checkStructure(body, 'ci');
  });

  it('keeps an oversized report under the limit and links the full reports', () => {
    const report = bigValidateReport(3000, 2000, 40);
    const { body, reductions } = composeComment([report, load('evaluate-gate-pass.json')], {
      detailsUrl: 'https://github.com/o/r/actions/runs/9',
    });
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(reductions.slice(0, 3)).toEqual(['examples', 'charts', 'passing rows']);
    expect(reductions[3]).toMatch(/^rows beyond \d{3} per table$/);
    expect(body.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 2000);
    expect(body).toContain('[workflow run](https://github.com/o/r/actions/runs/9)');
    expect(body).toContain(
      "To fit GitHub's comment limit this comment leaves out: examples, charts, passing rows",
    );
    // The gate section survived: the big section's detail went first.
    expect(body).toContain('**Gates**');
    expect(body).toContain('_…and 2 passing gates not shown (see the full report)._');
    checkStructure(body, 'mlops', false);
  });

  it('drops detail in the documented order and stops as soon as it fits', () => {
    const report = bigValidateReport(40, 30);
    const full = composeComment([report]).body.length;
    const noExamples = composeComment([report], { maxChars: full - 1 });
    expect(noExamples.reductions).toEqual(['examples']);
    expect(noExamples.body).toContain('```mermaid');
    expect(noExamples.body).not.toContain('example-1-');
    const noCharts = composeComment([report], { maxChars: noExamples.body.length - 1 });
    expect(noCharts.reductions).toEqual(['examples', 'charts']);
    expect(noCharts.body).not.toContain('```mermaid');
  });

  it('collapses whole sections and then counts verdict lines when nothing else fits', () => {
    const reports = Array.from({ length: 200 }, () => load('evaluate-gate-fail.json'));
    const { body, reductions } = composeComment(reports, { maxChars: 4000 });
    expect(body.length).toBeLessThanOrEqual(4000);
    expect(reductions).toContain('sections collapsed to their verdict line');
    expect(reductions).toContain('verdict lines beyond the limit');
    expect(body).toMatch(/_…and \d+ more reports \(see the full reports\)\._/);
    checkStructure(body, 'mlops');
  });

  it('renders injection in a column name inert and cannot forge a second marker', () => {
    const { body } = composeComment([load('injection.json')]);
    expect(body.match(/<!-- mlops-sticky/g)).toHaveLength(1);
    const html = renderHtml(body);
    expect(elements(html).filter((tag) => ['a', 'img', 'script', 'summary'].includes(tag))).toEqual([]);
    expect(body).not.toMatch(/@everyone|@octo-org|#1\b/);
    // The only Mermaid directives are the charts' own palettes, never one carried in by report data.
    for (const directive of body.match(/%%\{.*/g) ?? [])
      expect(directive).toMatch(/^%%\{init: \{"xyChart":\{"width":\d+\},"themeVariables"/);
    checkStructure(body, 'mlops');
  });

  it('says so when there are no reports', () => {
    expect(composeComment([]).body).toContain('_No reports were found._');
  });

  it('refuses a limit too small to hold a comment', () => {
    expect(() => composeComment([], { maxChars: 100 })).toThrow(RangeError);
  });

  it('property: never exceeds maxChars and stays well-formed, whatever the sizes', () => {
    const names = REDUCTION_STEPS.slice(1).map((step) => step.name);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc
              .record({ columns: fc.nat(300), checks: fc.nat(300), nameLength: fc.nat(120) })
              .map((size) => bigValidateReport(size.columns, size.checks, size.nameLength)),
            fc.nat(200).map(bigGateReport),
            fc.constantFrom(
              ...['lineage.json', 'promote.json', 'dispatch-retrain.json', 'injection.json'].map(load),
            ),
          ),
          { maxLength: 6 },
        ),
        fc.integer({ min: 1024, max: 70_000 }),
        fc.string({ maxLength: 80 }),
        (reports, maxChars, header) => {
          const { body, reductions } = composeComment(reports, {
            maxChars,
            header,
            detailsUrl: 'https://github.com/o/r/actions/runs/1',
          });
          expect(body.length).toBeLessThanOrEqual(maxChars);
          checkStructure(body, header, body.length < 8000);
          // Reductions fire in the documented order.
          const order = [...names, 'rows beyond', 'sections collapsed', 'verdict lines'];
          const ranks = reductions.map((name) => order.findIndex((step) => name.startsWith(step)));
          expect(ranks.every((rank) => rank >= 0)).toBe(true);
          expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
          expect(ranks).toEqual(ranks.map((_, index) => index).filter((index) => index < ranks.length));
        },
      ),
      { numRuns: 30 },
    );
  });
});

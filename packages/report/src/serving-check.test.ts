import { describe, expect, it } from 'vitest';
import { FULL_DETAIL } from './section.ts';
import { renderServingCheckMarkdown, servingCheckSection } from './serving-check.ts';

const report = {
  schema: 'mlops.serving-check/v1',
  passed: false,
  protocol: 'oip',
  url: 'http://127.0.0.1:8080',
  model: 'pima',
  served_version: '1.1.0',
  requests_file: 'golden.csv',
  expected_file: 'expected.csv',
  rows: 3,
  target: 'probability',
  joined_by: 'id',
  checks: [
    { name: 'readiness', status: 'passed', message: 'ready after 5 ms (2 probes)' },
    { name: 'parity', status: 'failed', message: '1 of 3 rows differ <img src=x> @alice' },
    { name: 'version', status: 'not-possible', message: 'no version header' },
  ],
  problems: [
    {
      phase: 'predict',
      request: 'POST /v2/models/pima/infer (rows 1-3)',
      problem: 'HTTP 503',
      status: 503,
      body: '<script>alert(1)</script> `x` | [l](https://evil)',
    },
  ],
  parity: {
    atol: 1e-6,
    rtol: 0,
    rows: 3,
    compared: 3,
    mismatches: 1,
    max_abs_diff: 0.4,
    worst: [
      { id: 'row|1', offline: 0.5, served: 0.9, abs_diff: 0.4, tolerance: 1e-6, match: false },
      { id: 'b', offline: 0.2, served: 0.2, abs_diff: 0, tolerance: 1e-6, match: true },
    ],
  },
  latency: {
    samples: 4,
    warmup: 1,
    repeats: 2,
    concurrency: 2,
    confidence: 0.95,
    mean_ms: 12,
    percentiles: [{ key: 'p95_ms', value: 14, ci: [11, 15], max: 10, passed: false }],
    histogram: { edges: [10, 12, 14], counts: [2, 2] },
  },
  explanation: '2 of 3 checks failed',
};

describe('serving-check section', () => {
  it('leads with the verdict and the failing checks, then the check table, worst rows, requests, latency', () => {
    const section = servingCheckSection(report);
    expect(section.verdict).toBe('fail');
    expect(section.headline).toBe('2 of 3 checks failed: parity, version.');
    const markdown = renderServingCheckMarkdown(report);
    expect(markdown).toContain('| parity | ❌ failed |');
    expect(markdown).toContain('| version | ❌ not-possible |');
    expect(markdown).toContain('**Worst rows** (1 row of 3 outside the tolerance)');
    expect(markdown).toContain('| `row\\|1` | 0.5 | 0.9 | 0.4 |');
    expect(markdown).toContain('xychart-beta');
    expect(markdown).toContain('| P95 | 14 | 11 – 15 | 10 | ❌ |');
  });

  it('escapes everything the server said', () => {
    const markdown = renderServingCheckMarkdown(report);
    expect(markdown).toContain('&lt;img src=x&gt; @\u200dalice');
    // The body sits in a code span (inert), its pipe escaped so the table holds.
    expect(markdown).toContain('``<script>alert(1)</script> `x` \\| [l](https://evil)``');
    const outsideCode = markdown.replace(/(`+).*?\1/g, '');
    expect(outsideCode).not.toMatch(/<script|<img|\]\(https:\/\/evil/);
  });

  it('hides passing worst rows and charts when detail is lowered', () => {
    const healthy = {
      ...report,
      passed: true,
      checks: [report.checks[0]],
      parity: { ...report.parity, mismatches: 0, worst: [report.parity.worst[1]] },
    };
    const lean = renderServingCheckMarkdown(healthy, { ...FULL_DETAIL, passingRows: false, charts: false });
    expect(lean).not.toContain('Largest differences');
    expect(lean).not.toContain('xychart');
    expect(servingCheckSection(healthy).headline).toMatch(
      /^All 3 golden rows served by `pima` version `1.1.0` within tolerance/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { canaryAnalysisSection, renderCanaryAnalysisMarkdown } from './canary-analysis.ts';
import { reportSection } from './render.ts';

const report = {
  schema: 'mlops.canary-analysis/v1',
  decision: 'rollback',
  reason: 'error_rate is worse on the canary: <img src=x onerror=alert(1)> @octocat',
  next_traffic_percent: 0,
  baseline: 'v1',
  canary: 'v2`|evil',
  started_at: '2026-11-02T08:00:00.000Z',
  elapsed_minutes: 45,
  soak_minutes: 30,
  alpha: 0.05,
  method: 'exact conditional binomial test',
  traffic: {
    expected_canary_percent: 10,
    observed_canary_percent: 10.02,
    baseline_requests: 243000,
    canary_requests: 27000,
    srm: { test: 'chi-square', statistic: 0.1, p_value: 0.75, threshold: 0.001, broken: false },
  },
  metrics: [
    {
      name: 'error|rate',
      status: 'regressed',
      baseline: { requests: 243000, events: 4860, rate: 0.02 },
      canary: { requests: 27000, events: 1080, rate: 0.04 },
      ratio: 2,
      ratio_bounds: [1.7, null],
      max_increase: 0.25,
      rollback_margin: 0,
      rollback_e_value: 1e30,
      promote_e_value: 0.001,
      e_value_threshold: 80,
      counter_resets: 2,
    },
  ],
  needs: { canary_requests: null, minutes: null },
  looks: [
    { minutes: 15, canary_requests: 9000, baseline_requests: 81000, bounds: { 'error|rate': [1.2, 3.5] } },
    { minutes: 30, canary_requests: 18000, baseline_requests: 162000, bounds: { 'error|rate': [1.5, 2.6] } },
    { minutes: 45, canary_requests: 27000, baseline_requests: 243000, bounds: { 'error|rate': [1.7, null] } },
  ],
  warnings: [],
};

describe('canary-analysis section', () => {
  it('puts the decision first and escapes untrusted text', () => {
    const section = canaryAnalysisSection(report);
    expect(section.verdict).toBe('fail');
    expect(section.headline).toMatch(/^\*\*roll back\*\* \(canary traffic to 0 %\)/);
    expect(section.headline).not.toContain('<img');
    expect(section.headline).not.toMatch(/(^|[^`\u200d])@octocat/);
    const markdown = renderCanaryAnalysisMarkdown(report);
    expect(markdown.split('\n')[0]).toBe('### ❌ Canary analysis');
    // A metric name with a pipe cannot break the table; every line of a table has the same cell count.
    for (const line of markdown.split('\n').filter((text) => text.startsWith('| ')))
      expect(line.replace(/\\\|/g, '').split('|').length).toBe(6);
    expect(markdown).toMatch(/SRM \(chi-square\): p = 0\.75 ✅/);
    expect(markdown).toContain('2 counter resets counted as restarts');
  });

  it('draws the bounds with named colours, capping an infinite upper bound', () => {
    const markdown = renderCanaryAnalysisMarkdown(report);
    expect(markdown).toContain('xychart-beta');
    expect(markdown).toMatch(
      /Colours: blue line = lower bound, orange line = upper bound \(capped at 3\), grey line = promote limit 1\.25, grey line = rollback limit 1/,
    );
    expect(markdown).toContain('line [1.2, 1.5, 1.7]');
    expect(markdown).toContain('line [3, 2.6, 3]');
    const withoutCharts = canaryAnalysisSection(report, {
      examples: true,
      charts: false,
      passingRows: true,
      maxRows: 10,
      linkHosts: [],
    });
    expect(withoutCharts.body).not.toContain('mermaid');
  });

  it('is what reportSection renders for the schema', () => {
    expect(reportSection(report).title).toBe('Canary analysis');
    expect(reportSection({ ...report, decision: 'promote', next_traffic_percent: 100 }).headline).toMatch(
      /^\*\*promote\*\* to full rollout \(100 %\)/,
    );
  });

  it('renders a mean metric: means and sds, the difference with its bounds, negative values on the chart', () => {
    const mean = {
      ...report,
      decision: 'continue',
      metrics: [
        {
          name: 'latency',
          kind: 'mean',
          status: 'undecided',
          value_column: 'latency_ms',
          worse: 'higher',
          baseline: { requests: 2700, events: 0, rate: null, mean: 70.1, sd: 28.9 },
          canary: { requests: 300, events: 0, rate: null, mean: 71.3, sd: 29.4 },
          difference: 1.2,
          difference_bounds: [-4.5, 6.9],
          max_difference: 5,
          rollback_difference: 0,
        },
      ],
      looks: [
        { minutes: 5, bounds: { latency: [-20, 22] } },
        { minutes: 10, bounds: { latency: [-4.5, 6.9] } },
      ],
    };
    const markdown = renderCanaryAnalysisMarkdown(mean);
    expect(markdown).toContain('| canary | 300 | 71.3 | 29.4 |');
    expect(markdown).toMatch(
      /difference canary − baseline \(higher is worse\) 1\.2, anytime-valid bounds -4\.5 to 6\.9/,
    );
    expect(markdown).toContain('line [-15, -4.5]');
    expect(markdown).toContain('y-axis "canary - baseline (worse is up)" -15 --> 15');
  });
});

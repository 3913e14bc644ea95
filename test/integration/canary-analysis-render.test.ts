// The canary-analysis job summary and its pull-request comment section drawn by mermaid.js in Debian's
// Chromium, as GitHub draws them: the bounds charts (rate ratios over 24 looks, a difference of means that
// goes below zero) render, and their axis labels do not collide.

import { type AnalysisInput, type ArmCounts, analyseCanary, parseCanaryConfig } from '@mlops/canary';
import { composeComment, renderCanaryAnalysisMarkdown } from '@mlops/report';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium, openRenderer, type Renderer } from '../../scripts/chromium-render.mjs';

const hasChromium = chromiumPath() !== undefined || process.env.CI === 'true';

function counts(minutes: number, perMinute: number, rate: number, value: number): ArmCounts {
  const trials = Float64Array.from({ length: minutes + 1 }, (_, k) => k * perMinute);
  return {
    trials,
    events: trials.map((n) => Math.round(n * rate)),
    sum: trials.map((n) => n * value),
    // a spread of 20 around the mean
    sumSquares: trials.map((n) => n * (value * value + 400)),
  };
}

function report(config: string, canaryRate: number, canaryValue: number): unknown {
  const minutes = 60;
  const input: AnalysisInput = {
    config: parseCanaryConfig(config, 'canary.yml'),
    baseline: 'v1.0.0',
    canary: 'v1.1.0',
    startedAt: 0,
    now: minutes * 60_000,
    times: Array.from({ length: minutes + 1 }, (_, k) => k * 60_000),
    metrics: [
      {
        name: 'error_rate',
        baseline: counts(minutes, 900, 0.01, 50),
        canary: counts(minutes, 100, canaryRate, 50),
      },
      {
        name: 'latency',
        baseline: counts(minutes, 900, 0.01, 50),
        canary: counts(minutes, 100, 0.01, canaryValue),
      },
    ],
    source: { kind: 'file', file: 'requests.csv' },
  };
  return analyseCanary(input);
}

const CONFIG = `source: file
traffic: { canary_percent: 10 }
soak: 30m
metrics:
  - { name: error_rate, events: status >= 500 }
  - { name: latency, kind: mean, value: latency_ms, max_difference: 3 }
`;

describe.skipIf(!hasChromium)('canary-analysis charts in Chromium', () => {
  let browser: Browser;
  let renderer: Renderer;
  beforeAll(async () => {
    browser = await launchChromium();
    renderer = await openRenderer(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['a healthy canary', CONFIG, 0.01, 50],
    ['an error regression and a latency regression', CONFIG, 0.03, 58],
    [
      'the Kayenta-style judge',
      CONFIG.replace('soak: 30m', 'soak: 30m\njudge: kayenta\nkayenta: { bucket: 5m }'),
      0.03,
      50,
    ],
  ] as const)('%s: the summary and the comment render, no labels collide', async (_, config, rate, value) => {
    const canary = report(config, rate, value);
    for (const markdown of [renderCanaryAnalysisMarkdown(canary), composeComment([canary]).body]) {
      const charts = (markdown.match(/```mermaid/g) ?? []).length;
      expect(charts).toBeGreaterThanOrEqual(2);
      const result = await renderer.render(markdown);
      expect(result.errors).toEqual([]);
      expect(result.overlaps).toEqual([]);
      expect(result.charts).toBe(charts);
    }
  });
});

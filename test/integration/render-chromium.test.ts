// Every Mermaid chart the reports can produce, drawn by mermaid.js in Debian's Chromium (headless), the way
// GitHub draws it in a comment or a job summary: a chart that does not render, or whose axis labels collide,
// fails here. The report fixtures cover each report kind (and the injection fixture, hostile labels); the
// demo's own comment and job summaries are checked in workflows-demo.test.ts with the same helper.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { composeComment } from '@mlops/report';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium, openRenderer, type Renderer } from '../../scripts/chromium-render.mjs';
import { repoRoot } from '../harness/runner.ts';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'reports');
const reportFiles = readdirSync(fixtures).filter((name) => name.endsWith('.json'));
const load = (name: string): unknown => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8'));

// CI installs chromium (.ci/run); on a developer's machine without it the test says why it did not run.
const hasChromium = chromiumPath() !== undefined || process.env.CI === 'true';

describe.skipIf(!hasChromium)('Mermaid charts in Chromium', () => {
  let browser: Browser;
  let renderer: Renderer;
  beforeAll(async () => {
    browser = await launchChromium();
    renderer = await openRenderer(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(reportFiles)('%s: every chart renders and no axis labels overlap', async (file) => {
    const { body } = composeComment([load(file)]);
    const charts = (body.match(/```mermaid/g) ?? []).length;
    const result = await renderer.render(body);
    expect(result.errors).toEqual([]);
    expect(result.overlaps).toEqual([]);
    expect(result.charts).toBe(charts);
  });

  it('fails on a chart mermaid cannot draw, and on labels that collide (the check can fail)', async () => {
    const broken = ['```mermaid', 'xychart-beta', '  x-axis [a, b', '  line [1, 2]', '```'].join('\n');
    const crowded = [
      '```mermaid',
      'xychart-beta',
      `  x-axis [${Array.from({ length: 40 }, (_, index) => `"a long category label ${index}"`).join(', ')}]`,
      `  bar [${Array.from({ length: 40 }, () => 1).join(', ')}]`,
      '```',
    ].join('\n');
    const result = await renderer.render(`${broken}\n\n${crowded}`);
    expect(result.errors).toHaveLength(1);
    expect(result.overlaps.length).toBeGreaterThan(0);
  });
});

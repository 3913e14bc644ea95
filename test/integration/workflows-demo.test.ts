// The one-command demo (`npm run demo`) and the rendering check of the pull-request comment it produces.
// The demo runs the committed bundles (dist/) through the runner emulator, like the other integration tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommentMarkdown } from '../../examples/demo/markdown-check.ts';
import { runStep, type StepRecord } from '../../examples/demo/steps.ts';
import { chromiumPath, launchChromium, openRenderer } from '../../scripts/chromium-render.mjs';
import { makeWorkspace, repoRoot } from '../harness/runner.ts';

const renderGfm = (markdown: string) =>
  micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

describe('pull-request comment rendering check', () => {
  const good = [
    '## mlops: ✅ gate passed',
    '',
    '| metric | champion | challenger | difference | 95% CI |',
    '|---|---:|---:|---:|---|',
    '| roc_auc | 0.838 | 0.845 | +0.007 | [-0.018, 0.031] |',
    '| a \\| b | 1 | 2 | 3 | 4 |',
    '',
    '<details><summary>glu: reference vs current</summary>',
    '',
    '```mermaid',
    'xychart-beta',
    '  title "glu"',
    '  x-axis [60, 90, "120", 150]',
    '  y-axis "share" 0 --> 0.5',
    '  bar [0.1, 0.4, 0.3, 0.2]',
    '  line [0.05, 0.25, 0.4, 0.3]',
    '```',
    '',
    '</details>',
  ].join('\n');

  it('accepts a body that GitHub renders as tables and charts, and agrees with a GFM renderer', () => {
    const check = checkCommentMarkdown(good);
    expect(check).toEqual({ tables: 1, charts: 1, mermaidBlocks: 1, problems: [] });
    const html = renderGfm(good);
    expect(count(html, /<table>/g)).toBe(check.tables);
    expect(count(html, /<code class="language-mermaid">/g)).toBe(check.mermaidBlocks);
  });

  it('finds what breaks rendering', () => {
    const broken = [
      '| a | b |',
      '|---|---|---|',
      '',
      '| x | y |',
      '|---|---|',
      '| 1 | 2 | 3 |',
      '',
      '```mermaid',
      'xychart-beta',
      '  x-axis [a, b, c]',
      '  bar [1, 2]',
      '  line [1, two, 3]',
      '  pie 3',
      '```',
      '<details>',
      '```',
      'never closed',
    ].join('\n');
    const { problems } = checkCommentMarkdown(broken);
    expect(problems).toEqual([
      'line 2: table delimiter row has 3 cells, header has 2: GitHub will not render the table',
      'line 6: table row has 3 cells, header has 2 (extra cells are dropped; an unescaped | in a value?)',
      "line 12: series value 'two' is not a number",
      "line 13: unknown xychart-beta statement 'pie 3'",
      'line 11: series has 2 values for 3 x-axis categories',
      'line 16: code fence ``` is never closed',
      '1 <details> opened but 0 closed',
    ]);
    // The GFM renderer agrees that the first table is not a table.
    expect(count(renderGfm(broken), /<table>/g)).toBe(1);
    expect(checkCommentMarkdown('x'.repeat(70_000)).problems[0]).toMatch(/at most 65536/);
  });
});

describe('npm run demo', () => {
  let out: string;
  let run: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), 'mlops-demo-'));
    run = spawnSync(process.execPath, [path.join(repoRoot, 'examples', 'demo.mjs')], {
      cwd: repoRoot,
      env: { ...process.env, MLOPS_DEMO_OUT: out },
      encoding: 'utf8',
      timeout: 120_000,
    });
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs every step of the pipeline and passes', () => {
    const stdout = String(run.stdout);
    expect(String(run.stderr)).not.toMatch(/TypeError|ReferenceError|at .*demo\.mjs/);
    // A failed step would name its action and give the action's own one-line message.
    const failed = stdout.split('\n').filter((text) => text.startsWith('FAILED'));
    for (const line of failed) expect(line).not.toContain('internal error');
    expect(failed).toEqual([]);
    expect(stdout).toContain('── summary: all steps passed');
    expect(run.status).toBe(0);
    expect(existsSync(path.join(out, 'summary.md'))).toBe(true);
  });

  it('tells the story: drift detected, gate promotes, rollback restores v1.0.0, one dispatch', () => {
    const stdout = String(run.stdout);
    expect(stdout).toMatch(/^data .*drift DETECTED/m);
    expect(stdout).toMatch(
      /^gate +promote: challenger 0\.845 vs champion 0\.838, difference \+0\.007, 95% CI \[-0\.018, 0\.031\]/m,
    );
    expect(stdout).toMatch(
      /^registry .*production v1\.0\.0 \(rolled back from v1\.1\.0\), staging v1\.1\.0/m,
    );
    expect(stdout).toMatch(/^retrain +DISPATCHED/m);
    expect(stdout).toMatch(/^retrain +not dispatched/m);
    expect(stdout).toContain('GitHub received 1 workflow_dispatch');
  });

  it('leaves a throw-away git registry with the example project committed and pushed', () => {
    const checkout = path.join(out, 'workspace');
    expect(existsSync(path.join(checkout, 'data', 'predictions.csv'))).toBe(true);
    const log = spawnSync('git', ['-C', path.join(out, 'remote.git'), 'log', '--oneline', 'main'], {
      encoding: 'utf8',
    });
    expect(log.stdout).toContain('Example project');
  });

  it('writes each report with its schema and a comment body that renders', () => {
    const reports = path.join(out, 'workspace', 'mlops-reports');
    const schemas: Record<string, string> = {
      'pr/validate-data.json': 'mlops.validate-data/v1',
      'pr/validate-training.json': 'mlops.validate-training/v1',
      'pr/evaluate-gate.json': 'mlops.evaluate-gate/v1',
      'pr/lineage.json': 'mlops.lineage/v1',
      'monitor/dispatch.json': 'mlops.dispatch-retrain/v1',
      'registry/rollback-production.json': 'mlops.promote/v1',
      'registry/lookup-production.json': 'mlops.lookup/v1',
      'serving/staging.json': 'mlops.serving-check/v1',
      'serving/skewed.json': 'mlops.serving-check/v1',
    };
    const stdout = String(run.stdout);
    for (const [file, schema] of Object.entries(schemas)) {
      expect(JSON.parse(readFileSync(path.join(reports, file), 'utf8')).schema, file).toBe(schema);
    }
    const body = path.join(reports, 'pr', 'comment.md');
    const markdown = readFileSync(body, 'utf8');
    const check = checkCommentMarkdown(markdown);
    expect(check.problems).toEqual([]);
    expect(check.tables).toBeGreaterThan(0);
    expect(check.charts).toBeGreaterThan(0); // the drifted columns' histograms
    expect(count(renderGfm(markdown), /<table>/g)).toBe(check.tables);
    expect(stdout).toContain('comment   renders');
  });

  // Where people look at it: the PR comment and every step's job summary, drawn in Debian's Chromium by
  // mermaid.js (CI installs chromium; without it, outside CI, this one test is skipped).
  it.skipIf(chromiumPath() === undefined && process.env.CI !== 'true')(
    "draws the demo's comment and every job summary in Chromium without a chart error or colliding labels",
    async () => {
      const summaries = path.join(out, 'summaries');
      const files = readdirSync(summaries).filter((name) => name.endsWith('.md'));
      expect(files.length).toBeGreaterThanOrEqual(10);
      const bodies: [string, string][] = [
        [
          'comment.md',
          readFileSync(path.join(out, 'workspace', 'mlops-reports', 'pr', 'comment.md'), 'utf8'),
        ],
        ...files.map((name): [string, string] => [name, readFileSync(path.join(summaries, name), 'utf8')]),
      ];
      const browser = await launchChromium();
      try {
        const renderer = await openRenderer(browser);
        let charts = 0;
        for (const [name, markdown] of bodies) {
          const result = await renderer.render(markdown);
          expect(result.errors, name).toEqual([]);
          expect(result.overlaps, name).toEqual([]);
          charts += result.charts;
        }
        expect(charts).toBeGreaterThan(0);
      } finally {
        await browser.close();
      }
    },
  );
});

describe('demo steps', () => {
  it("a failing step reports its action's own message and skips the steps that need it", async () => {
    const workspace = makeWorkspace();
    const log: string[] = [];
    const context = { workspace, env: {}, log: (line: string) => log.push(line) };
    const done: StepRecord[] = [];
    done.push(
      await runStep(
        {
          id: 'gate',
          title: 'gate a missing file',
          action: 'evaluate-gate',
          inputs: { predictions: 'nope.csv' },
        },
        context,
        done,
      ),
    );
    done.push(
      await runStep(
        { id: 'register', title: 'register', action: 'register-model', needs: ['gate'], inputs: {} },
        context,
        done,
      ),
    );
    expect(done[0]!.status).toBe('failed');
    expect(done[0]!.message).toMatch(/^evaluate-gate: .*nope\.csv/);
    expect(done[1]).toMatchObject({ status: 'skipped', message: 'skipped: needs gate' });
    expect(log.join('\n')).toContain('✗ gate a missing file (evaluate-gate');
  });
});

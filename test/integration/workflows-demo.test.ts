// The one-command demo (`npm run demo`) and the rendering check of the pull-request comment it produces.
// The demo runs the committed bundles (dist/) through the runner emulator, like the other integration tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommentMarkdown } from '../../examples/demo/markdown-check.ts';
import { repoRoot } from '../harness/runner.ts';

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

  it('runs every step or says which one failed and why, without crashing', () => {
    const stdout = String(run.stdout);
    expect(String(run.stderr)).not.toMatch(/TypeError|ReferenceError|at .*demo\.mjs/);
    expect(stdout).toContain('── summary:');
    expect(existsSync(path.join(out, 'summary.md'))).toBe(true);
    // A failed step names its action and gives the action's own one-line message, never an internal error.
    for (const line of stdout.split('\n').filter((text) => text.startsWith('FAILED'))) {
      expect(line).toMatch(
        /: (validate-data|evaluate-gate|register-model|promote|lookup-model|dispatch-retrain|pr-comment): /,
      );
      expect(line).not.toContain('internal error');
    }
    expect(run.status).toBe(stdout.includes('all steps passed') ? 0 : 1);
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
      'pr/evaluate-gate.json': 'mlops.evaluate-gate/v1',
      'pr/lineage.json': 'mlops.lineage/v1',
      'monitor/dispatch.json': 'mlops.dispatch-retrain/v1',
    };
    const stdout = String(run.stdout);
    for (const [file, schema] of Object.entries(schemas)) {
      const full = path.join(reports, file);
      if (!existsSync(full)) continue; // its action has not landed yet: the step failed above, said so
      expect(JSON.parse(readFileSync(full, 'utf8')).schema, file).toBe(schema);
    }
    const body = path.join(reports, 'pr', 'comment.md');
    if (existsSync(body)) {
      const markdown = readFileSync(body, 'utf8');
      const check = checkCommentMarkdown(markdown);
      expect(check.problems).toEqual([]);
      expect(count(renderGfm(markdown), /<table>/g)).toBe(check.tables);
      if (existsSync(path.join(reports, 'pr', 'validate-data.json'))) expect(check.charts).toBeGreaterThan(0);
      expect(stdout).toContain('comment   renders');
    }
  });
});

// `npm run screenshots`: the README's pictures of what a reviewer sees. Runs the demo (the committed bundles in
// dist/, into a temporary directory), then draws its pull-request comment and the gate's job summary in Debian's
// Chromium with mermaid.js, and writes the PNGs to docs/images/. Run it after a change to what the reports show
// (Debian's fonts-noto-color-emoji draws the verdict emoji as GitHub shows them).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, openRenderer } from './chromium-render.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const images = path.join(root, 'docs', 'images');
const out = mkdtempSync(path.join(tmpdir(), 'mlops-screenshots-'));

const demo = spawnSync(process.execPath, [path.join(root, 'examples', 'demo.mjs')], {
  cwd: root,
  env: { ...process.env, MLOPS_DEMO_OUT: out },
  encoding: 'utf8',
});
if (demo.status !== 0) {
  console.error(demo.stdout, demo.stderr);
  throw new Error('the demo failed: no screenshots taken');
}

const shots = [
  {
    file: 'pr-comment.png',
    markdown: path.join(out, 'workspace', 'mlops-reports', 'pr', 'comment.md'),
    header: 'github-actions bot commented',
    openDetails: false, // as a reviewer first sees it: one verdict line per report, folds closed
  },
  {
    file: 'job-summary-evaluate-gate.png',
    markdown: path.join(out, 'summaries', 'gate.md'),
    header: 'evaluate-gate summary',
    openDetails: true,
  },
];

mkdirSync(images, { recursive: true });
const browser = await launchChromium();
try {
  const renderer = await openRenderer(browser, { width: 980 });
  for (const shot of shots) {
    const result = await renderer.render(readFileSync(shot.markdown, 'utf8'), shot.header, shot);
    if (result.errors.length > 0) throw new Error(`${shot.file}: ${result.errors.join('; ')}`);
    const frame = await renderer.page.$('.frame');
    await frame.screenshot({ path: path.join(images, shot.file) });
    console.log(`wrote docs/images/${shot.file} (${result.charts} charts)`);
  }
} finally {
  await browser.close();
  rmSync(out, { recursive: true, force: true });
}

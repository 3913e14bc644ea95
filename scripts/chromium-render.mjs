// Renders report markdown where people look at it: GitHub-flavoured markdown to HTML (micromark, the parser
// GitHub's own renderer follows), every ```mermaid block drawn by mermaid.js (the library GitHub uses) in
// Debian's Chromium, headless. Used by the render test (a Mermaid error or colliding axis labels fail it) and
// by `npm run screenshots` (the README's pictures of a PR comment and a job summary).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** Debian's chromium (what .ci/run installs), or CHROMIUM_PATH. */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

/**
 * Headless Chromium with the flags this sandboxed, offline machine needs: no sandbox as root, no GPU, and no
 * background connections (they are refused here, many at a time, and slow every start).
 */
export async function launchChromium() {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  // playwright gives each launch a new, empty profile of its own.
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** GitHub-flavoured markdown to HTML, raw HTML kept (GitHub sanitises it; our reports only use <details>, <sub>, <br>). */
export function markdownToHtml(markdown) {
  return micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

// Close to github.com's markdown-body in its light theme: enough for a screenshot a reader recognises.
const STYLE = `
  body { margin: 0; background: #fff; color: #1f2328;
    font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
  .markdown-body { box-sizing: border-box; max-width: 900px; padding: 24px 32px; }
  .frame { border: 1px solid #d1d9e0; border-radius: 6px; }
  .frame-head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e;
    border-radius: 6px 6px 0 0; }
  h1, h2, h3 { margin: 16px 0 8px; font-weight: 600; } h3 { font-size: 1.25em; }
  table { border-collapse: collapse; margin: 8px 0 16px; display: block; overflow: auto; }
  th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } tr:nth-child(2n) { background: #f6f8fa; }
  code { background: rgba(129,139,152,.12); border-radius: 6px; padding: .2em .4em; font-size: 85%;
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
  blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
  details { margin: 8px 0; } summary { cursor: pointer; }
  .mermaid { margin: 8px 0; }
`;

/** The markdown body as HTML, with mermaid fences as <pre class="mermaid"> blocks for renderInto. */
function bodyHtml(markdown) {
  return markdownToHtml(markdown).replace(
    /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
    (_, code) => `<pre class="mermaid">${code}</pre>`,
  );
}

const MERMAID_SOURCE = () => readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8');

/**
 * A page that renders markdown bodies one after another: the styles and mermaid.js (3 MB) load once.
 * `header` is the grey bar above the body (a comment's author line, "Summary" of a job).
 */
export async function openRenderer(browser, { width = 1000 } = {}) {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  await page.setContent(
    `<!doctype html><html><head><meta charset="utf-8"><style>${STYLE}</style></head><body>
<div class="markdown-body"><div class="frame"><div class="frame-head"></div><div class="markdown-body" id="content"></div></div></div></body></html>`,
  );
  await page.addScriptTag({ content: MERMAID_SOURCE() });
  await page.evaluate(() =>
    globalThis.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' }),
  );
  return {
    page,
    /** @returns {Promise<{ charts: number, errors: string[], overlaps: string[] }>} */
    render: (markdown, header = '', { openDetails = true } = {}) =>
      renderInto(page, bodyHtml(markdown), header, openDetails),
    close: () => page.close(),
  };
}

/**
 * Opens every <details> (unless told not to), draws every Mermaid block and reports what a reader would see go wrong: blocks that
 * did not render (mermaid's own error), and x-axis labels of one chart whose boxes overlap.
 */
function renderInto(page, html, header, openDetails) {
  return page.evaluate(
    async ({ html, header, openDetails }) => {
      const mermaid = globalThis.mermaid;
      const head = document.querySelector('.frame-head');
      head.textContent = header;
      head.style.display = header ? '' : 'none';
      const content = document.getElementById('content');
      content.innerHTML = html;
      for (const details of content.querySelectorAll('details')) details.open = openDetails;
      const blocks = [...content.querySelectorAll('pre.mermaid')];
      const errors = [];
      const overlaps = [];
      let index = 0;
      for (const block of blocks) {
        const source = block.textContent ?? '';
        const title = /title "([^"]*)"/.exec(source)?.[1] ?? `chart ${index + 1}`;
        try {
          const { svg } = await mermaid.render(`chart-${Date.now()}-${index++}`, source);
          const holder = document.createElement('div');
          holder.className = 'mermaid';
          holder.innerHTML = svg;
          block.replaceWith(holder);
          const labels = [...holder.querySelectorAll('.bottom-axis text')]
            .map((text) => ({ text: text.textContent, box: text.getBoundingClientRect() }))
            .filter((label) => label.box.width > 0);
          for (let i = 1; i < labels.length; i++) {
            const [a, b] = [labels[i - 1], labels[i]];
            const overlapX = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
            const overlapY = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
            if (overlapX > 0.5 && overlapY > 0.5)
              overlaps.push(`${title}: x-axis labels "${a.text}" and "${b.text}" overlap`);
          }
        } catch (error) {
          errors.push(`${title}: ${String(error?.message ?? error).split('\n')[0]}`);
        }
      }
      return { charts: blocks.length, errors, overlaps };
    },
    { html, header, openDetails },
  );
}

import { groupThousands } from '@mlops/report/format';
import type { ValidateDataReport } from './validate.ts';

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => escapes[c]!);
}

function number(value: unknown): string {
  if (typeof value !== 'number') return value === undefined || value === null ? '—' : escapeHtml(value);
  if (Number.isInteger(value)) return groupThousands(value);
  return Number(value.toPrecision(4)).toString();
}

/** Reference (grey) and current (blue) shares per bin as an inline SVG: no scripts, no external assets. */
function histogramSvg(histogram: {
  reference: number[];
  current: number[];
  edges?: number[];
  categories?: string[];
}): string {
  const bins = histogram.reference.length;
  if (bins === 0 || bins !== histogram.current.length) return '';
  const width = 480;
  const height = 140;
  const max = Math.max(...histogram.reference, ...histogram.current, 1e-12);
  const slot = width / bins;
  const bar = Math.max(1, slot / 2 - 1);
  const bars: string[] = [];
  for (let i = 0; i < bins; i++) {
    const label =
      histogram.categories?.[i] ??
      (histogram.edges ? `${number(histogram.edges[i])} – ${number(histogram.edges[i + 1])}` : String(i));
    for (const [k, share, colour] of [
      [0, histogram.reference[i]!, '#9ca3af'],
      [1, histogram.current[i]!, '#2563eb'],
    ] as const) {
      const h = (share / max) * (height - 10);
      bars.push(
        `<rect x="${(i * slot + k * (bar + 1)).toFixed(1)}" y="${(height - h).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}"><title>${escapeHtml(label)}: ${k === 0 ? 'reference' : 'current'} ${(share * 100).toFixed(1)}%</title></rect>`,
      );
    }
  }
  return `<svg width="${width}" height="${height}" role="img" aria-label="reference vs current">${bars.join('')}</svg>`;
}

/** A self-contained HTML page of the report (inline CSS and SVG), for an artifact reviewers can open. */
export function renderHtmlReport(report: ValidateDataReport): string {
  const failed = report.checks.filter((check) => !check.passed);
  const verdict = report.passed ? 'passed' : 'failed';
  const checkRows = report.checks
    .map(
      (check) =>
        `<tr class="${check.passed ? 'ok' : check.severity}"><td>${check.passed ? '✅' : check.severity === 'error' ? '❌' : '⚠️'}</td><td>${escapeHtml(check.column ?? '(table)')}</td><td>${escapeHtml(check.check)}</td><td>${number(check.unexpected)}</td><td>${(check.unexpected_share * 100).toFixed(2)}%</td><td>${escapeHtml(check.message)}</td><td>${(check.examples ?? []).map((e) => `<code>${escapeHtml(typeof e === 'string' ? e : JSON.stringify(e))}</code>`).join(' ')}</td></tr>`,
    )
    .join('\n');
  const drift = report.drift;
  const driftRows = drift
    ? Object.entries(drift.columns)
        .map(
          ([name, column]) =>
            `<tr class="${column.drift ? 'error' : 'ok'}"><td>${escapeHtml(name)}</td><td>${escapeHtml(column.method)}</td><td>${number(column.score)}</td><td>${number(column.threshold)}</td><td>${column.drift ? 'drift' : 'no'}</td><td>${column.drift ? histogramSvg(column.histogram) : ''}</td></tr>`,
        )
        .join('\n')
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>validate-data: ${verdict}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:1rem 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}tr.error td{background:#fef2f2}
tr.warning td{background:#fffbeb}code{background:#f3f4f6;padding:0 3px}.legend span{display:inline-block;width:10px;height:10px;margin:0 4px}
</style></head><body>
<h1>Data validation ${report.passed ? '✅ passed' : '❌ failed'}</h1>
<p>${number(report.rows.current)} rows${report.rows.reference === null ? '' : ` vs ${number(report.rows.reference)} reference rows`}; ${failed.length} of ${report.checks.length} checks failed${drift ? `; drift share ${number(drift.share)} (threshold ${number(drift.threshold_share)}): ${drift.detected ? '<strong>dataset drift</strong>' : 'no dataset drift'}` : ''}.</p>
${report.checks.length > 0 ? `<h2>Checks</h2><table><tr><th></th><th>Column</th><th>Check</th><th>Unexpected</th><th>Share</th><th>Message</th><th>Examples</th></tr>\n${checkRows}</table>` : ''}
${drift ? `<h2>Drift</h2><p class="legend"><span style="background:#9ca3af"></span>reference <span style="background:#2563eb"></span>current (share of rows per bin)</p><table><tr><th>Column</th><th>Method</th><th>Score</th><th>Threshold</th><th>Drift</th><th>Distribution</th></tr>\n${driftRows}</table>` : ''}
</body></html>
`;
}

// mlops.serving-check/v1: does the deployed endpoint serve what was evaluated? Verdict, the check table,
// the worst rows, failed requests (with the start of what the server said), latency and its histogram.
// Everything a server said (bodies, versions, error messages inside check messages) is untrusted text.
import { SERVING_CHECK_SCHEMA } from '@mlops/schemas';
import { escapeMarkdown, inlineCode } from './escape.ts';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  code,
  formatNumber,
  formatPercent,
  isRecord,
  plural,
  VERDICT_ICON,
} from './format.ts';
import { compactNumber, xyChart } from './mermaid.ts';
import {
  blocks,
  type DetailOptions,
  FULL_DETAIL,
  type Section,
  sectionMarkdown,
  selectRows,
} from './section.ts';
import { markdownTable } from './table.ts';

const STATUS_ICON: Record<string, string> = {
  passed: VERDICT_ICON.pass,
  failed: VERDICT_ICON.fail,
  'not-possible': VERDICT_ICON.fail,
  skipped: VERDICT_ICON.skip,
};

const TARGET_WORDS: Record<string, string> = {
  probability: 'probabilities',
  class: 'classes',
  value: 'values',
};

export function servingCheckSection(report: unknown, detail: DetailOptions = FULL_DETAIL): Section {
  const data = asRecord(report);
  const checks = asArray(data.checks).filter(isRecord);
  const failing = checks.filter((check) => check.status === 'failed' || check.status === 'not-possible');
  const passed = data.passed === true;
  const parity = asRecord(data.parity);
  const rows = asNumber(data.rows);
  const model = asString(data.model);
  const version = asString(data.served_version);
  const target = [
    model ? inlineCode(model, { maxLength: 60 }) : undefined,
    version ? `version ${inlineCode(version, { maxLength: 60 })}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const p95 = asArray(asRecord(data.latency).percentiles)
    .map(asRecord)
    .find((entry) => entry.key === 'p95_ms');
  const headline = passed
    ? `${rows === undefined ? 'All' : `All ${plural(rows, 'golden row')}`} served${target ? ` by ${target}` : ''} within tolerance (max \\|Δ\\| ${formatNumber(parity.max_abs_diff)}${p95 ? `, P95 ${formatNumber(p95.value)} ms` : ''}).`
    : `${failing.length} of ${plural(checks.length, 'check')} failed: ${failing.map((check) => escapeMarkdown(check.name, { maxLength: 30 })).join(', ') || 'no verdict recorded'}.`;

  const checkTable = markdownTable(
    [{ header: 'check' }, { header: 'result', align: 'center' }, { header: 'detail' }],
    checks.map((check) => [
      escapeMarkdown(check.name, { maxLength: 30 }),
      `${STATUS_ICON[String(check.status)] ?? VERDICT_ICON.skip} ${escapeMarkdown(check.status, { maxLength: 20 })}`,
      escapeMarkdown(check.message, { maxLength: 400 }),
    ]),
  );

  const context = `${escapeMarkdown(data.protocol, { maxLength: 20 })} endpoint ${code(data.url, 120)}; golden rows ${code(data.requests_file, 120)} joined by ${escapeMarkdown(data.joined_by, { maxLength: 20 })} to ${code(data.expected_file, 120)} (${escapeMarkdown(TARGET_WORDS[String(data.target)] ?? data.target, { maxLength: 20 })}); tolerance ${formatNumber(parity.atol)} + ${formatNumber(parity.rtol)}·\\|offline\\|.`;

  return {
    schema: SERVING_CHECK_SCHEMA,
    title: 'Serving check',
    verdict: passed ? 'pass' : 'fail',
    headline,
    body: blocks(
      context,
      checkTable,
      worstRows(parity, detail),
      problems(data, detail),
      latency(asRecord(data.latency), detail),
      edgeCases(data, detail),
    ),
  };
}

export function renderServingCheckMarkdown(report: unknown, detail: DetailOptions = FULL_DETAIL): string {
  return sectionMarkdown(servingCheckSection(report, detail));
}

function worstRows(parity: Record<string, unknown>, detail: DetailOptions): string {
  const worst = asArray(parity.worst).filter(isRecord);
  if (worst.length === 0) return '';
  const mismatches = asNumber(parity.mismatches) ?? 0;
  // All rows matching: the margin is still worth a glance, but only with full detail.
  if (mismatches === 0 && !detail.passingRows) return '';
  const { rows, note } = selectRows(worst, (row) => row.match === true, detail, 'row');
  const table = markdownTable(
    [
      { header: 'id' },
      { header: 'offline', align: 'right' },
      { header: 'served', align: 'right' },
      { header: '\\|Δ\\|', align: 'right' },
      { header: 'tolerance', align: 'right' },
      { header: 'match', align: 'center' },
    ],
    rows.map((row) => [
      code(row.id, 60),
      formatNumber(row.offline, 6),
      row.served === null ? 'no answer' : formatNumber(row.served, 6),
      row.abs_diff === null ? '—' : formatNumber(row.abs_diff, 3),
      formatNumber(row.tolerance, 3),
      row.match === true ? VERDICT_ICON.pass : VERDICT_ICON.fail,
    ]),
  );
  const title =
    mismatches > 0
      ? `**Worst rows** (${plural(mismatches, 'row')} of ${formatNumber(parity.rows)} outside the tolerance)`
      : '**Largest differences** (every row within the tolerance)';
  return blocks(title, table, note);
}

function problems(data: Record<string, unknown>, detail: DetailOptions): string {
  const list = asArray(data.problems).filter(isRecord);
  if (list.length === 0) return '';
  const shown = list.slice(0, Math.min(detail.maxRows, 10));
  const table = markdownTable(
    [
      { header: 'request' },
      { header: 'problem' },
      { header: 'status', align: 'right' },
      { header: 'body (start)' },
    ],
    shown.map((problem) => [
      escapeMarkdown(problem.request, { maxLength: 120 }),
      escapeMarkdown(problem.problem, { maxLength: 200 }),
      problem.status === undefined ? '—' : formatNumber(problem.status),
      detail.examples && asString(problem.body)
        ? inlineCode(problem.body, { maxLength: 160, table: true })
        : '—',
    ]),
  );
  const more =
    list.length > shown.length
      ? `_…and ${plural(list.length - shown.length, 'more failed request')} (see the report)._`
      : '';
  return blocks(`**Failed requests** (${list.length})`, table, more);
}

function latency(data: Record<string, unknown>, detail: DetailOptions): string {
  const percentiles = asArray(data.percentiles).filter(isRecord);
  if (percentiles.length === 0) return '';
  const confidence = asNumber(data.confidence);
  const table = markdownTable(
    [
      { header: 'percentile' },
      { header: 'ms', align: 'right' },
      { header: `${confidence === undefined ? '' : `${formatPercent(confidence)} `}CI`, align: 'right' },
      { header: 'ceiling', align: 'right' },
      { header: 'result', align: 'center' },
    ],
    percentiles.map((entry) => {
      const ci = asArray(entry.ci);
      return [
        escapeMarkdown(
          String(entry.key ?? '')
            .replace('_ms', '')
            .toUpperCase(),
          { maxLength: 10 },
        ),
        formatNumber(entry.value),
        `${formatNumber(ci[0])} – ${formatNumber(ci[1])}`,
        entry.max === undefined ? '—' : formatNumber(entry.max),
        entry.passed === true ? VERDICT_ICON.pass : entry.passed === false ? VERDICT_ICON.fail : '—',
      ];
    }),
  );
  const about = `**Latency**: ${formatNumber(data.samples)} timed one-row requests (${formatNumber(data.repeats)} × ${formatNumber(data.concurrency)} concurrent clients, after ${formatNumber(data.warmup)} warm-up), mean ${formatNumber(data.mean_ms)} ms; a ceiling passes when the upper end of the bootstrap interval is within it.`;
  const histogram = asRecord(data.histogram);
  const edges = asArray(histogram.edges).map(Number);
  const counts = asArray(histogram.counts).map(Number);
  const chart =
    detail.charts && counts.length > 0 && edges.length === counts.length + 1
      ? xyChart({
          title: 'Latency of the timed requests (blue bars)',
          xLabels: counts.map((_, index) => compactNumber(edges[index]!)),
          xTitle: 'ms (bin lower edge)',
          yTitle: 'requests',
          bars: [{ name: 'requests', values: counts }],
        })
      : '';
  return blocks(about, table, chart);
}

function edgeCases(data: Record<string, unknown>, detail: DetailOptions): string {
  const list = asArray(data.edge_cases).filter(isRecord);
  if (list.length === 0) return '';
  const { rows, note } = selectRows(list, (entry) => entry.passed === true, detail, 'probe');
  const table = markdownTable(
    [
      { header: 'malformed request' },
      { header: 'status', align: 'right' },
      { header: 'result', align: 'center' },
      { header: 'detail' },
    ],
    rows.map((entry) => [
      escapeMarkdown(entry.case, { maxLength: 40 }),
      entry.status === null || entry.status === undefined ? 'no answer' : formatNumber(entry.status),
      entry.passed === true ? VERDICT_ICON.pass : VERDICT_ICON.fail,
      blocksInline(
        escapeMarkdown(entry.message, { maxLength: 160 }),
        detail.examples && asString(entry.body)
          ? inlineCode(entry.body, { maxLength: 120, table: true })
          : undefined,
      ),
    ]),
  );
  return blocks('**Malformed requests** (each must get a 4xx)', table, note);
}

function blocksInline(...parts: (string | undefined)[]): string {
  return parts.filter((part) => part !== undefined && part !== '').join(': ');
}

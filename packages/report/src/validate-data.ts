// mlops.validate-data/v1: data checks and drift against a reference.

import { VALIDATE_DATA_SCHEMA } from '@mlops/schemas';
import { escapeMarkdown } from './escape.ts';
import { warningsList } from './fields.ts';
import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  code,
  formatNumber,
  formatPercent,
  formatPValue,
  formatValue,
  isRecord,
  passIcon,
  plural,
  type Verdict,
} from './format.ts';
import { histogramChart } from './mermaid.ts';
import {
  blocks,
  collapsible,
  type DetailOptions,
  FULL_DETAIL,
  type Section,
  sectionMarkdown,
  selectRows,
} from './section.ts';
import { markdownTable } from './table.ts';

/** Most drift charts in one section: each is a few hundred characters and a tall image. */
export const MAX_DRIFT_CHARTS = 12;
const MAX_EXAMPLES = 5;
/** More passing checks than this (with no failure) go into a collapsed block. */
const FOLD_PASSING_CHECKS = 10;

interface Check {
  column: unknown;
  check: unknown;
  passed: boolean | undefined;
  severity: string | undefined;
  unexpected: unknown;
  unexpectedShare: unknown;
  message: unknown;
  examples: unknown[];
}

interface DriftColumn {
  name: string;
  method: unknown;
  score: unknown;
  threshold: unknown;
  drift: boolean | undefined;
  pValue: unknown;
  effectSize: unknown;
  /** false when the statistic came from sketches rather than the exact data. */
  exact: boolean | undefined;
  histogram: Record<string, unknown> | undefined;
}

function readChecks(report: Record<string, unknown>): Check[] {
  return asArray(report.checks).map((raw) => {
    const check = asRecord(raw);
    const examples = check.examples ?? check.unexpected_examples ?? check.sample;
    return {
      column: check.column,
      check: check.check ?? check.name ?? check.type,
      passed: asBoolean(check.passed),
      severity: typeof check.severity === 'string' ? check.severity : undefined,
      unexpected: check.unexpected,
      unexpectedShare: check.unexpected_share,
      message: check.message,
      examples: asArray(examples),
    };
  });
}

function readDriftColumns(drift: Record<string, unknown>): DriftColumn[] {
  const columns = drift.columns;
  const entries: [string, unknown][] = Array.isArray(columns)
    ? columns.map((entry) => [String(asRecord(entry).column ?? asRecord(entry).name ?? ''), entry])
    : Object.entries(asRecord(columns));
  return entries.map(([name, raw]) => {
    const column = asRecord(raw);
    return {
      name,
      method: column.method ?? column.stattest,
      score: column.score ?? column.statistic,
      threshold: column.threshold,
      drift: asBoolean(column.drift ?? column.drifted),
      pValue: column.adjusted_p_value ?? column.p_value_adjusted ?? column.p_value,
      effectSize: column.effect_size,
      exact: asBoolean(column.exact),
      histogram: isRecord(column.histogram) ? column.histogram : undefined,
    };
  });
}

function isWarningOnly(check: Check): boolean {
  return check.severity !== undefined && /^warn/i.test(check.severity);
}

export function validateDataSection(report: unknown, detail: DetailOptions = FULL_DETAIL): Section {
  const data = asRecord(report);
  const checks = readChecks(data);
  const drift = isRecord(data.drift) ? data.drift : undefined;
  const driftColumns = drift ? readDriftColumns(drift) : [];
  const failed = checks.filter((check) => check.passed === false);
  const failedErrors = failed.filter((check) => !isWarningOnly(check));
  const driftDetected = asBoolean(drift?.detected);
  const drifted = driftColumns.filter((column) => column.drift === true);

  const passed = asBoolean(data.passed) ?? failedErrors.length === 0;
  let verdict: Verdict = passed ? 'pass' : 'fail';
  if (verdict === 'pass' && (driftDetected === true || failed.length > 0)) verdict = 'warn';

  const phrases: string[] = [];
  if (checks.length > 0) {
    phrases.push(
      failed.length === 0
        ? `all ${plural(checks.length, 'check')} passed`
        : `${formatNumber(failed.length)} of ${plural(checks.length, 'check')} failed`,
    );
  }
  if (drift) {
    const share =
      asNumber(drift.share) ?? (driftColumns.length > 0 ? drifted.length / driftColumns.length : 0);
    const threshold = asNumber(drift.threshold_share);
    const comparison =
      threshold === undefined ? '' : `${share >= threshold ? '≥' : '<'} ${formatPercent(threshold)}`;
    const counted = `${formatNumber(drifted.length)} of ${plural(driftColumns.length, 'column')}`;
    phrases.push(
      driftDetected
        ? `**dataset drift**: ${counted} drifted (${formatPercent(share)}${comparison ? ` ${comparison}` : ''})`
        : `no dataset drift (${counted} drifted${comparison ? `, ${formatPercent(share)} ${comparison}` : ''})`,
    );
  }
  const rows = asRecord(data.rows);
  if (asNumber(rows.current) !== undefined) {
    const reference = asNumber(rows.reference);
    phrases.push(
      `${formatNumber(rows.current)} rows${reference === undefined ? '' : ` vs ${formatNumber(reference)} reference`}`,
    );
  }
  const headline =
    phrases.length > 0 ? `${phrases.join('; ')}.` : 'no checks or drift results in the report.';

  return {
    schema: VALIDATE_DATA_SCHEMA,
    title: 'Data validation',
    verdict,
    headline: capitalise(headline),
    body: blocks(
      warningsList(data.warnings),
      checksTable(checks, detail),
      driftTable(drift, driftColumns, detail),
      driftCharts(drifted, detail),
    ),
  };
}

function checksTable(checks: Check[], detail: DetailOptions): string {
  if (checks.length === 0) return '';
  const { rows, note } = selectRows(checks, (check) => check.passed !== false, detail, 'check');
  if (rows.length === 0) return blocks('**Checks**', note);
  const showExamples = detail.examples && rows.some((check) => check.examples.length > 0);
  const columns = [
    { header: '' },
    { header: 'Column' },
    { header: 'Check' },
    { header: 'Unexpected', align: 'right' as const },
    { header: 'Share', align: 'right' as const },
    { header: 'Message' },
    ...(showExamples ? [{ header: 'Examples' }] : []),
  ];
  const table = (subset: Check[]) =>
    markdownTable(
      columns,
      subset.map((check) => [
        check.passed === false && isWarningOnly(check) ? '⚠️' : passIcon(check.passed),
        check.column === undefined || check.column === null ? '_table_' : code(check.column),
        formatValue(check.check, 60),
        formatNumber(check.unexpected),
        typeof check.unexpectedShare === 'number' ? formatPercent(check.unexpectedShare) : '—',
        formatValue(check.message, 200),
        ...(showExamples ? [examplesCell(check.examples)] : []),
      ]),
    );
  const failing = rows.filter((check) => check.passed === false);
  const passing = rows.filter((check) => check.passed !== false);
  // Passing checks are usually most of the list and rarely what a reviewer came for: fold them away when
  // they would bury a failure or fill a screen.
  const fold = passing.length > 0 && (failing.length > 0 || passing.length > FOLD_PASSING_CHECKS);
  if (!fold) return blocks('**Checks**', table(rows), note);
  return blocks(
    '**Checks**',
    failing.length > 0 ? table(failing) : undefined,
    collapsible(`${plural(passing.length, 'passing check')}`, table(passing)),
    note,
  );
}

function examplesCell(examples: unknown[]): string {
  if (examples.length === 0) return '—';
  const shown = examples.slice(0, MAX_EXAMPLES).map((example) => code(example, 40));
  const more = examples.length > MAX_EXAMPLES ? ` …+${examples.length - MAX_EXAMPLES}` : '';
  return `${shown.join(', ')}${more}`;
}

function driftTable(
  drift: Record<string, unknown> | undefined,
  columns: DriftColumn[],
  detail: DetailOptions,
): string {
  if (!drift || columns.length === 0) return '';
  const { rows, note } = selectRows(columns, (column) => column.drift !== true, detail, 'column');
  const method =
    typeof drift.correction === 'string' ? ` (p-values adjusted: ${escapeMarkdown(drift.correction)})` : '';
  if (rows.length === 0) return blocks(`**Drift**${method}`, note);
  const present = (value: unknown) => value !== undefined && value !== null;
  const withP = rows.some((column) => present(column.pValue));
  const withEffect = rows.some((column) => present(column.effectSize));
  const table = markdownTable(
    [
      { header: 'Column' },
      { header: 'Method' },
      { header: 'Score', align: 'right' },
      { header: 'Threshold', align: 'right' },
      ...(withP ? [{ header: 'p-value', align: 'right' as const }] : []),
      ...(withEffect ? [{ header: 'Effect size', align: 'right' as const }] : []),
      { header: 'Drift' },
    ],
    rows.map((column) => [
      code(column.name),
      `${formatValue(column.method, 40)}${column.exact === false ? ' (sketch)' : ''}`,
      formatNumber(column.score),
      formatNumber(column.threshold),
      ...(withP ? [present(column.pValue) ? formatPValue(column.pValue) : '—'] : []),
      ...(withEffect ? [present(column.effectSize) ? formatNumber(column.effectSize) : '—'] : []),
      column.drift === true ? '⚠️ drift' : column.drift === false ? 'no' : '—',
    ]),
  );
  const floor = asNumber(drift.effect_size_floor);
  const floorNote =
    floor !== undefined && floor > 0
      ? `Columns need an effect size of at least ${formatNumber(floor)} to count as drifted.`
      : '';
  const sketched = rows.some((column) => column.exact === false)
    ? '_(sketch): computed from mergeable sketches, not the exact data._'
    : '';
  return blocks(`**Drift**${method}`, table, floorNote, sketched, note);
}

function driftCharts(drifted: DriftColumn[], detail: DetailOptions): string {
  if (!detail.charts) return '';
  const charts: string[] = [];
  let skipped = 0;
  for (const column of drifted) {
    if (!column.histogram) continue;
    if (charts.length >= Math.min(MAX_DRIFT_CHARTS, detail.maxRows)) {
      skipped++;
      continue;
    }
    const histogram = column.histogram;
    const chart = histogramChart(column.name, {
      edges: Array.isArray(histogram.edges) ? (histogram.edges as number[]) : undefined,
      categories: Array.isArray(histogram.categories) ? histogram.categories : undefined,
      reference: asArray(histogram.reference) as number[],
      current: asArray(histogram.current) as number[],
    });
    if (chart) charts.push(chart);
  }
  if (charts.length === 0) return '';
  const more = skipped > 0 ? `_…and ${plural(skipped, 'more chart')} not shown._` : '';
  return blocks('**Distributions of drifted columns** (share of rows per bin)', ...charts, more);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The validate-data report as job-summary markdown. Tolerates missing optional fields. */
export function renderValidateDataMarkdown(report: unknown, detail: DetailOptions = FULL_DETAIL): string {
  return sectionMarkdown(validateDataSection(report, detail));
}

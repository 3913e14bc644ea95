// mlops.evaluate-gate/v1: champion vs challenger on the same rows, with CIs, slices and fairness.

import { EVALUATE_GATE_SCHEMA } from '@mlops/schemas';
import { escapeMarkdown, inlineCode } from './escape.ts';
import { warningsList } from './fields.ts';
import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  asString,
  code,
  formatInterval,
  formatNumber,
  formatPercent,
  formatPValue,
  formatSigned,
  formatValue,
  isRecord,
  passIcon,
  plural,
} from './format.ts';
import { type CurveSeries, curveChart } from './mermaid.ts';
import {
  blocks,
  type DetailOptions,
  FULL_DETAIL,
  type Section,
  sectionMarkdown,
  selectRows,
} from './section.ts';
import { markdownTable } from './table.ts';

const MODEL_ORDER = ['challenger', 'champion'];

function modelMetrics(report: Record<string, unknown>, model: string): Record<string, unknown> {
  const entry = asRecord(asRecord(report.models)[model]);
  return isRecord(entry.metrics) ? entry.metrics : {};
}

function modelNames(report: Record<string, unknown>): string[] {
  const names = Object.keys(asRecord(report.models));
  return [
    ...MODEL_ORDER.filter((name) => names.includes(name)),
    ...names.filter((name) => !MODEL_ORDER.includes(name)),
  ];
}

function comparisonSentence(report: Record<string, unknown>): string | undefined {
  const comparison = asRecord(report.comparison);
  const metric = asString(comparison.metric);
  if (!metric) return undefined;
  const challenger = modelMetrics(report, 'challenger')[metric];
  const champion = modelMetrics(report, 'champion')[metric];
  const confidence = asNumber(comparison.confidence);
  const level = confidence === undefined ? '' : `${formatPercent(confidence)} `;
  const details = [
    Array.isArray(comparison.ci) ? `${level}CI ${formatInterval(comparison.ci)}` : undefined,
    asString(comparison.method) ? escapeMarkdown(comparison.method, { maxLength: 60 }) : undefined,
    asNumber(comparison.p_value) !== undefined ? `p ${pValueText(comparison.p_value)}` : undefined,
  ].filter(Boolean);
  const values =
    challenger !== undefined && champion !== undefined
      ? `challenger ${inlineCode(metric, { maxLength: 60 })} ${formatNumber(challenger)} vs champion ${formatNumber(champion)}`
      : `${inlineCode(metric, { maxLength: 60 })}`;
  const difference =
    comparison.difference === undefined ? '' : `: difference ${formatSigned(comparison.difference)}`;
  return `${values}${difference}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

function pValueText(value: unknown): string {
  const text = formatPValue(value);
  return text.startsWith('<') ? text : `= ${text}`;
}

export function evaluateGateSection(report: unknown, detail: DetailOptions = FULL_DETAIL): Section {
  const data = asRecord(report);
  const gates = asArray(data.gates).map(asRecord);
  const failedGates = gates.filter((gate) => gate.passed === false);
  const passed = asBoolean(data.passed) ?? (gates.length > 0 && failedGates.length === 0);
  const phrases = [
    comparisonSentence(data),
    gates.length > 0
      ? failedGates.length === 0
        ? `all ${plural(gates.length, 'gate')} passed`
        : `${formatNumber(failedGates.length)} of ${plural(gates.length, 'gate')} failed`
      : undefined,
    asNumber(data.n) !== undefined ? `${formatNumber(data.n)} rows` : undefined,
  ].filter((phrase): phrase is string => phrase !== undefined);
  const headline = phrases.length > 0 ? `${phrases.join('; ')}.` : 'no gate results in the report.';
  const explanation = asString(data.explanation);
  return {
    schema: EVALUATE_GATE_SCHEMA,
    title: 'Model gate',
    verdict: passed ? 'pass' : 'fail',
    headline: headline.charAt(0).toUpperCase() + headline.slice(1),
    body: blocks(
      explanation ? `> ${escapeMarkdown(explanation, { maxLength: 2000 })}` : undefined,
      warningsList(data.warnings),
      gatesTable(gates, detail),
      detail.passingRows ? comparisonsTable(data, detail) : undefined,
      detail.passingRows ? metricsTable(data, detail) : undefined,
      slicesTable(data, detail),
      fairnessTables(data, detail),
      flipsSection(data, detail),
      behavioralTable(data, detail),
      detail.charts ? curveCharts(data) : undefined,
    ),
  };
}

function gatesTable(gates: Record<string, unknown>[], detail: DetailOptions): string {
  if (gates.length === 0) return '';
  const { rows, note } = selectRows(gates, (gate) => gate.passed !== false, detail, 'gate');
  if (rows.length === 0) return blocks('**Gates**', note);
  const table = markdownTable(
    [
      { header: '' },
      { header: 'Gate' },
      { header: 'Observed', align: 'right' },
      { header: 'Threshold', align: 'right' },
      { header: 'CI' },
      { header: 'Message' },
    ],
    rows.map((gate) => [
      gate.passed === false && typeof gate.severity === 'string' && /^warn/i.test(gate.severity)
        ? '⚠️'
        : passIcon(gate.passed),
      code(gate.name, 80),
      formatNumber(gate.observed),
      thresholdText(gate.threshold),
      formatInterval(gate.ci),
      formatValue(gate.message, 300),
    ]),
  );
  return blocks('**Gates**', table, note);
}

/** Every paired comparison (`comparisons`), when there is more than the headline one. */
function comparisonsTable(data: Record<string, unknown>, detail: DetailOptions): string {
  const comparisons = asArray(data.comparisons).map(asRecord);
  if (comparisons.length < 2) return '';
  const shown = comparisons.slice(0, Math.max(0, detail.maxRows));
  const table = markdownTable(
    [
      { header: 'Metric' },
      { header: 'Difference', align: 'right' },
      { header: 'CI' },
      { header: 'Method' },
      { header: 'p-value', align: 'right' },
    ],
    shown.map((comparison) => {
      const confidence = asNumber(comparison.confidence);
      return [
        code(comparison.metric, 60),
        formatSigned(comparison.difference),
        Array.isArray(comparison.ci)
          ? `${confidence === undefined ? '' : `${formatPercent(confidence)}: `}${formatInterval(comparison.ci)}`
          : '—',
        formatValue(methodText(comparison), 60),
        comparison.p_value === undefined || comparison.p_value === null
          ? '—'
          : formatPValue(comparison.p_value),
      ];
    }),
  );
  const more =
    comparisons.length > shown.length
      ? `_…and ${plural(comparisons.length - shown.length, 'more comparison')}._`
      : '';
  return blocks('**Challenger − champion**', table, more);
}

/** Thresholds may be a number, `{min: x}` / `{max: x}` / `{margin: x}` objects, or text. */
function thresholdText(threshold: unknown): string {
  if (!isRecord(threshold)) return formatNumber(threshold);
  const parts = Object.entries(threshold)
    .slice(0, 4)
    .map(([key, value]) => `${escapeMarkdown(key, { maxLength: 30 })} ${formatNumber(value)}`);
  return parts.length > 0 ? parts.join(', ') : '—';
}

function metricsTable(data: Record<string, unknown>, detail: DetailOptions): string {
  const models = modelNames(data);
  if (models.length === 0) return '';
  const metrics = [...new Set(models.flatMap((model) => Object.keys(modelMetrics(data, model))))];
  if (metrics.length === 0) return '';
  const shown = metrics.slice(0, Math.max(0, detail.maxRows));
  const both = models.includes('challenger') && models.includes('champion');
  const table = markdownTable(
    [
      { header: 'Metric' },
      ...models.map((model) => ({
        header: escapeMarkdown(model, { maxLength: 40 }),
        align: 'right' as const,
      })),
      ...(both ? [{ header: 'Difference', align: 'right' as const }] : []),
    ],
    shown.map((metric) => {
      const values = models.map((model) => modelMetrics(data, model)[metric]);
      const challenger = modelMetrics(data, 'challenger')[metric];
      const champion = modelMetrics(data, 'champion')[metric];
      const difference =
        typeof challenger === 'number' && typeof champion === 'number'
          ? formatSigned(challenger - champion)
          : '—';
      return [code(metric, 60), ...values.map((value) => formatNumber(value)), ...(both ? [difference] : [])];
    }),
  );
  const more =
    metrics.length > shown.length ? `_…and ${plural(metrics.length - shown.length, 'more metric')}._` : '';
  return blocks('**Metrics**', table, more);
}

function primaryMetric(data: Record<string, unknown>): string | undefined {
  return asString(asRecord(data.comparison).metric);
}

function slicesTable(data: Record<string, unknown>, detail: DetailOptions): string {
  const slices = asArray(data.slices).map(asRecord);
  if (slices.length === 0) return '';
  const metric = primaryMetric(data);
  const { rows, note } = selectRows(slices, (slice) => slice.passed !== false, detail, 'slice');
  if (rows.length === 0) return blocks('**Slices**', note);
  const nested = rows.some((slice) => isRecord(asRecord(slice.metrics).challenger));
  const metricHeaders = metric
    ? nested
      ? [`challenger ${escapeMarkdown(metric)}`, `champion ${escapeMarkdown(metric)}`]
      : [escapeMarkdown(metric)]
    : [];
  const table = markdownTable(
    [
      { header: '' },
      { header: 'Column' },
      { header: 'Group' },
      { header: 'Support', align: 'right' },
      ...metricHeaders.map((header) => ({ header, align: 'right' as const })),
      { header: 'Note' },
    ],
    rows.map((slice) => {
      const metrics = asRecord(slice.metrics);
      const values = metric
        ? nested
          ? [asRecord(metrics.challenger)[metric], asRecord(metrics.champion)[metric]]
          : [metrics[metric]]
        : [];
      return [
        passIcon(slice.passed),
        code(slice.column),
        code(slice.group),
        formatNumber(slice.n ?? slice.support),
        ...values.map((value) => formatNumber(value)),
        formatValue(slice.message ?? slice.reason, 200),
      ];
    }),
  );
  return blocks('**Slices**', table, note);
}

function fairnessTables(data: Record<string, unknown>, detail: DetailOptions): string {
  const fairness = asArray(data.fairness).map(asRecord);
  if (fairness.length === 0) return '';
  const { rows, note } = selectRows(fairness, (entry) => entry.passed !== false, detail, 'fairness check');
  if (rows.length === 0) return blocks('**Fairness**', note);
  const withChampion = rows.some((entry) => typeof entry.champion_value === 'number');
  const table = markdownTable(
    [
      { header: '' },
      { header: 'Column' },
      { header: 'Metric' },
      { header: 'Value', align: 'right' },
      ...(withChampion ? [{ header: 'Champion', align: 'right' as const }] : []),
      { header: 'Threshold', align: 'right' },
      { header: 'Note' },
    ],
    rows.map((entry) => [
      passIcon(entry.passed),
      code(entry.column),
      code(entry.metric, 60),
      formatNumber(entry.value),
      ...(withChampion ? [formatNumber(entry.champion_value)] : []),
      thresholdText(entry.threshold),
      formatValue(entry.message ?? entry.status, 200),
    ]),
  );
  const groups = detail.passingRows ? rows.map((entry) => groupsTable(entry, detail)).filter(Boolean) : [];
  return blocks('**Fairness**', table, note, ...groups);
}

/** Golden-set flips: the counts, the bound the budget is judged on, and the first flipped ids. */
function flipsSection(data: Record<string, unknown>, detail: DetailOptions): string {
  if (!isRecord(data.flips)) return '';
  const flips = data.flips;
  const table = markdownTable(
    [
      { header: '' },
      { header: 'Rows', align: 'right' },
      { header: 'Negative flips', align: 'right' },
      { header: 'Positive flips', align: 'right' },
      { header: 'NFR', align: 'right' },
      { header: 'Upper bound', align: 'right' },
      { header: 'Budget', align: 'right' },
      { header: 'BTC', align: 'right' },
      { header: 'McNemar p', align: 'right' },
    ],
    [
      [
        passIcon(flips.passed),
        formatNumber(flips.n),
        formatNumber(flips.negative),
        formatNumber(flips.positive),
        formatNumber(flips.negative_flip_rate),
        formatNumber(flips.upper_bound),
        flips.max_negative_flip_rate === undefined ? '—' : formatNumber(flips.max_negative_flip_rate),
        formatNumber(flips.btc),
        formatPValue(flips.mcnemar_p),
      ],
    ],
  );
  const ids = asArray(flips.ids).slice(0, 10);
  const idsLine =
    ids.length > 0
      ? `First negative flips (the champion was right, the challenger is wrong): ${ids.map((id) => code(id)).join(', ')}${asNumber(flips.negative)! > ids.length ? ', …' : ''}`
      : '';
  const sliceRows = asArray(flips.slices).map(asRecord);
  const { rows, note } = selectRows(sliceRows, (entry) => entry.passed !== false, detail, 'flip slice');
  const slices =
    rows.length > 0
      ? markdownTable(
          [
            { header: '' },
            { header: 'Column' },
            { header: 'Group' },
            { header: 'Rows', align: 'right' },
            { header: 'Negative flips', align: 'right' },
            { header: 'NFR', align: 'right' },
            { header: 'Upper bound', align: 'right' },
            { header: 'First ids' },
          ],
          rows.map((entry) => [
            passIcon(entry.passed),
            code(entry.column),
            code(entry.group),
            formatNumber(entry.n),
            formatNumber(entry.negative),
            entry.status === 'insufficient' ? 'not enough data' : formatNumber(entry.negative_flip_rate),
            entry.status === 'insufficient' ? '—' : formatNumber(entry.upper_bound),
            asArray(entry.ids)
              .slice(0, 3)
              .map((id) => code(id))
              .join(', '),
          ]),
        )
      : '';
  return blocks('**Golden-set flips**', table, idsLine, slices, sliceRows.length > 0 ? note : '');
}

/** Behavioral tests: cases failed by each model, the fail rates, McNemar between them, failed examples. */
function behavioralTable(data: Record<string, unknown>, detail: DetailOptions): string {
  const tests = asArray(data.behavioral).map(asRecord);
  if (tests.length === 0) return '';
  const { rows, note } = selectRows(tests, (entry) => entry.passed !== false, detail, 'behavioral test');
  if (rows.length === 0) return blocks('**Behavioral tests**', note);
  const withChampion = rows.some((entry) => asRecord(entry.failed).champion !== undefined);
  const table = markdownTable(
    [
      { header: '' },
      { header: 'Test' },
      { header: 'Type' },
      { header: 'Cases', align: 'right' },
      { header: 'Failed', align: 'right' },
      { header: 'Fail rate', align: 'right' },
      ...(withChampion
        ? [
            { header: 'Champion failed', align: 'right' as const },
            { header: 'Champion rate', align: 'right' as const },
            { header: 'McNemar p', align: 'right' as const },
          ]
        : []),
      { header: 'Threshold', align: 'right' },
      { header: 'Failed cases' },
    ],
    rows.map((entry) => {
      const failed = asRecord(entry.failed);
      const rate = asRecord(entry.fail_rate);
      const excluded = asNumber(asRecord(entry.excluded).challenger) ?? 0;
      // A test without a bound is reported, not gated: neither a pass nor a fail.
      const gated = Object.keys(asRecord(entry.threshold)).length > 0;
      return [
        passIcon(gated ? entry.passed : undefined),
        code(entry.test),
        escapeMarkdown(asString(entry.type) ?? '', { maxLength: 20 }),
        `${formatNumber(entry.cases)}${excluded > 0 ? ` (${formatNumber(excluded)} cannot fail)` : ''}`,
        formatNumber(failed.challenger),
        formatNumber(rate.challenger),
        ...(withChampion
          ? [formatNumber(failed.champion), formatNumber(rate.champion), formatPValue(entry.mcnemar_p)]
          : []),
        thresholdText(entry.threshold),
        asArray(entry.examples)
          .slice(0, 5)
          .map((id) => code(id))
          .join(', '),
      ];
    }),
  );
  return blocks('**Behavioral tests**', table, note);
}

/** Per-group rates behind one fairness metric: `groups` as `{name: {...}}` or `[{group, ...}]`. */
function groupsTable(entry: Record<string, unknown>, detail: DetailOptions): string {
  const raw = entry.groups;
  const groups: [unknown, Record<string, unknown>][] = Array.isArray(raw)
    ? raw.map((group) => [asRecord(group).group ?? asRecord(group).name, asRecord(group)])
    : Object.entries(asRecord(raw)).map(([name, group]) => [name, asRecord(group)]);
  if (groups.length === 0) return '';
  const reserved = new Set(['group', 'name', 'n', 'support']);
  const keys = [...new Set(groups.flatMap(([, group]) => Object.keys(group)))]
    .filter((key) => !reserved.has(key) && groups.some(([, group]) => typeof group[key] === 'number'))
    .slice(0, 6);
  const shown = groups.slice(0, Math.max(0, detail.maxRows));
  const table = markdownTable(
    [
      { header: 'Group' },
      { header: 'Support', align: 'right' },
      ...keys.map((key) => ({ header: escapeMarkdown(key, { maxLength: 30 }), align: 'right' as const })),
    ],
    shown.map(([name, group]) => [
      code(name),
      formatNumber(group.n ?? group.support),
      ...keys.map((key) => formatNumber(group[key])),
    ]),
  );
  const more =
    groups.length > shown.length ? `_…and ${plural(groups.length - shown.length, 'more group')}._` : '';
  return blocks(`Groups of ${code(entry.column)} for ${code(entry.metric, 60)}:`, table, more);
}

/** ROC and calibration curves, with scikit-learn's names (roc_curve: fpr/tpr; calibration_curve: prob_pred/prob_true). */
function curveCharts(data: Record<string, unknown>): string {
  const curves = asRecord(data.curves);
  const roc = curveSeries(asRecord(curves.roc), ['fpr'], ['tpr']);
  const calibration = curveSeries(
    asRecord(curves.calibration),
    ['prob_pred', 'mean_predicted'],
    ['prob_true', 'fraction_positive'],
  );
  return blocks(
    roc.length > 0 ? curveChart('ROC', 'false positive rate', 'true positive rate', roc) : undefined,
    calibration.length > 0
      ? curveChart('Calibration', 'mean predicted probability', 'fraction of positives', calibration)
      : undefined,
  );
}

function curveSeries(models: Record<string, unknown>, xKeys: string[], yKeys: string[]): CurveSeries[] {
  const series: CurveSeries[] = [];
  const names = [
    ...MODEL_ORDER.filter((name) => name in models),
    ...Object.keys(models).filter((name) => !MODEL_ORDER.includes(name)),
  ];
  for (const name of names.slice(0, 4)) {
    const curve = asRecord(models[name]);
    const x = xKeys.map((key) => curve[key]).find(Array.isArray);
    const y = yKeys.map((key) => curve[key]).find(Array.isArray);
    if (!x || !y || x.length !== y.length || x.length < 2) continue;
    const xs = x.map(Number);
    const ys = y.map(Number);
    if (xs.some((value) => !Number.isFinite(value)) || ys.some((value) => !Number.isFinite(value))) continue;
    series.push({ name, x: xs, y: ys });
  }
  return series;
}

/** The evaluate-gate report as job-summary markdown. Tolerates missing optional fields. */
export function renderGateMarkdown(report: unknown, detail: DetailOptions = FULL_DETAIL): string {
  return sectionMarkdown(evaluateGateSection(report, detail));
}

/** "delong", or "bootstrap (percentile, poisson)": the interval method and, for roc_auc, the resampling scheme. */
function methodText(comparison: Record<string, unknown>): unknown {
  const details = [comparison.bootstrap_method, comparison.bootstrap_scheme].filter(
    (part): part is string => typeof part === 'string',
  );
  return details.length === 0 ? comparison.method : `${String(comparison.method)} (${details.join(', ')})`;
}

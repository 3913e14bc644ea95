// mlops.validate-training/v1: the checks on a training run's metrics history, with line charts of the
// checked metrics (training and validation series of one metric share a chart).

import { VALIDATE_TRAINING_SCHEMA } from '@mlops/schemas';
import { escapeMarkdown } from './escape.ts';
import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  asString,
  code,
  formatNumber,
  formatPercent,
  isRecord,
  passIcon,
  plural,
} from './format.ts';
import { interpolateAt, SERIES_COLOURS, xyChart } from './mermaid.ts';
import {
  blocks,
  type DetailOptions,
  FULL_DETAIL,
  type Section,
  sectionMarkdown,
  selectRows,
} from './section.ts';
import { markdownTable } from './table.ts';

/** Most charts in one section; most points on one chart (xychart-beta spaces points evenly). */
const MAX_CHARTS = 6;
const MAX_CHART_POINTS = 40;
/** Prefixes that name the validation twin of a training metric (Keras / Lightning, Hugging Face). */
const VALIDATION_PREFIXES = ['val_', 'eval_', 'valid_', 'validation_'];

interface Check {
  metric: unknown;
  check: string;
  passed: boolean | undefined;
  observed: unknown;
  threshold: unknown;
  step: unknown;
  message: unknown;
  details: Record<string, unknown>;
}

function readChecks(report: Record<string, unknown>): Check[] {
  return asArray(report.checks).map((raw) => {
    const check = asRecord(raw);
    return {
      metric: check.metric,
      check: asString(check.check) ?? '',
      passed: asBoolean(check.passed),
      observed: check.observed,
      threshold: check.threshold,
      step: check.step,
      message: check.message,
      details: asRecord(check.details),
    };
  });
}

export function validateTrainingSection(report: unknown, detail: DetailOptions = FULL_DETAIL): Section {
  const data = asRecord(report);
  const checks = readChecks(data);
  const failed = checks.filter((check) => check.passed === false);
  const passed = asBoolean(data.passed) ?? (checks.length > 0 && failed.length === 0);
  const steps = asNumber(data.steps);
  const stepKey = asString(data.step_key);
  const over =
    steps === undefined
      ? ''
      : ` over ${plural(steps, stepKey ? `${escapeMarkdown(stepKey, { maxLength: 40 })} value` : 'row')}`;
  const headline =
    checks.length === 0
      ? 'no checks in the report.'
      : failed.length === 0
        ? `all ${plural(checks.length, 'check')} passed${over}.`
        : `${formatNumber(failed.length)} of ${plural(checks.length, 'check')} failed${over}: ${failed
            .slice(0, 4)
            .map((check) => `${code(check.metric, 60)} ${escapeMarkdown(check.check)}`)
            .join(', ')}${failed.length > 4 ? ', …' : ''}.`;

  // Passing implied finite checks (one per checked metric) would double the table; one line names them.
  const implied = checks.filter((check) => check.passed === true && check.details.implied === true);
  const listed = checks.filter((check) => !implied.includes(check));
  const selection = selectRows(listed, (check) => check.passed === true, detail, 'check');
  const impliedNote =
    implied.length === 0 || !detail.passingRows
      ? ''
      : `_All values finite in ${implied.map((check) => code(check.metric, 60)).join(', ')} (checked for every metric the checks read)._`;
  const table =
    selection.rows.length === 0
      ? ''
      : markdownTable(
          [
            { header: '' },
            { header: 'metric' },
            { header: 'check' },
            { header: 'observed', align: 'right' },
            { header: 'threshold', align: 'right' },
            { header: escapeMarkdown(stepKey || 'step', { maxLength: 40 }), align: 'right' },
            { header: 'detail' },
          ],
          selection.rows.map((check) => [
            passIcon(check.passed),
            code(check.metric, 80),
            escapeMarkdown(check.check, { maxLength: 40 }),
            formatObserved(check),
            formatThreshold(check),
            check.step === null || check.step === undefined ? '—' : formatNumber(check.step),
            escapeMarkdown(check.message, { maxLength: 240 }),
          ]),
        );
  const source = [
    asString(data.log) ? `Log ${code(data.log, 120)}` : undefined,
    asString(data.format) ? `format ${escapeMarkdown(data.format, { maxLength: 20 })}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const charts = detail.charts ? historyCharts(asRecord(data.history), stepKey ?? '') : [];
  return {
    schema: VALIDATE_TRAINING_SCHEMA,
    title: 'Training run',
    verdict: checks.length === 0 ? 'skip' : passed ? 'pass' : 'fail',
    headline,
    body: blocks(table, selection.note, impliedNote, source ? `_${source}._` : '', ...charts),
  };
}

export function renderValidateTrainingMarkdown(report: unknown, detail: DetailOptions = FULL_DETAIL): string {
  return sectionMarkdown(validateTrainingSection(report, detail));
}

function formatObserved(check: Check): string {
  const value = check.observed;
  if (value === null || value === undefined) return '—';
  switch (check.check) {
    case 'finite':
      return `${formatNumber(value)} non-finite`;
    case 'min_decrease':
    case 'max_rise_from_best':
      return formatPercent(value);
    case 'plateau':
      return `${formatNumber(value)} without improvement`;
    default:
      return formatNumber(value);
  }
}

function formatThreshold(check: Check): string {
  const value = check.threshold;
  if (Array.isArray(value)) return `${formatNumber(value[0])} to ${formatNumber(value[1])}`;
  if (value === null || value === undefined) return '—';
  switch (check.check) {
    case 'finite':
      return '0';
    case 'min_decrease':
      return `≥ ${formatPercent(value)}`;
    case 'max_rise_from_best':
      return `≤ ${formatPercent(value)}`;
    case 'min':
    case 'plateau':
      return `≥ ${formatNumber(value)}`;
    case 'percentile':
      return `${check.details.bound === 'min' ? '≥' : '≤'} ${formatNumber(value)}`;
    default:
      return `≤ ${formatNumber(value)}`;
  }
}

interface Series {
  name: string;
  steps: number[];
  /** null: a non-finite value (not drawn). */
  values: (number | null)[];
}

function readSeries(history: Record<string, unknown>): Series[] {
  return Object.entries(history).flatMap(([name, raw]) => {
    const entry = asRecord(raw);
    const steps = asArray(entry.step).map((step) => (typeof step === 'number' ? step : Number.NaN));
    const values = asArray(entry.value).map((value) => asNumber(value) ?? null);
    if (steps.length === 0 || steps.length !== values.length || steps.some((step) => !Number.isFinite(step)))
      return [];
    return [{ name, steps, values }];
  });
}

/** Training metrics with their validation twin (loss + val_loss, loss + eval_loss), then the rest alone. */
function groupSeries(series: Series[]): Series[][] {
  const byName = new Map(series.map((entry) => [entry.name, entry]));
  const used = new Set<string>();
  const groups: Series[][] = [];
  for (const entry of series) {
    if (used.has(entry.name)) continue;
    const twin = VALIDATION_PREFIXES.map((prefix) => byName.get(`${prefix}${entry.name}`)).find(
      (candidate) => candidate !== undefined && !used.has(candidate.name),
    );
    used.add(entry.name);
    if (twin) used.add(twin.name);
    groups.push(twin ? [entry, twin] : [entry]);
  }
  return groups;
}

function historyCharts(history: Record<string, unknown>, stepKey: string): string[] {
  if (!isRecord(history)) return [];
  return groupSeries(readSeries(history))
    .slice(0, MAX_CHARTS)
    .flatMap((group) => {
      const chart = lineChart(group, stepKey);
      return chart === undefined ? [] : [chart];
    });
}

function lineChart(group: Series[], stepKey: string): string | undefined {
  // Steps where some series has a finite value: a run that ended in NaN ends the chart at its last real point
  // (the caption says what was not drawn) rather than drawing a made-up value there.
  const allSteps = [
    ...new Set(group.flatMap((entry) => entry.steps.filter((_, index) => entry.values[index] !== null))),
  ].sort((a, b) => a - b);
  if (allSteps.length < 2) return undefined;
  const stride = Math.ceil(allSteps.length / MAX_CHART_POINTS);
  const grid = allSteps.filter((_, index) => index % stride === 0 || index === allSteps.length - 1);
  const notes: string[] = [];
  const lines = group.map((entry, index) => {
    const xs: number[] = [];
    const ys: number[] = [];
    entry.steps.forEach((step, position) => {
      const value = entry.values[position];
      if (value === null || value === undefined) return;
      xs.push(step);
      ys.push(value);
    });
    const firstBad = entry.values.indexOf(null);
    if (firstBad !== -1)
      notes.push(
        `${entry.name}: not finite from ${stepKey || 'row'} ${formatNumber(entry.steps[firstBad])}, not drawn`,
      );
    return {
      name: entry.name,
      values: grid.map((step) => (xs.length === 0 ? 0 : interpolateAt(xs, ys, step))),
      colour: SERIES_COLOURS[index % SERIES_COLOURS.length]!,
    };
  });
  const named = lines.map((line) => `${line.name} (${line.colour.name})`).join(' and ');
  const chart = xyChart({
    title: `${named} by ${stepKey || 'row'}`,
    xLabels: grid.map((step) => formatNumber(step).replace(/,/g, '')),
    xTitle: stepKey || 'row',
    yTitle: group[0]!.name,
    lines,
  });
  return notes.length === 0
    ? chart
    : `${chart}\n<sub>${escapeMarkdown(notes.join('; '), { maxLength: 300 })}.</sub>`;
}

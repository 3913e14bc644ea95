// Mermaid `xychart-beta` charts, which GitHub renders from a ```mermaid fence: no image host, nothing to
// upload, and the data stays in the comment. Labels come from report data (column names, category values),
// so they are reduced to a whitelist: Mermaid has no escape sequence inside a quoted string, `%%` starts a
// directive (`%%{init: ...}%%` could restyle or reconfigure the renderer), and a backtick could close the fence.
// Checked against Mermaid's xychart grammar (packages/mermaid/src/diagrams/xychart/parser/xychart.jison):
// a quoted STR is `"[^"]*"`, `"\`` opens a markdown string, data numbers are `[+-]?\d+(\.\d+)?` (no
// exponent), and directives / `#entity;` codes are preprocessed over the whole text, quotes or not.
import { stripControl } from './escape.ts';

const LABEL_DISALLOWED = /[^\p{L}\p{N} ._+\-/=()–]/gu;

/**
 * A label safe inside a quoted Mermaid string: letters, digits, space and `._+-/=()–` only (everything else
 * becomes `_`), one line, at most `maxLength` characters.
 *
 * @example mermaidLabel('%%{init: {"theme":"dark"}}%%') // => '___init_ __theme___dark_____'
 */
export function mermaidLabel(text: unknown, maxLength = 30): string {
  const raw = stripControl(typeof text === 'string' ? text : String(text ?? ''));
  const clean = raw.replace(LABEL_DISALLOWED, '_').replace(/\s+/g, ' ').trim();
  const cut = [...clean].slice(0, maxLength).join('');
  return cut === '' ? '_' : cut;
}

/** A finite number as Mermaid data (plain decimal, at most 4 decimals); non-finite -> 0. */
function datum(value: number): string {
  if (!Number.isFinite(value)) return '0';
  return String(Number(value.toFixed(4)));
}

/** A compact axis number (3 significant digits) for bin labels. */
export function compactNumber(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

/**
 * The colours of a chart's series, in the order the series are drawn (bars first, then lines). xychart-beta
 * has no legend and GitHub's light theme draws the first default colour as a pale lavender, so every chart
 * sets its own palette and names the colours in words (title and caption). Okabe-Ito colours: told apart by
 * readers with the common colour-vision deficiencies, and visible on GitHub's light and dark backgrounds.
 */
export const SERIES_COLOURS = [
  { name: 'blue', hex: '#0072B2' },
  { name: 'orange', hex: '#E69F00' },
  { name: 'green', hex: '#009E73' },
  { name: 'purple', hex: '#CC79A7' },
  { name: 'vermillion', hex: '#D55E00' },
  { name: 'sky blue', hex: '#56B4E9' },
] as const;

/** For reference lines (the diagonal, a threshold): never one of the series colours. */
export const REFERENCE_COLOUR = { name: 'grey', hex: '#7F7F7F' } as const;

export interface ChartColour {
  name: string;
  hex: string;
}

export interface ChartSeries {
  /** What the series is (a model, a data set): named in the caption beside its colour. */
  name: string;
  values: readonly number[];
  /** Default: the next of SERIES_COLOURS. */
  colour?: ChartColour;
}

export interface XyChart {
  title: string;
  xLabels: readonly string[];
  xTitle?: string;
  yTitle?: string;
  yRange?: [number, number];
  bars?: readonly ChartSeries[];
  lines?: readonly ChartSeries[];
}

/** Series in drawing order, each with its colour. */
function coloured(chart: XyChart): { kind: 'bar' | 'line'; series: ChartSeries; colour: ChartColour }[] {
  const all = [
    ...(chart.bars ?? []).map((series) => ({ kind: 'bar' as const, series })),
    ...(chart.lines ?? []).map((series) => ({ kind: 'line' as const, series })),
  ];
  let next = 0;
  return all.map(({ kind, series }) => ({
    kind,
    series,
    colour: series.colour ?? SERIES_COLOURS[next++ % SERIES_COLOURS.length]!,
  }));
}

/**
 * One fenced xychart-beta block followed by a one-line caption that names each series' colour (the
 * chart's own legend). Every label goes through mermaidLabel here, so callers cannot forget. The palette
 * is the only `%%{init}%%` directive in a chart and is built from constants, never from report data.
 */
export function xyChart(chart: XyChart): string {
  const quoted = (text: string, maxLength?: number) => `"${mermaidLabel(text, maxLength)}"`;
  const series = coloured(chart);
  // Wide charts for many categories, so that axis labels do not run into each other.
  const width = Math.max(700, Math.min(1400, chart.xLabels.length * 48));
  const init = {
    xyChart: { width },
    themeVariables: { xyChart: { plotColorPalette: series.map((entry) => entry.colour.hex).join(', ') } },
  };
  const lines = [
    '```mermaid',
    `%%{init: ${JSON.stringify(init)}}%%`,
    'xychart-beta',
    `  title ${quoted(chart.title, 80)}`,
  ];
  const categories = chart.xLabels.map((label) => quoted(label)).join(', ');
  lines.push(`  x-axis ${chart.xTitle ? `${quoted(chart.xTitle, 40)} ` : ''}[${categories}]`);
  const range = chart.yRange ? ` ${datum(chart.yRange[0])} --> ${datum(chart.yRange[1])}` : '';
  lines.push(`  y-axis ${quoted(chart.yTitle ?? '', 40)}${range}`);
  for (const entry of series) lines.push(`  ${entry.kind} [${entry.series.values.map(datum).join(', ')}]`);
  lines.push('```');
  return `${lines.join('\n')}\n${legend(series)}`;
}

/** `_Colours: blue bars = reference, orange line = current._` (names are escaped for markdown). */
function legend(series: ReturnType<typeof coloured>): string {
  const entries = series.map(
    (entry) =>
      `${entry.colour.name} ${entry.kind === 'bar' ? 'bars' : 'line'} = ${legendText(entry.series.name)}`,
  );
  return `<sub>Colours: ${entries.join(', ')}.</sub>`;
}

/** Series names come from report data (model names): keep them inert in markdown and HTML. */
function legendText(text: string): string {
  return mermaidLabel(text, 40);
}

/** Counts (or shares) as shares of their total; all-zero stays zero. */
export function toShares(values: readonly number[]): number[] {
  const clean = values.map((value) => (Number.isFinite(value) && value > 0 ? value : 0));
  const total = clean.reduce((sum, value) => sum + value, 0);
  return total > 0 ? clean.map((value) => value / total) : clean;
}

export interface HistogramInput {
  /** Bin edges (length = bins + 1) for numeric columns. */
  edges?: readonly number[];
  /** Category names for categorical columns. */
  categories?: readonly unknown[];
  reference: readonly number[];
  current: readonly number[];
}

/** Most bars a chart keeps; beyond this GitHub's renderer squeezes labels into illegibility. */
export const MAX_BARS = 24;

/**
 * Reference vs current distribution of one column: reference as bars, current as a line over them (bars of
 * two series overlap in xychart-beta, and it has no legend, so the title says which is which). Counts are
 * normalised to shares so samples of different sizes compare. Numeric bins beyond MAX_BARS are merged
 * pairwise; categories beyond it keep the largest and fold the rest into "other".
 * Returns undefined when the histogram is malformed (lengths disagree, nothing numeric).
 */
export function histogramChart(column: string, histogram: HistogramInput): string | undefined {
  let reference = histogram.reference.map(Number);
  let current = histogram.current.map(Number);
  if (reference.length === 0 || reference.length !== current.length) return undefined;
  let labels: string[];
  let numericBins = false;
  if (histogram.edges && histogram.edges.length === reference.length + 1) {
    let edges = histogram.edges.map(Number);
    while (reference.length > MAX_BARS) {
      reference = mergePairs(reference);
      current = mergePairs(current);
      edges = edges.filter((_, index) => index % 2 === 0 || index === edges.length - 1);
    }
    // The lower edge only: "61.2–64.4" labels for 20 bins overlap on GitHub's 700 px chart.
    labels = reference.map((_, index) => compactNumber(edges[index]!));
    numericBins = true;
  } else if (histogram.categories && histogram.categories.length === reference.length) {
    labels = histogram.categories.map((category) => String(category ?? 'null'));
    if (labels.length > MAX_BARS) {
      const order = labels
        .map((_, index) => index)
        .sort((a, b) => Math.max(reference[b]!, current[b]!) - Math.max(reference[a]!, current[a]!));
      const keep = order.slice(0, MAX_BARS - 1).sort((a, b) => a - b);
      const rest = order.slice(MAX_BARS - 1);
      const sum = (values: number[]) => rest.reduce((total, index) => total + (values[index] ?? 0), 0);
      labels = [...keep.map((index) => labels[index]!), 'other'];
      [reference, current] = [
        [...keep.map((index) => reference[index]!), sum(reference)],
        [...keep.map((index) => current[index]!), sum(current)],
      ];
    }
  } else {
    return undefined;
  }
  const referenceShares = toShares(reference);
  const currentShares = toShares(current);
  const top = Math.max(...referenceShares, ...currentShares);
  return xyChart({
    title: `${column} - reference (blue bars) vs current (orange line)`,
    xLabels: labels,
    ...(numericBins ? { xTitle: 'bin (lower edge)' } : {}),
    yTitle: 'share of rows',
    yRange: [0, top > 0 ? Math.min(1, top * 1.1) : 1],
    bars: [{ name: 'reference', values: referenceShares }],
    lines: [{ name: 'current', values: currentShares }],
  });
}

function mergePairs(values: readonly number[]): number[] {
  const merged: number[] = [];
  for (let index = 0; index < values.length; index += 2)
    merged.push(values[index]! + (values[index + 1] ?? 0));
  return merged;
}

/**
 * y of a curve at x, for curves given at uneven x (ROC points, calibration bins): the largest y among points
 * exactly at x (the ROC convention for vertical segments), else linear interpolation between neighbours,
 * else the nearest end.
 */
export function interpolateAt(xs: readonly number[], ys: readonly number[], x: number): number {
  let below = -1;
  let above = -1;
  let exact: number | undefined;
  for (let index = 0; index < xs.length; index++) {
    const xi = xs[index]!;
    const yi = ys[index]!;
    if (!Number.isFinite(xi) || !Number.isFinite(yi)) continue;
    if (xi === x) exact = exact === undefined ? yi : Math.max(exact, yi);
    else if (xi < x && (below === -1 || xi >= xs[below]!)) below = index;
    else if (xi > x && (above === -1 || xi < xs[above]!)) above = index;
  }
  if (exact !== undefined) return exact;
  if (below === -1 && above === -1) return Number.NaN;
  if (below === -1) return ys[above]!;
  if (above === -1) return ys[below]!;
  const [x0, x1, y0, y1] = [xs[below]!, xs[above]!, ys[below]!, ys[above]!];
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

export interface CurveSeries {
  name: string;
  x: readonly number[];
  y: readonly number[];
}

/**
 * Curves of several models on one chart, resampled on an even grid over [0, 1] (xychart-beta places line
 * points evenly), plus the diagonal (chance for ROC, perfect calibration) as the last line.
 */
export function curveChart(
  title: string,
  xTitle: string,
  yTitle: string,
  series: readonly CurveSeries[],
): string {
  const grid = Array.from({ length: 11 }, (_, index) => index / 10);
  const named = series.map(
    (entry, index) => `${entry.name} (${SERIES_COLOURS[index % SERIES_COLOURS.length]!.name})`,
  );
  return xyChart({
    title: `${title} - ${named.join(' vs ')}`,
    xLabels: grid.map((x) => x.toFixed(1)),
    xTitle,
    yTitle,
    yRange: [0, 1],
    lines: [
      ...series.map((entry) => ({
        name: entry.name,
        values: grid.map((x) => Math.min(1, Math.max(0, interpolateAt(entry.x, entry.y, x)))),
      })),
      { name: 'diagonal', values: grid, colour: REFERENCE_COLOUR },
    ],
  });
}

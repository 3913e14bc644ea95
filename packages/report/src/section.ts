// What every report renderer produces, and the detail knobs composeComment turns down to fit a size limit.
import { escapeMarkdown } from './escape.ts';
import { plural, VERDICT_ICON, type Verdict } from './format.ts';

/** How much detail a renderer includes. The comment composer lowers these in a fixed order to fit. */
export interface DetailOptions {
  /** Example values of failed checks. */
  examples: boolean;
  /** Mermaid charts (drift histograms, ROC / calibration curves). */
  charts: boolean;
  /** Rows that passed (passing checks and gates, columns without drift, passing slices). */
  passingRows: boolean;
  /** Most rows per table; the rest are counted in a note. */
  maxRows: number;
  /** Hosts a report URL may link to (others render as text); default github.com. */
  linkHosts: readonly string[];
}

export const FULL_DETAIL: DetailOptions = {
  examples: true,
  charts: true,
  passingRows: true,
  maxRows: Number.POSITIVE_INFINITY,
  linkHosts: ['github.com'],
};

export interface Section {
  /** The report's schema, or 'unknown'. */
  schema: string;
  /** Short name of the report kind: "Data validation". */
  title: string;
  verdict: Verdict;
  /** One line of markdown, the verdict in words: "3 of 12 checks failed; no drift". */
  headline: string;
  /** The detailed markdown (tables, charts); may be empty. */
  body: string;
}

/** `❌ **Data validation** (train.json) — 3 of 12 checks failed`. */
export function verdictLine(section: Section, label?: string): string {
  const source = label ? ` (${escapeMarkdown(label, { maxLength: 80 })})` : '';
  return `${VERDICT_ICON[section.verdict]} **${section.title}**${source} — ${section.headline}`;
}

/** A section as standalone markdown, for a job summary: heading, verdict sentence, body. */
export function sectionMarkdown(section: Section): string {
  const parts = [`### ${VERDICT_ICON[section.verdict]} ${section.title}`, section.headline];
  if (section.body.trim() !== '') parts.push(section.body);
  return `${parts.join('\n\n')}\n`;
}

export interface RowSelection<T> {
  rows: T[];
  /** "_…and 12 passing checks not shown._" or empty. */
  note: string;
}

/**
 * The rows a table shows under the detail options: failing rows first (in report order), passing rows only
 * when allowed, at most maxRows, with a note counting what was left out so a reviewer knows it exists.
 */
export function selectRows<T>(
  items: readonly T[],
  isPassing: (item: T) => boolean,
  detail: DetailOptions,
  noun: string,
): RowSelection<T> {
  const failing = items.filter((item) => !isPassing(item));
  const passing = items.filter((item) => isPassing(item));
  const wanted = detail.passingRows ? [...failing, ...passing] : failing;
  const rows = wanted.slice(0, Math.max(0, detail.maxRows));
  const hiddenPassing = detail.passingRows ? 0 : passing.length;
  const hiddenOther = wanted.length - rows.length;
  const parts: string[] = [];
  if (hiddenOther > 0) parts.push(`${plural(hiddenOther, `more ${noun}`, `more ${noun}s`)}`);
  if (hiddenPassing > 0) parts.push(`${plural(hiddenPassing, `passing ${noun}`, `passing ${noun}s`)}`);
  const note = parts.length > 0 ? `_…and ${parts.join(' and ')} not shown (see the full report)._` : '';
  return { rows, note };
}

/**
 * A collapsed `<details>` block. The summary is trusted text we wrote (counts, fixed words), never report
 * data; the body is markdown, set apart by blank lines so GitHub renders it inside the HTML block.
 */
export function collapsible(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** Joins non-empty markdown blocks with blank lines. */
export function blocks(...parts: (string | undefined | false)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part.trim() !== '').join('\n\n');
}

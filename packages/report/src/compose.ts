// The pull-request comment: a sticky marker, one verdict line per report, then a section per report, made to
// fit GitHub's comment limit by giving up detail in a fixed, documented order instead of failing with a 422
// or cutting a table in half.
import { escapeHtml, escapeMarkdown, safeLink } from './escape.ts';
import { VERDICT_ICON, type Verdict } from './format.ts';
import { KNOWN_SCHEMAS, reportSection } from './render.ts';
import { blocks, type DetailOptions, FULL_DETAIL, type Section, verdictLine } from './section.ts';
import { stickyHeader } from './sticky-header.ts';

/** GitHub refuses issue and pull-request comment bodies longer than this (422). */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** The smallest limit composeComment accepts: room for the marker, a heading and a few verdict lines. */
export const MIN_COMMENT_CHARS = 1_024;
/** A section body longer than this (characters) or taller than COLLAPSE_LINES goes in a `<details>` block. */
const COLLAPSE_CHARS = 1_500;
const COLLAPSE_LINES = 25;

/**
 * The order in which detail is given up, one step at a time, until the comment fits:
 * 1. examples of failed checks; 2. Mermaid charts; 3. passing rows (passed checks and gates, columns
 * without drift, the metrics table); 4. rows beyond N per table, with N the largest that fits (bisection);
 * 5. whole sections collapsed to their verdict line, largest first; 6. verdict lines beyond the limit
 * replaced by a count. Every step that fired is named in the comment's footer, with a link to the full
 * reports. Steps 1-3 are fixed detail levels, listed here; 4-6 depend on the sizes.
 */
export const REDUCTION_STEPS: readonly { name: string; detail: DetailOptions }[] = [
  { name: 'full detail', detail: FULL_DETAIL },
  { name: 'examples', detail: { ...FULL_DETAIL, examples: false } },
  { name: 'charts', detail: { ...FULL_DETAIL, examples: false, charts: false } },
  { name: 'passing rows', detail: { ...FULL_DETAIL, examples: false, charts: false, passingRows: false } },
];

/** Upper bound for the rows-per-table search; no report table is longer in practice. */
const MAX_TABLE_ROWS = 1 << 20;

export interface ComposeOptions {
  /** Sticky marker key; each header keeps its own comment. Sanitised (see stickyHeader). Default `mlops`. */
  header?: string;
  /** Hard limit on the body in UTF-16 code units (never fewer than GitHub's character count). */
  maxChars?: number;
  /** Where the full reports are (the run's summary, an artifact); linked when detail was dropped. */
  detailsUrl?: string;
  /** A label per report (its file name), shown beside its verdict; untrusted, escaped. */
  labels?: readonly (string | undefined)[];
  /** Heading text (trusted markdown is NOT assumed: it is escaped). Default "ML pipeline report". */
  title?: string;
  /** Hosts that report URLs may link to. Default github.com. */
  linkHosts?: readonly string[];
  /** A footer line of trusted markdown written by the action (e.g. which run posted it). */
  footer?: string;
}

export interface ComposedComment {
  body: string;
  /** The marker line the body starts with, for finding the comment again. */
  marker: string;
  /** Names of the reduction steps that fired, in order; empty when everything fit. */
  reductions: string[];
  /** The worst verdict across the reports. */
  verdict: Verdict;
}

/** `<!-- mlops-sticky:<header> -->`, the first line of every comment we post. */
export function stickyMarker(header?: string): string {
  return `<!-- mlops-sticky:${stickyHeader(header)} -->`;
}

/**
 * True when a comment body is ours for this header: its first line is exactly the marker. Matching the
 * first line only means a marker quoted inside someone else's comment (or escaped inside ours) never counts.
 */
export function isStickyComment(body: string | null | undefined, header?: string): boolean {
  if (!body) return false;
  const firstLine = body.split(/\r?\n/, 1)[0]!.trim();
  return firstLine === stickyMarker(header);
}

const VERDICT_RANK: Record<Verdict, number> = { fail: 4, warn: 3, pass: 2, info: 1, skip: 0 };

export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>(
    (worst, verdict) => (VERDICT_RANK[verdict] > VERDICT_RANK[worst] ? verdict : worst),
    'skip',
  );
}

interface Entry {
  report: unknown;
  label: string | undefined;
  order: number;
}

/**
 * The pull-request comment for any mix of reports: marker line, heading with the overall verdict, one
 * verdict line per report, then one section per report (in `<details>` when long, open when it failed).
 * Reports are listed in pipeline order (data, gate, registry, retraining), stable within a kind.
 * Never longer than maxChars: detail is dropped in REDUCTION_STEPS order.
 */
export function composeComment(reports: readonly unknown[], options: ComposeOptions = {}): ComposedComment {
  const maxChars = options.maxChars ?? GITHUB_COMMENT_LIMIT;
  if (!(maxChars >= MIN_COMMENT_CHARS)) {
    throw new RangeError(`composeComment: maxChars must be at least ${MIN_COMMENT_CHARS}, got ${maxChars}`);
  }
  const marker = stickyMarker(options.header);
  const entries: Entry[] = reports
    .map((report, index) => ({ report, label: options.labels?.[index], order: index }))
    .sort((a, b) => schemaRank(a.report) - schemaRank(b.report) || a.order - b.order);
  const linkHosts = options.linkHosts ?? FULL_DETAIL.linkHosts;
  const render = (detail: DetailOptions) =>
    entries.map((entry) => ({ entry, section: reportSection(entry.report, { ...detail, linkHosts }) }));

  const reductions: string[] = [];
  let rendered = render(REDUCTION_STEPS[0]!.detail);
  const verdict = worstVerdict(rendered.map(({ section }) => section.verdict));
  const build = (collapsed: ReadonlySet<number>, verdictLimit = Number.POSITIVE_INFINITY) =>
    assemble(marker, rendered, collapsed, verdict, reductions, options, verdictLimit);

  let body = build(new Set());
  for (const step of REDUCTION_STEPS.slice(1)) {
    if (body.length <= maxChars) break;
    reductions.push(step.name);
    rendered = render(step.detail);
    body = build(new Set());
  }
  if (body.length > maxChars) {
    // The most rows per table that fit. Body length grows with the cap: grow it by doubling until it no
    // longer fits (or shows every row), then bisect between the last two caps.
    const lastDetail = REDUCTION_STEPS.at(-1)!.detail;
    const withRows = (maxRows: number) => {
      rendered = render({ ...lastDetail, maxRows });
      return build(new Set());
    };
    // The footer names the cap; measure with the widest number so the final (shorter) name still fits.
    reductions.push(`rows beyond ${MAX_TABLE_ROWS} per table`);
    let low = 0;
    let high = 8;
    while (high < MAX_TABLE_ROWS && withRows(high).length <= maxChars) {
      low = high;
      high *= 2;
    }
    high -= 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (withRows(middle).length <= maxChars) low = middle;
      else high = middle - 1;
    }
    reductions[reductions.length - 1] = `rows beyond ${low} per table`;
    body = withRows(low);
  }
  if (body.length > maxChars) {
    // Collapse the largest sections first: the fewest sections lose their detail.
    const bySize = rendered
      .map(({ section }, index) => ({ index, size: section.body.length }))
      .filter(({ size }) => size > 0)
      .sort((a, b) => b.size - a.size || a.index - b.index);
    const collapsed = new Set<number>();
    reductions.push('sections collapsed to their verdict line');
    for (const { index } of bySize) {
      collapsed.add(index);
      body = build(collapsed);
      if (body.length <= maxChars) break;
    }
  }
  if (body.length > maxChars) {
    reductions.push('verdict lines beyond the limit');
    const all = new Set(rendered.map((_, index) => index));
    let low = 0;
    let high = rendered.length;
    // The largest number of verdict lines that fits, by bisection (the body grows with each line).
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (build(all, middle).length <= maxChars) low = middle;
      else high = middle - 1;
    }
    body = build(all, low);
  }
  if (body.length > maxChars) body = hardCut(body, maxChars);
  return { body, marker, reductions, verdict };
}

function schemaRank(report: unknown): number {
  const schema = (report as { schema?: unknown } | null)?.schema;
  const index = typeof schema === 'string' ? KNOWN_SCHEMAS.indexOf(schema) : -1;
  return index === -1 ? KNOWN_SCHEMAS.length : index;
}

function assemble(
  marker: string,
  rendered: readonly { entry: Entry; section: Section }[],
  collapsed: ReadonlySet<number>,
  verdict: Verdict,
  reductions: readonly string[],
  options: ComposeOptions,
  verdictLimit: number,
): string {
  const title = escapeMarkdown(options.title ?? 'ML pipeline report', { maxLength: 120 });
  const header = stickyHeader(options.header);
  const headerNote = header === 'mlops' ? '' : ` · ${escapeMarkdown(header)}`;
  const shown = rendered.slice(0, verdictLimit);
  const lines = shown.map(({ entry, section }) => `- ${verdictLine(section, entry.label)}`);
  if (shown.length < rendered.length)
    lines.push(`- _…and ${rendered.length - shown.length} more reports (see the full reports)._`);
  const sections = rendered
    .map(({ entry, section }, index) => (collapsed.has(index) ? '' : sectionBlock(section, entry.label)))
    .filter((block) => block !== '');
  return `${marker}\n${blocks(
    `### ${VERDICT_ICON[verdict]} ${title}${headerNote}`,
    rendered.length === 0 ? '_No reports were found._' : lines.join('\n'),
    ...sections,
    footer(reductions, options),
  )}\n`;
}

function sectionBlock(section: Section, label: string | undefined): string {
  if (section.body.trim() === '') return '';
  const name = label ? ` (${label})` : '';
  const long = section.body.length > COLLAPSE_CHARS || section.body.split('\n').length > COLLAPSE_LINES;
  if (!long)
    return blocks(`#### ${escapeMarkdown(`${section.title}${name}`, { maxLength: 120 })}`, section.body);
  const open = section.verdict === 'fail' ? ' open' : '';
  // Blank lines around the body: GitHub renders markdown inside <details> only when it is set apart.
  return `<details${open}><summary><b>${escapeHtml(`${section.title}${name}`, { maxLength: 120 })}</b> ${VERDICT_ICON[section.verdict]}</summary>\n\n${section.body}\n\n</details>`;
}

function footer(reductions: readonly string[], options: ComposeOptions): string {
  const parts: string[] = [];
  if (reductions.length > 0) {
    const where = options.detailsUrl ? ` Full reports: ${safeLink('workflow run', options.detailsUrl)}.` : '';
    parts.push(
      `<sub>To fit GitHub's comment limit this comment leaves out: ${reductions.join(', ')}.${where}</sub>`,
    );
  }
  if (options.footer) parts.push(options.footer);
  return parts.join('\n\n');
}

/**
 * Last resort when even the verdict lines do not fit (a limit near the minimum with a long heading):
 * whole lines from the end go first, and an open `<details>` is never left behind.
 */
function hardCut(body: string, maxChars: number): string {
  const note = '\n_…truncated to fit the comment limit._\n';
  const lines = body.split('\n');
  let text = '';
  for (const line of lines) {
    if (text.length + line.length + 1 + note.length > maxChars) break;
    text += `${line}\n`;
  }
  if (text === '') text = body.slice(0, maxChars - note.length);
  return `${text}${note}`.slice(0, maxChars);
}

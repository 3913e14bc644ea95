// Finds and parses the JSON reports the comment is built from. In the fork-safe flow these files come from
// an artifact the pull request's own code wrote, so they are read as untrusted input: bounded in size, kept
// inside the directory the workflow author pointed at (no symlink escapes), and any JSON that is not one of
// our reports is skipped.
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { expandGlobs } from '@mlops/data';
import { isInside, type Logger, parseJsonText, UserError } from '@mlops/kit';
import { isMlopsReport, KNOWN_SCHEMAS, reportSchema } from '@mlops/report';
import { VALIDATE_DATA_SCHEMA } from '@mlops/schemas';

/** Larger files are refused: a report is kilobytes, and the comment could not show more anyway. */
export const MAX_REPORT_BYTES = 50 * 1024 * 1024;

/**
 * All reports together: in the fork-safe flow the artifact decides how many files there are, so each one's
 * cap alone does not bound the run's memory and time. Reports beyond it are skipped with a warning.
 */
export const MAX_TOTAL_REPORT_BYTES = 100 * 1024 * 1024;

/** Nothing matched, or every match was skipped: the message says which, for the caller's policy. */
export class NoReportsError extends UserError {}

export interface LoadedReport {
  /** Path relative to the workspace, with forward slashes (shown beside the report's verdict). */
  file: string;
  report: unknown;
}

/**
 * Every JSON file matched by the globs, in path order, parsed. Malformed JSON is the user's error (named);
 * JSON without an `mlops.<kind>/v<n>` schema, a link leading out, a file beyond the total cap are skipped
 * with a warning; a pattern that matches nothing is a warning when another pattern matched. Nothing matched
 * at all, or nothing usable among the matches, is a NoReportsError (the caller applies `if-no-reports`).
 */
export async function loadReports(
  patterns: readonly string[],
  workspace: string,
  logger: Logger,
  limits: { maxTotalBytes?: number } = {},
): Promise<LoadedReport[]> {
  const maxTotalBytes = limits.maxTotalBytes ?? MAX_TOTAL_REPORT_BYTES;
  // Each match must stay, links followed, below the directory its pattern names: the workspace for a relative
  // pattern, the pattern's fixed leading directories for an absolute one (the workflow author's choice, e.g.
  // where download-artifact put the reports).
  const files = new Map<string, string>();
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    try {
      const root = await realpath(patternRoot(pattern, workspace)).catch(() => workspace);
      for (const file of await expandGlobs([pattern], workspace)) if (!files.has(file)) files.set(file, root);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      unmatched.push(pattern);
    }
  }
  if (files.size === 0) {
    throw new NoReportsError(
      `input 'reports': no file matches ${patterns.map((pattern) => `'${pattern}'`).join(', ')} in ${workspace}. ` +
        'Check that the steps writing the reports ran (and, in the fork-safe flow, that the artifact was downloaded here).',
    );
  }
  for (const pattern of unmatched) logger.warning(`input 'reports': no file matches '${pattern}'`);

  const loaded: LoadedReport[] = [];
  const skipped: string[] = [];
  let total = 0;
  for (const [file, root] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const shown = shownPath(workspace, file);
    if (!file.endsWith('.json')) {
      logger.debug(`skipping ${shown}: not a .json file`);
      continue;
    }
    const real = await realpath(file);
    if (!isInside(root, real)) {
      const where = root === (await realpath(workspace)) ? 'the workspace' : root;
      logger.warning(`skipping ${shown}: it links outside ${where}`);
      skipped.push(`${shown} links outside ${where}`);
      continue;
    }
    const { size } = await stat(real);
    if (size > MAX_REPORT_BYTES) {
      throw new UserError(
        `report ${shown} is ${size} bytes; reports over ${MAX_REPORT_BYTES} bytes are refused`,
      );
    }
    if (total + size > maxTotalBytes) {
      logger.warning(
        `skipping ${shown}: the reports read so far and this one exceed ${maxTotalBytes} bytes in all`,
      );
      skipped.push(`${shown} is beyond the ${maxTotalBytes}-byte total`);
      continue;
    }
    total += size;
    let report: unknown;
    try {
      report = parseJsonText(await readFile(real, 'utf8'), shown);
    } catch (error) {
      throw new UserError(`report ${(error as Error).message}`);
    }
    if (!isMlopsReport(report)) {
      logger.warning(
        `skipping ${shown}: not an mlops report (no 'schema' field such as '${VALIDATE_DATA_SCHEMA}')`,
      );
      skipped.push(`${shown} is not an mlops report`);
      continue;
    }
    const schema = reportSchema(report)!;
    if (!KNOWN_SCHEMAS.includes(schema)) {
      logger.warning(
        `${shown}: schema '${schema}' is not one this version renders; the comment lists it in one line`,
      );
    }
    loaded.push({ file: shown, report });
  }
  if (loaded.length === 0) {
    throw new NoReportsError(
      `input 'reports': ${files.size} file(s) matched but none is a usable report (${skipped.join('; ') || 'no .json files'})`,
    );
  }
  return loaded;
}

/**
 * Labels for the comment: the paths without the directories they all share, so a reviewer reads
 * `validate-data.json`, not `.mlops-pr-report/validate-data.json` on every line.
 * @example shortLabels(['r/a.json', 'r/x/b.json']) // => ['a.json', 'x/b.json']
 */
export function shortLabels(files: readonly string[]): string[] {
  if (files.length === 0) return [];
  const directories = files.map((file) => file.split('/').slice(0, -1));
  let shared = 0;
  while (directories.every((parts) => parts.length > shared && parts[shared] === directories[0]![shared]))
    shared++;
  return files.map((file) => file.split('/').slice(shared).join('/'));
}

/** Where a pattern's matches must stay: the workspace, or an absolute pattern's leading directories. */
function patternRoot(pattern: string, workspace: string): string {
  if (!path.isAbsolute(pattern)) return workspace;
  const segments = pattern.split(/[\\/]/);
  const magic = segments.findIndex((segment) => /[*?[{]/.test(segment));
  // A plain absolute file path: its directory.
  const fixed = magic === -1 ? segments.slice(0, -1) : segments.slice(0, magic);
  return fixed.join('/') || '/';
}

/** A path relative to the workspace with forward slashes, or as given when it lies outside. */
function shownPath(workspace: string, file: string): string {
  const relative = path.relative(workspace, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

import { stat } from 'node:fs/promises';
import path from 'node:path';
import { COLUMN_TYPES, type ColumnType, type ReadOptions } from '@mlops/data/types';
import type { ExpectationSuite } from '@mlops/expectations';
import {
  type ActionIO,
  didYouMean,
  InputError,
  type Inputs,
  resolveInputPath,
  writeJsonFile,
  writeOutputFile,
} from '@mlops/kit';
import { keyedByData } from '@mlops/kit/keyed-by-data';
import type { DatasetProfile, DataVerdict } from '@mlops/profile';
import { FAIL_ON } from '@mlops/profile/data-verdict';
import { DRIFT_METHOD_OPTIONS, type DriftMethodOption, type DriftOptions } from '@mlops/profile/drift-types';
import type { ValidateDataReport } from './validate.ts';
import type { ValidateJobOptions, ValidationThreads } from './validate-worker.ts';

const FORMATS = ['auto', 'csv', 'tsv', 'parquet', 'jsonl'] as const;

export interface MainOptions {
  /**
   * The bundled entry module: the validation runs on a worker thread started from it, and the reference
   * data on another (absent: everything on this thread, as in unit tests).
   */
  workerEntry?: URL;
}

/** validate-data: inputs -> one streamed pass (checks + profile) -> drift -> report, outputs, summary. */
export async function main(io: ActionIO, options: MainOptions = {}): Promise<void> {
  const { inputs } = io;
  const workspace = inputs.workspace;
  const expectationsPath = inputs.path('expectations');
  // The other inputs are read before the suite loads, so that large data's threads start while it does; a
  // mistake in them is still reported after a mistake in the suite, in the order of the inputs.
  let settings: Settings | undefined;
  let settingsError: unknown;
  try {
    settings = readSettings(inputs);
  } catch (error) {
    settingsError = error;
  }
  let outputModules: ReturnType<typeof loadOutputModules> | undefined;
  const outputs = () => {
    outputModules ??= loadOutputModules();
    return outputModules;
  };
  // The readers, checks and profile are loaded once the inputs are read, so a mistake in them is reported
  // without loading them. Small data is validated on this thread: the worker caps memory on large files, and
  // starting it costs more than a small file's whole pass.
  let threads: ValidationThreads | undefined;
  if (
    settings !== undefined &&
    options.workerEntry !== undefined &&
    !(await fitsInProcess([...settings.pass.data, ...settings.pass.reference], workspace))
  ) {
    const { startValidationOnWorker } = await import('./validate-worker.ts');
    threads = await startValidationOnWorker(
      options.workerEntry,
      { ...settings.pass, ...(expectationsPath === undefined ? {} : { expectations: expectationsPath }) },
      io.logger,
      settings.profilePath !== undefined,
      // Loaded while the validation thread finishes, on the core the reference's thread has left.
      () => void outputs().catch(() => undefined),
    );
  }
  let suite: ExpectationSuite | undefined;
  try {
    if (expectationsPath !== undefined) {
      const { loadExpectations } = await import('@mlops/expectations');
      suite = await loadExpectations(expectationsPath);
    }
  } catch (error) {
    threads?.cancel();
    throw error;
  }
  if (settings === undefined) throw settingsError;
  if (suite !== undefined) threads?.sendSuite(suite);
  for (const warning of suite?.warnings ?? []) io.logger.warning(warning);
  const { reportPath, profilePath, pass } = settings;

  let report: ValidateDataReport;
  let verdict: DataVerdict;
  let profile: unknown;
  if (threads === undefined) {
    io.logger.debug('validating on the main thread');
    const { validateData } = await import('./validate.ts');
    let current: DatasetProfile;
    ({ report, current, verdict } = await validateData({
      ...pass,
      ...(suite === undefined ? {} : { suite }),
      logger: io.logger,
    }));
    profile = current;
  } else {
    io.logger.debug('validating on a worker thread (large data)');
    threads.relayLogs();
    const result = await threads.result;
    report = result.report;
    verdict = { passed: result.passed, reasons: result.reasons };
    profile = result.profileJson === undefined ? undefined : JSON.parse(result.profileJson);
  }

  const [{ renderValidateDataMarkdown }, { annotateFailedChecks }, { renderHtmlReport }] = await outputs();
  await writeJson(reportPath, report);
  io.setOutput('report', reportPath);
  if (profilePath !== undefined) {
    await writeJson(profilePath, profile);
    io.setOutput('profile', profilePath);
  }
  const htmlPath = inputs.path('html-report');
  if (htmlPath !== undefined) {
    await writeOutputFile(htmlPath, renderHtmlReport(report));
  }

  const failedChecks = report.checks.filter((check) => !check.passed);
  io.setOutput('passed', report.passed);
  io.setOutput('drift-detected', report.drift?.detected ?? false);
  io.setOutput('drift-share', report.drift?.share ?? 0);
  io.setOutput('failed-checks', failedChecks.length);
  annotateFailedChecks(
    failedChecks,
    io.logger,
    expectationsPath && path.relative(workspace, expectationsPath),
  );
  io.appendSummary(renderValidateDataMarkdown(report));
  io.logger.info(
    `${report.rows.current} rows; ${failedChecks.length} of ${report.checks.length} checks failed; ` +
      (report.drift
        ? `drift share ${report.drift.share.toFixed(3)} (dataset drift: ${report.drift.detected})`
        : 'no reference'),
  );

  if (!verdict.passed) {
    io.fail(`${verdict.reasons.join('; ')} (report: ${path.relative(workspace, reportPath) || reportPath})`);
  }
}

interface Settings {
  reportPath: string;
  profilePath: string | undefined;
  pass: Omit<ValidateJobOptions, 'expectations'>;
}

/** Every input but the expectations, in the order their mistakes are reported. */
function readSettings(inputs: Inputs): Settings {
  const failOn = inputs.requiredChoice('fail-on', FAIL_ON);
  const reportPath = inputs.requiredPath('report');
  const profilePath = inputs.path('profile-out');
  const pass = {
    data: patterns(inputs, 'data'),
    reference: patterns(inputs, 'reference'),
    cwd: inputs.workspace,
    read: readOptions(inputs),
    drift: driftOptions(inputs),
    failOn,
  };
  return { reportPath, profilePath, pass };
}

/** What writing the outputs needs: loaded once the inputs are read, like the pass's modules. */
function loadOutputModules() {
  return Promise.all([import('@mlops/report'), import('./annotations.ts'), import('./html-report.ts')]);
}

/** File patterns follow the path rule of every input: relative to the workspace, or absolute. */
function patterns(inputs: Inputs, name: string): string[] {
  const list = inputs.list(name);
  for (const pattern of list) resolveInputPath(inputs.workspace, pattern, name); // refuses a NUL byte
  return list;
}

function readOptions(inputs: Inputs): ReadOptions {
  const options: ReadOptions = { format: inputs.requiredChoice('format', FORMATS) };
  const maxRecordBytes = inputs.number('max-record-bytes', { min: 1024, integer: true });
  if (maxRecordBytes !== undefined) options.maxRecordBytes = maxRecordBytes;
  const types = columnTypes(inputs.list('column-types'));
  if (Object.keys(types).length > 0) options.columnTypes = types;
  const delimiter = inputs.optional('delimiter');
  if (delimiter !== undefined) {
    const value = delimiter === '\\t' || delimiter === 'tab' ? '\t' : delimiter;
    // The CSV parser reads bytes, so a delimiter is one byte: an ASCII character.
    if (value.length !== 1 || value.charCodeAt(0) > 0x7f)
      throw new InputError('delimiter', `expected one ASCII character (or 'tab'), got '${delimiter}'`);
    options.delimiter = value;
  }
  return options;
}

/** `column:type` entries (comma or newline separated). */
export function columnTypes(entries: string[]): Record<string, ColumnType> {
  const types = keyedByData<ColumnType>();
  for (const entry of entries) {
    const at = entry.lastIndexOf(':');
    if (at <= 0) throw new InputError('column-types', `expected column:type, got '${entry}'`);
    const column = entry.slice(0, at).trim();
    const type = entry.slice(at + 1).trim();
    if (!(COLUMN_TYPES as readonly string[]).includes(type)) {
      throw new InputError(
        'column-types',
        `unknown type '${type}' for column '${column}'${didYouMean(type, COLUMN_TYPES)}; expected one of ${COLUMN_TYPES.join(', ')}`,
      );
    }
    types[column] = type as ColumnType;
  }
  return types;
}

function driftOptions(inputs: Inputs): DriftOptions {
  const method: DriftMethodOption = inputs.requiredChoice('drift-method', DRIFT_METHOD_OPTIONS);
  const options: DriftOptions = {
    method,
    driftShare: inputs.requiredNumber('drift-share', { min: 0, max: 1 }),
    correction: inputs.requiredChoice('correction', ['none', 'holm', 'bh'] as const),
    effectSizeFloor: inputs.requiredNumber('effect-size-floor', { min: 0 }),
  };
  const threshold = inputs.number('drift-threshold', { min: 0 });
  if (threshold !== undefined) options.threshold = threshold;
  const columns = inputs.list('columns');
  if (columns.length > 0) options.columns = columns;
  const exclude = inputs.list('exclude-columns');
  if (exclude.length > 0) options.excludeColumns = exclude;
  return options;
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeJsonFile(file, value, 1);
}

/** Below this many bytes of data and reference files, the validation runs on the main thread. */
const IN_PROCESS_BYTES = 16 * 1024 * 1024;

/** True when the files the patterns name add up to less than IN_PROCESS_BYTES (a pattern's mistake: false, reported by the pass). */
async function fitsInProcess(patterns: string[], workspace: string): Promise<boolean> {
  try {
    const { expandGlobs } = await import('@mlops/data/glob');
    const files = await expandGlobs(patterns, workspace);
    const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
    return sizes.reduce((total, size) => total + size, 0) < IN_PROCESS_BYTES;
  } catch {
    return false;
  }
}

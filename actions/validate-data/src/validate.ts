import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type ColumnType, expandGlobs, type ReadOptions, readBatches, readHead } from '@mlops/data';
import {
  type AggregateLookup,
  type CheckResult,
  ExpectationRunner,
  type ExpectationSuite,
  sortedQuantile,
} from '@mlops/expectations';
import { type Logger, parseJsonText, requireRegularFile, UserError } from '@mlops/kit';
import { copyKeyedByData, keyedByData, ownEntry } from '@mlops/kit/keyed-by-data';
import {
  type ColumnProfile,
  type DatasetProfile,
  DatasetProfileBuilder,
  type DataVerdict,
  type DriftOptions,
  type DriftReport,
  dataVerdict,
  detectDrift,
  type FailOn,
  mergeProfiles,
  parseProfile,
} from '@mlops/profile';
import { VALIDATE_DATA_SCHEMA } from '@mlops/schemas';
import { profileColumns, profileFiles } from './profile-worker.ts';

export interface ValidateDataOptions {
  /** Patterns of the current data, resolved against `cwd`. */
  data: string[];
  /** Patterns of the reference data or of saved profiles; empty: no drift. */
  reference: string[];
  cwd: string;
  suite?: ExpectationSuite;
  read: ReadOptions;
  drift: DriftOptions;
  failOn: FailOn;
  logger: Logger;
  /**
   * Profiles the reference data files on another thread (validate-worker.ts); absent: on this thread,
   * after the current data.
   */
  profileReference?: (files: string[]) => Promise<PendingReference>;
}

/** A reference profile under way on another thread. */
export interface PendingReference {
  profile: Promise<DatasetProfile>;
  /** Stops it: the current data's pass failed, so the step ends without waiting for the reference. */
  cancel(): void;
}

export interface ValidateDataReport {
  schema: typeof VALIDATE_DATA_SCHEMA;
  passed: boolean;
  fail_on: FailOn;
  rows: { current: number; reference: number | null };
  data: { files: string[] };
  reference: { files: string[]; kind: 'data' | 'profile' } | null;
  expectations: string | null;
  columns: Record<string, ColumnType>;
  summary: { checks: number; failed: number; failed_errors: number; failed_warnings: number };
  checks: CheckResult[];
  drift: DriftReport | null;
  warnings: string[];
}

export interface ValidateDataResult {
  report: ValidateDataReport;
  current: DatasetProfile;
  /** The verdict the report's `passed` records, with its reasons for the step's failure message. */
  verdict: DataVerdict;
}

/**
 * Streams the current data once: every batch feeds the profile builder and the expectation runner, so
 * a 10 GB file is read one time in constant memory. Then profiles the reference (data files, or saved
 * profiles merged), runs drift, and assembles the mlops.validate-data/v1 report.
 */
export async function validateData(options: ValidateDataOptions): Promise<ValidateDataResult> {
  const { logger } = options;
  const dataFiles = await regularFiles('data', await expandGlobs(options.data, options.cwd), options.cwd);
  logger.info(
    `reading ${dataFiles.length} data file${dataFiles.length === 1 ? '' : 's'}: ${dataFiles.join(', ')}`,
  );

  // The reference is resolved first so its mistakes surface before the long pass, and reference data is
  // profiled on a second thread while this one reads and checks the current data.
  let loadReference: (() => Promise<DatasetProfile>) | undefined;
  let cancelReference = () => {};
  let referenceInfo: ValidateDataReport['reference'] = null;
  if (options.reference.length > 0) {
    const files = await regularFiles(
      'reference',
      await expandGlobs(options.reference, options.cwd),
      options.cwd,
    );
    const kinds = await Promise.all(files.map(isProfileFile));
    const shown = files.map((file) => relative(options.cwd, file));
    if (kinds.every(Boolean)) {
      const profiles = await Promise.all(files.map(async (file) => parseProfile(await readJson(file), file)));
      const merged = profiles.length === 1 ? profiles[0]! : mergeProfiles(profiles);
      loadReference = async () => merged;
      referenceInfo = { files: shown, kind: 'profile' };
    } else if (kinds.some(Boolean)) {
      throw new UserError(
        `reference mixes saved profiles and data files (${shown.join(', ')}); give one kind`,
      );
    } else {
      referenceInfo = { files: shown, kind: 'data' };
      if (options.profileReference === undefined) {
        loadReference = () => profileFiles(files, options.read); // one thread: after the current data
      } else {
        const pending = await options.profileReference(files);
        pending.profile.catch(() => undefined); // reported when awaited below, not as an unhandled rejection
        loadReference = () => pending.profile;
        cancelReference = pending.cancel;
      }
    }
  }

  const builder = new DatasetProfileBuilder();
  // The runner reads the numeric columns' moments and exact values from the profile (the same numbers).
  const runner =
    options.suite === undefined ? undefined : new ExpectationRunner(options.suite, { profile: builder });
  const columns = keyedByData<ColumnType>();
  try {
    // A header without rows is still a table: a suite is evaluated on it (row counts fail, value checks
    // pass vacuously, as in Great Expectations). Without a suite there is nothing to say about it: refused.
    // The profile and the checks are done with a batch before the next: no copies of reused buffers.
    const read = { ...options.read, allowEmpty: options.suite !== undefined, transientBatches: true };
    if (runner === undefined) {
      // Without checks, nothing needs whole rows: the profile is built column by column.
      Object.assign(columns, await profileColumns(builder, dataFiles, read));
    } else {
      for await (const batch of readBatches(dataFiles, read)) {
        runner.add(batch); // first: the runner may need the profile's state before this batch
        builder.add(batch);
        Object.assign(columns, batch.types);
      }
    }
  } catch (error) {
    cancelReference();
    throw error;
  }
  const current = builder.finish();
  const checks = runner?.finish(profileAggregates(current)) ?? [];
  const warnings = [...(options.suite?.warnings ?? [])];

  if (current.rows === 0 && loadReference !== undefined) {
    cancelReference();
    // Drift compares distributions; with no rows there is none, and no verdict to give.
    throw new UserError(
      `${dataFiles.map((file) => relative(options.cwd, file)).join(', ')}: no data rows, so there is no drift to measure against the reference (drop 'reference' to check an empty table)`,
    );
  }
  const reference = await loadReference?.();
  if (reference !== undefined) {
    logger.info(`reference: ${referenceInfo!.kind} of ${reference.rows} rows`);
  }

  let drift: DriftReport | null = null;
  if (reference !== undefined) {
    const perColumn = copyKeyedByData(options.drift.perColumn);
    const exclude = [...(options.drift.excludeColumns ?? [])];
    for (const [column, override] of Object.entries(runner?.driftOverrides() ?? {})) {
      if (override.enabled === false) exclude.push(column);
      else {
        perColumn[column] = {
          ...(override.method === undefined ? {} : { method: override.method as DriftOptions['method'] }),
          ...(override.threshold === undefined ? {} : { threshold: override.threshold }),
        };
      }
    }
    drift = detectDrift(reference, current, { ...options.drift, perColumn, excludeColumns: exclude });
  }

  const failed = checks.filter((check) => !check.passed);
  const failedErrors = failed.filter((check) => check.severity === 'error').length;
  const verdict = dataVerdict({ failOn: options.failOn, failedErrorChecks: failedErrors, drift });

  return {
    current,
    verdict,
    report: {
      schema: VALIDATE_DATA_SCHEMA,
      passed: verdict.passed,
      fail_on: options.failOn,
      rows: { current: current.rows, reference: reference?.rows ?? null },
      data: { files: dataFiles.map((file) => relative(options.cwd, file)) },
      reference: referenceInfo,
      expectations: options.suite === undefined ? null : relative(options.cwd, options.suite.source),
      columns,
      summary: {
        checks: checks.length,
        failed: failed.length,
        failed_errors: failedErrors,
        failed_warnings: failed.length - failedErrors,
      },
      checks: checks.map((check) => (check.examples?.length === 0 ? withoutExamples(check) : check)),
      drift,
      warnings,
    },
  };
}

/** Quantiles and distinct counts from the current profile, for checks past the runner's exact limit. */
function profileAggregates(profile: DatasetProfile): AggregateLookup {
  return (column) => {
    const entry: ColumnProfile | undefined = ownEntry(profile.columns, column);
    if (entry === undefined) return undefined;
    const exactValues = entry.exact && entry.values !== undefined;
    return {
      approximate: !entry.exact,
      quantile: (q) => {
        if (exactValues) return sortedQuantile(entry.values!.sortedView(), q); // sorted once, in place
        return entry.quantiles?.quantile(q);
      },
      distinctCount: () =>
        entry.exact && entry.categories !== undefined
          ? Object.keys(entry.categories).length
          : Math.round(entry.distinct.estimate()),
    };
  };
}

/** A saved profile is named *.profile.json, or is a .json file that declares schema mlops.profile/v1. */
async function isProfileFile(file: string): Promise<boolean> {
  if (/\.profile\.json$/i.test(file)) return true;
  if (!/\.json$/i.test(file)) return false;
  const head = Buffer.from(await readHead(file, 512)).toString('utf8');
  return /"schema"\s*:\s*"mlops\.profile\//.test(head);
}

async function readJson(file: string): Promise<unknown> {
  return parseJsonText(await readFile(file, 'utf8'), file);
}

/**
 * Every matched file must be a regular file once links are followed: a FIFO would block the read until the
 * job's timeout, and a link to /dev/stdin or a device reads nothing a workflow means.
 */
async function regularFiles(input: string, files: string[], cwd: string): Promise<string[]> {
  for (const file of files) {
    try {
      await requireRegularFile(file);
    } catch (error) {
      const reason = (error as Error).message.replace(/^EISDIR.*/, 'a directory');
      throw new UserError(`input '${input}': ${relative(cwd, file)}: ${reason}`);
    }
  }
  return files;
}

/** Paths in the report are relative to the workspace, so reports compare across runners. */
function relative(cwd: string, file: string): string {
  const inside = path.relative(cwd, file);
  return inside.startsWith('..') || path.isAbsolute(inside) ? file : inside;
}

function withoutExamples(check: CheckResult): CheckResult {
  const { examples: _examples, ...rest } = check;
  return rest;
}

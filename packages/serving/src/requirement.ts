// promote's `require-serving-check`: a production promotion goes ahead only on a passed serving-check
// report of the same version. The report is a file the workflow hands over (an artifact of the staging
// job), so everything in it is checked, and a report that cannot prove the version refuses the promotion.
import { UserError } from '@mlops/kit';
import { SERVING_CHECK_SCHEMA } from '@mlops/schemas';

/** `v1.2.0` and `1.2.0` name the same version (GTO tags carry the `v`, servers often do not). */
export function sameVersion(a: string, b: string): boolean {
  const strip = (version: string) => version.trim().replace(/^v(?=\d)/, '');
  return strip(a) === strip(b);
}

/**
 * Refuses (UserError) unless `text` is a passed mlops.serving-check/v1 report whose served version is
 * `version`. Returns the served version for the log.
 */
export function requirePassedServingCheck(text: string, file: string, version: string): string {
  let report: Record<string, unknown>;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('not an object');
    report = parsed as Record<string, unknown>;
  } catch (error) {
    throw new UserError(
      `input 'require-serving-check': ${file} is not a JSON report (${(error as Error).message})`,
    );
  }
  if (report.schema !== SERVING_CHECK_SCHEMA) {
    throw new UserError(
      `input 'require-serving-check': ${file} is not a serving-check report (schema ${JSON.stringify(report.schema ?? null)}, expected ${SERVING_CHECK_SCHEMA})`,
    );
  }
  if (report.passed !== true) {
    const why = typeof report.explanation === 'string' ? `: ${report.explanation.slice(0, 300)}` : '';
    throw new UserError(`refusing to promote ${version}: the serving check in ${file} did not pass${why}`);
  }
  const served = report.served_version;
  if (typeof served !== 'string' || served === '') {
    throw new UserError(
      `refusing to promote ${version}: the serving check in ${file} passed but names no served version, so it cannot vouch for ${version} (set serving-check's expected-version, and version-header for servers that do not report one)`,
    );
  }
  if (version === 'latest') {
    throw new UserError(
      `input 'require-serving-check': promote needs an explicit version (the serving check served ${served}), not 'latest'`,
    );
  }
  if (!sameVersion(served, version)) {
    throw new UserError(
      `refusing to promote ${version}: the serving check in ${file} was of version ${served}`,
    );
  }
  return served;
}

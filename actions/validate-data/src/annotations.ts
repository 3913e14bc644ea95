import type { CheckResult } from '@mlops/expectations';
import type { Logger } from '@mlops/kit';

/** GitHub shows at most 10 error and 10 warning annotations per step; we keep the 10 that matter most. */
export const MAX_ANNOTATIONS = 10;

/**
 * One annotation per failed check, most severe first (errors before warnings, then the larger share of
 * offending values), capped so the important ones are not drowned by the runner's own limit.
 */
export function annotateFailedChecks(failed: CheckResult[], logger: Logger, file?: string): void {
  const ordered = [...failed].sort(
    (a, b) =>
      (a.severity === 'error' ? 0 : 1) - (b.severity === 'error' ? 0 : 1) ||
      b.unexpected_share - a.unexpected_share,
  );
  for (const check of ordered.slice(0, MAX_ANNOTATIONS)) {
    const title = `${check.column === null ? 'table' : check.column}: ${check.check}`;
    const properties = { title, ...(file ? { file } : {}) };
    const message = `${title}: ${check.message}`;
    if (check.severity === 'error') logger.error(message, properties);
    else logger.warning(message, properties);
  }
  if (ordered.length > MAX_ANNOTATIONS) {
    logger.info(
      `${ordered.length - MAX_ANNOTATIONS} more failed checks are in the report and the job summary`,
    );
  }
}

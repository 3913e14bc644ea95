// The `training-report` input of register-model: a validate-training report's verdict and digest, recorded in
// the lineage beside the gate's, so a version says which training-run checks it passed (and the exact report).
import { parseJsonText, readUserFile, UserError } from '@mlops/kit';
import { VALIDATE_TRAINING_SCHEMA } from '@mlops/schemas';
import { sha256Bytes } from './checksum.ts';
import type { TrainingVerdict } from './lineage-record.ts';

export async function readTrainingReport(file: string, shownAs: string): Promise<TrainingVerdict> {
  const bytes = await readUserFile(
    file,
    () => `input 'training-report': file '${shownAs}' does not exist or cannot be read`,
  );
  const report = parseJsonText(bytes.toString('utf8'), `input 'training-report': '${shownAs}'`);
  const record =
    typeof report === 'object' && report !== null && !Array.isArray(report)
      ? (report as Record<string, unknown>)
      : {};
  if (record.schema !== VALIDATE_TRAINING_SCHEMA) {
    throw new UserError(
      `input 'training-report': '${shownAs}' is not a validate-training report (expected schema ${VALIDATE_TRAINING_SCHEMA}, got ${JSON.stringify(record.schema ?? null)})`,
    );
  }
  if (typeof record.passed !== 'boolean') {
    throw new UserError(`input 'training-report': '${shownAs}' has no boolean 'passed' field`);
  }
  const failed = Array.isArray(record.failed_checks)
    ? record.failed_checks.filter((entry): entry is string => typeof entry === 'string')
    : [];
  return {
    passed: record.passed,
    report_sha256: sha256Bytes(bytes),
    report_schema: VALIDATE_TRAINING_SCHEMA,
    ...(failed.length > 0 ? { failed_checks: failed } : {}),
  };
}

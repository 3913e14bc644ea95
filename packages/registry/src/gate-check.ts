import { UserError } from '@mlops/kit';
import type { ModelVersion } from './types.ts';

/** `require-gate`: only a version whose lineage records a passed evaluate-gate verdict may be promoted. */
export function assertGatePassed(version: ModelVersion): void {
  const gate = version.lineage?.gate;
  if (gate === undefined) {
    throw new UserError(
      `${version.name} ${version.version} has no gate verdict in its lineage (register it with metrics: <evaluate-gate report>), and require-gate is true`,
    );
  }
  if (!gate.passed) {
    throw new UserError(
      `${version.name} ${version.version} failed its evaluate-gate (report sha256 ${gate.report_sha256.slice(0, 12)}), and require-gate is true`,
    );
  }
}

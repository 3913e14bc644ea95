import { LINEAGE_SCHEMA } from '@mlops/schemas';
import type { PathChecksum } from './checksum.ts';

/** Where the version came from, recorded identically in GTO tag messages and MLflow version tags. */
export interface LineageRecord {
  schema: typeof LINEAGE_SCHEMA;
  name: string;
  /** `v1.2.0` in the git registry, the MLflow version number in MLflow. Filled in once allocated. */
  version: string;
  created_at: string;
  description?: string;
  code: { commit?: string; ref?: string; repository?: string };
  model: { path: string; sha256: string; bytes: number; files: number; uri: string };
  data: { files: PathChecksum[]; version?: string };
  params?: unknown;
  metrics?: Record<string, number>;
  /** Present when `metrics` was an evaluate-gate report. */
  gate?: GateVerdict;
  /** Present when register-model was given a validate-training report. */
  training?: TrainingVerdict;
  environment: { lockfiles: { path: string; sha256: string }[]; runner_os?: string };
  trigger: {
    actor?: string;
    event?: string;
    workflow?: string;
    run_id?: string;
    run_attempt?: string;
    run_url?: string;
  };
}

export interface GateVerdict {
  passed: boolean;
  /** sha256 of the gate report's bytes, so the exact report can be matched later. */
  report_sha256: string;
  report_schema: string;
  /** The comparison's headline, when the report has one. */
  metric?: string;
  difference?: number;
  ci?: [number, number];
}

export interface TrainingVerdict {
  passed: boolean;
  /** sha256 of the validate-training report's bytes. */
  report_sha256: string;
  report_schema: string;
  /** `<metric>:<check>` of the checks that failed. */
  failed_checks?: string[];
}

/** The JSON text stored in tag messages and MLflow tags: stable key order, compact. */
export function serializeLineage(record: LineageRecord): string {
  return JSON.stringify(record);
}

/** Reads a lineage record out of a tag message (first line human, then the JSON); undefined if absent. */
export function lineageFromMessage(message: string): LineageRecord | undefined {
  const start = message.indexOf('{');
  if (start === -1) return undefined;
  try {
    const parsed = JSON.parse(message.slice(start)) as { schema?: unknown };
    return parsed.schema === LINEAGE_SCHEMA ? (parsed as LineageRecord) : undefined;
  } catch {
    return undefined;
  }
}

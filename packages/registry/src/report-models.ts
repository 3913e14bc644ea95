// The JSON reports of promote and lookup-model (their markdown is @mlops/report's promote and lookup sections).

import type { LineageRecord } from '@mlops/lineage';
import { LOOKUP_SCHEMA, type PROMOTE_SCHEMA } from '@mlops/schemas';
import type { ModelVersion, StageEvent } from './types.ts';

export interface PromoteReport {
  schema: typeof PROMOTE_SCHEMA;
  name: string;
  stage: string;
  action: 'promote' | 'rollback';
  backend: 'git' | 'mlflow';
  registry: string;
  version: string;
  previous_version: string | null;
  ref: string;
  created: boolean;
  require_gate: boolean;
  gate: LineageRecord['gate'] | null;
  model_uri: string | null;
  commit: string | null;
  deployment: { id: number; environment: string; url?: string } | null;
  at: string;
  /** The stage's audit trail after this run, oldest first. */
  audit: AuditEntry[];
}

export interface AuditEntry {
  action: string;
  stage: string;
  from: string | null;
  to: string | null;
  at: string;
  actor: string | null;
  run_id: string | null;
  run_url: string | null;
  ref: string;
}

export function auditEntries(events: readonly StageEvent[]): AuditEntry[] {
  return events.map((event) => ({
    action: event.action,
    stage: event.stage,
    from: event.previousVersion ?? null,
    to: event.version ?? null,
    at: event.at,
    actor: event.actor ?? null,
    run_id: event.runId ?? null,
    run_url: event.runUrl ?? null,
    ref: event.ref,
  }));
}

export interface LookupReport {
  schema: typeof LOOKUP_SCHEMA;
  found: boolean;
  name: string;
  stage: string | null;
  backend: 'git' | 'mlflow';
  registry: string;
  version: string | null;
  ref: string | null;
  model_uri: string | null;
  commit: string | null;
  stages: string[];
  lineage: LineageRecord | null;
}

export function lookupReport(
  name: string,
  stage: string | undefined,
  backend: 'git' | 'mlflow',
  registry: string,
  version: ModelVersion | undefined,
): LookupReport {
  return {
    schema: LOOKUP_SCHEMA,
    found: version !== undefined,
    name,
    stage: stage ?? null,
    backend,
    registry,
    version: version?.version ?? null,
    ref: version?.ref ?? null,
    model_uri: version?.modelUri ?? null,
    commit: version?.commit ?? null,
    stages: version?.stages ?? [],
    lineage: version?.lineage ?? null,
  };
}

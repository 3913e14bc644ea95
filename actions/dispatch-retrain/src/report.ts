// The mlops.dispatch-retrain/v1 report: what was decided, on which drift, against which runs.

import type { DispatchInputValue, WorkflowRunSummary } from '@mlops/github';
import { DISPATCH_SCHEMA } from '@mlops/schemas';
import type { DriftSignal } from './drift-signal.ts';
import type { BlockKind } from './policy.ts';
import type { Target } from './target.ts';

export interface DispatchReport {
  schema: typeof DISPATCH_SCHEMA;
  dispatched: boolean;
  dry_run: boolean;
  /** One sentence, capitalised, ending with a period. */
  reason: string;
  mode: Target['kind'];
  /** owner/name */
  repository: string;
  workflow?: string;
  event_type?: string;
  fingerprint: string;
  drift_detected: boolean;
  drift_share?: number;
  drift: {
    source: DriftSignal['source'];
    detected: boolean;
    share: number | null;
    min_share: number;
    forced: boolean;
    drifted_columns: string[];
  };
  cooldown_seconds: number;
  dedupe_window_seconds: number;
  at: string;
  actor?: string;
  /** Runs of the target created within the cooldown / de-duplication window. */
  runs_considered?: number;
  /** A dry run, or a run without a token, that would have dispatched. */
  would_dispatch?: true;
  blocked_by?: BlockedBy;
  ref?: string;
  inputs?: Record<string, DispatchInputValue>;
  client_payload?: Record<string, unknown>;
  run_id?: number;
  run_url?: string;
  run_api_url?: string;
}

export interface BlockedBy {
  kind: BlockKind;
  run_id: number;
  run_number: number;
  run_url: string;
  status: WorkflowRunSummary['status'];
  conclusion: WorkflowRunSummary['conclusion'];
  created_at: string;
  title: string;
}

/** The fields an outcome adds to the report, in the order they appear in it. */
export type OutcomeFields = Pick<
  DispatchReport,
  | 'runs_considered'
  | 'would_dispatch'
  | 'blocked_by'
  | 'ref'
  | 'inputs'
  | 'client_payload'
  | 'run_id'
  | 'run_url'
  | 'run_api_url'
>;

/** What was decided: dispatched or not, the reason (a lower-case phrase), and what the report adds. */
export interface Outcome {
  dispatched: boolean;
  reason: string;
  fields?: OutcomeFields;
}

/** The report before the decision: the request, the drift it is based on, the policy. */
export function baseReport(request: {
  dryRun: boolean;
  target: Target;
  repository: string;
  fingerprint: string;
  signal: DriftSignal;
  minDriftShare: number;
  force: boolean;
  cooldownMs: number;
  dedupeWindowMs: number;
  now: Date;
  actor: string | undefined;
}): DispatchReport {
  const { target, signal } = request;
  return {
    schema: DISPATCH_SCHEMA,
    dispatched: false,
    dry_run: request.dryRun,
    reason: '',
    mode: target.kind,
    repository: request.repository,
    ...(target.kind === 'workflow_dispatch'
      ? { workflow: target.workflow }
      : { event_type: target.eventType }),
    ...(target.kind === 'repository_dispatch' && target.workflow ? { workflow: target.workflow } : {}),
    fingerprint: request.fingerprint,
    drift_detected: signal.detected,
    ...(signal.share !== undefined ? { drift_share: signal.share } : {}),
    drift: {
      source: signal.source,
      detected: signal.detected,
      share: signal.share ?? null,
      min_share: request.minDriftShare,
      forced: request.force,
      drifted_columns: signal.columns.map((column) => column.name),
    },
    cooldown_seconds: request.cooldownMs / 1000,
    dedupe_window_seconds: request.dedupeWindowMs / 1000,
    at: request.now.toISOString(),
    ...(request.actor ? { actor: request.actor } : {}),
  };
}

/** The final report: the base with the outcome's fields and verdict (the reason as one sentence). */
export function finalReport(base: DispatchReport, outcome: Outcome): DispatchReport {
  const sentence = capitalise(outcome.reason.endsWith('.') ? outcome.reason : `${outcome.reason}.`);
  return { ...base, ...outcome.fields, dispatched: outcome.dispatched, reason: sentence };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

import type { STAGE_EVENT_SCHEMA } from '@mlops/schemas';
import type { Actor, StageAction } from './types.ts';

/** Schema of the audit record both backends store per stage move (git: the stage tag's message; MLflow: a
 * registered-model tag). */

export interface StageRecord {
  schema: typeof STAGE_EVENT_SCHEMA;
  name: string;
  stage: string;
  action: StageAction;
  version?: string;
  previous_version?: string | null;
  at: string;
  actor?: string;
  workflow?: string;
  run_id?: string;
  run_url?: string;
}

/** Who moved the stage, as the record's optional fields. */
export function actorFields(actor: Actor): Partial<StageRecord> {
  const fields: Partial<StageRecord> = {};
  if (actor.actor !== undefined) fields.actor = actor.actor;
  if (actor.workflow !== undefined) fields.workflow = actor.workflow;
  if (actor.runId !== undefined) fields.run_id = actor.runId;
  if (actor.runUrl !== undefined) fields.run_url = actor.runUrl;
  return fields;
}

/**
 * The version a stage held before the current holder's tenure began: walking back through the holder after
 * each event, the first holder that differs from the current one. Rolling back twice therefore undoes the
 * rollback, as an operator expects from "go back to what was there before".
 */
export function previousHolder(holders: readonly (string | undefined)[]): string | undefined {
  const current = holders.at(-1);
  for (let index = holders.length - 2; index >= 0; index--) {
    if (holders[index] !== current) return holders[index];
  }
  return undefined;
}

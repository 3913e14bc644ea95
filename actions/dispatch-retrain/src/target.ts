// Where a retrain goes (workflow_dispatch of a workflow, or a repository_dispatch event) and what it
// carries: read from the inputs against GitHub's limits, and built into the request's inputs / payload.
import type { DispatchInputValue } from '@mlops/github';
import { type ActionIO, InputError } from '@mlops/kit';
import type { DriftSignal } from './drift-signal.ts';

/** The workflow_dispatch inputs this action adds; the target workflow declares them (README). */
export const FINGERPRINT_INPUT = 'mlops_fingerprint';
export const REASON_INPUT = 'mlops_reason';
/** The client_payload key this action adds to a repository_dispatch. */
export const PAYLOAD_KEY = 'mlops';

export type Target =
  | { kind: 'workflow_dispatch'; workflow: string; userInputs: Record<string, DispatchInputValue> }
  | {
      kind: 'repository_dispatch';
      eventType: string;
      workflow?: string;
      userPayload: Record<string, unknown>;
    };

/** Reads workflow / event-type / inputs, refusing what GitHub would reject (input and payload key limits). */
export function readTarget(inputs: ActionIO['inputs'], sendFingerprint: boolean): Target {
  const workflow = inputs.optional('workflow');
  const eventType = inputs.optional('event-type');
  const extra = inputs.json('inputs');
  if (extra !== undefined && (typeof extra !== 'object' || extra === null || Array.isArray(extra))) {
    throw new InputError(
      'inputs',
      `expected a JSON object such as {"epochs": "20"}, got ${JSON.stringify(extra)}`,
    );
  }
  const user = (extra ?? {}) as Record<string, unknown>;
  if (eventType !== undefined) {
    if (eventType.length > 100)
      throw new InputError(
        'event-type',
        `must be at most 100 characters (GitHub's limit), got ${eventType.length}`,
      );
    if (PAYLOAD_KEY in user)
      throw new InputError(
        'inputs',
        `the key '${PAYLOAD_KEY}' is reserved for this action's own client_payload fields`,
      );
    if (Object.keys(user).length + 1 > 10) {
      throw new InputError(
        'inputs',
        `client_payload takes at most 10 top-level keys and this action adds '${PAYLOAD_KEY}': give at most 9, got ${Object.keys(user).length} (nest the rest under one key)`,
      );
    }
    return { kind: 'repository_dispatch', eventType, userPayload: user, ...(workflow ? { workflow } : {}) };
  }
  if (workflow === undefined) {
    throw new InputError(
      'workflow',
      'give workflow (the file name or id to run with workflow_dispatch) or event-type (for repository_dispatch)',
    );
  }
  const userInputs: Record<string, DispatchInputValue> = {};
  for (const [name, value] of Object.entries(user)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new InputError(
        'inputs',
        `workflow_dispatch input '${name}' must be a string, number or boolean, got ${JSON.stringify(value)}`,
      );
    }
    if (sendFingerprint && (name === FINGERPRINT_INPUT || name === REASON_INPUT)) {
      throw new InputError(
        'inputs',
        `'${name}' is set by this action (set send-fingerprint: false to pass your own)`,
      );
    }
    userInputs[name] = value;
  }
  const ours = sendFingerprint ? 2 : 0;
  if (Object.keys(userInputs).length + ours > 25) {
    throw new InputError(
      'inputs',
      `workflow_dispatch takes at most 25 inputs; ${Object.keys(userInputs).length} given${ours ? ` plus this action's ${FINGERPRINT_INPUT} and ${REASON_INPUT}` : ''} is ${Object.keys(userInputs).length + ours}`,
    );
  }
  return { kind: 'workflow_dispatch', workflow, userInputs };
}

/** The workflow_dispatch inputs: the user's, plus the fingerprint and the run title when they are sent. */
export function workflowInputs(
  target: Extract<Target, { kind: 'workflow_dispatch' }>,
  sendFingerprint: boolean,
  fingerprint: string,
  title: string,
): Record<string, DispatchInputValue> {
  return {
    ...target.userInputs,
    ...(sendFingerprint ? { [FINGERPRINT_INPUT]: fingerprint, [REASON_INPUT]: title } : {}),
  };
}

/** The repository_dispatch client_payload: the user's keys plus ours under PAYLOAD_KEY. */
export function clientPayload(
  target: Extract<Target, { kind: 'repository_dispatch' }>,
  details: {
    fingerprint: string;
    reason: string;
    title: string;
    signal: DriftSignal;
    ref: string | undefined;
    sourceRunUrl: string | undefined;
  },
): Record<string, unknown> {
  const { fingerprint, reason, title, signal, ref, sourceRunUrl } = details;
  return {
    ...target.userPayload,
    [PAYLOAD_KEY]: {
      fingerprint,
      reason,
      title,
      drift_share: signal.share ?? null,
      // The first 50 names: a payload is capped at 64 KB and the report has them all.
      drifted_columns: signal.columns.slice(0, 50).map((column) => column.name),
      ...(sourceRunUrl ? { source_run_url: sourceRunUrl } : {}),
      ...(ref ? { ref } : {}),
    },
  };
}

import { UserError } from '@mlops/kit';
import type { GitHubClient } from './client.ts';
import { callGitHub } from './errors.ts';
import type { RepositoryRef } from './repository.ts';

/** GitHub's limits on dispatch payloads (REST docs, "Create a workflow dispatch event" / "repository dispatch"). */
export const DISPATCH_LIMITS = {
  workflowInputs: 25,
  workflowPayloadChars: 65_535,
  clientPayloadKeys: 10,
  clientPayloadBytes: 65_536,
  eventTypeChars: 100,
} as const;

export type DispatchInputValue = string | number | boolean;

export interface WorkflowDispatchRequest {
  /** Workflow id or file name. */
  workflow: number | string;
  ref: string;
  inputs: Record<string, DispatchInputValue>;
}

export interface DispatchResult {
  /** Present when GitHub honoured `return_run_details` (200); a 204 from an older server leaves them out. */
  runId?: number;
  /** API URL of the run. */
  runApiUrl?: string;
  /** Web URL of the run, what a person opens. */
  runHtmlUrl?: string;
  status: number;
}

/** Throws a UserError naming the limit when a workflow_dispatch payload would be refused by GitHub. */
export function checkWorkflowDispatch(request: WorkflowDispatchRequest): void {
  const names = Object.keys(request.inputs);
  if (names.length > DISPATCH_LIMITS.workflowInputs) {
    throw new UserError(
      `workflow_dispatch takes at most ${DISPATCH_LIMITS.workflowInputs} inputs, this dispatch has ${names.length} (${names.join(', ')})`,
    );
  }
  const size = JSON.stringify(request.inputs).length;
  if (size > DISPATCH_LIMITS.workflowPayloadChars) {
    throw new UserError(
      `workflow_dispatch inputs take at most ${DISPATCH_LIMITS.workflowPayloadChars} characters of JSON, these take ${size}`,
    );
  }
}

/** Throws a UserError naming the limit when a repository_dispatch would be refused by GitHub. */
export function checkRepositoryDispatch(eventType: string, clientPayload: Record<string, unknown>): void {
  if (eventType.length === 0 || eventType.length > DISPATCH_LIMITS.eventTypeChars) {
    throw new UserError(
      `repository_dispatch event_type must be 1 to ${DISPATCH_LIMITS.eventTypeChars} characters, got ${eventType.length}`,
    );
  }
  const keys = Object.keys(clientPayload);
  if (keys.length > DISPATCH_LIMITS.clientPayloadKeys) {
    throw new UserError(
      `repository_dispatch client_payload takes at most ${DISPATCH_LIMITS.clientPayloadKeys} top-level keys, this one has ${keys.length} (${keys.join(', ')})`,
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(clientPayload));
  if (bytes >= DISPATCH_LIMITS.clientPayloadBytes) {
    throw new UserError(
      `repository_dispatch client_payload must be under 64 KB of JSON, this one is ${bytes} bytes`,
    );
  }
}

/**
 * Fires workflow_dispatch asking for the run's details (`return_run_details: true`, GitHub 2026-02): a 200
 * carries the new run's id and URLs; a server without the feature answers 204 and the result has none.
 */
export async function dispatchWorkflow(
  octokit: GitHubClient,
  repository: RepositoryRef,
  request: WorkflowDispatchRequest,
): Promise<DispatchResult> {
  checkWorkflowDispatch(request);
  const where = `${repository.owner}/${repository.repo}`;
  const response = await callGitHub(
    {
      action: `dispatch workflow ${request.workflow} on ${request.ref} in ${where}`,
      permission: 'actions: write',
      notFound: `check that workflow ${request.workflow} exists on the default branch of ${where}`,
    },
    () =>
      octokit.rest.actions.createWorkflowDispatch({
        ...repository,
        workflow_id: request.workflow,
        ref: request.ref,
        inputs: request.inputs,
        return_run_details: true,
      }),
  );
  const status = response.status as number;
  const details = (status === 200 ? response.data : undefined) as
    | { workflow_run_id?: unknown; run_url?: unknown; html_url?: unknown }
    | undefined;
  return {
    status,
    ...(typeof details?.workflow_run_id === 'number' ? { runId: details.workflow_run_id } : {}),
    ...(typeof details?.run_url === 'string' ? { runApiUrl: details.run_url } : {}),
    ...(typeof details?.html_url === 'string' ? { runHtmlUrl: details.html_url } : {}),
  };
}

/** Fires repository_dispatch (204; GitHub says nothing about the runs it starts). */
export async function dispatchRepositoryEvent(
  octokit: GitHubClient,
  repository: RepositoryRef,
  eventType: string,
  clientPayload: Record<string, unknown>,
): Promise<DispatchResult> {
  checkRepositoryDispatch(eventType, clientPayload);
  const response = await callGitHub(
    {
      action: `send repository_dispatch '${eventType}' to ${repository.owner}/${repository.repo}`,
      permission: 'contents: write',
    },
    () =>
      octokit.rest.repos.createDispatchEvent({
        ...repository,
        event_type: eventType,
        client_payload: clientPayload,
      }),
  );
  return { status: response.status };
}

/** The repository's default branch, the ref a dispatch uses when none is given. */
export async function defaultBranch(octokit: GitHubClient, repository: RepositoryRef): Promise<string> {
  const { data } = await callGitHub(
    {
      action: `read repository ${repository.owner}/${repository.repo}`,
      permission: 'contents: read',
      notFound: 'check the repository name',
    },
    () => octokit.rest.repos.get({ owner: repository.owner, repo: repository.repo }),
  );
  return data.default_branch;
}

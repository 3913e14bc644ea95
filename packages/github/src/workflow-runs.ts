import { didYouMean, UserError } from '@mlops/kit';
import type { GitHubClient } from './client.ts';
import { callGitHub, githubStatus, toGitHubApiError } from './errors.ts';
import type { RepositoryRef } from './repository.ts';

export interface WorkflowSummary {
  id: number;
  name: string;
  /** .github/workflows/train.yml */
  path: string;
  state: string;
  html_url: string;
}

/** The fields of a workflow run that decisions and reports use. */
export interface WorkflowRunSummary {
  id: number;
  workflow_id: number;
  name: string;
  /** The run's title: the workflow's `run-name:` when it has one, else a default (the workflow name). */
  display_title: string;
  event: string;
  status: string;
  conclusion: string | null;
  created_at: string;
  html_url: string;
  run_number: number;
}

/**
 * A workflow by file name (train.yml), path (.github/workflows/train.yml) or numeric id. A 404 becomes a
 * UserError that lists the repository's workflows with a "did you mean".
 */
export async function getWorkflow(
  octokit: GitHubClient,
  repository: RepositoryRef,
  workflow: string,
): Promise<WorkflowSummary> {
  const id: string | number = /^\d+$/.test(workflow) ? Number(workflow) : workflow.split('/').pop()!;
  const where = `${repository.owner}/${repository.repo}`;
  try {
    const { data } = await octokit.rest.actions.getWorkflow({ ...repository, workflow_id: id });
    return { id: data.id, name: data.name, path: data.path, state: data.state, html_url: data.html_url };
  } catch (error) {
    if (githubStatus(error) !== 404)
      throw toGitHubApiError(error, {
        action: `read workflow ${workflow} in ${where}`,
        permission: 'actions: read',
      });
    const known = await callGitHub(
      { action: `list the workflows of ${where}`, permission: 'actions: read' },
      () => octokit.paginate(octokit.rest.actions.listRepoWorkflows, { ...repository, per_page: 100 }),
    );
    const files = known.map((entry) => entry.path.split('/').pop()!);
    throw new UserError(
      `workflow '${workflow}' not found in ${where}${didYouMean(String(id), files)}; ` +
        (files.length > 0
          ? `its workflows are ${files.join(', ')}`
          : 'it has no workflows the token can see') +
        ' (the file must be on the default branch; the token needs actions: read)',
    );
  }
}

export interface RunQuery {
  /** Workflow id or file name; all the repository's runs when omitted. */
  workflowId?: number | string;
  event?: string;
  /** A run status (queued, in_progress, ...) or conclusion (success, failure, ...). */
  status?: string;
  /** Only runs created at or after this instant (GitHub's `created` filter). */
  createdSince?: Date;
  /** Stop after this many runs (newest first). Default 300. */
  limit?: number;
}

/** Workflow runs, newest first, through the workflow-runs API with server-side filters and pagination. */
export async function listWorkflowRuns(
  octokit: GitHubClient,
  repository: RepositoryRef,
  query: RunQuery,
): Promise<WorkflowRunSummary[]> {
  const limit = query.limit ?? 300;
  const filters = {
    ...repository,
    per_page: Math.min(100, limit),
    ...(query.event ? { event: query.event } : {}),
    ...(query.status ? { status: query.status as 'queued' } : {}),
    // Whole seconds: GitHub's search syntax takes ISO 8601 without fractions.
    ...(query.createdSince
      ? { created: `>=${query.createdSince.toISOString().replace(/\.\d{3}Z$/, 'Z')}` }
      : {}),
  };
  const runs: WorkflowRunSummary[] = [];
  const operation = {
    action: `list workflow runs of ${repository.owner}/${repository.repo}`,
    permission: 'actions: read',
  };
  await callGitHub(operation, async () => {
    const pages =
      query.workflowId !== undefined
        ? octokit.paginate.iterator(octokit.rest.actions.listWorkflowRuns, {
            ...filters,
            workflow_id: query.workflowId,
          })
        : octokit.paginate.iterator(octokit.rest.actions.listWorkflowRunsForRepo, filters);
    for await (const page of pages) {
      for (const run of page.data) {
        runs.push({
          id: run.id,
          workflow_id: run.workflow_id,
          name: run.name ?? '',
          display_title: run.display_title,
          event: run.event,
          status: run.status ?? '',
          conclusion: run.conclusion ?? null,
          created_at: run.created_at,
          html_url: run.html_url,
          run_number: run.run_number,
        });
        if (runs.length >= limit) return;
      }
    }
  });
  return runs;
}

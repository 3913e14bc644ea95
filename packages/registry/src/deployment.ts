import { callGitHub, type GitHubClient } from '@mlops/github';

export interface DeploymentRecord {
  id: number;
  environment: string;
  url?: string;
}

export interface DeploymentRequest {
  owner: string;
  repo: string;
  environment: string;
  /** A tag, branch or commit GitHub knows (the version tag in the git registry, the code commit for MLflow). */
  ref: string;
  payload: Record<string, string | undefined>;
  description: string;
  logUrl?: string;
}

/**
 * Records a promotion as a GitHub deployment plus a success status, so the environment page shows which model
 * version is where. auto_merge is off (a deployment must never merge the default branch into the ref) and no
 * status contexts are required (the gate already ran).
 */
export async function recordDeployment(
  github: GitHubClient,
  request: DeploymentRequest,
): Promise<DeploymentRecord> {
  const { owner, repo, environment } = request;
  const payload = Object.fromEntries(
    Object.entries(request.payload).filter(([, value]) => value !== undefined),
  );
  const created = await callGitHub(
    { action: `create a deployment to ${environment}`, permission: 'deployments: write' },
    () =>
      github.rest.repos.createDeployment({
        owner,
        repo,
        ref: request.ref,
        environment,
        auto_merge: false,
        required_contexts: [],
        payload,
        description: request.description.slice(0, 140),
        task: 'deploy:model',
      }),
  );
  const deployment = created.data as { id?: number; message?: string };
  if (typeof deployment.id !== 'number') {
    // 202: GitHub declined to create it (e.g. an auto-merge); with auto_merge false this should not happen.
    throw new Error(`GitHub did not create the deployment: ${deployment.message ?? 'no id returned'}`);
  }
  const status = await callGitHub(
    { action: `mark deployment ${deployment.id} successful`, permission: 'deployments: write' },
    () =>
      github.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: deployment.id!,
        state: 'success',
        description: request.description.slice(0, 140),
        ...(request.logUrl ? { log_url: request.logUrl } : {}),
      }),
  );
  const record: DeploymentRecord = { id: deployment.id, environment };
  const url = (status.data as { environment_url?: string }).environment_url;
  if (url) record.url = url;
  return record;
}

// The GitHub the demo talks to: the test harness's REST emulator on 127.0.0.1, seeded with the example
// repository, its pipeline workflow and an open pull request, so pr-comment and dispatch-retrain make real
// HTTP requests, are validated against GitHub's OpenAPI description, and get GitHub's answers.
import { startGitHubEmulator } from '../../test/harness/github-emulator.ts';

export interface DemoGitHub {
  url: string;
  /** workflow_dispatch runs the repository received (inputs included). */
  dispatches(): { workflow: string; ref: string; inputs: Record<string, unknown> }[];
  /** Comments on the pull request, in order. */
  comments(): { id: number; body: string }[];
  /** Marks every queued or running workflow run completed (the dispatched training finished). */
  finishRuns(): void;
  /** Requests that broke GitHub's OpenAPI description: should stay empty. */
  violations(): string[];
  close(): Promise<void>;
}

export async function startGitHub(options: {
  repository: string;
  workflow: string;
  workflowInputs: string[];
  /** The workflow's `run-name:` template (the emulator evaluates it per run, as GitHub does). */
  runName?: string;
  pullRequest: number;
}): Promise<DemoGitHub> {
  const emulator = await startGitHubEmulator();
  const [owner, name] = options.repository.split('/') as [string, string];
  const repo = emulator.state.addRepo({ owner, name });
  const workflow = emulator.state.addWorkflow(repo, {
    path: options.workflow,
    name: options.workflow.replace(/\.ya?ml$/, ''),
    // GitHub answers 422 to inputs the workflow does not declare: declare exactly those of mlops-pipeline.yml.
    inputs: Object.fromEntries(options.workflowInputs.map((input) => [input, {}])),
    ...(options.runName === undefined ? {} : { runName: options.runName }),
  });
  emulator.state.addPullRequest(repo, {
    number: options.pullRequest,
    title: 'Retrain on the older outreach cohort',
    head: 'retrain-older-cohort',
  });
  return {
    url: emulator.url,
    dispatches: () =>
      repo.runs
        .filter((run) => run.workflow_id === workflow.id && run.event === 'workflow_dispatch')
        .map((run) => ({ workflow: options.workflow, ref: run.head_branch, inputs: run.inputs ?? {} })),
    comments: () =>
      repo.comments
        .filter((comment) => comment.issue_number === options.pullRequest)
        .map((comment) => ({ id: comment.id, body: comment.body })),
    finishRuns: () => {
      for (const run of repo.runs) {
        if (run.status === 'completed') continue;
        run.status = 'completed';
        run.conclusion = 'success';
        run.updated_at = new Date().toISOString();
      }
    },
    violations: () => emulator.violations.map((v) => `${v.method} ${v.path}: ${v.message}`),
    close: () => emulator.close(),
  };
}

import {
  createGitHubClient,
  type DispatchResult,
  defaultBranch,
  dispatchRepositoryEvent,
  dispatchWorkflow,
  type GitHubClient,
  getWorkflow,
  listWorkflowRuns,
  parseRepository,
  type RepositoryRef,
  type WorkflowRunSummary,
} from '@mlops/github';
import { type ActionIO, InputError, runUrl, secretInput, UserError, writeJsonFile } from '@mlops/kit';
import { type DriftSignal, driftSignalFromInputs, noDriftSignal, readDriftReport } from './drift-signal.ts';
import { driftFingerprint, fingerprintMarker } from './fingerprint.ts';
import { type Blocker, checkRuns, type DriftDecision, decideOnDrift } from './policy.ts';
import {
  type BlockedBy,
  baseReport,
  type DispatchReport,
  finalReport,
  type Outcome,
  type OutcomeFields,
} from './report.ts';
import {
  clientPayload,
  FINGERPRINT_INPUT,
  PAYLOAD_KEY,
  REASON_INPUT,
  readTarget,
  type Target,
  workflowInputs,
} from './target.ts';

/** The inputs, read and checked before anything is asked of GitHub. */
interface Settings {
  token: string | undefined;
  dryRun: boolean;
  force: boolean;
  minDriftShare: number;
  cooldownMs: number;
  dedupeWindowMs: number;
  sendFingerprint: boolean;
  target: Target;
  repository: RepositoryRef;
  reportPath: string;
}

/** What the decision is about: the drift, its fingerprint and this run's clock. */
interface Case {
  signal: DriftSignal;
  fingerprint: string;
  drift: DriftDecision;
  now: Date;
}

/** dispatch-retrain: inputs -> drift signal -> (GitHub: active and recent runs -> dispatch) -> report. */
export async function main(io: ActionIO): Promise<void> {
  const settings = readSettings(io);
  const signal = await readSignal(io, settings.force);
  const fingerprint = driftFingerprint(signal);
  const subject: Case = {
    signal,
    fingerprint,
    drift: decideOnDrift(signal, settings.minDriftShare, settings.force),
    now: new Date(),
  };
  const base = baseReport({
    ...settings,
    repository: `${settings.repository.owner}/${settings.repository.repo}`,
    fingerprint,
    signal,
    now: subject.now,
    actor: io.env.actor,
  });
  const report = finalReport(base, await decide(io, settings, subject));
  await writeOutcome(io, report, settings.reportPath);
}

function readSettings(io: ActionIO): Settings {
  const { inputs, env } = io;
  const sendFingerprint = inputs.boolean('send-fingerprint');
  const repositoryInput = inputs.optional('repository');
  return {
    token: secretInput(io, 'token'),
    dryRun: inputs.boolean('dry-run'),
    force: inputs.boolean('force'),
    minDriftShare: inputs.requiredNumber('min-drift-share', { min: 0, max: 1 }),
    cooldownMs: inputs.requiredDuration('cooldown'),
    dedupeWindowMs: inputs.requiredDuration('dedupe-window'),
    sendFingerprint,
    target: readTarget(inputs, sendFingerprint),
    repository: parseRepository(
      repositoryInput ?? env.repository ?? '',
      repositoryInput ? "input 'repository'" : 'GITHUB_REPOSITORY (or the repository input)',
    ),
    reportPath: inputs.requiredPath('report'),
  };
}

async function writeOutcome(io: ActionIO, report: DispatchReport, reportPath: string): Promise<void> {
  io.setOutput('dispatched', report.dispatched);
  io.setOutput('reason', report.reason);
  io.setOutput('fingerprint', report.fingerprint);
  io.setOutput('run-id', report.run_id ?? '');
  io.setOutput('run-url', report.run_url ?? '');
  await writeJsonFile(reportPath, report);
  io.setOutput('report', reportPath);
  // The renderers are loaded for the summary only, not at every start.
  const { renderDispatchMarkdown } = await import('@mlops/report');
  io.appendSummary(renderDispatchMarkdown(report));
  io.logger.info(`${report.dispatched ? 'dispatched' : 'not dispatched'}: ${report.reason}`);
}

/** Drift first, then the token, then GitHub: runs under way or cooling down, then the dispatch itself. */
async function decide(io: ActionIO, settings: Settings, subject: Case): Promise<Outcome> {
  const { drift } = subject;
  if (!drift.wanted) return { dispatched: false, reason: drift.reason };
  if (!settings.token) {
    if (!settings.dryRun)
      throw new InputError(
        'token',
        'is empty: a token with actions: write (workflow) or contents: write (event-type) is needed to read runs and dispatch',
      );
    return {
      dispatched: false,
      reason: `dry run without a token: would dispatch if no run were under way or cooling down; ${drift.reason}`,
      fields: { would_dispatch: true },
    };
  }

  const octokit = await createGitHubClient({
    token: settings.token,
    apiUrl: io.env.apiUrl,
    logger: io.logger,
  });
  const workflowName = settings.target.workflow;
  const workflow =
    workflowName === undefined ? undefined : await getWorkflow(octokit, settings.repository, workflowName);
  if (workflow && workflow.state !== 'active') {
    throw new UserError(
      `workflow ${workflow.path} is ${workflow.state.replace(/_/g, ' ')}: enable it in the Actions tab before dispatching to it`,
    );
  }
  const runs = await checkRecentRuns(io, octokit, settings, subject, workflow);
  if (runs.blocker) {
    io.logger.info(`blocking run: ${runs.blocker.run.html_url} (${runs.blocker.run.display_title})`);
    return {
      dispatched: false,
      reason: runs.blocker.sentence,
      fields: { runs_considered: runs.considered, blocked_by: blockedBy(runs.blocker) },
    };
  }
  return dispatch(io, octokit, settings, subject, workflow, runs.considered);
}

type Workflow = Awaited<ReturnType<typeof getWorkflow>>;

/** The target's queued, running and recent runs, judged by the cooldown and de-duplication policy. */
async function checkRecentRuns(
  io: ActionIO,
  octokit: GitHubClient,
  settings: Settings,
  subject: Case,
  workflow: Workflow | undefined,
): Promise<{ considered: number; blocker: Blocker | undefined }> {
  const { repository, cooldownMs, dedupeWindowMs } = settings;
  const { env, logger } = io;
  const dispatchEvent = settings.target.kind;
  const lookback = new Date(subject.now.getTime() - Math.max(cooldownMs, dedupeWindowMs));
  const scope = workflow ? { workflowId: workflow.id } : { event: 'repository_dispatch' };
  const [inProgress, queued, recent] = await Promise.all([
    listWorkflowRuns(octokit, repository, { ...scope, status: 'in_progress', limit: 20 }),
    listWorkflowRuns(octokit, repository, { ...scope, status: 'queued', limit: 20 }),
    listWorkflowRuns(octokit, repository, { ...scope, createdSince: lookback, limit: 500 }),
  ]);
  // This job's own run is in progress too when it runs inside the target workflow: it does not count.
  const self = (run: WorkflowRunSummary) => env.runId !== undefined && String(run.id) === env.runId;
  const verdict = checkRuns(
    {
      active: [...inProgress, ...queued].filter((run) => !self(run)),
      recent: recent.filter((run) => !self(run)),
    },
    {
      fingerprint: subject.fingerprint,
      cooldownMs,
      dedupeWindowMs,
      now: subject.now,
      dispatchEvent,
      singleWorkflow: workflow !== undefined,
    },
  );
  if (verdict.unmarkedCounted.length > 0) {
    logger.warning(
      `${verdict.unmarkedCounted.length} ${dispatchEvent} run(s) of ${workflow?.path ?? 'the repository'} carry no ${'[mlops:…]'} marker in their title, so all of them count for the cooldown and duplicates cannot be recognised: ` +
        (dispatchEvent === 'workflow_dispatch'
          ? `declare the inputs ${FINGERPRINT_INPUT} and ${REASON_INPUT} and set \`run-name: \${{ inputs.${REASON_INPUT} || 'Train' }}\``
          : `set \`run-name: \${{ github.event.client_payload.${PAYLOAD_KEY}.title || 'Train' }}\``) +
        ' in the target workflow (see the dispatch-retrain README)',
    );
  }
  return { considered: recent.length, blocker: verdict.blocker };
}

/** The dispatch (or, in a dry run, what it would send). */
async function dispatch(
  io: ActionIO,
  octokit: GitHubClient,
  settings: Settings,
  subject: Case,
  workflow: Workflow | undefined,
  considered: number,
): Promise<Outcome> {
  const { target, repository, dryRun } = settings;
  const { fingerprint, signal } = subject;
  const ref =
    io.inputs.optional('ref') ??
    (target.kind === 'workflow_dispatch' ? await defaultBranch(octokit, repository) : undefined);
  const reason = subject.drift.reason;
  const title = `Retrain: ${reason} ${fingerprintMarker(fingerprint)}`;
  if (target.kind === 'workflow_dispatch') {
    const inputs = workflowInputs(target, settings.sendFingerprint, fingerprint, title);
    const what = `${workflow!.path.split('/').pop()} on ${ref}`;
    if (dryRun) {
      const fields: OutcomeFields = { runs_considered: considered, would_dispatch: true, ref, inputs };
      return { dispatched: false, reason: `dry run: would dispatch ${what}; ${reason}`, fields };
    }
    const result = await dispatchWorkflow(octokit, repository, { workflow: workflow!.id, ref: ref!, inputs });
    return {
      dispatched: true,
      reason: `dispatched ${what}: ${reason}`,
      fields: { runs_considered: considered, ref, inputs, ...runFields(result, io) },
    };
  }
  const sourceRunUrl = runUrl(io.env);
  const payload = clientPayload(target, { fingerprint, reason, title, signal, ref, sourceRunUrl });
  if (dryRun)
    return {
      dispatched: false,
      reason: `dry run: would send repository_dispatch '${target.eventType}'; ${reason}`,
      fields: { runs_considered: considered, would_dispatch: true, client_payload: payload },
    };
  await dispatchRepositoryEvent(octokit, repository, target.eventType, payload);
  return {
    dispatched: true,
    reason: `sent repository_dispatch '${target.eventType}': ${reason}`,
    fields: { runs_considered: considered, client_payload: payload },
  };
}

async function readSignal(io: ActionIO, force: boolean): Promise<DriftSignal> {
  const { inputs } = io;
  const reportFile = inputs.path('drift-report');
  const detected =
    inputs.optional('drift-detected') === undefined ? undefined : inputs.boolean('drift-detected');
  const share = inputs.number('drift-share', { min: 0, max: 1 });
  if (reportFile !== undefined) {
    if (detected !== undefined || share !== undefined) {
      throw new InputError(
        'drift-report',
        'give either drift-report or drift-detected / drift-share, not both',
      );
    }
    return readDriftReport(reportFile, inputs.optional('drift-report')!);
  }
  if (detected === undefined && share === undefined) {
    if (!force) {
      throw new InputError(
        'drift-report',
        "give validate-data's report (drift-report), or drift-detected / drift-share, or force: true",
      );
    }
    return noDriftSignal(io.env.sha ?? new Date().toISOString().slice(0, 10));
  }
  return driftSignalFromInputs(detected, share);
}

function runFields(result: DispatchResult, io: ActionIO): OutcomeFields {
  if (result.runId === undefined) {
    io.logger.info(
      `GitHub answered ${result.status} without the run's id (no return_run_details support); the run appears under the workflow's Actions tab`,
    );
    return {};
  }
  return {
    run_id: result.runId,
    ...(result.runHtmlUrl ? { run_url: result.runHtmlUrl } : {}),
    ...(result.runApiUrl ? { run_api_url: result.runApiUrl } : {}),
  };
}

function blockedBy(blocker: Blocker): BlockedBy {
  const { run } = blocker;
  return {
    kind: blocker.kind,
    run_id: run.id,
    run_number: run.run_number,
    run_url: run.html_url,
    status: run.status,
    conclusion: run.conclusion,
    created_at: run.created_at,
    title: run.display_title,
  };
}

import {
  createGitHubClient,
  type DispatchResult,
  defaultBranch,
  dispatchRepositoryEvent,
  dispatchWorkflow,
  getWorkflow,
  listWorkflowRuns,
  parseRepository,
  type WorkflowRunSummary,
} from '@mlops/github';
import { type ActionIO, InputError, runUrl, UserError, writeJsonFile } from '@mlops/kit';
import { renderDispatchMarkdown } from '@mlops/report';
import { DISPATCH_SCHEMA } from '@mlops/schemas';
import { type DriftSignal, driftSignalFromInputs, noDriftSignal, readDriftReport } from './drift-signal.ts';
import { driftFingerprint, fingerprintMarker } from './fingerprint.ts';
import { type Blocker, checkRuns, decideOnDrift } from './policy.ts';
import {
  clientPayload,
  FINGERPRINT_INPUT,
  PAYLOAD_KEY,
  REASON_INPUT,
  readTarget,
  workflowInputs,
} from './target.ts';

export async function main(io: ActionIO): Promise<void> {
  const { inputs, logger, env } = io;
  const token = inputs.optional('token');
  if (token) io.setSecret(token);
  const dryRun = inputs.boolean('dry-run');
  const force = inputs.boolean('force');
  const minDriftShare = inputs.number('min-drift-share', { min: 0, max: 1 }) ?? 0;
  const cooldownMs = inputs.duration('cooldown') ?? 0;
  const dedupeWindowMs = inputs.duration('dedupe-window') ?? 30 * 86_400_000;
  const sendFingerprint = inputs.boolean('send-fingerprint', true);
  const target = readTarget(inputs, sendFingerprint);
  const repository = parseRepository(
    inputs.optional('repository') ?? env.repository ?? '',
    inputs.optional('repository') ? "input 'repository'" : 'GITHUB_REPOSITORY (or the repository input)',
  );
  const reportPath = inputs.path('report');
  const signal = await readSignal(io, force);
  const fingerprint = driftFingerprint(signal);
  const marker = fingerprintMarker(fingerprint);
  const drift = decideOnDrift(signal, minDriftShare, force);
  const now = new Date();

  const report: Record<string, unknown> = {
    schema: DISPATCH_SCHEMA,
    dispatched: false,
    dry_run: dryRun,
    reason: '',
    mode: target.kind,
    repository: `${repository.owner}/${repository.repo}`,
    ...(target.kind === 'workflow_dispatch'
      ? { workflow: target.workflow }
      : { event_type: target.eventType }),
    ...(target.kind === 'repository_dispatch' && target.workflow ? { workflow: target.workflow } : {}),
    fingerprint,
    drift_detected: signal.detected,
    ...(signal.share !== undefined ? { drift_share: signal.share } : {}),
    drift: {
      source: signal.source,
      detected: signal.detected,
      share: signal.share ?? null,
      min_share: minDriftShare,
      forced: force,
      drifted_columns: signal.columns.map((column) => column.name),
    },
    cooldown_seconds: cooldownMs / 1000,
    dedupe_window_seconds: dedupeWindowMs / 1000,
    at: now.toISOString(),
    ...(env.actor ? { actor: env.actor } : {}),
  };
  const finish = async (dispatched: boolean, reason: string, extra: Record<string, unknown> = {}) => {
    const sentence = capitalise(reason.endsWith('.') ? reason : `${reason}.`);
    Object.assign(report, extra, { dispatched, reason: sentence });
    io.setOutput('dispatched', dispatched);
    io.setOutput('reason', sentence);
    io.setOutput('fingerprint', fingerprint);
    io.setOutput('run-id', typeof report.run_id === 'number' ? report.run_id : '');
    io.setOutput('run-url', typeof report.run_url === 'string' ? report.run_url : '');
    if (reportPath) {
      await writeJsonFile(reportPath, report);
      io.setOutput('report', reportPath);
    }
    io.appendSummary(renderDispatchMarkdown(report));
    logger.info(`${dispatched ? 'dispatched' : 'not dispatched'}: ${sentence}`);
  };

  if (!drift.wanted) return finish(false, drift.reason);
  if (!token) {
    if (!dryRun)
      throw new InputError(
        'token',
        'is empty: a token with actions: write (workflow) or contents: write (event-type) is needed to read runs and dispatch',
      );
    return finish(
      false,
      `dry run without a token: would dispatch if no run were under way or cooling down; ${drift.reason}`,
      { would_dispatch: true },
    );
  }

  const octokit = createGitHubClient({ token, apiUrl: env.apiUrl, logger });
  const workflowName = target.workflow;
  const workflow =
    workflowName === undefined ? undefined : await getWorkflow(octokit, repository, workflowName);
  if (workflow && workflow.state !== 'active') {
    throw new UserError(
      `workflow ${workflow.path} is ${workflow.state.replace(/_/g, ' ')}: enable it in the Actions tab before dispatching to it`,
    );
  }
  const dispatchEvent = target.kind;
  const lookback = new Date(now.getTime() - Math.max(cooldownMs, dedupeWindowMs));
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
    { fingerprint, cooldownMs, dedupeWindowMs, now, dispatchEvent, singleWorkflow: workflow !== undefined },
  );
  report.runs_considered = recent.length;
  if (verdict.unmarkedCounted.length > 0) {
    logger.warning(
      `${verdict.unmarkedCounted.length} ${dispatchEvent} run(s) of ${workflow?.path ?? 'the repository'} carry no ${'[mlops:…]'} marker in their title, so all of them count for the cooldown and duplicates cannot be recognised: ` +
        (dispatchEvent === 'workflow_dispatch'
          ? `declare the inputs ${FINGERPRINT_INPUT} and ${REASON_INPUT} and set \`run-name: \${{ inputs.${REASON_INPUT} || 'Train' }}\``
          : `set \`run-name: \${{ github.event.client_payload.${PAYLOAD_KEY}.title || 'Train' }}\``) +
        ' in the target workflow (see the dispatch-retrain README)',
    );
  }
  if (verdict.blocker) {
    logger.info(`blocking run: ${verdict.blocker.run.html_url} (${verdict.blocker.run.display_title})`);
    return finish(false, verdict.blocker.sentence, { blocked_by: blockerJson(verdict.blocker) });
  }

  const ref =
    inputs.optional('ref') ??
    (target.kind === 'workflow_dispatch' ? await defaultBranch(octokit, repository) : undefined);
  const reason = drift.reason;
  const title = `Retrain: ${reason} ${marker}`;
  if (target.kind === 'workflow_dispatch') {
    const dispatchInputs = workflowInputs(target, sendFingerprint, fingerprint, title);
    const what = `${workflow!.path.split('/').pop()} on ${ref}`;
    if (dryRun)
      return finish(false, `dry run: would dispatch ${what}; ${reason}`, {
        would_dispatch: true,
        ref,
        inputs: dispatchInputs,
      });
    const result = await dispatchWorkflow(octokit, repository, {
      workflow: workflow!.id,
      ref: ref!,
      inputs: dispatchInputs,
    });
    return finish(true, `dispatched ${what}: ${reason}`, {
      ref,
      inputs: dispatchInputs,
      ...runFields(result, io),
    });
  }
  const sourceRunUrl = runUrl(env);
  const payload = clientPayload(target, { fingerprint, reason, title, signal, ref, sourceRunUrl });
  if (dryRun)
    return finish(false, `dry run: would send repository_dispatch '${target.eventType}'; ${reason}`, {
      would_dispatch: true,
      client_payload: payload,
    });
  await dispatchRepositoryEvent(octokit, repository, target.eventType, payload);
  return finish(true, `sent repository_dispatch '${target.eventType}': ${reason}`, {
    client_payload: payload,
  });
}

async function readSignal(io: ActionIO, force: boolean): Promise<DriftSignal> {
  const { inputs } = io;
  const reportFile = inputs.path('drift-report', { allowOutsideWorkspace: true });
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

function runFields(result: DispatchResult, io: ActionIO): Record<string, unknown> {
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

function blockerJson(blocker: Blocker): Record<string, unknown> {
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

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

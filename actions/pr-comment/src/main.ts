// pr-comment: one sticky pull-request comment per header, composed from the other actions' JSON reports.
// Inputs -> reports -> composeComment (@mlops/report) -> body file -> upsert / recreate / delete / hide-older.
import { readFile } from 'node:fs/promises';
import { createGitHubClient, parseRepository, type RepositoryRef } from '@mlops/github';
import {
  type ActionIO,
  InputError,
  type RuntimeEnvironment,
  runUrl,
  secretInput,
  writeOutputFile,
} from '@mlops/kit';
import { stickyHeader } from '@mlops/report/sticky-header';
import { COMMENT_MODES, IF_NO_REPORTS } from './choices.ts';
import type { PublishResult } from './publish.ts';
import { eventHeadSha, resolvePullRequest } from './pull-request.ts';

export async function main(io: ActionIO): Promise<void> {
  const { inputs, logger, env } = io;
  const token = secretInput(io, 'token');
  const mode = inputs.requiredChoice('mode', COMMENT_MODES);
  const header = stickyHeader(inputs.optional('header'));
  if (header !== inputs.optional('header')) logger.info(`header sanitised for the marker: '${header}'`);
  const dryRun = inputs.boolean('dry-run');
  const ifNoReports = inputs.requiredChoice('if-no-reports', IF_NO_REPORTS);
  const bodyFile = inputs.requiredPath('body-file');
  const patterns = inputs.list('reports');
  if (patterns.length === 0 && mode !== 'delete') throw new InputError('reports', 'give at least one glob');
  const repositoryInput = inputs.optional('repository');
  // Checked up front when given, so a typo fails before any work; the environment's is needed only to post.
  if (repositoryInput) parseRepository(repositoryInput, "input 'repository'");
  const event = await readEvent(env);
  const target = await resolvePullRequest(inputs, event, env.eventName);

  // Loaded once the inputs are read, so a mistake in them is reported without loading the renderer.
  const [{ composeComment, GITHUB_COMMENT_LIMIT, inlineCode }, { loadReports, NoReportsError, shortLabels }] =
    await Promise.all([import('@mlops/report'), import('./load-reports.ts')]);

  let body = '';
  if (mode !== 'delete') {
    let reports: Awaited<ReturnType<typeof loadReports>>;
    try {
      reports = await loadReports(patterns, env.workspace, logger);
    } catch (error) {
      if (!(error instanceof NoReportsError) || ifNoReports === 'error') throw error;
      // warn / ignore: nothing to say, so nothing is posted and an earlier comment stays as it was.
      if (ifNoReports === 'warn') logger.warning(`${error.message}; not commenting (if-no-reports: warn)`);
      else logger.info(`${error.message}; not commenting (if-no-reports: ignore)`);
      return;
    }
    const composed = composeComment(
      reports.map((entry) => entry.report),
      {
        header,
        maxChars: GITHUB_COMMENT_LIMIT,
        labels: shortLabels(reports.map((entry) => entry.file)),
        detailsUrl: inputs.optional('details-url') ?? defaultDetailsUrl(env, event),
        linkHosts: linkHosts(env),
        footer: footer(eventHeadSha(event), inlineCode),
      },
    );
    body = composed.body;
    logger.info(
      `composed ${body.length} characters from ${reports.length} report(s): ${reports.map((entry) => entry.file).join(', ')}`,
    );
    if (composed.reductions.length > 0)
      logger.info(`left out to fit the comment limit: ${composed.reductions.join(', ')}`);
    await writeOutputFile(bodyFile, body);
    io.setOutput('body-file', bodyFile);
    io.appendSummary(body);
  }

  if (target.kind === 'none') {
    if (target.isError) throw new InputError('pr-number', target.reason);
    logger.info(`not commenting: ${target.reason}`);
    return;
  }
  io.setOutput('pr-number', target.number);
  if (dryRun) {
    logger.info(
      `dry run: would ${mode} the '${header}' comment on #${target.number}; the body is in ${bodyFile}`,
    );
    return;
  }
  if (!token) {
    throw new InputError(
      'token',
      'is empty: give a token with pull-requests: write (the default is github.token)',
    );
  }

  const repository = parseRepository(
    repositoryInput ?? env.repository ?? '',
    repositoryInput ? "input 'repository'" : 'GITHUB_REPOSITORY (or the repository input)',
  );
  const [github, { publishComment, pullRequestHead }] = await Promise.all([
    createGitHubClient({ token, apiUrl: env.apiUrl, logger }),
    import('./publish.ts'),
  ]);
  if (target.source !== 'event' && env.eventName === 'workflow_run' && target.headSha) {
    // The number came from an artifact the pull request's own run wrote: only comment if that pull request
    // is at the commit this run tested, so a crafted artifact cannot point the comment at another PR.
    const head = await pullRequestHead(github, repository, target.number);
    if (head.sha !== target.headSha) {
      logger.warning(
        `not commenting on #${target.number}: its head is ${head.sha.slice(0, 12)}, but the reports are for ` +
          `${target.headSha.slice(0, 12)} (a newer push, whose run will comment, or a pr-number that does not belong to this run)`,
      );
      return;
    }
  }

  const result = await publishComment(github, {
    repository,
    issueNumber: target.number,
    header,
    body,
    mode,
    logger,
  });
  report(io, result, repository, target.number);
}

function report(io: ActionIO, result: PublishResult, repository: RepositoryRef, number: number): void {
  const where = `${repository.owner}/${repository.repo}#${number}`;
  if (result.comment) {
    io.setOutput('comment-id', result.comment.id);
    io.setOutput('comment-url', result.comment.url);
  }
  const removed =
    result.removed > 0
      ? ` (${result.removed} earlier comment(s) ${result.outcome === 'deleted' ? 'deleted' : 'removed or hidden'})`
      : '';
  const sentence: Record<PublishResult['outcome'], string> = {
    created: `posted ${result.comment?.url ?? ''} on ${where}${removed}`,
    updated: `updated ${result.comment?.url ?? ''} on ${where}`,
    unchanged: `${result.comment?.url ?? ''} on ${where} is already up to date`,
    deleted: `deleted the comment on ${where}${removed}`,
    'nothing-to-delete': `no comment to delete on ${where}`,
  };
  io.logger.info(sentence[result.outcome]);
}

async function readEvent(env: RuntimeEnvironment): Promise<unknown> {
  if (!env.eventPath) return {};
  try {
    return JSON.parse(await readFile(env.eventPath, 'utf8'));
  } catch {
    return {};
  }
}

/** The run whose summaries hold the full reports: the pull request's run in the fork-safe flow, else this one. */
function defaultDetailsUrl(env: RuntimeEnvironment, event: unknown): string | undefined {
  const run = (event as { workflow_run?: { html_url?: unknown } } | null)?.workflow_run;
  if (typeof run?.html_url === 'string') return run.html_url;
  return runUrl(env);
}

/** Reports may link to this GitHub (github.com or the GHES host) and nowhere else. */
function linkHosts(env: RuntimeEnvironment): string[] {
  const hosts = new Set(['github.com']);
  try {
    hosts.add(new URL(env.serverUrl).host);
  } catch {
    // A malformed GITHUB_SERVER_URL only means no extra host.
  }
  return [...hosts];
}

function footer(headSha: string | undefined, inlineCode: (text: string) => string): string | undefined {
  return headSha ? `<sub>Reports for commit ${inlineCode(headSha.slice(0, 12))}.</sub>` : undefined;
}

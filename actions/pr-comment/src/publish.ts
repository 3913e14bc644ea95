// The GitHub side of the sticky comment: find ours by its marker AND its author across every page of the
// conversation, then edit, recreate, delete or supersede it. The marker alone proves nothing: anyone who can
// comment can post it first, and a run that trusted it would delete our real comment as a "duplicate" and
// write the verdict into theirs, which they could later edit. Retries (5xx) and secondary rate limits are
// handled by the client from @mlops/github; failures become one-line errors naming the permission needed.
import { callGitHub, GitHubApiError, type GitHubClient, type RepositoryRef } from '@mlops/github';
import type { Logger } from '@mlops/kit';
import { isStickyComment } from '@mlops/report';
import type { CommentMode } from './choices.ts';

const PERMISSION = 'pull-requests: write';

export interface PublishRequest {
  repository: RepositoryRef;
  issueNumber: number;
  header: string;
  body: string;
  mode: CommentMode;
  logger: Logger;
  /** The token's account, when already known (resolved on first use otherwise; undefined = not known). */
  commenter?: Commenter | undefined;
}

export interface PostedComment {
  id: number;
  url: string;
}

export interface PublishResult {
  comment?: PostedComment;
  outcome: 'created' | 'updated' | 'unchanged' | 'deleted' | 'nothing-to-delete';
  /** Earlier comments of this header deleted (recreate, delete) or minimized (hide-older). */
  removed: number;
}

interface ListedComment {
  id: number;
  node_id: string;
  body?: string | null;
  html_url: string;
  user?: { login: string; id: number; type?: string } | null;
}

/** The account the token acts as: the Actions bot for GITHUB_TOKEN, the app's bot or the user otherwise. */
export interface Commenter {
  id: number;
  login: string;
}

const VIEWER = 'query { viewer { login databaseId } }';

/**
 * Who our comments are written by, asked once per run (GraphQL `viewer` answers for user tokens and for
 * installation tokens alike; REST `GET /user` refuses installation tokens). Undefined when it cannot be told:
 * then only comments by bot accounts are taken as ours (a person cannot post as a bot).
 */
export async function resolveCommenter(github: GitHubClient, logger: Logger): Promise<Commenter | undefined> {
  try {
    const { viewer } = await github.graphql<{ viewer: { login: string; databaseId: number | null } }>(VIEWER);
    if (typeof viewer?.databaseId === 'number') return { id: viewer.databaseId, login: viewer.login };
  } catch (error) {
    logger.warning(
      `could not tell which account the token acts as (GraphQL viewer: ${(error as Error).message.split('\n')[0]}); ` +
        'only comments written by bot accounts are taken as ours',
    );
  }
  return undefined;
}

/** A comment is ours when the token's own account wrote it (or, that unknown, a bot account). */
export function isOurComment(
  comment: Pick<ListedComment, 'user'>,
  commenter: Commenter | undefined,
): boolean {
  const user = comment.user;
  if (!user) return false;
  if (commenter) return user.id === commenter.id;
  return user.type === 'Bot';
}

/** Our comments for this header on the pull request, oldest first, from every page. */
export async function findStickyComments(
  github: GitHubClient,
  repository: RepositoryRef,
  issueNumber: number,
  header: string,
  commenter: Commenter | undefined,
  logger?: Logger,
): Promise<ListedComment[]> {
  const where = `${repository.owner}/${repository.repo}#${issueNumber}`;
  const comments = await callGitHub(
    { action: `list the comments of ${where}`, permission: PERMISSION, notFound: `no pull request ${where}` },
    () =>
      github.paginate(github.rest.issues.listComments, {
        owner: repository.owner,
        repo: repository.repo,
        issue_number: issueNumber,
        per_page: 100,
      }),
  );
  const marked = comments.filter((comment) => isStickyComment(comment.body, header));
  const ours = marked.filter((comment) => isOurComment(comment, commenter));
  if (ours.length < marked.length)
    logger?.warning(
      `ignoring ${marked.length - ours.length} comment(s) on ${where} that carry this header's marker but were ` +
        `written by another account (${[...new Set(marked.filter((c) => !ours.includes(c)).map((c) => c.user?.login ?? 'unknown'))].join(', ')})`,
    );
  return ours;
}

/** A 404 on a comment we just listed means a concurrent run with the same header removed it first. */
function isGone(error: unknown): boolean {
  return error instanceof GitHubApiError && error.status === 404;
}

export async function publishComment(
  github: GitHubClient,
  request: PublishRequest,
  attempt = 1,
): Promise<PublishResult> {
  const { repository, issueNumber, header, body, mode, logger } = request;
  const { owner, repo } = repository;
  const where = `${owner}/${repo}#${issueNumber}`;
  // Asked once per run: a retry below passes the answer on.
  const commenter = 'commenter' in request ? request.commenter : await resolveCommenter(github, logger);
  const existing = await findStickyComments(github, repository, issueNumber, header, commenter, logger);
  logger.info(`found ${existing.length} earlier comment(s) with header '${header}' on ${where}`);

  const create = async (): Promise<PostedComment> => {
    const { data } = await callGitHub({ action: `comment on ${where}`, permission: PERMISSION }, () =>
      github.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body }),
    );
    return { id: data.id, url: data.html_url };
  };
  const remove = async (comments: ListedComment[]) => {
    for (const comment of comments) {
      try {
        await callGitHub({ action: `delete comment ${comment.id} on ${where}`, permission: PERMISSION }, () =>
          github.rest.issues.deleteComment({ owner, repo, comment_id: comment.id }),
        );
      } catch (error) {
        if (!isGone(error)) throw error;
        logger.info(`comment ${comment.id} was already deleted (a concurrent run with this header)`);
      }
    }
  };

  switch (mode) {
    case 'upsert': {
      const [target, ...duplicates] = existing;
      if (!target) return { comment: await create(), outcome: 'created', removed: 0 };
      // Two runs racing on a new pull request can both create; keep the oldest so the comment stays put, and
      // delete the others only once ours holds the current report (a failed edit must not leave none).
      let comment: PostedComment = { id: target.id, url: target.html_url };
      let outcome: PublishResult['outcome'] = 'unchanged';
      if (target.body !== body) {
        try {
          const { data } = await callGitHub(
            { action: `edit comment ${target.id} on ${where}`, permission: PERMISSION },
            () => github.rest.issues.updateComment({ owner, repo, comment_id: target.id, body }),
          );
          comment = { id: data.id, url: data.html_url };
          outcome = 'updated';
        } catch (error) {
          // The comment vanished between listing and editing (a concurrent recreate or delete): look again.
          if (!isGone(error) || attempt >= 3) throw error;
          logger.info(
            `comment ${target.id} disappeared while editing it; looking for the sticky comment again`,
          );
          return publishComment(github, { ...request, commenter }, attempt + 1);
        }
      }
      if (duplicates.length > 0) {
        logger.info(
          `deleting ${duplicates.length} duplicate comment(s) with this header (left by concurrent runs)`,
        );
        await remove(duplicates);
      }
      return { comment, outcome, removed: duplicates.length };
    }
    case 'recreate': {
      await remove(existing);
      return { comment: await create(), outcome: 'created', removed: existing.length };
    }
    case 'delete': {
      await remove(existing);
      return { outcome: existing.length > 0 ? 'deleted' : 'nothing-to-delete', removed: existing.length };
    }
    case 'hide-older': {
      // Post first: if hiding fails half-way, the pull request still shows the current report.
      const comment = await create();
      let hidden = 0;
      for (const older of existing) {
        if (!(await minimizeComment(github, older.node_id, logger))) continue;
        hidden++;
        // Retire its marker too, so later runs do not find (and minimize) it again: without this every push
        // would re-hide every earlier comment, a number of calls growing with the square of the pushes.
        await callGitHub({ action: `retire comment ${older.id} on ${where}`, permission: PERMISSION }, () =>
          github.rest.issues.updateComment({
            owner,
            repo,
            comment_id: older.id,
            body: retireMarker(older.body ?? ''),
          }),
        ).catch((error: unknown) =>
          logger.warning(
            `hid comment ${older.id} but could not retire its marker: ${(error as Error).message}`,
          ),
        );
      }
      return { comment, outcome: 'created', removed: hidden };
    }
  }
}

/** The body with its first line (the sticky marker) replaced by a marker no header matches. */
export function retireMarker(body: string): string {
  const newline = body.indexOf('\n');
  const first = newline === -1 ? body : body.slice(0, newline);
  const rest = newline === -1 ? '' : body.slice(newline);
  return `${first.replace('<!-- mlops-sticky:', '<!-- mlops-sticky-hidden:')}${rest}`;
}

const MINIMIZE = `mutation($subjectId: ID!, $classifier: ReportedContentClassifiers!) {
  minimizeComment(input: { subjectId: $subjectId, classifier: $classifier }) {
    minimizedComment { isMinimized }
  }
}`;

/** Hides one comment as outdated (GraphQL only; REST cannot). Best effort: a failure is a warning. */
export async function minimizeComment(
  github: GitHubClient,
  nodeId: string,
  logger: Logger,
): Promise<boolean> {
  try {
    const result = await github.graphql<{
      minimizeComment: { minimizedComment: { isMinimized: boolean } } | null;
    }>(MINIMIZE, { subjectId: nodeId, classifier: 'OUTDATED' });
    return result.minimizeComment?.minimizedComment.isMinimized === true;
  } catch (error) {
    logger.warning(`could not hide an older comment (${nodeId}) as outdated: ${(error as Error).message}`);
    return false;
  }
}

/** The pull request's current head commit, to check a number that came from an artifact. */
export async function pullRequestHead(
  github: GitHubClient,
  repository: RepositoryRef,
  number: number,
): Promise<{ sha: string; state: string }> {
  const where = `${repository.owner}/${repository.repo}#${number}`;
  const { data } = await callGitHub(
    {
      action: `read pull request ${where}`,
      permission: 'pull-requests: read',
      notFound: `no pull request ${where}`,
    },
    () => github.rest.pulls.get({ owner: repository.owner, repo: repository.repo, pull_number: number }),
  );
  return { sha: data.head.sha, state: data.state };
}

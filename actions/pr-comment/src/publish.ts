// The GitHub side of the sticky comment: find ours by its marker across every page of the conversation,
// then edit, recreate, delete or supersede it. Retries (5xx) and secondary rate limits are handled by the
// client from @mlops/github; failures become one-line errors naming the permission the token needs.
import { callGitHub, GitHubApiError, type GitHubClient, type RepositoryRef } from '@mlops/github';
import type { Logger } from '@mlops/kit';
import { isStickyComment } from '@mlops/report';

export const COMMENT_MODES = ['upsert', 'recreate', 'delete', 'hide-older'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

const PERMISSION = 'pull-requests: write';

export interface PublishRequest {
  repository: RepositoryRef;
  issueNumber: number;
  header: string;
  body: string;
  mode: CommentMode;
  logger: Logger;
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
}

/** Our comments for this header on the pull request, oldest first, from every page. */
export async function findStickyComments(
  github: GitHubClient,
  repository: RepositoryRef,
  issueNumber: number,
  header: string,
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
  return comments.filter((comment) => isStickyComment(comment.body, header));
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
  const existing = await findStickyComments(github, repository, issueNumber, header);
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
      // Two runs racing on a new pull request can both create; keep the oldest so the comment stays put.
      if (duplicates.length > 0) {
        logger.info(
          `deleting ${duplicates.length} duplicate comment(s) with this header (left by concurrent runs)`,
        );
        await remove(duplicates);
      }
      if (target.body === body) {
        return {
          comment: { id: target.id, url: target.html_url },
          outcome: 'unchanged',
          removed: duplicates.length,
        };
      }
      try {
        const { data } = await callGitHub(
          { action: `edit comment ${target.id} on ${where}`, permission: PERMISSION },
          () => github.rest.issues.updateComment({ owner, repo, comment_id: target.id, body }),
        );
        return {
          comment: { id: data.id, url: data.html_url },
          outcome: 'updated',
          removed: duplicates.length,
        };
      } catch (error) {
        // The comment vanished between listing and editing (a concurrent recreate or delete): look again.
        if (!isGone(error) || attempt >= 3) throw error;
        logger.info(
          `comment ${target.id} disappeared while editing it; looking for the sticky comment again`,
        );
        return publishComment(github, request, attempt + 1);
      }
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

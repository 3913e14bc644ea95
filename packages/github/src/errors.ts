import { UserError } from '@mlops/kit';

/** What the caller was doing when GitHub answered with an error, so the message says it in the user's words. */
export interface GitHubOperation {
  /** A verb phrase, e.g. "dispatch workflow train.yml in octo-org/models". */
  action: string;
  /** The GITHUB_TOKEN permission this needs, e.g. "actions: write"; named in 403 / 404 hints. */
  permission?: string;
  /** What a 404 most likely means here, e.g. "no workflow file train.yml on the default branch". */
  notFound?: string;
}

/**
 * A GitHub API answer the user can act on (bad token, missing permission, wrong name, refused payload,
 * GitHub down after our retries). A UserError, so the action prints one `::error::` line and no stack.
 */
export class GitHubApiError extends UserError {
  override name = 'GitHubApiError';
  constructor(
    message: string,
    /** HTTP status; 0 when GitHub could not be reached at all. */
    readonly status: number,
    /** GitHub's own message from the response body, when it sent one. */
    readonly githubMessage?: string,
    readonly documentationUrl?: string,
  ) {
    super(message);
  }
}

interface RequestErrorLike {
  status: number;
  message: string;
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
  request?: { method?: string; url?: string };
}

/** True for an @octokit/request-error RequestError (duck-typed: bundles may carry several copies of the class). */
export function isRequestError(error: unknown): error is RequestErrorLike {
  return (
    error instanceof Error &&
    typeof (error as Partial<RequestErrorLike>).status === 'number' &&
    'request' in error &&
    typeof (error as { request?: unknown }).request === 'object'
  );
}

/** The HTTP status of a GitHub error, or undefined for anything else. */
export function githubStatus(error: unknown): number | undefined {
  return isRequestError(error) ? error.status : undefined;
}

/**
 * Turns an Octokit RequestError into a GitHubApiError whose message says what failed and what to do.
 * Anything that is not a GitHub answer (our own bugs) is returned unchanged, so it keeps its stack.
 */
export function toGitHubApiError(error: unknown, operation: GitHubOperation): unknown {
  if (error instanceof GitHubApiError || !isRequestError(error)) return error;
  const data = error.response?.data;
  const githubMessage =
    typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string'
      ? (data as { message: string }).message
      : undefined;
  const documentationUrl =
    typeof data === 'object' && data !== null
      ? ((data as { documentation_url?: string }).documentation_url ?? undefined)
      : undefined;
  const details = describeValidationErrors(data);
  const said = githubMessage ? `: ${githubMessage}${details}` : details;
  const prefix = `could not ${operation.action}`;
  const permission = operation.permission;
  const { status } = error;
  let message: string;
  if (error.response === undefined) {
    // Octokit reports network failures (refused connection, reset, DNS) as a status-500 error without a response.
    message = `${prefix}: GitHub could not be reached (${error.message}); check GITHUB_API_URL and the network`;
    return new GitHubApiError(message, 0, undefined, undefined);
  }
  switch (true) {
    case status === 401:
      message = `${prefix}: GitHub rejected the token (401${said}). The 'token' input is empty, expired or revoked.`;
      break;
    case status === 403 && isRateLimit(error, githubMessage):
      message = `${prefix}: GitHub's rate limit is exhausted (403${said}) and the retries ran out; run again later.`;
      break;
    case status === 403:
      message =
        `${prefix}: the token is not allowed to (403${said}).` +
        (permission
          ? ` It needs ${permission}: add \`permissions: { ${permission} }\` to the job (or the workflow), or use a PAT / GitHub App token.`
          : '') +
        ' On pull requests from forks GITHUB_TOKEN is read-only.';
      break;
    case status === 404:
      message =
        `${prefix}: not found (404${said}).` +
        (operation.notFound ? ` ${operation.notFound}.` : '') +
        ` GitHub also answers 404 when the token cannot see the repository${permission ? ` or lacks \`${permission}\`` : ''}.`;
      break;
    case status === 422 || status === 400 || status === 409 || status === 410:
      message = `${prefix}: GitHub refused the request (${status}${said}).`;
      break;
    case status === 429:
      message = `${prefix}: GitHub's rate limit is exhausted (429${said}) and the retries ran out; run again later.`;
      break;
    case status >= 500:
      message = `${prefix}: GitHub answered ${status}${said} and kept failing after retries; try again later.`;
      break;
    default:
      message = `${prefix}: GitHub answered ${status}${said}.`;
  }
  return new GitHubApiError(message, status, githubMessage, documentationUrl);
}

/**
 * Runs one GitHub call and maps its failure through toGitHubApiError.
 * @example await callGitHub({ action: 'list workflows', permission: 'actions: read' }, () => octokit.rest.actions.listRepoWorkflows({ owner, repo }))
 */
export async function callGitHub<T>(operation: GitHubOperation, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toGitHubApiError(error, operation);
  }
}

function isRateLimit(error: RequestErrorLike, githubMessage: string | undefined): boolean {
  const remaining = error.response?.headers?.['x-ratelimit-remaining'];
  return /rate limit/i.test(githubMessage ?? error.message) || remaining === '0' || remaining === 0;
}

// 422 bodies carry `errors: [{resource, field, code, message}]`; surface them, they name the bad field.
function describeValidationErrors(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const errors = (data as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return '';
  const parts = errors.slice(0, 5).map((entry) => {
    if (typeof entry === 'string') return entry;
    if (typeof entry !== 'object' || entry === null) return String(entry);
    const { message, field, code } = entry as { message?: string; field?: string; code?: string };
    return message ?? [field, code].filter(Boolean).join(' ');
  });
  return ` (${parts.join('; ')})`;
}

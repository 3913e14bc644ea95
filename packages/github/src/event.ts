/**
 * The pull request a workflow run is about, from its webhook payload (GITHUB_EVENT_PATH):
 * `pull_request` / `pull_request_target` (payload.pull_request.number), `issue_comment` on a pull request
 * (payload.issue.number, only when payload.issue.pull_request is present), and `workflow_run` (the first of
 * payload.workflow_run.pull_requests — GitHub leaves that list empty for runs from forks, so the fork-safe flow
 * passes the number through an artifact instead). Undefined when the event is not about a pull request.
 * @example pullRequestNumberFromEvent({ pull_request: { number: 7 } }) // => 7
 */
export function pullRequestNumberFromEvent(event: unknown, eventName?: string): number | undefined {
  if (!isObject(event)) return undefined;
  const fromPullRequest = () => positiveInteger(field(event.pull_request, 'number'));
  const fromIssueComment = () =>
    isObject(event.issue) && event.issue.pull_request !== undefined && event.issue.pull_request !== null
      ? positiveInteger(event.issue.number)
      : undefined;
  const fromWorkflowRun = () => {
    const pulls = field(event.workflow_run, 'pull_requests');
    return Array.isArray(pulls) && pulls.length > 0 ? positiveInteger(field(pulls[0], 'number')) : undefined;
  };
  switch (eventName) {
    case 'pull_request':
    case 'pull_request_target':
    case 'pull_request_review':
    case 'pull_request_review_comment':
      return fromPullRequest();
    case 'issue_comment':
      return fromIssueComment();
    case 'workflow_run':
      return fromWorkflowRun();
    default:
      // Unknown or unnamed event: read whatever the payload carries, most specific first.
      return fromPullRequest() ?? fromIssueComment() ?? fromWorkflowRun();
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

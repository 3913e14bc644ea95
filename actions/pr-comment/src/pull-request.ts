// Which pull request to comment on. From the `pr-number` input, a `pr-number-file` (the fork-safe flow: the
// number travels in an artifact written by the pull request's run), or the event payload. A number from an
// artifact is untrusted, so it is parsed strictly and, in a workflow_run, checked against the run's head commit.
import { readFile } from 'node:fs/promises';
import { pullRequestNumberFromEvent } from '@mlops/github';
import { InputError, type Inputs } from '@mlops/kit';

/** Events whose runs belong to a pull request; anywhere else "no PR" is normal, not an error. */
const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
  'issue_comment',
  'workflow_run',
]);

export type PullRequestTarget =
  | {
      kind: 'found';
      number: number;
      /** Where the number came from, for logs. */
      source: 'input' | 'file' | 'event';
      /** The commit the reports are about, when the event says (pull_request head, workflow_run head_sha). */
      headSha?: string;
    }
  | { kind: 'none'; reason: string; isError: boolean };

export async function resolvePullRequest(
  inputs: Inputs,
  event: unknown,
  eventName: string | undefined,
): Promise<PullRequestTarget> {
  const headSha = eventHeadSha(event);
  const extra = headSha === undefined ? {} : { headSha };
  const fromInput = inputs.optional('pr-number');
  if (fromInput !== undefined) {
    // Decimal digits only: Number() would also take '0x7', '1e1' or '0b1' and comment somewhere unintended.
    if (!/^[1-9]\d{0,9}$/.test(fromInput))
      throw new InputError(
        'pr-number',
        `expected a pull request number in decimal digits, got '${fromInput}'`,
      );
    return { kind: 'found', number: Number(fromInput), source: 'input', ...extra };
  }

  const file = inputs.path('pr-number-file');
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new InputError(
        'pr-number-file',
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    const trimmed = text.trim();
    // Strict: the file is written by the pull request's (untrusted) run.
    if (!/^[1-9]\d{0,9}$/.test(trimmed)) {
      throw new InputError(
        'pr-number-file',
        `expected the file to hold one pull request number, got '${trimmed.slice(0, 40)}'`,
      );
    }
    return { kind: 'found', number: Number(trimmed), source: 'file', ...extra };
  }

  const fromEvent = pullRequestNumberFromEvent(event, eventName);
  if (fromEvent !== undefined) return { kind: 'found', number: fromEvent, source: 'event', ...extra };

  if (eventName === 'workflow_run') {
    return {
      kind: 'none',
      isError: true,
      reason:
        'this workflow_run event names no pull request (GitHub leaves workflow_run.pull_requests empty for forks): ' +
        "upload the number as an artifact in the pull_request job and pass it with 'pr-number-file' (see docs/fork-safe.md)",
    };
  }
  if (eventName !== undefined && PULL_REQUEST_EVENTS.has(eventName)) {
    return {
      kind: 'none',
      isError: true,
      reason: `the ${eventName} event payload names no pull request; pass 'pr-number'`,
    };
  }
  return {
    kind: 'none',
    isError: false,
    reason: `a ${eventName ?? 'non-pull-request'} run has no pull request to comment on (give 'pr-number' to comment anyway)`,
  };
}

/** The head commit the run was for: pull_request.head.sha or workflow_run.head_sha. */
export function eventHeadSha(event: unknown): string | undefined {
  const record = (value: unknown) =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  const payload = record(event);
  const fromPull = record(record(payload?.pull_request)?.head)?.sha;
  const fromRun = record(payload?.workflow_run)?.head_sha;
  const sha = fromPull ?? fromRun;
  return typeof sha === 'string' && /^[0-9a-f]{7,64}$/i.test(sha) ? sha : undefined;
}

import { describe, expect, it } from 'vitest';
import { pullRequestNumberFromEvent } from './event.ts';

describe('pullRequestNumberFromEvent', () => {
  it('reads the pull request number from each event that carries one', () => {
    expect(pullRequestNumberFromEvent({ pull_request: { number: 7 } }, 'pull_request')).toBe(7);
    expect(pullRequestNumberFromEvent({ pull_request: { number: 8 } }, 'pull_request_target')).toBe(8);
    expect(
      pullRequestNumberFromEvent({ issue: { number: 9, pull_request: { url: 'u' } } }, 'issue_comment'),
    ).toBe(9);
    expect(
      pullRequestNumberFromEvent(
        { workflow_run: { pull_requests: [{ number: 10 }, { number: 11 }] } },
        'workflow_run',
      ),
    ).toBe(10);
    expect(pullRequestNumberFromEvent({ pull_request: { number: 12 } })).toBe(12);
  });

  it('is undefined when the event is not about a pull request', () => {
    expect(pullRequestNumberFromEvent({ issue: { number: 9 } }, 'issue_comment')).toBeUndefined();
    // GitHub leaves pull_requests empty for workflow runs from forks.
    expect(
      pullRequestNumberFromEvent({ workflow_run: { pull_requests: [] } }, 'workflow_run'),
    ).toBeUndefined();
    expect(pullRequestNumberFromEvent({ ref: 'refs/heads/main' }, 'push')).toBeUndefined();
    expect(pullRequestNumberFromEvent(null)).toBeUndefined();
    expect(pullRequestNumberFromEvent({ pull_request: { number: '7' } }, 'pull_request')).toBeUndefined();
  });
});

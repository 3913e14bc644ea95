import type { WorkflowRunSummary } from '@mlops/github';
import { describe, expect, it } from 'vitest';
import { driftSignalFromInputs } from './drift-signal.ts';
import { checkRuns, decideOnDrift, formatDuration, type RunPolicy } from './policy.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
const FP = '0123456789abcdef';
let nextId = 1;

function run(hoursAgo: number, fields: Partial<WorkflowRunSummary> = {}): WorkflowRunSummary {
  const id = nextId++;
  return {
    id,
    workflow_id: 7,
    name: 'Train',
    display_title: 'Train',
    event: 'workflow_dispatch',
    status: 'completed',
    conclusion: 'success',
    created_at: new Date(NOW.getTime() - hoursAgo * 3_600_000).toISOString(),
    html_url: `https://github.com/o/r/actions/runs/${id}`,
    run_number: id,
    ...fields,
  };
}

const policy: RunPolicy = {
  fingerprint: FP,
  cooldownMs: 24 * 3_600_000,
  dedupeWindowMs: 30 * 86_400_000,
  now: NOW,
  dispatchEvent: 'workflow_dispatch',
  singleWorkflow: true,
};

describe('decideOnDrift', () => {
  it('wants retraining on drift at or above min-drift-share, or when forced', () => {
    expect(decideOnDrift(driftSignalFromInputs(true, 0.5), 0.5, false).wanted).toBe(true);
    expect(decideOnDrift(driftSignalFromInputs(true, 0.49), 0.5, false)).toEqual({
      wanted: false,
      reason: 'drift detected but its share 0.49 is below min-drift-share 0.5',
    });
    expect(decideOnDrift(driftSignalFromInputs(false, 0.1), 0, false).wanted).toBe(false);
    expect(decideOnDrift(driftSignalFromInputs(false, 0.1), 0, true)).toEqual({
      wanted: true,
      reason: 'forced',
    });
    expect(decideOnDrift(driftSignalFromInputs(true, undefined), 0.2, false).wanted).toBe(false);
  });
});

describe('checkRuns', () => {
  it('blocks on an active run first, then a duplicate, then the cooldown', () => {
    const marked = run(2, { display_title: `Retrain [mlops:${FP}]` });
    const active = run(0.1, { event: 'push', status: 'in_progress', conclusion: null });
    expect(checkRuns({ active: [active], recent: [active, marked] }, policy).blocker?.kind).toBe(
      'in_progress',
    );
    expect(checkRuns({ active: [], recent: [marked] }, policy).blocker?.kind).toBe('duplicate');
    const other = run(2, { display_title: 'Retrain [mlops:fedcba9876543210]' });
    const cooldown = checkRuns({ active: [], recent: [other] }, policy).blocker!;
    expect(cooldown.kind).toBe('cooldown');
    expect(cooldown.sentence).toBe(
      `run #${other.run_number} started 2h ago, within the 1d cooldown (next dispatch possible after 2026-11-23T10:00:00.000Z)`,
    );
    expect(checkRuns({ active: [], recent: [other] }, { ...policy, cooldownMs: 0 }).blocker).toBeUndefined();
  });

  it('forgets duplicates after the window and runs after the cooldown', () => {
    const old = run(24 * 31, { display_title: `Retrain [mlops:${FP}]` });
    const yesterday = run(25, { display_title: 'Retrain [mlops:fedcba9876543210]' });
    expect(checkRuns({ active: [], recent: [yesterday, old] }, policy)).toEqual({ unmarkedCounted: [] });
  });

  it('does not count manual runs once markers are in use, and counts every dispatch run otherwise', () => {
    const manual = run(1);
    const marked = run(50, { display_title: 'Retrain [mlops:fedcba9876543210]' });
    expect(checkRuns({ active: [], recent: [manual, marked] }, policy).blocker).toBeUndefined();
    const verdict = checkRuns({ active: [], recent: [manual] }, policy);
    expect(verdict.blocker?.kind).toBe('cooldown');
    expect(verdict.unmarkedCounted).toEqual([manual]);
    // Runs of other events never count for the cooldown.
    expect(
      checkRuns({ active: [], recent: [run(1, { event: 'schedule' })] }, policy).blocker,
    ).toBeUndefined();
  });

  it('repository-wide lookups only let our own active runs block', () => {
    const repoWide = { ...policy, singleWorkflow: false, dispatchEvent: 'repository_dispatch' as const };
    const marked = run(60, {
      event: 'repository_dispatch',
      display_title: 'Retrain [mlops:fedcba9876543210]',
    });
    const unrelated = run(0.1, {
      event: 'repository_dispatch',
      status: 'in_progress',
      conclusion: null,
      display_title: 'Deploy docs',
    });
    expect(checkRuns({ active: [unrelated], recent: [unrelated, marked] }, repoWide).blocker).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it('shows the two largest whole units', () => {
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(86_400_000 * 2 + 3_600_000 * 5 + 60_000)).toBe('2d 5h');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(45_000)).toBe('45s');
  });
});

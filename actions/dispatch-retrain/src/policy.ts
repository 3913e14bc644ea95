import type { WorkflowRunSummary } from '@mlops/github';
import type { DriftSignal } from './drift-signal.ts';
import { markerOf } from './fingerprint.ts';

export interface DriftDecision {
  /** Drift (or force) says retrain; cooldown and de-duplication come next. */
  wanted: boolean;
  reason: string;
}

/** Whether the drift warrants retraining at all, before GitHub is asked anything. */
export function decideOnDrift(signal: DriftSignal, minDriftShare: number, force: boolean): DriftDecision {
  const share =
    signal.share === undefined ? '' : ` (share ${formatShare(signal.share)}${describeColumns(signal)})`;
  if (force) return { wanted: true, reason: `forced${signal.detected ? `; drift detected${share}` : ''}` };
  if (!signal.detected) {
    const rule =
      signal.thresholdShare === undefined
        ? ''
        : `, below the report's threshold ${formatShare(signal.thresholdShare)}`;
    return { wanted: false, reason: `no drift detected${share}${rule}, nothing to retrain` };
  }
  if (signal.share !== undefined && signal.share < minDriftShare) {
    return {
      wanted: false,
      reason: `drift detected but its share ${formatShare(signal.share)} is below min-drift-share ${formatShare(minDriftShare)}`,
    };
  }
  if (signal.share === undefined && minDriftShare > 0) {
    return {
      wanted: false,
      reason: `drift detected but no drift share was given to compare with min-drift-share ${formatShare(minDriftShare)}`,
    };
  }
  return { wanted: true, reason: `drift detected${share}` };
}

export type BlockKind = 'in_progress' | 'duplicate' | 'cooldown';

export interface Blocker {
  kind: BlockKind;
  run: WorkflowRunSummary;
  sentence: string;
}

export interface RunEvidence {
  /** Runs of the target that are queued or in progress. */
  active: WorkflowRunSummary[];
  /** Runs of the target created within max(cooldown, dedupe window), newest first. */
  recent: WorkflowRunSummary[];
}

export interface RunPolicy {
  fingerprint: string;
  cooldownMs: number;
  dedupeWindowMs: number;
  now: Date;
  /** The event our dispatch creates: runs of it may be ours even without a marker. */
  dispatchEvent: 'workflow_dispatch' | 'repository_dispatch';
  /** true when the lookups cover one workflow; false for repository-wide repository_dispatch runs. */
  singleWorkflow: boolean;
}

export interface RunVerdict {
  blocker?: Blocker;
  /** Runs counted as ours only because nothing marks them (the target's run-name lacks the marker). */
  unmarkedCounted: WorkflowRunSummary[];
}

/**
 * Cooldown and de-duplication, from the target's runs alone (GitHub is the only state):
 * 1. a queued / in-progress run of the target workflow blocks (any event: training is already under way);
 * 2. a run whose title carries this fingerprint's marker within the de-duplication window blocks;
 * 3. a run started by this action within the cooldown blocks. A run is this action's when its title carries
 *    an `[mlops:…]` marker; when no run in the window carries one (the workflow has no `run-name` built from
 *    `mlops_reason`), every run of the dispatch event counts, to be safe, and the caller warns.
 */
export function checkRuns(evidence: RunEvidence, policy: RunPolicy): RunVerdict {
  const markersInUse = [...evidence.recent, ...evidence.active].some((run) => markerOf(run) !== undefined);
  const unmarkedCounted: WorkflowRunSummary[] = [];
  const ours = (run: WorkflowRunSummary) => {
    if (markerOf(run) !== undefined) return true;
    if (!markersInUse && run.event === policy.dispatchEvent) {
      if (!unmarkedCounted.includes(run)) unmarkedCounted.push(run);
      return true;
    }
    return false;
  };
  const now = policy.now.getTime();
  // The run's URL travels in `blocked_by`; a bare URL in the sentence renders poorly in summaries.
  const label = (run: WorkflowRunSummary) => `run #${run.run_number}`;

  const active = evidence.active.find((run) => policy.singleWorkflow || ours(run));
  if (active) {
    return {
      blocker: {
        kind: 'in_progress',
        run: active,
        sentence: `${label(active)} is ${active.status.replace('_', ' ')}; a new one waits until it finishes`,
      },
      unmarkedCounted,
    };
  }
  const duplicate = evidence.recent.find(
    (run) =>
      markerOf(run) === policy.fingerprint && now - Date.parse(run.created_at) <= policy.dedupeWindowMs,
  );
  if (duplicate) {
    const ended = duplicate.conclusion ? `, it ended ${duplicate.conclusion}` : '';
    return {
      blocker: {
        kind: 'duplicate',
        run: duplicate,
        sentence: `${label(duplicate)} was already dispatched for this drift (fingerprint ${policy.fingerprint}) at ${duplicate.created_at}${ended}`,
      },
      unmarkedCounted,
    };
  }
  if (policy.cooldownMs > 0) {
    const recent = evidence.recent.find(
      (run) => now - Date.parse(run.created_at) < policy.cooldownMs && ours(run),
    );
    if (recent) {
      const age = now - Date.parse(recent.created_at);
      const next = new Date(Date.parse(recent.created_at) + policy.cooldownMs).toISOString();
      return {
        blocker: {
          kind: 'cooldown',
          run: recent,
          sentence: `${label(recent)} started ${formatDuration(age)} ago, within the ${formatDuration(policy.cooldownMs)} cooldown (next dispatch possible after ${next})`,
        },
        unmarkedCounted,
      };
    }
  }
  return { unmarkedCounted };
}

export function formatShare(share: number): string {
  return String(Number(share.toFixed(3)));
}

/** 90 min -> "1h 30m"; whole units only, largest two. */
export function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, ms);
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 || (parts.length === 0 && unit === 's')) parts.push(`${count}${unit}`);
    rest -= count * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

function describeColumns(signal: DriftSignal): string {
  if (signal.columns.length === 0) return '';
  // Column names come from data files: keep them one short line each in a sentence that becomes a run title.
  const names = signal.columns.slice(0, 5).map((column) => {
    const flat = [...column.name]
      .map((char) => (char.charCodeAt(0) < 32 || char === '\u007f' ? ' ' : char))
      .join('');
    return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
  });
  const more = signal.columns.length > 5 ? ` and ${signal.columns.length - 5} more` : '';
  const of = signal.columnsTested === undefined ? '' : ` of ${signal.columnsTested}`;
  return `; ${signal.columns.length}${of} columns drifted: ${names.join(', ')}${more}`;
}

// mlops.promote/v1 (promote / rollback) and mlops.dispatch-retrain/v1 (retraining trigger).

import { DISPATCH_SCHEMA, PROMOTE_SCHEMA } from '@mlops/schemas';
import { escapeHtml, escapeMarkdown, inlineCode, safeLink } from './escape.ts';
import { type Field, fieldsTable, otherFields } from './fields.ts';
import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  asString,
  code,
  formatPercent,
  formatValue,
} from './format.ts';
import { gateText, shortSha } from './lineage.ts';
import {
  blocks,
  collapsible,
  type DetailOptions,
  FULL_DETAIL,
  type Section,
  sectionMarkdown,
} from './section.ts';
import { markdownTable } from './table.ts';

const PROMOTE_KNOWN = new Set([
  'name',
  'stage',
  'version',
  'previous_version',
  'action',
  'rollback',
  'tag',
  'backend',
  'deployment_id',
  'actor',
  'at',
  'run_url',
  'run_id',
  'dry_run',
  'ref',
  'created',
  'require_gate',
  'gate',
  'model_uri',
  'commit',
  'registry',
  'deployment',
  'audit',
]);

/** The last moves of a stage a summary shows; the JSON report keeps the whole trail. */
const AUDIT_ROWS = 20;

function inline(value: unknown, maxLength = 100): string {
  return inlineCode(value, { maxLength });
}

export function promoteSection(report: unknown, detail: DetailOptions = FULL_DETAIL): Section {
  const data = asRecord(report);
  const rollback = asBoolean(data.rollback) ?? data.action === 'rollback';
  const version = asString(data.version);
  const previous = asString(data.previous_version);
  const stage = asString(data.stage);
  const model = inline(asString(data.name) ?? '?');
  const verb = rollback ? 'rolled back' : data.action === 'unassign' ? 'removed from' : 'promoted';
  const target = stage ? inline(stage, 60) : 'its stage';
  let headline: string;
  if (rollback) {
    headline = `${model} ${target} ${verb} to ${version ? inline(version, 60) : '?'}${previous ? ` (was ${inline(previous, 60)})` : ''}.`;
  } else if (data.action === 'unassign') {
    headline = `${model} ${previous ? inline(previous, 60) : ''} ${verb} ${target}.`.replace(/ {2,}/g, ' ');
  } else {
    headline = `${model} ${version ? inline(version, 60) : '?'} ${verb} to ${target}${previous ? ` (was ${inline(previous, 60)})` : ' (first in this stage)'}.`;
  }
  if (asBoolean(data.dry_run)) headline += ' Dry run: nothing was written.';
  else if (data.created === false) headline += ' It already held this version: nothing was written.';
  const stageTag = data.tag ?? data.ref;
  const deployment = asRecord(data.deployment);
  const deploymentId = data.deployment_id ?? deployment.id;
  const fields: Field[] = [
    ['Stage tag', asString(stageTag) ? code(stageTag, 200) : undefined],
    [
      'Gate',
      gateText(asRecord(data.gate)) ?? (data.require_gate === true ? 'required, none recorded' : undefined),
    ],
    [
      'Gate required',
      asBoolean(data.require_gate) === undefined ? undefined : data.require_gate ? 'yes' : 'no',
    ],
    ['Commit', shortSha(data.commit)],
    ['Model URI', asString(data.model_uri) ? code(data.model_uri, 200) : undefined],
    ['Backend', asString(data.backend) ? code(data.backend) : undefined],
    ['Registry', asString(data.registry) ? formatValue(data.registry, 120) : undefined],
    [
      'Deployment',
      deploymentId !== undefined && deploymentId !== null
        ? `${code(deploymentId)}${asString(deployment.environment) ? ` to ${code(deployment.environment)}` : ''}`
        : undefined,
    ],
    ['By', asString(data.actor) ? code(data.actor) : undefined],
    ['At', asString(data.at) ? escapeMarkdown(data.at, { maxLength: 40 }) : undefined],
    [
      'Run',
      asString(data.run_url)
        ? safeLink(`run ${String(data.run_id ?? '')}`.trim(), data.run_url, detail.linkHosts)
        : undefined,
    ],
    ...otherFields(data, PROMOTE_KNOWN),
  ];
  return {
    schema: PROMOTE_SCHEMA,
    title: rollback ? 'Rollback' : 'Promotion',
    verdict: 'info',
    headline,
    body: blocks(fieldsTable(fields), auditTrail(data.audit, stage, detail)),
  };
}

/** The stage's moves, newest last, collapsed: who moved it from which version to which, and when. */
function auditTrail(audit: unknown, stage: string | undefined, detail: DetailOptions): string {
  const entries = asArray(audit).map(asRecord);
  if (entries.length === 0 || !detail.passingRows) return '';
  const shown = entries.slice(-Math.max(0, Math.min(AUDIT_ROWS, detail.maxRows)));
  const cell = (value: unknown) => (asString(value) ? code(value, 60) : '—');
  const table = markdownTable(
    [{ header: 'At' }, { header: 'Action' }, { header: 'From' }, { header: 'To' }, { header: 'By' }],
    shown.map((entry) => [
      escapeMarkdown(entry.at, { maxLength: 40 }),
      escapeMarkdown(entry.action, { maxLength: 20 }),
      cell(entry.from),
      cell(entry.to),
      asString(entry.actor) ? code(entry.actor, 60) : '',
    ]),
  );
  const hidden = entries.length - shown.length;
  return collapsible(
    `Audit trail of ${escapeHtml(stage ?? 'the stage', { maxLength: 60 })} (${entries.length} move(s))`,
    blocks(table, hidden > 0 ? `_…and ${hidden} earlier move(s) in the JSON report._` : ''),
  );
}

const DISPATCH_KNOWN = new Set([
  'dispatched',
  'reason',
  'fingerprint',
  'run_id',
  'run_url',
  'workflow',
  'event_type',
  'ref',
  'repository',
  'drift_share',
  'drift_detected',
  'dry_run',
  'inputs',
  'client_payload',
  'mode',
  'drift',
  'cooldown_seconds',
  'dedupe_window_seconds',
  'at',
  'actor',
  'runs_considered',
  'blocked_by',
  'run_api_url',
]);

export function dispatchSection(report: unknown, detail: DetailOptions = FULL_DETAIL): Section {
  const data = asRecord(report);
  const dispatched = asBoolean(data.dispatched) ?? false;
  const dryRun = asBoolean(data.dry_run) ?? false;
  const target = asString(data.workflow)
    ? `workflow ${inline(data.workflow)}`
    : asString(data.event_type)
      ? `repository_dispatch ${inline(data.event_type)}`
      : 'retraining';
  // The reason is the action's own one-sentence verdict; without one, say what happened.
  const headline = asString(data.reason)
    ? `${dryRun && dispatched ? 'Dry run: ' : ''}${formatValue(data.reason, 400)}`
    : `${dispatched ? (dryRun ? 'Would dispatch' : 'Dispatched') : 'Did not dispatch'} ${target}.`;
  const blocked = asRecord(data.blocked_by);
  const blockedRun = blocked.run_number ?? blocked.run_id;
  const driftedColumns = asArray(asRecord(data.drift).drifted_columns);
  const fields: Field[] = [
    [
      'Drifted columns',
      driftedColumns.length > 0
        ? `${driftedColumns
            .slice(0, 10)
            .map((column) => code(column, 60))
            .join(', ')}${driftedColumns.length > 10 ? ` …+${driftedColumns.length - 10}` : ''}`
        : undefined,
    ],
    ['Drift share', asNumber(data.drift_share) !== undefined ? formatPercent(data.drift_share) : undefined],
    ['Fingerprint', asString(data.fingerprint) ? code(String(data.fingerprint).slice(0, 16)) : undefined],
    ['Target', target],
    ['Ref', asString(data.ref) ? code(data.ref) : undefined],
    ['Repository', asString(data.repository) ? code(data.repository) : undefined],
    [
      'Cooldown',
      asNumber(data.cooldown_seconds) !== undefined
        ? formatSeconds(data.cooldown_seconds as number)
        : undefined,
    ],
    [
      'Blocked by',
      asString(blocked.kind)
        ? `${escapeMarkdown(blocked.kind, { maxLength: 40 })}${
            blockedRun !== undefined
              ? `: ${safeLink(`run ${String(blockedRun)}`, blocked.run_url, detail.linkHosts)}${asString(blocked.conclusion ?? blocked.status) ? ` (${escapeMarkdown(blocked.conclusion ?? blocked.status, { maxLength: 30 })})` : ''}`
              : ''
          }`
        : undefined,
    ],
    ['Triggered by', asString(data.actor) ? code(data.actor) : undefined],
    [
      'Run',
      asString(data.run_url)
        ? safeLink(`run ${String(data.run_id ?? '')}`.trim(), data.run_url, detail.linkHosts)
        : data.run_id !== undefined && data.run_id !== null
          ? code(data.run_id)
          : undefined,
    ],
    ...otherFields(data, DISPATCH_KNOWN),
  ];
  return {
    schema: DISPATCH_SCHEMA,
    title: 'Retraining',
    verdict: 'info',
    headline,
    body: blocks(fieldsTable(fields)),
  };
}

/** Seconds as the largest whole unit: 86400 -> `24h`, 90 -> `90s`. */
function formatSeconds(seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0 && seconds / 86_400 > 1) return `${seconds / 86_400}d`;
  if (seconds >= 3_600 && seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** A promote report (mlops.promote/v1) as job-summary markdown. */
export function renderPromoteMarkdown(report: unknown, detail: DetailOptions = FULL_DETAIL): string {
  return sectionMarkdown(promoteSection(report, detail));
}

/** A dispatch-retrain report (mlops.dispatch-retrain/v1) as job-summary markdown. */
export function renderDispatchMarkdown(report: unknown, detail: DetailOptions = FULL_DETAIL): string {
  return sectionMarkdown(dispatchSection(report, detail));
}

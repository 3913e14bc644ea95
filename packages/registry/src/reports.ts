import type { LineageRecord } from '@mlops/lineage';
import { LOOKUP_SCHEMA, type PROMOTE_SCHEMA } from '@mlops/schemas';
import { describeEvent } from './stage-history.ts';
import type { ModelVersion, PromoteResult, StageEvent } from './types.ts';

export interface PromoteReport {
  schema: typeof PROMOTE_SCHEMA;
  name: string;
  stage: string;
  action: 'promote' | 'rollback';
  backend: 'git' | 'mlflow';
  registry: string;
  version: string;
  previous_version: string | null;
  ref: string;
  created: boolean;
  require_gate: boolean;
  gate: LineageRecord['gate'] | null;
  model_uri: string | null;
  commit: string | null;
  deployment: { id: number; environment: string; url?: string } | null;
  at: string;
  /** The stage's audit trail after this run, oldest first. */
  audit: AuditEntry[];
}

export interface AuditEntry {
  action: string;
  stage: string;
  from: string | null;
  to: string | null;
  at: string;
  actor: string | null;
  run_id: string | null;
  run_url: string | null;
  ref: string;
}

export function auditEntries(events: readonly StageEvent[]): AuditEntry[] {
  return events.map((event) => ({
    action: event.action,
    stage: event.stage,
    from: event.previousVersion ?? null,
    to: event.version ?? null,
    at: event.at,
    actor: event.actor ?? null,
    run_id: event.runId ?? null,
    run_url: event.runUrl ?? null,
    ref: event.ref,
  }));
}

export interface LookupReport {
  schema: typeof LOOKUP_SCHEMA;
  found: boolean;
  name: string;
  stage: string | null;
  backend: 'git' | 'mlflow';
  registry: string;
  version: string | null;
  ref: string | null;
  model_uri: string | null;
  commit: string | null;
  stages: string[];
  lineage: LineageRecord | null;
}

export function lookupReport(
  name: string,
  stage: string | undefined,
  backend: 'git' | 'mlflow',
  registry: string,
  version: ModelVersion | undefined,
): LookupReport {
  return {
    schema: LOOKUP_SCHEMA,
    found: version !== undefined,
    name,
    stage: stage ?? null,
    backend,
    registry,
    version: version?.version ?? null,
    ref: version?.ref ?? null,
    model_uri: version?.modelUri ?? null,
    commit: version?.commit ?? null,
    stages: version?.stages ?? [],
    lineage: version?.lineage ?? null,
  };
}

/** Markdown for the job summary; user-controlled text is escaped so it cannot inject markup. */
export function registerSummary(version: ModelVersion, created: boolean, registry: string): string {
  const lineage = version.lineage;
  const rows: [string, string][] = [
    ['Version', `\`${version.version}\`${created ? '' : ' (already registered: same commit and model)'}`],
    ['Reference', `\`${version.ref}\``],
    ['Registry', escapeCell(registry)],
  ];
  if (version.commit) rows.push(['Code commit', `\`${version.commit}\``]);
  if (lineage) {
    rows.push([
      'Model',
      `\`${escapeCell(lineage.model.path)}\` sha256 \`${lineage.model.sha256.slice(0, 16)}…\` (${lineage.model.files} file(s), ${lineage.model.bytes} bytes)`,
    ]);
    rows.push(['Model URI', escapeCell(lineage.model.uri)]);
    for (const file of lineage.data.files)
      rows.push(['Data', `\`${escapeCell(file.path)}\` sha256 \`${file.sha256.slice(0, 16)}…\``]);
    if (lineage.data.version) rows.push(['Data version', `\`${escapeCell(lineage.data.version)}\``]);
    if (lineage.gate) {
      rows.push([
        'Gate',
        `${lineage.gate.passed ? 'passed' : '**failed**'} (report sha256 \`${lineage.gate.report_sha256.slice(0, 16)}…\`)`,
      ]);
    }
    const metrics = Object.entries(lineage.metrics ?? {}).slice(0, 12);
    if (metrics.length > 0)
      rows.push([
        'Metrics',
        metrics.map(([key, value]) => `${escapeCell(key)}=${formatNumber(value)}`).join(', '),
      ]);
  }
  return `### Registered ${escapeCell(version.name)} ${escapeCell(version.version)}\n\n${table(rows)}\n`;
}

export function promoteSummary(
  result: PromoteResult,
  action: 'promote' | 'rollback',
  audit: readonly StageEvent[],
  deployment?: { id: number; environment: string },
): string {
  const verb = action === 'rollback' ? 'Rolled back' : 'Promoted';
  const headline = result.created
    ? `${verb} ${result.name} ${result.stage}: ${result.previousVersion ?? '(none)'} → ${result.version}`
    : `${result.name} ${result.version} already holds ${result.stage}`;
  const rows: [string, string][] = [
    ['Stage', `\`${escapeCell(result.stage)}\``],
    ['Version', `\`${escapeCell(result.version)}\``],
    ['Previous version', result.previousVersion ? `\`${escapeCell(result.previousVersion)}\`` : '(none)'],
    ['Reference', `\`${escapeCell(result.ref)}\``],
  ];
  if (result.modelVersion.modelUri) rows.push(['Model URI', escapeCell(result.modelVersion.modelUri)]);
  if (deployment) rows.push(['Deployment', `#${deployment.id} to \`${escapeCell(deployment.environment)}\``]);
  const trail = audit.slice(-20).map((event) => `- ${escapeCell(describeEvent(event))}`);
  return `### ${escapeCell(headline)}\n\n${table(rows)}\n\n<details><summary>Audit trail of ${escapeCell(result.stage)} (${audit.length} move(s))</summary>\n\n${trail.join('\n')}\n\n</details>\n`;
}

export function lookupSummary(report: LookupReport): string {
  if (!report.found) {
    return `### ${escapeCell(report.name)}${report.stage ? ` ${escapeCell(report.stage)}` : ''}: no version\n\nNothing holds ${report.stage ? `stage \`${escapeCell(report.stage)}\`` : 'a registered version'} in ${escapeCell(report.registry)}.\n`;
  }
  const rows: [string, string][] = [
    ['Version', `\`${escapeCell(report.version!)}\``],
    ['Reference', `\`${escapeCell(report.ref!)}\``],
    ['Model URI', escapeCell(report.model_uri ?? '')],
    ['Code commit', report.commit ? `\`${report.commit}\`` : ''],
    ['Stages', report.stages.map((stage) => `\`${escapeCell(stage)}\``).join(', ')],
  ];
  if (report.lineage?.gate) rows.push(['Gate', report.lineage.gate.passed ? 'passed' : '**failed**']);
  return `### ${escapeCell(report.name)}${report.stage ? ` ${escapeCell(report.stage)}` : ' (latest)'}: ${escapeCell(report.version!)}\n\n${table(rows)}\n`;
}

function table(rows: readonly [string, string][]): string {
  return ['| | |', '|---|---|', ...rows.map(([key, value]) => `| ${key} | ${value} |`)].join('\n');
}

/** Escapes what would break a table cell or start markup (HTML, links, emphasis). */
function escapeCell(text: string): string {
  return text.replace(/[\\|<>[\]*_`]/g, (character) => `\\${character}`).replace(/\r?\n/g, ' ');
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

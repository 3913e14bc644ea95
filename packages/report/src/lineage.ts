// mlops.lineage/v1 (register-model) and mlops.lookup/v1 (which version holds a stage).

import { LINEAGE_SCHEMA, LOOKUP_SCHEMA } from '@mlops/schemas';
import { escapeMarkdown, inlineCode, safeLink } from './escape.ts';
import { type Field, fieldsTable, otherFields } from './fields.ts';
import {
  asArray,
  asBoolean,
  asRecord,
  asString,
  code,
  formatInterval,
  formatNumber,
  formatSigned,
  formatValue,
  isRecord,
  passIcon,
  plural,
} from './format.ts';
import { blocks, type DetailOptions, FULL_DETAIL, type Section, sectionMarkdown } from './section.ts';
import { markdownTable } from './table.ts';

const LOOKUP_KNOWN = new Set([
  'name',
  'version',
  'stage',
  'alias',
  'found',
  'lineage',
  'model_uri',
  'artifact_uri',
  'ref',
  'tag',
  'backend',
  'registry',
  'stages',
  // Repeated inside the lineage.
  'commit',
  'created_at',
]);

const LINEAGE_KNOWN = new Set([
  'name',
  'version',
  'created_at',
  'description',
  'code',
  'model',
  'data',
  'params',
  'metrics',
  'gate',
  'training',
  'environment',
  'trigger',
]);

/** `model@v1.2.0` as a code span. */
function modelVersion(name: unknown, version: unknown): string {
  if (!name && !version) return '_unnamed model_';
  return inlineCode(`${asString(name) ?? '?'}${version ? `@${String(version)}` : ''}`, { maxLength: 120 });
}

export function shortSha(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? code(value.slice(0, 12)) : undefined;
}

/** `✅ passed (roc_auc +0.014, CI ...)` from a lineage / promote `gate` object; undefined without a verdict. */
export function gateText(gate: Record<string, unknown>): string | undefined {
  const passed = asBoolean(gate.passed);
  if (passed === undefined) return undefined;
  const metric = asString(gate.metric);
  const headline = metric
    ? ` (${code(metric, 60)} ${formatSigned(gate.difference)}${Array.isArray(gate.ci) ? `, CI ${formatInterval(gate.ci)}` : ''})`
    : '';
  return `${passIcon(passed)} ${passed ? 'passed' : 'failed'}${headline}`;
}

/** `❌ failed (loss:min_decrease, val_loss:max_rise_from_best)` from a lineage `training` object. */
export function trainingText(training: Record<string, unknown>): string | undefined {
  const passed = asBoolean(training.passed);
  if (passed === undefined) return undefined;
  const failed = asArray(training.failed_checks).filter((check) => typeof check === 'string');
  const which =
    failed.length > 0
      ? ` (${failed
          .slice(0, 5)
          .map((check) => code(check, 60))
          .join(', ')})`
      : '';
  return `${passIcon(passed)} ${passed ? 'passed' : 'failed'}${which}`;
}

/** Table rows for a lineage record; shared by the lineage and lookup renderers. */
function lineageBody(record: Record<string, unknown>, detail: DetailOptions, leading: Field[] = []): string {
  const codeInfo = asRecord(record.code);
  const model = asRecord(record.model);
  const trigger = asRecord(record.trigger);
  const environment = asRecord(record.environment);
  const gate = asRecord(record.gate);
  const training = asRecord(record.training);
  const data = asRecord(record.data);
  const lockfiles = asArray(environment.lockfiles).map(asRecord);
  const fields: Field[] = [
    ...leading,
    ['Version', record.version === undefined ? undefined : code(record.version)],
    [
      'Created',
      asString(record.created_at) ? escapeMarkdown(record.created_at, { maxLength: 40 }) : undefined,
    ],
    ['Description', asString(record.description) ? formatValue(record.description, 300) : undefined],
    ['Commit', shortSha(codeInfo.commit ?? record.commit)],
    ['Ref', asString(codeInfo.ref) ? code(codeInfo.ref) : undefined],
    ['Model', asString(model.path) ? code(model.path) : undefined],
    ['Model sha256', shortSha(model.sha256)],
    ['Model URI', asString(model.uri) ? code(model.uri, 200) : undefined],
    ['Data version', asString(data.version) ? code(data.version) : undefined],
    ['Gate', gateText(gate)],
    ['Gate report sha256', shortSha(gate.report_sha256)],
    ['Training run', trainingText(training)],
    ['Training report sha256', shortSha(training.report_sha256)],
    [
      'Lockfiles',
      lockfiles.length > 0
        ? lockfiles.map((file) => `${code(file.path)} ${shortSha(file.sha256) ?? ''}`).join(', ')
        : undefined,
    ],
    ['Runner OS', asString(environment.runner_os) ? code(environment.runner_os) : undefined],
    ['Triggered by', asString(trigger.actor) ? code(trigger.actor) : undefined],
    ['Event', asString(trigger.event) ? code(trigger.event) : undefined],
    [
      'Run',
      asString(trigger.run_url)
        ? safeLink(`run ${String(trigger.run_id ?? '')}`.trim(), trigger.run_url, detail.linkHosts)
        : undefined,
    ],
    ...otherFields(record, LINEAGE_KNOWN),
  ];
  const files = asArray(data.files).map(asRecord);
  const shownFiles = files.slice(0, Math.max(0, detail.maxRows));
  const dataTable =
    shownFiles.length > 0
      ? blocks(
          '**Data checksums**',
          markdownTable(
            [{ header: 'Path' }, { header: 'sha256' }, { header: 'Bytes', align: 'right' }],
            shownFiles.map((file) => [
              code(file.path, 200),
              shortSha(file.sha256) ?? '—',
              formatNumber(file.bytes),
            ]),
          ),
          files.length > shownFiles.length
            ? `_…and ${plural(files.length - shownFiles.length, 'more file')}._`
            : '',
        )
      : '';
  return blocks(
    fieldsTable(fields),
    dataTable,
    detail.passingRows ? keyValues('Metrics', record.metrics, detail) : '',
    detail.passingRows ? keyValues('Params', record.params, detail, true) : '',
  );
}

/**
 * A flat `{key: value}` object (nested objects flattened with dots) as a two-column table. `exact` prints
 * values as written (params: a seed or a learning rate must not be rounded or get thousands separators).
 */
function keyValues(title: string, value: unknown, detail: DetailOptions, exact = false): string {
  if (!isRecord(value)) return '';
  const entries: [string, unknown][] = [];
  const visit = (prefix: string, inner: unknown, depth: number) => {
    if (isRecord(inner) && depth < 3) {
      for (const [key, nested] of Object.entries(inner))
        visit(prefix ? `${prefix}.${key}` : key, nested, depth + 1);
    } else entries.push([prefix, inner]);
  };
  visit('', value, 0);
  if (entries.length === 0) return '';
  const shown = entries.slice(0, Math.min(50, Math.max(0, detail.maxRows)));
  return blocks(
    `**${title}**`,
    markdownTable(
      [{ header: 'Name' }, { header: 'Value', align: 'right' }],
      shown.map(([key, inner]) => [
        code(key, 80),
        exact
          ? code(typeof inner === 'string' ? inner : JSON.stringify(inner), 120)
          : formatValue(inner, 120),
      ]),
    ),
    entries.length > shown.length
      ? `_…and ${plural(entries.length - shown.length, 'more entry', 'more entries')}._`
      : '',
  );
}

export function lineageSection(record: unknown, detail: DetailOptions = FULL_DETAIL): Section {
  const data = asRecord(record);
  const gate = asRecord(data.gate);
  const passed = asBoolean(gate.passed);
  const commit = asString(asRecord(data.code).commit);
  const phrases = [
    `registered ${modelVersion(data.name, data.version)}`,
    commit ? `from commit ${inlineCode(commit.slice(0, 12))}` : undefined,
    passed === undefined ? 'no gate verdict recorded' : `gate ${passed ? 'passed' : 'failed'}`,
  ].filter(Boolean);
  return {
    schema: LINEAGE_SCHEMA,
    title: 'Model version',
    verdict: passed === false ? 'fail' : 'info',
    headline: `${capitalise(phrases.join(', '))}.`,
    body: lineageBody(data, detail),
  };
}

export function lookupSection(report: unknown, detail: DetailOptions = FULL_DETAIL): Section {
  const data = asRecord(report);
  const lineage = isRecord(data.lineage) ? data.lineage : undefined;
  const found = asBoolean(data.found) ?? (data.version !== undefined && data.version !== null);
  const stage = asString(data.stage) ?? asString(data.alias);
  const where = stage ? ` in stage ${inlineCode(stage, { maxLength: 60 })}` : '';
  const headline = found
    ? `${modelVersion(data.name, data.version)}${where}.`
    : `No version of ${inlineCode(asString(data.name) ?? '?', { maxLength: 100 })} found${where}.`;
  const uri = data.model_uri ?? data.artifact_uri;
  const extra: Field[] = [
    // The lineage repeats the URI as model.uri; show it once.
    [
      'Artifact URI',
      asString(uri) && (!lineage || asRecord(lineage.model).uri !== uri) ? code(uri, 200) : undefined,
    ],
    ['Registry ref', asString(data.ref ?? data.tag) ? code(data.ref ?? data.tag) : undefined],
    [
      'Stages',
      asArray(data.stages).length > 0
        ? asArray(data.stages)
            .slice(0, 20)
            .map((held) => code(held, 60))
            .join(', ')
        : undefined,
    ],
    ['Backend', asString(data.backend) ? code(data.backend) : undefined],
    ['Registry', asString(data.registry) ? formatValue(data.registry, 120) : undefined],
    ...otherFields(data, LOOKUP_KNOWN),
  ];
  return {
    schema: LOOKUP_SCHEMA,
    title: 'Model lookup',
    verdict: found ? 'info' : 'warn',
    headline,
    body: lineage ? lineageBody(lineage, detail, extra) : fieldsTable(extra),
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A lineage record (mlops.lineage/v1) as job-summary markdown. */
export function renderLineageMarkdown(record: unknown, detail: DetailOptions = FULL_DETAIL): string {
  return sectionMarkdown(lineageSection(record, detail));
}

/** A lookup report (mlops.lookup/v1) as job-summary markdown. */
export function renderLookupMarkdown(report: unknown, detail: DetailOptions = FULL_DETAIL): string {
  return sectionMarkdown(lookupSection(report, detail));
}

// One entry point for any report: picks the renderer by the report's `schema` field.

import {
  CANARY_ANALYSIS_SCHEMA,
  DISPATCH_SCHEMA,
  EVALUATE_GATE_SCHEMA,
  LINEAGE_SCHEMA,
  LOOKUP_SCHEMA,
  PROFILE_SCHEMA,
  PROMOTE_SCHEMA,
  SERVING_CHECK_SCHEMA,
  VALIDATE_DATA_SCHEMA,
  VALIDATE_TRAINING_SCHEMA,
} from '@mlops/schemas';
import { canaryAnalysisSection } from './canary-analysis.ts';
import { inlineCode } from './escape.ts';
import { evaluateGateSection } from './evaluate-gate.ts';
import { asNumber, asRecord, formatNumber, isRecord } from './format.ts';
import { lineageSection, lookupSection } from './lineage.ts';
import { dispatchSection, promoteSection } from './promote.ts';
import { type DetailOptions, FULL_DETAIL, type Section } from './section.ts';
import { servingCheckSection } from './serving-check.ts';
import { validateDataSection } from './validate-data.ts';
import { validateTrainingSection } from './validate-training.ts';

type SectionRenderer = (report: unknown, detail: DetailOptions) => Section;

const RENDERERS: Record<string, SectionRenderer> = {
  [VALIDATE_DATA_SCHEMA]: validateDataSection,
  [PROFILE_SCHEMA]: profileSection,
  [VALIDATE_TRAINING_SCHEMA]: validateTrainingSection,
  [EVALUATE_GATE_SCHEMA]: evaluateGateSection,
  [LINEAGE_SCHEMA]: lineageSection,
  [LOOKUP_SCHEMA]: lookupSection,
  [PROMOTE_SCHEMA]: promoteSection,
  [SERVING_CHECK_SCHEMA]: servingCheckSection,
  [CANARY_ANALYSIS_SCHEMA]: canaryAnalysisSection,
  [DISPATCH_SCHEMA]: dispatchSection,
};

/** The schemas with a renderer, in pipeline order (the order a comment lists them in). */
export const KNOWN_SCHEMAS: readonly string[] = Object.keys(RENDERERS);

/** The `schema` field when it is one of ours (`mlops.<kind>/v<n>`), else undefined. */
export function reportSchema(report: unknown): string | undefined {
  const schema = asRecord(report).schema;
  return typeof schema === 'string' && /^mlops\.[a-z0-9-]+\/v\d+$/.test(schema) ? schema : undefined;
}

/** True when the value looks like a report of this suite (any version, known or not). */
export function isMlopsReport(report: unknown): boolean {
  return reportSchema(report) !== undefined;
}

/**
 * Any report as a Section. A report of an unknown schema or version (a newer action, a foreign JSON file)
 * gets a one-line "unrecognised" section instead of an error, so one odd file never loses the comment.
 */
export function reportSection(report: unknown, detail: DetailOptions = FULL_DETAIL): Section {
  const schema = reportSchema(report);
  const renderer = schema === undefined ? undefined : RENDERERS[schema];
  if (renderer && isRecord(report)) return renderer(report, detail);
  const raw = asRecord(report).schema;
  const named =
    typeof raw === 'string' && raw !== ''
      ? `schema ${inlineCode(raw, { maxLength: 80 })}`
      : 'no schema field';
  return {
    schema: 'unknown',
    title: 'Unrecognised report',
    verdict: 'skip',
    headline: `not rendered (${named}; this version renders ${KNOWN_SCHEMAS.map((known) => inlineCode(known)).join(', ')}).`,
    body: '',
  };
}

/** mlops.profile/v1: a saved profile is a reference for later runs; one line is all a reviewer needs. */
function profileSection(report: unknown): Section {
  const data = asRecord(report);
  const rows = asNumber(data.rows) ?? asNumber(asRecord(data.rows).count);
  const columns = isRecord(data.columns)
    ? Object.keys(data.columns).length
    : Array.isArray(data.columns)
      ? data.columns.length
      : undefined;
  const parts = [
    rows === undefined ? undefined : `${formatNumber(rows)} rows`,
    columns === undefined ? undefined : `${formatNumber(columns)} columns`,
  ].filter(Boolean);
  return {
    schema: PROFILE_SCHEMA,
    title: 'Data profile',
    verdict: 'info',
    headline: parts.length > 0 ? `Profile of ${parts.join(', ')}.` : 'Profile saved.',
    body: '',
  };
}

// Observations -> named checks -> the verdict and the mlops.serving-check/v1 report. Pure: the adapter does
// the HTTP and hands over what it saw.
import { SERVING_CHECK_SCHEMA } from '@mlops/schemas';
import type { MetadataVerdict } from './metadata.ts';
import { agreement, parity } from './parity.ts';
import { sameVersion } from './requirement.ts';
import {
  CHECK_ORDER,
  type CheckName,
  type CheckResult,
  type EdgeCaseResult,
  type GoldenSet,
  type LatencySummary,
  type Protocol,
  type RequestProblem,
  type ServingReport,
} from './types.ts';

/** One place an answer named the served version. */
export interface VersionObservation {
  /** model_version, metadata versions, or the header's name. */
  source: string;
  value: string;
  request: string;
}

export interface Observations {
  protocol: Protocol;
  url: string;
  model?: string;
  requestsFile: string;
  expectedFile: string;
  set: GoldenSet;
  readiness: { ready: boolean; attempts: number; waitedMs: number; message: string };
  /** OIP only. */
  metadata?: MetadataVerdict | { error: string };
  versions: VersionObservation[];
  expectedVersion?: string;
  /** Why the served version cannot be known (MLflow's scoring server without version-header). */
  versionUnavailable?: string;
  /** One per golden row, NaN where the row got no usable answer; empty when predictions were not asked. */
  served: number[];
  problems: RequestProblem[];
  /** Indexes of golden rows whose request failed as a whole (no answer, an error status, a bad body). */
  failedRows: ReadonlySet<number>;
  atol: number;
  rtol: number;
  threshold: number;
  minAgreement?: number;
  latency?: LatencySummary | { error: string };
  edgeCases?: EdgeCaseResult[];
}

export function buildServingReport(observed: Observations): ServingReport {
  const checks = new Map<CheckName, CheckResult>();
  const put = (name: CheckName, status: CheckResult['status'], message: string) =>
    checks.set(name, { name, status, message });
  const { set } = observed;
  const rows = set.rows.length;
  const served = observed.served.length === rows ? observed.served : set.rows.map(() => Number.NaN);
  const parityResult = parity(set.rows, served, { atol: observed.atol, rtol: observed.rtol });
  const agreementResult = agreement(set, served, observed.threshold);

  const { readiness } = observed;
  put(
    'readiness',
    readiness.ready ? 'passed' : 'failed',
    readiness.ready
      ? `ready after ${seconds(readiness.waitedMs)} (${readiness.attempts} probe${readiness.attempts === 1 ? '' : 's'})`
      : readiness.message,
  );

  let servedVersion: string | null = null;
  let versionSource: string | undefined;
  if (!readiness.ready) {
    for (const name of CHECK_ORDER)
      if (!checks.has(name)) put(name, 'skipped', 'not run: the server never became ready');
  } else {
    // metadata
    if (observed.protocol !== 'oip')
      put('metadata', 'skipped', `the ${observed.protocol} protocol has no model metadata`);
    else if (!observed.metadata) put('metadata', 'skipped', 'not fetched');
    else if ('error' in observed.metadata) put('metadata', 'failed', observed.metadata.error);
    else if (observed.metadata.problems.length > 0)
      put('metadata', 'failed', observed.metadata.problems.join('; '));
    else put('metadata', 'passed', observed.metadata.summary);

    // version
    // The first observation of each distinct version: where it was first seen.
    const distinct: VersionObservation[] = [];
    for (const entry of observed.versions)
      if (!distinct.some((seen) => seen.value === entry.value)) distinct.push(entry);
    if (distinct.length > 1) {
      put(
        'version',
        'failed',
        `the served version changed between requests: ${distinct.map((entry) => `'${entry.value}' (${entry.source}, first at ${entry.request})`).join(', then ')}`,
      );
    } else {
      const seen = distinct[0];
      servedVersion = seen?.value ?? null;
      versionSource = seen?.source;
      if (observed.expectedVersion === undefined) {
        put(
          'version',
          seen ? 'passed' : 'skipped',
          seen
            ? `serves '${seen.value}' (${seen.source}, the same in ${observed.versions.length} answer${observed.versions.length === 1 ? '' : 's'}); no expected-version to compare with`
            : `no expected-version, and ${observed.versionUnavailable ?? 'the server named no version'}`,
        );
      } else if (!seen) {
        put(
          'version',
          observed.versionUnavailable ? 'not-possible' : 'failed',
          observed.versionUnavailable
            ? `expected '${observed.expectedVersion}' but ${observed.versionUnavailable}`
            : `expected '${observed.expectedVersion}' but the server named no version (no model_version, metadata versions or version header)`,
        );
      } else if (sameVersion(seen.value, observed.expectedVersion)) {
        put('version', 'passed', `serves '${seen.value}' as expected (${seen.source})`);
      } else {
        put(
          'version',
          'failed',
          `serves '${seen.value}' (${seen.source}), expected '${observed.expectedVersion}'`,
        );
      }
    }

    // answers
    const unanswered = served.filter((value) => Number.isNaN(value)).length;
    const predictProblems = observed.problems.filter((problem) => problem.phase === 'predict');
    const failedRequests = predictProblems.length;
    const notFinite = served.filter(
      (value, index) => !Number.isFinite(value) && !failedRow(observed, index),
    ).length;
    const outOfRange =
      set.target === 'probability'
        ? set.rows.filter(
            (_, index) => Number.isFinite(served[index]!) && (served[index]! < 0 || served[index]! > 1),
          )
        : [];
    const answerIssues: string[] = [];
    if (failedRequests > 0) {
      const first = predictProblems[0]!;
      answerIssues.push(
        `${failedRequests} request${failedRequests === 1 ? '' : 's'} failed (first: ${first.request}: ${first.problem})`,
      );
    }
    if (notFinite > 0)
      answerIssues.push(`${notFinite} row${notFinite === 1 ? '' : 's'} answered with a non-finite value`);
    if (outOfRange.length > 0)
      answerIssues.push(
        `${outOfRange.length} probabilit${outOfRange.length === 1 ? 'y' : 'ies'} outside [0, 1] (e.g. row '${outOfRange[0]!.id}': ${served[outOfRange[0]!.index]})`,
      );
    put(
      'answers',
      answerIssues.length === 0 && unanswered === 0 ? 'passed' : 'failed',
      answerIssues.length === 0 && unanswered === 0
        ? `all ${rows} rows answered with finite ${set.target === 'probability' ? 'probabilities in [0, 1]' : 'numbers'}`
        : `${answerIssues.join('; ')}${unanswered > 0 ? ` (${unanswered} of ${rows} rows without a usable answer)` : ''}`,
    );

    // parity
    const worst = parityResult.worst[0];
    put(
      'parity',
      parityResult.mismatches === 0 ? 'passed' : 'failed',
      parityResult.mismatches === 0
        ? `all ${rows} rows within ${observed.atol} + ${observed.rtol}·|offline| (max |Δ| ${fmt(parityResult.max_abs_diff)})`
        : `${parityResult.mismatches} of ${rows} rows differ beyond ${observed.atol} + ${observed.rtol}·|offline|${worst && worst.served !== null ? ` (worst: row '${worst.id}' offline ${fmt(worst.offline)}, served ${fmt(worst.served)})` : ''}${parityResult.compared < rows ? `; ${rows - parityResult.compared} rows without a usable answer` : ''}`,
    );

    // agreement
    if (!agreementResult) {
      put(
        'agreement',
        observed.minAgreement === undefined ? 'skipped' : 'not-possible',
        'the expected predictions are values, not classes or probabilities',
      );
    } else {
      if (observed.minAgreement !== undefined) agreementResult.min_agreement = observed.minAgreement;
      const share = agreementResult.share ?? 0;
      const text = `${agreementResult.agree} of ${rows} rows predict the offline class (${pct(share)}; ${agreementResult.rule})`;
      if (observed.minAgreement === undefined) put('agreement', 'skipped', `${text}; no min-agreement set`);
      else
        put(
          'agreement',
          share >= observed.minAgreement ? 'passed' : 'failed',
          `${text}, ${share >= observed.minAgreement ? 'at least' : 'below'} ${pct(observed.minAgreement)}`,
        );
    }

    // latency
    const latency = observed.latency;
    if (!latency) put('latency', 'skipped', 'not measured (repeats: 0)');
    else if ('error' in latency) put('latency', 'failed', latency.error);
    else {
      const parts = latency.percentiles.map(
        (entry) =>
          `${entry.key.replace('_ms', '').toUpperCase()} ${fmt(entry.value)} ms (CI ${fmt(entry.ci[0])}–${fmt(entry.ci[1])})${entry.max === undefined ? '' : entry.passed ? ` <= ${entry.max}` : ` may exceed ${entry.max}`}`,
      );
      const judged = latency.percentiles.filter((entry) => entry.max !== undefined);
      const failed = judged.filter((entry) => !entry.passed);
      put(
        'latency',
        failed.length > 0 ? 'failed' : 'passed',
        `${parts.join(', ')} over ${latency.samples} requests${judged.length === 0 ? '; no ceiling set' : ''}`,
      );
    }

    // edge cases
    const edges = observed.edgeCases;
    if (!edges) put('edge-cases', 'skipped', 'not asked (edge-cases: false)');
    else {
      const failed = edges.filter((entry) => !entry.passed);
      put(
        'edge-cases',
        failed.length === 0 ? 'passed' : 'failed',
        failed.length === 0
          ? `${edges.length} malformed requests refused with a 4xx`
          : failed.map((entry) => `${entry.case}: ${entry.message}`).join('; '),
      );
    }
  }

  const ordered = CHECK_ORDER.map((name) => checks.get(name)!);
  const failing = ordered.filter((check) => check.status === 'failed' || check.status === 'not-possible');
  const passed =
    failing.length === 0 &&
    checks.get('answers')?.status === 'passed' &&
    checks.get('parity')?.status === 'passed';
  const explanation = passed
    ? `passed: ${rows} golden rows answered and within tolerance${servedVersion ? `, version '${servedVersion}'` : ''}`
    : `${failing.length} of ${ordered.length} checks failed — ${failing.map((check) => `${check.name}: ${check.message}`).join(' | ')}`;
  return {
    schema: SERVING_CHECK_SCHEMA,
    passed,
    protocol: observed.protocol,
    url: observed.url,
    ...(observed.model !== undefined ? { model: observed.model } : {}),
    ...(observed.expectedVersion !== undefined ? { expected_version: observed.expectedVersion } : {}),
    served_version: servedVersion,
    ...(versionSource ? { version_source: versionSource } : {}),
    requests_file: observed.requestsFile,
    expected_file: observed.expectedFile,
    rows,
    target: set.target,
    joined_by: set.joinedBy,
    checks: ordered,
    problems: observed.problems,
    parity: parityResult,
    ...(agreementResult ? { agreement: agreementResult } : {}),
    ...(observed.latency && !('error' in observed.latency) ? { latency: observed.latency } : {}),
    ...(observed.edgeCases ? { edge_cases: observed.edgeCases } : {}),
    explanation,
  };
}

function failedRow(observed: Observations, index: number): boolean {
  const row = observed.set.rows[index];
  return row !== undefined && observed.failedRows.has(row.index);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function fmt(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return String(value);
  return Number(value.toPrecision(4)).toString();
}

// The HTTP steps of serving-check, in the order it runs them. Each returns what it saw; judging is
// @mlops/serving's buildServingReport.
import type { Logger } from '@mlops/kit';
import {
  AnswerError,
  batches,
  bodyExcerpt,
  type EdgeCaseResult,
  edgeCaseRequests,
  type GoldenSet,
  judgeEdgeCase,
  type ParsedAnswer,
  type ProtocolCodec,
  parseJsonLenient,
  type RequestProblem,
  type VersionObservation,
} from '@mlops/serving';
import { type Answer, type Endpoint, NoAnswer, request } from './http.ts';

/** Waits for every path to answer 200, with exponential backoff (250 ms doubling to 5 s) until the deadline. */
export async function waitUntilReady(
  endpoint: Endpoint,
  paths: readonly string[],
  readyTimeoutMs: number,
  logger: Logger,
): Promise<{ ready: boolean; attempts: number; waitedMs: number; message: string }> {
  const started = Date.now();
  if (paths.length === 0)
    return { ready: true, attempts: 0, waitedMs: 0, message: 'no readiness path: not probed' };
  let attempts = 0;
  let delay = 250;
  let last = '';
  for (;;) {
    const remaining = readyTimeoutMs - (Date.now() - started);
    let allReady = true;
    for (const path of paths) {
      attempts++;
      try {
        const answer = await request(
          endpoint,
          'GET',
          path,
          undefined,
          Math.max(100, Math.min(endpoint.timeoutMs, remaining)),
        );
        if (answer.status !== 200) {
          allReady = false;
          last = `GET ${path} answered ${answer.status}${answer.text.trim() ? `: ${bodyExcerpt(answer.text.trim(), 200)}` : ''}`;
          break;
        }
      } catch (error) {
        if (!(error instanceof NoAnswer)) throw error;
        allReady = false;
        last = `GET ${path}: ${error.message}`;
        break;
      }
    }
    const waited = Date.now() - started;
    if (allReady) return { ready: true, attempts, waitedMs: waited, message: '' };
    if (waited + delay > readyTimeoutMs)
      return {
        ready: false,
        attempts,
        waitedMs: waited,
        message: `not ready after ${(waited / 1000).toFixed(1)} s (${attempts} probes); last: ${last}${/ answered 404/.test(last) ? ' (404: is the model name or the URL right?)' : ''}`,
      };
    logger.info(`serving-check: not ready yet (${last}); next probe in ${delay} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5000);
  }
}

/** GET a JSON document; an error sentence naming the request when there is none. */
export async function getJson(
  endpoint: Endpoint,
  path: string,
): Promise<{ body: unknown } | { error: string }> {
  try {
    const answer = await request(endpoint, 'GET', path);
    if (answer.status !== 200)
      return { error: `GET ${path} answered ${answer.status}: ${bodyExcerpt(answer.text, 300)}` };
    try {
      return { body: parseJsonLenient(answer.text) };
    } catch {
      return { error: `GET ${path}: the body is not JSON: ${bodyExcerpt(answer.text, 300)}` };
    }
  } catch (error) {
    if (error instanceof NoAnswer) return { error: `GET ${path}: ${error.message}` };
    throw error;
  }
}

export interface PredictionRun {
  served: number[];
  failedRows: Set<number>;
  problems: RequestProblem[];
  versions: VersionObservation[];
}

/** Sends the golden rows in batches and reads one prediction per row. */
export async function predictGolden(
  endpoint: Endpoint,
  codec: ProtocolCodec,
  set: GoldenSet,
  batchSize: number,
  versionHeader: string | undefined,
): Promise<PredictionRun> {
  const served = set.rows.map(() => Number.NaN);
  const failedRows = new Set<number>();
  const problems: RequestProblem[] = [];
  const versions: VersionObservation[] = [];
  for (const batch of batches(set.rows, batchSize)) {
    const first = batch[0]!.index + 1;
    const label = `POST ${codec.predictPath || '(url)'} (rows ${first}-${first + batch.length - 1})`;
    const outcome = await predictOnce(endpoint, codec, batch.length, codec.body(batch), label, versionHeader);
    if ('problem' in outcome) {
      problems.push({ phase: 'predict', ...outcome.problem });
      for (const row of batch) failedRows.add(row.index);
      continue;
    }
    versions.push(...outcome.versions);
    batch.forEach((row, offset) => {
      served[row.index] = outcome.answer.values[offset]!;
    });
  }
  return { served, failedRows, problems, versions };
}

type Outcome =
  | { answer: ParsedAnswer; versions: VersionObservation[]; ms: number }
  | { problem: Omit<RequestProblem, 'phase'> };

async function predictOnce(
  endpoint: Endpoint,
  codec: ProtocolCodec,
  rows: number,
  body: unknown,
  label: string,
  versionHeader: string | undefined,
): Promise<Outcome> {
  let answer: Answer;
  try {
    answer = await request(endpoint, 'POST', codec.predictPath, body);
  } catch (error) {
    if (error instanceof NoAnswer) return { problem: { request: label, problem: error.message } };
    throw error;
  }
  const excerpt = bodyExcerpt(answer.text, 300);
  if (answer.status !== 200)
    return {
      problem: { request: label, problem: `HTTP ${answer.status}`, status: answer.status, body: excerpt },
    };
  let json: unknown;
  try {
    json = parseJsonLenient(answer.text);
  } catch {
    return { problem: { request: label, problem: 'the body is not JSON', status: 200, body: excerpt } };
  }
  let parsed: ParsedAnswer;
  try {
    parsed = codec.parse(json, rows);
  } catch (error) {
    if (error instanceof AnswerError)
      return { problem: { request: label, problem: error.message, status: 200, body: excerpt } };
    throw error;
  }
  const versions: VersionObservation[] = [];
  if (parsed.version !== undefined)
    versions.push({ source: 'model_version', value: parsed.version, request: label });
  if (versionHeader) {
    const value = answer.headers.get(versionHeader);
    if (value !== null) versions.push({ source: `header ${versionHeader}`, value, request: label });
  }
  return { answer: parsed, versions, ms: answer.ms };
}

export interface LatencyRun {
  samples: number[];
  versions: VersionObservation[];
  error?: string;
}

/** Warm-up, then `concurrency` clients each sending `repeats` one-row requests, timed. */
export async function measureLatency(
  endpoint: Endpoint,
  codec: ProtocolCodec,
  set: GoldenSet,
  options: { warmup: number; repeats: number; concurrency: number; versionHeader: string | undefined },
): Promise<LatencyRun> {
  const rows = set.rows;
  let next = 0;
  const nextRow = () => rows[next++ % rows.length]!;
  const versions: VersionObservation[] = [];
  for (let index = 0; index < options.warmup; index++) {
    const row = nextRow();
    const outcome = await predictOnce(
      endpoint,
      codec,
      1,
      codec.body([row]),
      `warm-up request ${index + 1} (row '${row.id}')`,
      options.versionHeader,
    );
    if ('problem' in outcome)
      return { samples: [], versions, error: `${outcome.problem.request}: ${outcome.problem.problem}` };
  }
  const samples: number[] = [];
  let error: string | undefined;
  let sent = 0;
  const client = async () => {
    for (let index = 0; index < options.repeats && error === undefined; index++) {
      const row = nextRow();
      sent++;
      const label = `timed request ${sent} (row '${row.id}')`;
      const outcome = await predictOnce(endpoint, codec, 1, codec.body([row]), label, options.versionHeader);
      if ('problem' in outcome) {
        error ??= `${outcome.problem.request}: ${outcome.problem.problem}${outcome.problem.body ? ` — ${outcome.problem.body}` : ''}`;
        return;
      }
      samples.push(outcome.ms);
      versions.push(...outcome.versions);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  return { samples, versions, ...(error === undefined ? {} : { error }) };
}

/** The malformed-request probes; each passes on a 4xx only. */
export async function probeEdgeCases(
  endpoint: Endpoint,
  set: GoldenSet,
  makeCodec: (set: GoldenSet) => ProtocolCodec,
): Promise<EdgeCaseResult[]> {
  const results: EdgeCaseResult[] = [];
  const codec = makeCodec(set);
  for (const probe of edgeCaseRequests(set, makeCodec)) {
    const label = `POST ${codec.predictPath || '(url)'} (${probe.case})`;
    try {
      const answer = await request(endpoint, 'POST', codec.predictPath, probe.body);
      const verdict = judgeEdgeCase(answer.status);
      results.push({
        case: probe.case,
        request: label,
        status: answer.status,
        ...verdict,
        ...(verdict.passed ? {} : { body: bodyExcerpt(answer.text, 200) }),
      });
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      results.push({ case: probe.case, request: label, status: null, passed: false, message: error.message });
    }
  }
  return results;
}

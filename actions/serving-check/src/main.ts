import { existsSync } from 'node:fs';
import path from 'node:path';
import { type ActionIO, InputError, type Inputs, writeJsonFile } from '@mlops/kit';
import type {
  GoldenSet,
  LatencySummary,
  OipOptions,
  ProtocolCodec,
  ServingReport,
  VersionObservation,
} from '@mlops/serving';
import { PROTOCOLS, type Protocol } from '@mlops/serving/types';
import { type Endpoint, parseHeaders, shownUrl } from './http.ts';

/** Inputs -> golden set -> the endpoint, step by step -> verdict -> report file, outputs, summary. */
export async function main(io: ActionIO): Promise<void> {
  const { inputs, logger } = io;
  const workspace = inputs.workspace;
  const shown = (file: string) => path.relative(workspace, file) || file;

  // Inputs first: every mistake is reported before the server is asked anything.
  const protocol = inputs.requiredChoice('protocol', PROTOCOLS);
  const url = inputs.required('url');
  // The URL is never echoed: it may carry credentials.
  if (!/^https?:\/\/[^/]/i.test(url)) throw new InputError('url', 'expected an http:// or https:// URL');
  let displayUrl: string;
  try {
    displayUrl = shownUrl(url);
  } catch {
    throw new InputError('url', 'is not a valid URL');
  }
  const headers = parseHeaders(inputs.optional('headers'));
  // fetch refuses URLs with credentials: they become a basic Authorization header (masked like the others).
  const parsedUrl = new URL(url);
  if (
    (parsedUrl.username || parsedUrl.password) &&
    !Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')
  ) {
    const user = decodeURIComponent(parsedUrl.username);
    const password = decodeURIComponent(parsedUrl.password);
    if (password !== '') io.setSecret(password);
    headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  parsedUrl.username = '';
  parsedUrl.password = '';
  // A query string may carry a key (Azure Functions' ?code=): its values are masked too.
  for (const value of parsedUrl.searchParams.values()) if (value.length >= 6) io.setSecret(value);
  for (const value of Object.values(headers)) {
    if (value === '') continue;
    io.setSecret(value);
    // `Bearer <token>`: the token alone must be masked too, wherever it would show.
    const credential = /^\S+\s+(\S{4,})$/.exec(value)?.[1];
    if (credential) io.setSecret(credential);
  }
  const endpoint: Endpoint = {
    base: parsedUrl.href.replace(/\/$/, ''),
    headers,
    timeoutMs: inputs.requiredDuration('timeout'),
  };
  const readyTimeoutMs = inputs.requiredDuration('ready-timeout');
  const batchSize = inputs.requiredNumber('batch-size', { min: 1, integer: true });
  const atol = inputs.requiredNumber('atol', { min: 0 });
  const rtol = inputs.requiredNumber('rtol', { min: 0 });
  const minAgreement = inputs.number('min-agreement', { min: 0, max: 1 });
  const threshold = inputs.requiredNumber('threshold', { min: 0, max: 1 });
  const expectedVersion = inputs.optional('expected-version');
  const versionHeader = inputs.optional('version-header')?.toLowerCase();
  const warmup = inputs.requiredNumber('warmup', { min: 0, integer: true });
  const repeats = inputs.requiredNumber('repeats', { min: 0, integer: true });
  const concurrency = inputs.requiredNumber('concurrency', { min: 1, max: 64, integer: true });
  const p95 = inputs.number('latency-p95-ms', { min: 0 });
  const p99 = inputs.number('latency-p99-ms', { min: 0 });
  const confidence = inputs.requiredNumber('confidence', { min: 0.5, max: 0.9999 });
  const edgeCases = inputs.boolean('edge-cases');
  if ((p95 !== undefined || p99 !== undefined) && repeats * concurrency < 2)
    throw new InputError(
      'repeats',
      'latency ceilings are set, so at least 2 timed requests are needed (repeats x concurrency)',
    );

  const requestsPath = inputs.requiredPath('requests');
  const expectedPath = inputs.requiredPath('expected');
  for (const [input, file] of [
    ['requests', requestsPath],
    ['expected', expectedPath],
  ] as const) {
    if (!existsSync(file)) throw new InputError(input, `file '${shown(file)}' does not exist`);
  }
  // Loaded once the inputs above are read, so a mistake in them is reported without loading the checks.
  const [codecs, { readTable }, { renderServingCheckMarkdown }, probes] = await Promise.all([
    import('@mlops/serving'),
    import('@mlops/data'),
    import('@mlops/report'),
    import('./probes.ts'),
  ]);
  const { buildGoldenSet, buildServingReport, checkOipMetadata, oipModelPath, summariseLatency } = codecs;
  const { getJson, measureLatency, predictGolden, probeEdgeCases, waitUntilReady } = probes;
  const set = buildGoldenSet(await readTable(requestsPath), await readTable(expectedPath), {
    requestsFile: shown(requestsPath),
    expectedFile: shown(expectedPath),
    ...optional('idColumn', inputs.optional('id-column')),
    predictionColumn: inputs.required('prediction-column'),
  });
  const oip = protocol === 'oip' ? oipOptions(inputs) : undefined;
  let makeCodec = codecFactory(codecs, protocol, inputs, oip);
  makeCodec(set); // refuses what the protocol cannot carry (text in a tensor, nulls) before any request
  logger.info(
    `serving-check: ${set.rows.length} golden rows (${set.features.length} features, ${TARGET_WORDS[set.target]}, joined by ${set.joinedBy}) against ${displayUrl} (${protocol}); ${Object.keys(headers).length} extra header(s), values masked`,
  );

  // 1. readiness
  const readyPaths =
    protocol === 'oip'
      ? ['/v2/health/ready', `${oipModelPath(oip!.model)}/ready`]
      : protocol === 'mlflow'
        ? ['/ping']
        : [inputs.optional('ready-path')]
            .filter((entry): entry is string => entry !== undefined)
            .map((entry) => new URL(entry, parsedUrl).href);
  const readiness = await waitUntilReady(endpoint, readyPaths, readyTimeoutMs, logger);
  let report: ServingReport;
  const common = {
    protocol,
    url: displayUrl,
    ...(oip ? { model: oip.model } : {}),
    requestsFile: shown(requestsPath),
    expectedFile: shown(expectedPath),
    set,
    readiness,
    atol,
    rtol,
    threshold,
    ...optional('minAgreement', minAgreement),
    ...optional('expectedVersion', expectedVersion),
  };
  if (!readiness.ready) {
    report = buildServingReport({ ...common, versions: [], served: [], problems: [], failedRows: new Set() });
  } else {
    // 2. metadata (OIP)
    const versions: VersionObservation[] = [];
    let metadata: Parameters<typeof buildServingReport>[0]['metadata'];
    if (oip) {
      const fetched = await getJson(endpoint, oipModelPath(oip.model));
      if ('error' in fetched) metadata = { error: fetched.error };
      else {
        metadata = checkOipMetadata(fetched.body, set, oip);
        if (metadata.datatype && metadata.datatype !== 'FP64')
          makeCodec = codecFactory(codecs, protocol, inputs, { ...oip, datatype: metadata.datatype });
        if (metadata.versions.length === 1)
          versions.push({
            source: 'metadata versions',
            value: metadata.versions[0]!,
            request: `GET ${oipModelPath(oip.model)}`,
          });
      }
    }
    // 3. golden rows, parity
    const codec = makeCodec(set);
    const run = await predictGolden(endpoint, codec, set, batchSize, versionHeader);
    versions.push(...run.versions);
    // 4. latency
    let latency: LatencySummary | { error: string } | undefined;
    if (repeats > 0) {
      const timed = await measureLatency(endpoint, codec, set, {
        warmup,
        repeats,
        concurrency,
        versionHeader,
      });
      versions.push(...timed.versions);
      if (timed.error !== undefined) latency = { error: timed.error };
      else if (timed.samples.length < 2) latency = { error: `only ${timed.samples.length} timed answer(s)` };
      else
        latency = summariseLatency(timed.samples, {
          warmup,
          repeats,
          concurrency,
          rowsPerRequest: 1,
          confidence,
          resamples: 2000,
          seed: 42,
          max: { ...optional('p95_ms', p95), ...optional('p99_ms', p99) },
        });
    }
    // 5. malformed requests
    const edges = edgeCases ? await probeEdgeCases(endpoint, set, makeCodec) : undefined;
    report = buildServingReport({
      ...common,
      ...(metadata ? { metadata } : {}),
      versions,
      ...(protocol === 'oip' || versionHeader
        ? {}
        : {
            versionUnavailable:
              protocol === 'mlflow'
                ? "MLflow's scoring server reports no model version (its /version is MLflow's own); set 'version-header' to a header your deployment adds"
                : "the endpoint's answers name no version; set 'version-header'",
          }),
      served: run.served,
      problems: run.problems,
      failedRows: run.failedRows,
      ...(latency ? { latency } : {}),
      ...(edges ? { edgeCases: edges } : {}),
    });
  }

  const reportPath = inputs.requiredPath('report');
  await writeJsonFile(reportPath, report);
  setOutputs(io, report, shown(reportPath));
  io.appendSummary(renderServingCheckMarkdown(report));
  for (const check of report.checks)
    logger.info(`serving-check: ${check.name}: ${check.status} — ${check.message}`);
  logger.info(report.explanation);
  if (!report.passed) io.fail(report.explanation);
}

const TARGET_WORDS = { probability: 'probabilities', class: 'classes', value: 'values' } as const;

function oipOptions(inputs: Inputs): OipOptions {
  const model = inputs.optional('model');
  if (model === undefined)
    throw new InputError('model', "is required for protocol 'oip' (the {name} of /v2/models/{name}/infer)");
  return {
    model,
    layout: inputs.requiredChoice('oip-layout', ['tensor', 'columns'] as const),
    inputName: inputs.required('input-name'),
    ...optional('outputName', inputs.optional('output-name')),
    ...optional('outputIndex', inputs.number('output-index', { min: 0, integer: true })),
  };
}

type Codecs = Pick<typeof import('@mlops/serving'), 'jsonCodec' | 'mlflowCodec' | 'oipCodec'>;

function codecFactory(
  { jsonCodec, mlflowCodec, oipCodec }: Codecs,
  protocol: Protocol,
  inputs: Inputs,
  oip: OipOptions | undefined,
): (set: GoldenSet) => ProtocolCodec {
  const outputName = inputs.optional('output-name');
  const outputIndex = inputs.number('output-index', { min: 0, integer: true });
  const shared = { ...optional('outputName', outputName), ...optional('outputIndex', outputIndex) };
  if (protocol === 'oip') return (set) => oipCodec(set, oip!);
  if (protocol === 'mlflow') return (set) => mlflowCodec(set, shared);
  const template = inputs.optional('request-template');
  if (template === undefined)
    throw new InputError(
      'request-template',
      `is required for protocol 'json', e.g. {"instances": "{{records}}"}`,
    );
  const predictionsPath = inputs.required('predictions-path');
  return (set) => jsonCodec(set, { path: '', template, predictionsPath, ...shared });
}

function setOutputs(io: ActionIO, report: ServingReport, reportPath: string): void {
  const value = (number: number | null | undefined) =>
    number === null || number === undefined ? '' : String(number);
  const percentile = (key: string) =>
    value(report.latency?.percentiles.find((entry) => entry.key === key)?.value);
  io.setOutput('passed', report.passed);
  io.setOutput('served-version', report.served_version ?? '');
  io.setOutput('mismatches', report.parity.mismatches);
  io.setOutput('max-abs-diff', value(report.parity.max_abs_diff));
  io.setOutput('p50-ms', percentile('p50_ms'));
  io.setOutput('p95-ms', percentile('p95_ms'));
  io.setOutput('p99-ms', percentile('p99_ms'));
  io.setOutput('report', reportPath);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

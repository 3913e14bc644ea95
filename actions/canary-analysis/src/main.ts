import path from 'node:path';
import type { CanaryConfig, CollectedCounts, EventsExceedTrials } from '@mlops/canary';
import { type ActionIO, InputError, type Inputs, readInputFile, UserError, writeJsonFile } from '@mlops/kit';
import { loadYamlParser } from '@mlops/kit/yaml-source';

/** Inputs -> counts from Prometheus or a request log -> the decision -> report file, outputs, summary. */
export async function main(io: ActionIO): Promise<void> {
  const { inputs, logger } = io;
  const workspace = inputs.workspace;
  const shown = (file: string) => path.relative(workspace, file) || file;

  const configPath = inputs.requiredPath('config');
  // Loaded once the first input is read, so a run without one is refused without loading the analysis.
  const [
    { analyseCanary, collectFromPrometheus, collectFromTable, EventsExceedTrials, parseCanaryConfig },
    { readTable },
    { renderCanaryAnalysisMarkdown },
  ] = await Promise.all([
    import('@mlops/canary'),
    import('@mlops/data'),
    import('@mlops/report'),
    loadYamlParser(),
  ]);
  let config = parseCanaryConfig(await readText(configPath, 'config'), shown(configPath));
  const percent = inputs.number('canary-percent', { min: 0, max: 100 });
  if (percent !== undefined) {
    if (percent <= 0 || percent >= 100)
      throw new InputError('canary-percent', `must be between 0 and 100 (exclusive), got ${percent}`);
    config = { ...config, canary_percent: percent };
  }
  const versions = { baseline: inputs.required('baseline'), canary: inputs.required('canary') };
  if (versions.baseline === versions.canary)
    throw new InputError('canary', `is the same version as baseline ('${versions.baseline}')`);
  const startedAt = parseTime(inputs.required('started-at'), 'started-at');
  const nowText = inputs.optional('now');
  const now = nowText === undefined ? Date.now() : parseTime(nowText, 'now');
  if (startedAt > now)
    throw new InputError(
      'started-at',
      `${new Date(startedAt).toISOString()} is after now (${new Date(now).toISOString()})`,
    );

  let counts: CollectedCounts;
  let source: Record<string, unknown>;
  if (config.source === 'prometheus') {
    const url = inputs.optional('prometheus-url');
    if (url === undefined)
      throw new InputError('prometheus-url', `is required when the config's source is prometheus`);
    let parsedUrl: URL;
    try {
      parsedUrl = new URL(url);
    } catch {
      throw new InputError('prometheus-url', `expected an http(s) URL, got '${url}'`);
    }
    if (!/^https?:$/.test(parsedUrl.protocol))
      throw new InputError('prometheus-url', `expected an http(s) URL, got '${url}'`);
    const headers = parseHeaders(inputs);
    for (const value of Object.values(headers)) io.setSecret(value);
    if (parsedUrl.password) io.setSecret(parsedUrl.password);
    const shownUrl = `${parsedUrl.protocol}//${parsedUrl.host}${parsedUrl.pathname.replace(/\/+$/, '')}`;
    logger.info(
      `canary-analysis: ${config.metrics.length} metric(s) from Prometheus at ${shownUrl}, ${versions.canary} vs ${versions.baseline} since ${new Date(startedAt).toISOString()}`,
    );
    counts = await collectFromPrometheus(
      config,
      { url, headers, timeoutMs: config.query_timeout_ms },
      versions,
      startedAt,
      now,
    );
    source = { kind: 'prometheus', url: shownUrl, step_seconds: config.step_ms / 1000 };
  } else {
    const logPath = inputs.path('log');
    if (logPath === undefined) throw new InputError('log', `is required when the config's source is file`);
    const table = await readTable(logPath);
    logger.info(`canary-analysis: ${table.rowCount} requests in ${shown(logPath)}`);
    counts = collectFromTable(table, shown(logPath), config, versions, startedAt, now);
    source = { kind: 'file', file: shown(logPath), step_seconds: config.step_ms / 1000 };
  }

  let report: ReturnType<typeof analyseCanary>;
  try {
    report = analyseCanary({ config, ...versions, startedAt, now, ...counts, source });
  } catch (error) {
    if (error instanceof EventsExceedTrials) throw eventsError(error, config);
    throw error;
  }
  for (const warning of report.warnings) logger.warning(warning);

  const reportPath = inputs.requiredPath('report');
  await writeJsonFile(reportPath, report);
  io.setOutput('decision', report.decision);
  io.setOutput('reason', report.reason);
  io.setOutput('next-traffic-percent', report.next_traffic_percent);
  io.setOutput('report', shown(reportPath));
  io.appendSummary(renderCanaryAnalysisMarkdown(report));
  logger.info(`canary-analysis: ${report.decision}: ${report.reason}`);
  if (report.decision === 'rollback' && inputs.boolean('fail-on-rollback', true)) io.fail(report.reason);
}

/** RFC 3339 or unix seconds, to milliseconds. */
export function parseTime(text: string, input: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) {
    const parsed = Date.parse(text);
    if (Number.isFinite(parsed)) return parsed;
  }
  throw new InputError(
    input,
    `expected an RFC 3339 time (2026-12-07T08:00:00Z) or unix seconds, got '${text}'`,
  );
}

function parseHeaders(inputs: Inputs): Record<string, string> {
  const raw = inputs.optional('prometheus-headers');
  if (raw === undefined) return {};
  const headers: Record<string, string> = {};
  if (raw.startsWith('{')) {
    const parsed = inputs.json('prometheus-headers');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new InputError('prometheus-headers', 'expected a JSON object of header names to values');
    for (const [name, value] of Object.entries(parsed)) {
      if (typeof value !== 'string')
        throw new InputError('prometheus-headers', `the value of '${name}' must be a string`);
      headers[name] = value;
    }
  } else {
    for (const [index, line] of raw.split('\n').entries()) {
      if (line.trim() === '') continue;
      const colon = line.indexOf(':');
      // The line is never echoed: it may hold the secret itself.
      if (colon <= 0) throw new InputError('prometheus-headers', `line ${index + 1} is not 'Name: value'`);
      headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
  }
  for (const name of Object.keys(headers))
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name))
      throw new InputError('prometheus-headers', `'${name}' is not a valid header name`);
  return headers;
}

function eventsError(error: EventsExceedTrials, config: CanaryConfig): UserError {
  const metric = config.metrics.find((entry) => entry.name === error.metric);
  return new UserError(
    `${error.metric}: the events query counts more than the trials query (${error.events} events, ${error.trials} trials at ${error.minutes.toFixed(1)} min): they must count the same requests; events: ${metric?.events}; trials: ${metric?.trials}`,
  );
}

async function readText(file: string, input: string): Promise<string> {
  const bytes = await readInputFile(file, input);
  return bytes.toString('utf8');
}

import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type ActionIO, InputError, readInputFile, UserError, writeJsonFile } from '@mlops/kit';
import { loadYamlParser } from '@mlops/kit/yaml-source';
import type { LogFormat, RawLog, TrainingConfig } from '@mlops/training';

const FILE_FORMATS = ['csv', 'jsonl', 'trainer-state'] as const satisfies readonly LogFormat[];

/** Inputs -> the checks and the metrics history -> report file, outputs, summary, verdict. */
export async function main(io: ActionIO): Promise<void> {
  const { inputs, logger } = io;
  const workspace = inputs.workspace;
  const shown = (file: string) => path.relative(workspace, file).split(path.sep).join('/') || file;

  const configPath = inputs.requiredPath('config');
  // Loaded once the first input is read, so a run without one is refused without loading the checks.
  const [
    { detectLogFormat, parseLog, parseTrainingConfig, validateTraining },
    { renderValidateTrainingMarkdown },
  ] = await Promise.all([import('@mlops/training'), import('@mlops/report'), loadYamlParser()]);
  const config = parseTrainingConfig(await readText(configPath, 'config'), shown(configPath));

  const logPath = inputs.path('log');
  const trackingUri = inputs.optional('mlflow-tracking-uri');
  const runId = inputs.optional('run-id');
  let log: RawLog;
  let label: string;
  if (logPath !== undefined) {
    if (trackingUri !== undefined || runId !== undefined)
      throw new InputError('log', 'give either a log file or mlflow-tracking-uri with run-id, not both');
    const format = inputs.choice('format', FILE_FORMATS) ?? detectLogFormat(logPath);
    if (format === undefined || format === 'mlflow') {
      throw new InputError(
        'format',
        `cannot tell the format of '${shown(logPath)}' from its name; set format to ${FILE_FORMATS.join(', ')}`,
      );
    }
    label = shown(logPath);
    log = parseLog(await readText(logPath, 'log'), label, format);
  } else {
    if (trackingUri === undefined || runId === undefined) {
      throw new InputError(
        trackingUri === undefined ? 'log' : 'run-id',
        'is required: give a log file, or mlflow-tracking-uri and run-id',
      );
    }
    log = await readFromMlflow(io, trackingUri, runId, config);
    label = log.file;
  }
  logger.info(`validate-training: ${log.records.length} rows from ${label} (${log.format})`);

  const report = validateTraining(log, config, { label });
  const reportPath = inputs.requiredPath('report');
  await writeJsonFile(reportPath, report);
  io.setOutput('passed', report.passed);
  io.setOutput('failed-checks', report.failed_checks.join(','));
  io.setOutput('report', shown(reportPath));
  io.appendSummary(renderValidateTrainingMarkdown(report));
  logger.info(report.explanation);
  if (!report.passed) io.fail(report.explanation);
}

async function readFromMlflow(io: ActionIO, trackingUri: string, runId: string, config: TrainingConfig) {
  const [{ MlflowApiError, MlflowClient }, { readMlflowHistory }] = await Promise.all([
    import('@mlops/registry'),
    import('@mlops/training'),
  ]);
  const secret = (name: string) => {
    const value = io.inputs.optional(name);
    if (value !== undefined) io.setSecret(value);
    return value;
  };
  const token = secret('mlflow-token');
  const password = secret('mlflow-password');
  const username = io.inputs.optional('mlflow-username');
  const client = new MlflowClient({
    trackingUri,
    auth: {
      ...(token !== undefined ? { token } : {}),
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
    },
    logger: io.logger,
  });
  // MLflow's own answers (no such run, a bad parameter) are the user's to fix: one line, no stack.
  const get = async (endpoint: string, params: Record<string, string | number>) => {
    try {
      return await client.call('GET', endpoint, params);
    } catch (error) {
      if (error instanceof MlflowApiError) {
        throw new UserError(
          `MLflow at ${client.trackingUri} answered ${endpoint} for run ${runId} with ${error.status} ${error.errorCode}: ${error.detail}`,
        );
      }
      throw error;
    }
  };
  return readMlflowHistory(get, runId, config);
}

async function readText(file: string, input: string): Promise<string> {
  const bytes = await readInputFile(file, input);
  if (!file.toLowerCase().endsWith('.gz')) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw new UserError(`input '${input}': '${file}' is not gzip data (${(error as Error).message})`);
  }
}

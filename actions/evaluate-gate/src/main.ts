import path from 'node:path';
import type { BehavioralSuite, GateReport, LatencyInput } from '@mlops/gate';
import {
  applyInputOverrides,
  configError,
  emptyGateConfig,
  type GateInputOverrides,
  parseGateConfig,
} from '@mlops/gate/config';
import { type GateConfig, TASKS } from '@mlops/gate/config-types';
import { type ActionIO, type Inputs, readInputFile, resolveInputPath, writeJsonFile } from '@mlops/kit';
import { loadYamlParser } from '@mlops/kit/yaml-source';

/** Inputs -> gate config and predictions -> the engine -> report file, outputs, summary, verdict. */
export async function main(io: ActionIO): Promise<void> {
  const { inputs, logger } = io;
  const workspace = inputs.workspace;
  const shown = (file: string) => path.relative(workspace, file) || file;

  const configPath = inputs.path('config');
  let config: GateConfig = emptyGateConfig();
  if (configPath !== undefined) {
    await loadYamlParser();
    const parsed = parseGateConfig(await readText(configPath, 'config'), shown(configPath));
    config = filesBesideConfig(parsed, path.dirname(configPath));
  }
  config = applyInputOverrides(config, overrides(inputs));

  const predictionsPath = inputs.requiredPath('predictions');
  const columns = {
    label: inputs.required('label-column'),
    challenger: inputs.required('challenger-column'),
    champion: inputs.required('champion-column'),
    ...optional('weight', inputs.optional('weight-column')),
    ...optional('id', config.id_column),
  };
  const championPath = inputs.path('champion-predictions');
  // Loaded once the inputs above are read, so a mistake in them is reported without loading the engine.
  const [
    { evaluateGate, latencySamples, loadBehavioral, loadPredictions },
    { readTable },
    { renderGateMarkdown },
  ] = await Promise.all([import('@mlops/gate'), import('@mlops/data'), import('@mlops/report')]);
  const table = await readTable(predictionsPath);
  const predictions = loadPredictions(table, {
    file: shown(predictionsPath),
    columns,
    ...optional('task', config.task),
    ...optional('positiveLabel', config.positive_label),
    groupColumns: [
      ...config.slices.map((slice, index) => ({
        column: slice.column,
        key: 'slice',
        ...optional('where', config.locations?.[`slices[${index}].column`]),
      })),
      ...config.fairness.map((entry, index) => ({
        column: entry.column,
        key: 'fairness',
        ...optional('where', config.locations?.[`fairness[${index}].column`]),
      })),
    ],
    ...(championPath
      ? { championTable: { ...(await readTable(championPath)), file: shown(championPath) } }
      : {}),
  });
  logger.info(
    `evaluate-gate: ${predictions.n} rows, task ${predictions.task}, ${predictions.champion ? 'challenger vs champion' : 'no champion (absolute gates only)'}`,
  );

  let latency: LatencyInput | undefined;
  if (config.latency) {
    if (config.latency.file === '') {
      throw configError(
        config,
        'latency',
        "needs 'file' (the CSV / Parquet / JSON Lines of timed requests): set latency.file or the 'latency' input",
      );
    }
    const file = resolveInputPath(workspace, config.latency.file, 'latency');
    const samples = latencySamples(await readTable(file), config.latency, shown(file));
    latency = { file: shown(file), samples };
  }

  let behavioral: BehavioralSuite | undefined;
  if (config.behavioral) {
    const file = resolveInputPath(workspace, config.behavioral.file, 'behavioral');
    behavioral = loadBehavioral(await readTable(file), {
      file: shown(file),
      columns: { challenger: columns.challenger, champion: columns.champion },
      task: predictions.task,
      ...optional('classes', predictions.classes),
    });
  }

  const report = evaluateGate(predictions, config, {
    predictionsFile: shown(predictionsPath),
    ...(latency ? { latency } : {}),
    ...(behavioral ? { behavioral } : {}),
  });
  for (const warning of report.warnings) logger.warning(warning);

  const reportPath = inputs.requiredPath('report');
  await writeJsonFile(reportPath, report);
  setOutputs(io, report, shown(reportPath));
  io.appendSummary(renderGateMarkdown(report));
  logger.info(report.explanation);
  if (!report.passed) io.fail(report.explanation);
}

function overrides(inputs: Inputs): GateInputOverrides {
  const result: GateInputOverrides = {};
  const task = inputs.choice('task', TASKS);
  if (task !== undefined) result.task = task;
  const metric = inputs.optional('metric');
  if (metric !== undefined) result.metric = metric;
  const min = inputs.number('min');
  if (min !== undefined) result.min = min;
  const maxRegression = inputs.number('max-regression', { min: 0 });
  if (maxRegression !== undefined) result.maxRegression = maxRegression;
  if (inputs.optional('require-improvement') !== undefined)
    result.requireImprovement = inputs.boolean('require-improvement');
  const confidence = inputs.number('confidence', { min: 0.5, max: 0.9999 });
  if (confidence !== undefined) result.confidence = confidence;
  const threshold = inputs.number('threshold', { min: 0, max: 1 });
  if (threshold !== undefined) result.threshold = threshold;
  const idColumn = inputs.optional('id-column');
  if (idColumn !== undefined) result.idColumn = idColumn;
  const latency = inputs.optional('latency');
  if (latency !== undefined) result.latencyFile = latency;
  return result;
}

function setOutputs(io: ActionIO, report: GateReport, reportPath: string): void {
  const primary = report.settings.primary_metric;
  const value = (number: number | null | undefined) =>
    number === null || number === undefined ? '' : String(number);
  io.setOutput('passed', report.passed);
  io.setOutput('decision', report.decision);
  io.setOutput('report', reportPath);
  io.setOutput('challenger', value(report.models.challenger.metrics[primary]));
  io.setOutput('champion', value(report.models.champion?.metrics[primary]));
  io.setOutput('difference', value(report.comparison?.difference));
  io.setOutput('ci-lower', value(report.comparison?.ci[0]));
  io.setOutput('ci-upper', value(report.comparison?.ci[1]));
  io.setOutput('p-value', value(report.comparison?.p_value));
}

async function readText(file: string, input: string): Promise<string> {
  const bytes = await readInputFile(file, input);
  return bytes.toString('utf8');
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * A file the gate file names (latency.file, behavioral.file) is relative to the gate file's folder, as the
 * files a tsconfig or a GX checkpoint names are: examples/gate.yml names data/behavior.csv and means
 * examples/data/behavior.csv from any workspace. A path given as an input stays relative to the workspace.
 */
function filesBesideConfig(config: GateConfig, folder: string): GateConfig {
  const beside = (file: string) => (file === '' ? file : path.resolve(folder, file));
  return {
    ...config,
    ...(config.latency ? { latency: { ...config.latency, file: beside(config.latency.file) } } : {}),
    ...(config.behavioral
      ? { behavioral: { ...config.behavioral, file: beside(config.behavioral.file) } }
      : {}),
  };
}

// The one module that talks to the GitHub runner: workflow commands and file commands (workflow-commands.ts).

import { appendFile } from 'node:fs/promises';
import { type ActionMain, environmentFrom, runWithHost } from './context.ts';
import { Inputs } from './inputs.ts';
import { escapeLogValue, type Logger, verbatimBlock } from './logger.ts';
import { annotationProperties, runnerCommands as runner } from './workflow-commands.ts';

// debug / warning / error are workflow commands, whose data is escaped there; an info line is written as it
// is, so it is escaped here.
const runnerLogger: Logger = {
  debug: (message) => runner.command('debug', {}, message),
  info: (message) => runner.line(escapeLogValue(message)),
  warning: (message, properties) => runner.command('warning', annotationProperties(properties), message),
  error: (message, properties) => runner.command('error', annotationProperties(properties), message),
};

/** Entry point of every bundled action: `await runAction('validate-data', main)`. */
export async function runAction(action: string, main: ActionMain): Promise<void> {
  const env = environmentFrom(process.env, process.cwd());
  const exitCode = await runWithHost(action, main, {
    io: {
      // The runner upper-cases input names and keeps dashes: INPUT_DRIFT-REPORT.
      inputs: new Inputs(
        (name) => process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`],
        env.workspace,
      ),
      logger: runnerLogger,
      env,
      setSecret: (value) => runner.command('add-mask', {}, value),
    },
    async writeOutputs(outputs) {
      for (const [name, value] of outputs) runner.setOutput(name, value);
    },
    async writeSummary(markdown) {
      const file = process.env.GITHUB_STEP_SUMMARY;
      if (file) await appendFile(file, `${markdown}\n`);
      else runner.line(verbatimBlock(markdown));
    },
    setFailed: (message) => {
      process.exitCode = 1;
      runner.command('error', {}, message);
    },
    reportBug: (detail) => runner.line(verbatimBlock(detail)),
  });
  process.exitCode = exitCode;
}

// The one module that talks to the GitHub runner, through @actions/core.

import { appendFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { type ActionMain, environmentFrom, runWithHost } from './context.ts';
import { Inputs } from './inputs.ts';
import { escapeLogValue, type Logger, verbatimBlock } from './logger.ts';

// core.debug / warning / error are workflow commands whose data core escapes; core.info writes the line as it
// is, so it is escaped here.
const runnerLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(escapeLogValue(message)),
  warning: (message, properties) => core.warning(message, properties),
  error: (message, properties) => core.error(message, properties),
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
      setSecret: (value) => core.setSecret(value),
    },
    async writeOutputs(outputs) {
      for (const [name, value] of outputs) core.setOutput(name, value);
    },
    async writeSummary(markdown) {
      const file = process.env.GITHUB_STEP_SUMMARY;
      if (file) await appendFile(file, `${markdown}\n`);
      else core.info(verbatimBlock(markdown));
    },
    setFailed: (message) => core.setFailed(message),
    reportBug: (detail) => core.info(verbatimBlock(detail)),
  });
  process.exitCode = exitCode;
}

// `mlops <action> --<input> value ...`: the same mains outside GitHub (GitLab CI, Jenkins, a laptop).
import { appendFile } from 'node:fs/promises';
import { inputDefaults, loadActionMetadata } from './action-metadata.ts';
import { type ActionMain, environmentFrom, runWithHost } from './context.ts';
import { didYouMean } from './errors.ts';
import { Inputs } from './inputs.ts';
import { escapeLogValue, type Logger, verbatimBlock } from './logger.ts';
import { writeOutputFile } from './output-files.ts';

const CLI_FLAGS = ['summary-file', 'outputs-file'] as const;

export interface CliStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processStreams: CliStreams = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Returns the exit code. `repoRoot` is where `actions/<name>/action.yml` live. */
export async function runCli(
  argv: readonly string[],
  mains: Readonly<Record<string, ActionMain>>,
  repoRoot: string,
  streams: CliStreams = processStreams,
): Promise<number> {
  const [action, ...rest] = argv;
  const names = Object.keys(mains);
  if (action === undefined || action === '--help' || action === '-h') {
    streams.stdout(usage(names));
    return action === undefined ? 1 : 0;
  }
  const main = mains[action];
  if (main === undefined) {
    streams.stderr(`mlops: unknown action '${action}'${didYouMean(action, names)}\n${usage(names)}`);
    return 1;
  }
  const metadata = loadActionMetadata(repoRoot, action);
  const declared = Object.keys(metadata.inputs);
  const given: Record<string, string> = {};
  const cliOptions: Record<string, string> = {};
  for (let index = 0; index < rest.length; index++) {
    const argument = rest[index]!;
    if (argument === '--help' || argument === '-h') {
      streams.stdout(actionUsage(action, metadata.inputs));
      return 0;
    }
    if (!argument.startsWith('--')) {
      streams.stderr(
        `mlops ${action}: unexpected argument '${argument}' (inputs are given as --name value)\n`,
      );
      return 1;
    }
    const equals = argument.indexOf('=');
    const name = argument.slice(2, equals === -1 ? undefined : equals);
    let value: string;
    if (equals !== -1) value = argument.slice(equals + 1);
    else if (rest[index + 1] !== undefined && !rest[index + 1]!.startsWith('--')) value = rest[++index]!;
    else value = 'true';
    if ((CLI_FLAGS as readonly string[]).includes(name)) cliOptions[name] = value;
    else if (declared.includes(name)) given[name] = value;
    else {
      streams.stderr(
        `mlops ${action}: unknown input '--${name}'${didYouMean(name, [...declared, ...CLI_FLAGS])}\n`,
      );
      return 1;
    }
  }
  const values = { ...inputDefaults(metadata, process.env), ...given };
  const env = environmentFrom(process.env, process.cwd());
  const secrets: string[] = [];
  const hide = (text: string) => secrets.reduce((masked, secret) => masked.split(secret).join('***'), text);
  // A CLI run inside a GitHub `run:` step has its stderr read for workflow commands too: one escaped line each.
  const mask = (text: string) => escapeLogValue(hide(text));
  const logger: Logger = {
    debug: (message) => {
      if (process.env.RUNNER_DEBUG === '1') streams.stderr(`debug: ${mask(message)}\n`);
    },
    info: (message) => streams.stderr(`${mask(message)}\n`),
    warning: (message) => streams.stderr(`warning: ${mask(message)}\n`),
    error: (message) => streams.stderr(`error: ${mask(message)}\n`),
  };
  return runWithHost(action, main, {
    io: {
      inputs: new Inputs((name) => values[name], env.workspace),
      logger,
      env,
      setSecret: (value) => {
        if (value !== '') secrets.push(value);
      },
    },
    async writeOutputs(outputs) {
      const lines = [...outputs].map(
        ([name, value]) => `${name}=${/[\r\n]/.test(value) ? JSON.stringify(value) : value}\n`,
      );
      streams.stdout(lines.join(''));
      if (cliOptions['outputs-file'])
        await writeOutputFile(
          cliOptions['outputs-file'],
          JSON.stringify(Object.fromEntries(outputs), null, 2),
        );
    },
    async writeSummary(markdown) {
      if (cliOptions['summary-file']) await appendFile(cliOptions['summary-file'], `${markdown}\n`);
    },
    setFailed: (message) => streams.stderr(`error: ${mask(message)}\n`),
    reportBug: (detail) => streams.stderr(`${verbatimBlock(hide(detail))}\n`),
  });
}

function usage(names: readonly string[]): string {
  return `usage: mlops <action> [--<input> <value> ...] [--summary-file FILE] [--outputs-file FILE]\n\nactions:\n${names.map((name) => `  ${name}`).join('\n')}\n\nInputs are the ones in actions/<action>/action.yml; \`mlops <action> --help\` lists them.\n`;
}

function actionUsage(
  action: string,
  inputs: Record<string, { description: string; default?: string; required?: boolean }>,
): string {
  const lines = Object.entries(inputs).map(([name, input]) => {
    const note = input.required
      ? ' (required)'
      : input.default !== undefined && input.default !== ''
        ? ` (default: ${input.default})`
        : '';
    return `  --${name}${note}\n      ${input.description.trim().split('\n')[0]}`;
  });
  return `usage: mlops ${action} [options]\n\n${lines.join('\n')}\n`;
}

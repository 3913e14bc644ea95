import { isUserError } from './errors.ts';
import type { Inputs } from './inputs.ts';
import type { Logger } from './logger.ts';

/** What the runner tells an action about where it runs (from GITHUB_* / RUNNER_* variables). */
export interface RuntimeEnvironment {
  workspace: string;
  tempDir: string;
  eventName?: string;
  eventPath?: string;
  apiUrl: string;
  serverUrl: string;
  /** owner/name */
  repository?: string;
  sha?: string;
  ref?: string;
  actor?: string;
  workflow?: string;
  runId?: string;
  runAttempt?: string;
  job?: string;
  /** RUNNER_OS: Linux, Windows or macOS. */
  runnerOs?: string;
}

/** Everything an action's main function may touch. Built by the GitHub runner adapter or by the CLI. */
export interface ActionIO {
  readonly inputs: Inputs;
  readonly logger: Logger;
  readonly env: RuntimeEnvironment;
  /** Buffered; written only when the action ends without an error, so a failed input leaves no outputs. */
  setOutput(name: string, value: string | number | boolean): void;
  /** Markdown appended to the job summary (flushed at the end, capped below the runner's 1 MiB). */
  appendSummary(markdown: string): void;
  /** Mask a value in every log line from now on (tokens, passwords). */
  setSecret(value: string): void;
  /**
   * The action ran correctly and its verdict is "fail" (a gate rejected, checks failed): outputs and the
   * summary are still written, then the step fails with this message.
   */
  fail(message: string): void;
}

export type ActionMain = (io: ActionIO) => Promise<void>;

/** The effectful side the orchestration below needs: the runner's or the CLI's. */
export interface ActionHost {
  io: Omit<ActionIO, 'setOutput' | 'appendSummary' | 'fail'>;
  writeOutputs(outputs: ReadonlyMap<string, string>): Promise<void>;
  writeSummary(markdown: string): Promise<void>;
  /** Fail the step with exactly one error line. */
  setFailed(message: string): void;
  /** Detail for our own bugs (stack traces); never used for user errors. */
  reportBug(detail: string): void;
}

/** The runner rejects step summaries over 1 MiB; stay clear of it and say where the rest is. */
export const SUMMARY_LIMIT_BYTES = 1_000_000;

/**
 * Runs an action's main with buffered outputs and one top-level error handler:
 * user errors -> "<action>: <message>" and exit 1, no stack; bugs -> "<action>: internal error" plus the
 * stack for the bug report. Returns the exit code it set.
 */
export async function runWithHost(action: string, main: ActionMain, host: ActionHost): Promise<number> {
  const outputs = new Map<string, string>();
  const summary: string[] = [];
  let verdictFailure: string | undefined;
  const io: ActionIO = {
    ...host.io,
    setOutput(name, value) {
      outputs.set(name, String(value));
    },
    appendSummary(markdown) {
      summary.push(markdown);
    },
    fail(message) {
      verdictFailure = message;
    },
  };
  try {
    await main(io);
  } catch (error) {
    if (isUserError(error)) {
      host.setFailed(`${action}: ${error.message}`);
    } else {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      host.reportBug(detail);
      const message = error instanceof Error ? error.message : String(error);
      host.setFailed(`${action}: internal error (please report it with the log above): ${message}`);
    }
    return 1;
  }
  await host.writeOutputs(outputs);
  if (summary.length > 0) await host.writeSummary(capSummary(summary.join('\n')));
  if (verdictFailure !== undefined) {
    host.setFailed(`${action}: ${verdictFailure}`);
    return 1;
  }
  return 0;
}

function capSummary(markdown: string): string {
  if (Buffer.byteLength(markdown) <= SUMMARY_LIMIT_BYTES) return markdown;
  const note = '\n\n_Summary truncated to fit the runner limit; the JSON report has everything._\n';
  let cut = markdown.slice(0, SUMMARY_LIMIT_BYTES - note.length);
  while (Buffer.byteLength(cut) > SUMMARY_LIMIT_BYTES - note.length) cut = cut.slice(0, -1024);
  return cut + note;
}

/**
 * A secret input (a token, a password), masked before anything can log it. Token inputs default to
 * `${{ github.token }}` in action.yml; both hosts evaluate that default (the CLI from GITHUB_TOKEN / GH_TOKEN),
 * so this is the one place a token is read.
 */
export function secretInput(io: Pick<ActionIO, 'inputs' | 'setSecret'>, name: string): string | undefined {
  const value = io.inputs.optional(name);
  if (value !== undefined) io.setSecret(value);
  return value;
}

/** The web page of this workflow run, when the runner says which run this is. */
export function runUrl(env: RuntimeEnvironment): string | undefined {
  return env.repository && env.runId
    ? `${env.serverUrl}/${env.repository}/actions/runs/${env.runId}`
    : undefined;
}

/** Reads the runner's environment variables into a RuntimeEnvironment. */
export function environmentFrom(env: NodeJS.ProcessEnv, cwd: string): RuntimeEnvironment {
  const optional = (key: string) => (env[key] === undefined || env[key] === '' ? undefined : env[key]);
  const result: RuntimeEnvironment = {
    workspace: optional('GITHUB_WORKSPACE') ?? cwd,
    tempDir: optional('RUNNER_TEMP') ?? `${optional('GITHUB_WORKSPACE') ?? cwd}/.tmp`,
    apiUrl: optional('GITHUB_API_URL') ?? 'https://api.github.com',
    serverUrl: optional('GITHUB_SERVER_URL') ?? 'https://github.com',
  };
  const fields: [keyof RuntimeEnvironment, string][] = [
    ['eventName', 'GITHUB_EVENT_NAME'],
    ['eventPath', 'GITHUB_EVENT_PATH'],
    ['repository', 'GITHUB_REPOSITORY'],
    ['sha', 'GITHUB_SHA'],
    ['ref', 'GITHUB_REF'],
    ['actor', 'GITHUB_ACTOR'],
    ['workflow', 'GITHUB_WORKFLOW'],
    ['runId', 'GITHUB_RUN_ID'],
    ['runAttempt', 'GITHUB_RUN_ATTEMPT'],
    ['job', 'GITHUB_JOB'],
    ['runnerOs', 'RUNNER_OS'],
  ];
  for (const [field, key] of fields) {
    const value = optional(key);
    if (value !== undefined) (result as unknown as Record<string, string>)[field] = value;
  }
  return result;
}

// Runs a committed bundle the way GitHub's runner does: `node dist/<action>/index.cjs` in a child process,
// inputs as INPUT_<NAME> (upper-cased, dashes kept, defaults from action.yml filled in), and the file
// commands (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) read back after it exits.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputDefaults, loadActionMetadata } from '@mlops/kit/action-metadata';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The bundles to run: the committed dist/, or MLOPS_DIST when set (a private build, e.g.
 * `node scripts/build.mjs --outdir /tmp/my-dist`, so that parallel work does not rebuild the shared dist/).
 */
export const distDir = process.env.MLOPS_DIST
  ? path.resolve(process.env.MLOPS_DIST)
  : path.join(repoRoot, 'dist');

export interface RunOptions {
  inputs?: Record<string, string | number | boolean>;
  /** Workspace directory (GITHUB_WORKSPACE and cwd); a fresh temporary one by default. */
  workspace?: string;
  /** The webhook payload written to GITHUB_EVENT_PATH. */
  event?: unknown;
  eventName?: string;
  /** Extra environment (GITHUB_API_URL of an emulator, GITHUB_REPOSITORY, ...). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface RunResult {
  exitCode: number | null;
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  /** Messages of `::error ...::` lines, unescaped. */
  errors: string[];
  warnings: string[];
  workspace: string;
  durationMs: number;
}

export function makeWorkspace(prefix = 'mlops-ws-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export async function runBundledAction(action: string, options: RunOptions = {}): Promise<RunResult> {
  const workspace = options.workspace ?? makeWorkspace();
  const runnerDir = mkdtempSync(path.join(tmpdir(), 'mlops-runner-'));
  const outputFile = path.join(runnerDir, `set_output_${randomUUID()}`);
  const summaryFile = path.join(runnerDir, `step_summary_${randomUUID()}`);
  const eventFile = path.join(runnerDir, 'event.json');
  const runnerTemp = path.join(runnerDir, 'temp');
  mkdirSync(runnerTemp);
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  writeFileSync(eventFile, JSON.stringify(options.event ?? {}));

  const metadata = loadActionMetadata(repoRoot, action);
  // The runner evaluates `${{ github.token }}` before passing defaults; the env token stands in for it.
  const inputs: Record<string, string> = inputDefaults(metadata, { GITHUB_TOKEN: options.env?.GITHUB_TOKEN });
  for (const [name, value] of Object.entries(options.inputs ?? {})) inputs[name] = String(value);

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? runnerDir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9', // nothing listens: a test that forgot its emulator fails fast
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'test',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'test',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;

  const started = Date.now();
  const {
    status: exitCode,
    stdout,
    stderr,
  } = await runProcess(process.execPath, [path.join(distDir, action, 'index.cjs')], {
    cwd: workspace,
    env,
    timeoutMs: options.timeoutMs ?? 60_000,
  });

  return {
    exitCode,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    stdout,
    stderr,
    errors: commandMessages(stdout, 'error'),
    warnings: commandMessages(stdout, 'warning'),
    workspace,
    durationMs: Date.now() - started,
  };
}

/** The variable the runner passes an input in: INPUT_<NAME>, upper-cased, spaces as underscores, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Runs a process to completion with captured output, killed after `timeoutMs` (a hung step fails the test). */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Parses the runner's file-command format: `name=value` lines and `name<<DELIMITER ... DELIMITER` blocks. */
export function parseOutputFile(content: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = content.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      index++;
      while (index < lines.length && lines[index] !== delimiter) body.push(lines[index++]!);
      if (index >= lines.length) throw new Error(`unterminated heredoc for output '${name}'`);
      outputs[name!] = body.join('\n');
      continue;
    }
    const equals = line.indexOf('=');
    if (equals === -1) throw new Error(`malformed output line '${line}'`);
    outputs[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return outputs;
}

/** Messages of workflow commands such as `::error file=a,line=1::message`, unescaped as the runner does. */
export function commandMessages(stdout: string, command: 'error' | 'warning' | 'notice'): string[] {
  const pattern = new RegExp(`^::${command}(?: [^:]*)?::(.*)$`, 'gm');
  return [...stdout.matchAll(pattern)].map((match) =>
    match[1]!.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'),
  );
}

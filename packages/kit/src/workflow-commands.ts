// The runner's side of an action's process, written directly: workflow commands on stdout (`::error ...::`,
// `::add-mask::`, `::debug::`) and the GITHUB_OUTPUT file command, in exactly the format @actions/core writes
// (toolkit packages/core: command.ts, file-command.ts). Importing @actions/core instead loads its HTTP client
// and undici at every start of every action (about a third of a bundle's start-up, bench/startup.md) for
// the few lines below. The delimiter's random part comes from the Web Crypto global for the same reason:
// importing node:crypto loads its modules at every start.
import { appendFileSync, existsSync, writeSync } from 'node:fs';
import type { AnnotationProperties } from './logger.ts';

// os.EOL, without loading node:os at every start for one constant.
const EOL = process.platform === 'win32' ? '\r\n' : '\n';

/** Command data: `%`, CR and LF escaped, as the runner unescapes them. */
export function escapeCommandData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command property value: the data escaping plus `:` and `,`, which separate properties. */
export function escapeCommandProperty(value: string): string {
  return escapeCommandData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::name key=value,key=value::message`; empty properties are left out, as @actions/core does. */
export function workflowCommand(
  name: string,
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const pairs = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '' && value !== 0)
    .map(([key, value]) => `${key}=${escapeCommandProperty(String(value))}`);
  return `::${name}${pairs.length > 0 ? ` ${pairs.join(',')}` : ''}::${escapeCommandData(message)}`;
}

/** An annotation's properties under the runner's names (startLine -> line). */
export function annotationProperties(
  properties: AnnotationProperties = {},
): Record<string, string | number | undefined> {
  return { title: properties.title, file: properties.file, line: properties.startLine };
}

/**
 * One output as a GITHUB_OUTPUT entry: `name<<DELIMITER`, the value, `DELIMITER`, with a random delimiter that
 * neither the name nor the value may contain (a value cannot end the entry early and set another output).
 */
export function outputFileEntry(
  name: string,
  value: string,
  delimiter = `ghadelimiter_${globalThis.crypto.randomUUID()}`,
): string {
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`output '${name}': the value contains the file-command delimiter`);
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

// Set once a write to the descriptor has failed. Kept on the global object, not in this module: an action's
// start file bundles its own copy of kit (scripts/build.mjs), and whichever copy writes next must know.
const STDOUT_STREAM = Symbol.for('mlops.stdout-stream');
const processWide = globalThis as { [STDOUT_STREAM]?: boolean };

/**
 * Writes to the step's log (stdout) with a blocking write to the descriptor while it takes one: creating
 * `process.stdout` on a pipe, which is how the runner reads a step's log, loads Node's net and stream modules,
 * a noticeable share of a start that ends at its first error line (bench/startup.md). A descriptor left
 * non-blocking (by an earlier node on the same pipe, a composite action's previous step) answers EAGAIN when
 * the pipe is full: from the first failed write on, what is left and everything after goes through
 * process.stdout, which queues it, so lines keep their order.
 */
export function writeStdout(text: string): void {
  if (!processWide[STDOUT_STREAM]) {
    const bytes = Buffer.from(text);
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(1, bytes, written);
      return;
    } catch {
      processWide[STDOUT_STREAM] = true;
      process.stdout.write(bytes.subarray(written));
      return;
    }
  }
  process.stdout.write(text);
}

/** Writes the commands to stdout and outputs to GITHUB_OUTPUT, as the runner expects them. */
export const runnerCommands = {
  write: writeStdout,
  line(text: string) {
    this.write(`${text}${EOL}`);
  },
  command(name: string, properties: Record<string, string | number | undefined>, message: string) {
    this.line(workflowCommand(name, properties, message));
  },
  setOutput(name: string, value: string, file = process.env.GITHUB_OUTPUT) {
    if (file) {
      if (!existsSync(file)) throw new Error(`the GITHUB_OUTPUT file ${file} does not exist`);
      appendFileSync(file, outputFileEntry(name, value), 'utf8');
      return;
    }
    // An old runner without the file command.
    this.write(EOL);
    this.command('set-output', { name }, value);
  },
};

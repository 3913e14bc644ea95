import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { UserError } from './errors.ts';

/** Why a file the user named could not be read. */
export type FileProblem = 'missing' | 'directory' | 'special' | 'unreadable';

/**
 * Reads a file the user named (an input, a config, a report). Every failure is a UserError in the caller's
 * words, `describe(problem, reason)`: a missing file, a directory or a permission problem is the user's to
 * fix, never an internal error with a stack. Only a regular file is read, after following links: a FIFO
 * would block the step until its timeout and /dev/stdin is nothing a workflow means.
 */
export async function readUserFile(
  file: string,
  describe: (problem: FileProblem, reason: string) => string,
): Promise<Buffer> {
  try {
    await requireRegularFile(file);
    // The check and the open are not atomic; O_NONBLOCK keeps a FIFO swapped in between from blocking open().
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof NotRegularFile) throw new UserError(describe('special', error.message));
    const code = (error as NodeJS.ErrnoException).code;
    const problem: FileProblem =
      code === 'ENOENT' ? 'missing' : code === 'EISDIR' ? 'directory' : 'unreadable';
    throw new UserError(describe(problem, (error as Error).message));
  }
}

/**
 * The file an input names, refused in that input's words: `input 'config': file 'gate.yml' does not exist`.
 * The one wording every adapter uses for its input files.
 */
export function readInputFile(file: string, input: string): Promise<Buffer> {
  return readUserFile(file, (problem, reason) =>
    problem === 'missing'
      ? `input '${input}': file '${file}' does not exist`
      : problem === 'directory'
        ? `input '${input}': '${file}' is a directory, not a file`
        : `input '${input}': cannot read '${file}' (${reason})`,
  );
}

class NotRegularFile extends Error {}

/**
 * Throws unless `file`, after following links, is a regular file (directories are reported as EISDIR, as
 * reading one would). Used before anything opens a user's file.
 */
export async function requireRegularFile(file: string): Promise<void> {
  const real = await realpath(file);
  const info = await stat(real);
  if (info.isFile()) return;
  if (info.isDirectory()) {
    const error = new Error(
      `EISDIR: illegal operation on a directory, read '${file}'`,
    ) as NodeJS.ErrnoException;
    error.code = 'EISDIR';
    throw error;
  }
  const kind = info.isFIFO()
    ? 'a named pipe (FIFO)'
    : info.isCharacterDevice() || info.isBlockDevice()
      ? 'a device'
      : info.isSocket()
        ? 'a socket'
        : 'not a file';
  throw new NotRegularFile(
    `not a regular file: ${real === file ? 'it' : `it leads to ${real}, which`} is ${kind}`,
  );
}

/**
 * JSON.parse for a user's file. V8's message quotes the text around the error, which may be a secret (a
 * token file linked in place of a report): the error names the file, line and column instead.
 */
export function parseJsonText(text: string, shownAs: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const offset = jsonErrorOffset(text);
    const { line, column } = lineAndColumn(text, offset);
    const what = offset >= text.length ? 'the text ends early' : 'unexpected character';
    throw new UserError(`${shownAs} line ${line}, column ${column}: not valid JSON (${what})`);
  }
}

/**
 * The yaml library's error as "line L, column C: reason", without the excerpt of the file its message
 * carries (the excerpt may hold a secret).
 */
export function yamlErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.split(/ at line \d+, column \d+/)[0]!.split('\n')[0]!;
  const position = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
  return position ? `line ${position.line}, column ${position.col}: ${reason}` : reason;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.min(offset, text.length);
  for (let index = 0; index < end; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      start = index + 1;
    }
  }
  return { line, column: end - start + 1 };
}

/** Where JSON.parse gave up: the offset of the first character that cannot continue a JSON text. */
export function jsonErrorOffset(text: string): number {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const literal = (word: string) => {
    for (const character of word) {
      if (text[at] !== character) fail();
      at++;
    }
  };
  const string = () => {
    at++; // opening quote
    while (at < text.length && text[at] !== '"') {
      const code = text.charCodeAt(at);
      if (code < 0x20) fail();
      if (text[at] === '\\') {
        at++;
        if (text[at] === 'u') {
          for (let digit = 0; digit < 4; digit++) {
            at++;
            if (!/[0-9a-fA-F]/.test(text[at] ?? '')) fail();
          }
        } else if (at >= text.length || !'"\\/bfnrt'.includes(text[at]!)) fail();
      }
      at++;
    }
    if (at >= text.length) fail();
    at++;
  };
  const digits = () => {
    if (!isDigit(text[at])) fail();
    while (isDigit(text[at])) at++;
  };
  const number = () => {
    if (text[at] === '-') at++;
    if (text[at] === '0') at++;
    else digits();
    if (text[at] === '.') {
      at++;
      digits();
    }
    if (text[at] === 'e' || text[at] === 'E') {
      at++;
      if (text[at] === '+' || text[at] === '-') at++;
      digits();
    }
  };
  const members = (close: string, member: () => void) => {
    at++;
    space();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      member();
      space();
      if (text[at] === close) break;
      if (text[at] !== ',') fail();
      at++;
    }
    at++;
  };
  const value = (): void => {
    space();
    const character = text[at];
    if (character === '{') {
      members('}', () => {
        space();
        if (text[at] !== '"') fail();
        string();
        space();
        if (text[at] !== ':') fail();
        at++;
        value();
      });
    } else if (character === '[') members(']', value);
    else if (character === '"') string();
    else if (character === 't') literal('true');
    else if (character === 'f') literal('false');
    else if (character === 'n') literal('null');
    else if (character === '-' || isDigit(character)) number();
    else fail();
  };
  try {
    value();
    space();
    return at < text.length ? at : text.length;
  } catch (offset) {
    return offset as number;
  }
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}

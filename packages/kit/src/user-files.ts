import { readFile } from 'node:fs/promises';
import { UserError } from './errors.ts';

/** Why a file the user named could not be read. */
export type FileProblem = 'missing' | 'directory' | 'unreadable';

/**
 * Reads a file the user named (an input, a config, a report). Every failure is a UserError in the caller's
 * words, `describe(problem, reason)`: a missing file, a directory or a permission problem is the user's to
 * fix, never an internal error with a stack.
 */
export async function readUserFile(
  file: string,
  describe: (problem: FileProblem, reason: string) => string,
): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem: FileProblem =
      code === 'ENOENT' ? 'missing' : code === 'EISDIR' ? 'directory' : 'unreadable';
    throw new UserError(describe(problem, (error as Error).message));
  }
}

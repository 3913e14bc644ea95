import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from './errors.ts';
import { readUserFile } from './user-files.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'mlops-kit-files-'));
const describeProblem = (problem: string) => `the file is ${problem}`;

describe('readUserFile', () => {
  it('reads the bytes of a file', async () => {
    const file = path.join(dir, 'a.txt');
    writeFileSync(file, 'hello');
    expect((await readUserFile(file, describeProblem)).toString('utf8')).toBe('hello');
  });

  it("names a missing file and a directory as the user's mistakes, in the caller's words", async () => {
    await expect(readUserFile(path.join(dir, 'nope'), describeProblem)).rejects.toThrow(
      new UserError('the file is missing'),
    );
    const error = await readUserFile(dir, describeProblem).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('the file is directory');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { UserError } from './errors.ts';
import { jsonErrorOffset, parseJsonText, readUserFile, yamlErrorText } from './user-files.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'mlops-kit-files-'));
const describeProblem = (problem: string, reason: string) => `the file is ${problem}: ${reason}`;

describe('readUserFile', () => {
  it('reads the bytes of a file, also through a link', async () => {
    const file = path.join(dir, 'a.txt');
    writeFileSync(file, 'hello');
    symlinkSync(file, path.join(dir, 'link.txt'));
    expect((await readUserFile(file, describeProblem)).toString('utf8')).toBe('hello');
    expect((await readUserFile(path.join(dir, 'link.txt'), describeProblem)).toString('utf8')).toBe('hello');
  });

  it("names a missing file and a directory as the user's mistakes, in the caller's words", async () => {
    await expect(readUserFile(path.join(dir, 'nope'), (problem) => problem)).rejects.toThrow(
      new UserError('missing'),
    );
    const error = await readUserFile(dir, (problem) => problem).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('directory');
  });

  it('refuses a FIFO at once instead of blocking, and a link to /dev/stdin without a stack', async () => {
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    await expect(readUserFile(fifo, describeProblem)).rejects.toThrow(
      'the file is special: not a regular file: it is a named pipe (FIFO)',
    );
    expect(Date.now() - started).toBeLessThan(2000);
    const stdin = path.join(dir, 'stdin.json');
    symlinkSync('/dev/stdin', stdin);
    const error = await readUserFile(stdin, describeProblem).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^the file is (special: not a regular file|missing)/);
  });
});

describe('parseJsonText', () => {
  it('names the file, line and column and never quotes the text', () => {
    expect(() => parseJsonText('ghp_abcdefghijklmnop1234567890', 'drift.json')).toThrow(
      new UserError('drift.json line 1, column 1: not valid JSON (unexpected character)'),
    );
    expect(() => parseJsonText('{\n  "a": 1,\n  "token": ghp_secret\n}', 'r.json')).toThrow(
      new UserError('r.json line 3, column 12: not valid JSON (unexpected character)'),
    );
    expect(() => parseJsonText('{"a": [1, 2', 'r.json')).toThrow(
      'line 1, column 12: not valid JSON (the text ends early)',
    );
    expect(parseJsonText('{"a": [1, 2]}', 'r.json')).toEqual({ a: [1, 2] });
  });

  it('finds the offset V8 reports, where V8 reports one', () => {
    const texts = fc.sample(
      fc
        .tuple(fc.json(), fc.nat(), fc.constantFrom('}', ']', ',', 'x', '"', ':', ' ', '\\'))
        .map(([json, at, junk]) => {
          const cut = at % (json.length + 1);
          return json.slice(0, cut) + junk + json.slice(cut);
        }),
      { numRuns: 2000, seed: 7 },
    );
    let compared = 0;
    for (const text of texts) {
      let message: string | undefined;
      try {
        JSON.parse(text);
      } catch (error) {
        message = (error as Error).message;
      }
      if (message === undefined) continue;
      const position = /at position (\d+)/.exec(message);
      if (position) {
        compared++;
        expect(jsonErrorOffset(text), text).toBe(Number(position[1]));
      } else if (/Unexpected end/.test(message)) expect(jsonErrorOffset(text), text).toBe(text.length);
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('yamlErrorText', () => {
  it("keeps the reason and position, drops the library's excerpt of the file", () => {
    let error: unknown;
    try {
      parseYaml('a: 1\nb: [unclosed\npassword: hunter2\n');
    } catch (caught) {
      error = caught;
    }
    const text = yamlErrorText(error);
    expect(text).toMatch(/^line 3, column 1: Flow sequence in block collection/);
    expect(text).not.toContain('hunter2');
  });
});

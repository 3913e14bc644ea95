import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli-runner.ts';
import { escapeLogValue, verbatimBlock } from './logger.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('escapeLogValue', () => {
  it('escapes % CR LF as the runner reads command data, and defuses a leading command', () => {
    expect(escapeLogValue('main\n::error::pwned')).toBe('main%0A::error::pwned');
    expect(escapeLogValue('a\r\nb 100%')).toBe('a%0D%0Ab 100%25');
    expect(escapeLogValue('::set-output name=x::y')).toBe('%3A:set-output name=x::y');
    expect(escapeLogValue('  ##[error]x')).toBe('  %23#[error]x');
    expect(escapeLogValue('plain line')).toBe('plain line');
  });

  it('verbatimBlock stops command processing until a token nobody can guess', () => {
    const block = verbatimBlock('Error: x\n::error::pwned\n    at f (a.js:1:1)');
    const [start, ...rest] = block.split('\n');
    const token = /^::stop-commands::([0-9a-f-]{36})$/.exec(start!)?.[1];
    expect(token).toBeDefined();
    expect(rest.at(-1)).toBe(`::${token}::`);
    expect(verbatimBlock('x')).not.toContain(token);
  });
});

describe('the CLI host', () => {
  it('writes every log line escaped, so a value cannot start a workflow command on stderr', async () => {
    let stderr = '';
    let stdout = '';
    const code = await runCli(
      ['lookup-model', '--name', 'churn\n::error::pwned'],
      {
        'lookup-model': async (io) => {
          const name = io.inputs.required('name');
          io.logger.info(`looking up ${name}`);
          io.logger.warning(`no stage for ${name}`);
          io.setOutput('version', `v1\n::error::pwned`);
        },
      },
      repoRoot,
      { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    );
    expect(code).toBe(0);
    const lines = `${stdout}${stderr}`.split('\n');
    expect(lines.filter((line) => /^\s*::error::/.test(line))).toEqual([]);
    expect(stderr).toContain('looking up churn%0A::error::pwned');
    expect(stdout).toContain('version="v1\\n::error::pwned"');
  });
});

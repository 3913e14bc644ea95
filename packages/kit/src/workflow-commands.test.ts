import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@actions/core';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseOutputFile } from '../../../test/harness/runner.ts';
import {
  annotationProperties,
  escapeCommandData,
  outputFileEntry,
  runnerCommands,
  workflowCommand,
} from './workflow-commands.ts';

/** What a call writes to stdout (ours writes to the descriptor through runnerCommands.write). */
function stdoutOf(write: () => void): string {
  const chunks: string[] = [];
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      chunks.push(String(chunk));
      return true;
    }),
    vi.spyOn(runnerCommands, 'write').mockImplementation((text) => {
      chunks.push(text);
    }),
  ];
  try {
    write();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks.join('');
}

const hostile = ['plain', '100% done\r\nnext', 'a::error::b', 'x,y:z', '', 'ünï 🚀'];

afterEach(() => {
  process.exitCode = undefined;
});

describe('workflow commands, byte for byte as @actions/core writes them', () => {
  it.each(hostile)('error / warning / debug / add-mask of %j', (message) => {
    const properties = { title: 'a title, with: punctuation', file: 'data/x.csv', startLine: 4 };
    for (const [ours, theirs] of [
      [
        () => runnerCommands.command('error', annotationProperties(properties), message),
        () => core.error(message, properties),
      ],
      [() => runnerCommands.command('warning', annotationProperties(), message), () => core.warning(message)],
      [() => runnerCommands.command('debug', {}, message), () => core.debug(message)],
      [() => runnerCommands.command('add-mask', {}, message), () => core.setSecret(message)],
    ] as const) {
      expect(stdoutOf(ours)).toBe(stdoutOf(theirs));
    }
  });

  it('escapes data so a value cannot start a command of its own', () => {
    expect(workflowCommand('error', {}, 'x\n::set-output name=a::b')).toBe(
      '::error::x%0A::set-output name=a::b',
    );
    expect(escapeCommandData('%0A')).toBe('%250A');
  });

  it('writes outputs to GITHUB_OUTPUT as core does, and a value cannot close its entry early', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kit-output-'));
    const ours = path.join(dir, 'ours');
    const theirs = path.join(dir, 'theirs');
    writeFileSync(ours, '');
    writeFileSync(theirs, '');
    const outputs = { report: 'a/b.json', multi: 'line 1\nline 2\r\nline 3', empty: '' };
    for (const [name, value] of Object.entries(outputs)) runnerCommands.setOutput(name, value, ours);
    const saved = process.env.GITHUB_OUTPUT;
    process.env.GITHUB_OUTPUT = theirs;
    try {
      for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
    } finally {
      process.env.GITHUB_OUTPUT = saved;
    }
    const delimiterFree = (file: string) =>
      readFileSync(file, 'utf8').replace(/ghadelimiter_[0-9a-f-]{36}/g, 'DELIMITER');
    expect(delimiterFree(ours)).toBe(delimiterFree(theirs));
    // The runner emulator reads it back (it takes CRLF as a line end, as the runner does).
    expect(parseOutputFile(readFileSync(ours, 'utf8'))).toEqual({
      ...outputs,
      multi: 'line 1\nline 2\nline 3',
    });
    expect(() => outputFileEntry('x', 'a\nDELIM\nb', 'DELIM')).toThrow(/delimiter/);
  });
});

describe('the step log written to the descriptor', () => {
  it('keeps every line, in order, when a non-blocking pipe fills up and process.stdout takes over', async () => {
    // A child whose stdout is a pipe left non-blocking (process.stdout touched first, as an earlier node on
    // the same pipe leaves it) writes 300 KB while this side reads nothing for a while: the descriptor
    // answers EAGAIN once the pipe is full, and the rest must still arrive, in order.
    const script = path.join(mkdtempSync(path.join(tmpdir(), 'kit-stdout-')), 'child.cjs');
    await build({
      stdin: {
        contents: [
          "import { writeStdout } from './workflow-commands.ts';",
          'process.stdout;',
          "for (let i = 0; i < 3000; i++) writeStdout('line ' + i + ' ' + 'x'.repeat(90) + '\\n');",
        ].join('\n'),
        resolveDir: path.dirname(fileURLToPath(import.meta.url)),
        loader: 'ts',
      },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      outfile: script,
      logLevel: 'error',
    });
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stdout.resume();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(3000);
    expect(lines.every((line, i) => line === `line ${i} ${'x'.repeat(90)}`)).toBe(true);
  });
});

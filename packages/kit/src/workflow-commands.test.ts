import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseOutputFile } from '../../../test/harness/runner.ts';
import {
  annotationProperties,
  escapeCommandData,
  outputFileEntry,
  runnerCommands,
  workflowCommand,
} from './workflow-commands.ts';

/** What a call writes to stdout. */
function stdoutOf(write: () => void): string {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    write();
  } finally {
    spy.mockRestore();
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

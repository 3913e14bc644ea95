// validate-data validates small data on the main thread (a worker's start costs more than the whole pass)
// and large data on a worker thread whose young generation is capped (the memory bound of bench/): both
// paths give the same report, and a mistake in the data found on the worker reads as it does on the main
// thread (the file, the line, no stack trace, exit 1).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkspace, runBundledAction } from '../harness/runner.ts';

/** A seeded CSV of `rows` rows: two numbers and a category (about 20 bytes a row). */
function csv(rows: number, seed: number, shift = 0): string {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const lines = ['score,amount,segment'];
  for (let row = 0; row < rows; row++) {
    const score = (next() + shift).toFixed(6);
    const amount = (next() * 1000).toFixed(2);
    lines.push(`${score},${amount},${['a', 'b', 'c', 'd'][Math.floor(next() * 4)]}`);
  }
  return `${lines.join('\n')}\n`;
}

const LARGE_ROWS = 1_000_000; // about 20 MB: past the 16 MB the main thread takes

async function validate(files: Record<string, string>, inputs: Record<string, string> = {}) {
  const workspace = makeWorkspace('mlops-threads-');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(workspace, name), text);
  const run = await runBundledAction('validate-data', {
    workspace,
    inputs: { data: 'current.csv', reference: 'reference.csv', 'fail-on': 'error', ...inputs },
    timeoutMs: 120_000,
  });
  let report: Record<string, unknown> | undefined;
  try {
    report = JSON.parse(readFileSync(path.join(workspace, 'mlops-reports', 'validate-data.json'), 'utf8'));
  } catch {
    report = undefined;
  }
  return { run, report };
}

describe('validate-data: which thread validates', () => {
  it('small data on the main thread, large data on a worker; the same checks and drift either way', async () => {
    const small = await validate({ 'current.csv': csv(2_000, 1, 0.2), 'reference.csv': csv(2_000, 2) });
    expect(small.run.exitCode, small.run.stderr).toBe(0);
    expect(small.run.stdout).toContain('::debug::validating on the main thread');

    const large = await validate({ 'current.csv': csv(LARGE_ROWS, 1, 0.2), 'reference.csv': csv(2_000, 2) });
    expect(large.run.exitCode, large.run.stderr).toBe(0);
    expect(large.run.stdout).toContain('::debug::validating on a worker thread (large data)');
    const drifted = (report: Record<string, unknown> | undefined) =>
      Object.entries((report!.drift as { columns: Record<string, { drift: boolean }> }).columns)
        .filter(([, column]) => column.drift)
        .map(([name]) => name);
    expect(drifted(small.report)).toEqual(['score']);
    expect(drifted(large.report)).toEqual(['score']);
    expect((large.report!.rows as { current: number }).current).toBe(LARGE_ROWS);
  });

  it('a broken record found on the worker is reported with its file and line, without a stack trace', async () => {
    const broken = `${csv(LARGE_ROWS, 3)}"unterminated,1,a\n`;
    const { run } = await validate({ 'current.csv': broken, 'reference.csv': csv(2_000, 2) });
    expect(run.stdout).toContain('::debug::validating on a worker thread (large data)');
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/current\.csv.*line 1000002:/s);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("a broken record in the reference (the main thread starts its thread) is reported after the current data's pass", async () => {
    const broken = `${csv(LARGE_ROWS, 4)}"unterminated,1,a\n`;
    const { run } = await validate({ 'current.csv': csv(2_000, 1), 'reference.csv': broken });
    expect(run.stdout).toContain('::debug::validating on a worker thread (large data)');
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/reference\.csv.*line 1000002:/s);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("a mistake in the suite is reported first, though large data's threads start while it loads", async () => {
    const { run } = await validate(
      {
        'current.csv': csv(LARGE_ROWS, 1),
        'reference.csv': csv(2_000, 2),
        'suite.yml': 'columns:\n  score: {\n',
      },
      { expectations: 'suite.yml' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(/suite\.yml line \d+: not valid YAML/);
    expect(run.stdout).not.toContain('validating on a worker thread');
    expect(run.stdout).not.toContain('reading 1 data file');
  });
});

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distDir, repoRoot } from '../harness/runner.ts';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(distDir, 'cli', 'index.mjs'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });

describe('mlops CLI (dist/cli/index.mjs)', () => {
  it('lists the actions', () => {
    const result = cli('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/validate-data/);
    expect(result.stdout).toMatch(/pr-comment/);
  });

  it('suggests the nearest action and input names', () => {
    expect(cli('promte').stderr).toMatch(/unknown action 'promte' \(did you mean 'promote'\?\)/);
    const result = cli('promote', '--nme', 'x');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/unknown input '--nme' \(did you mean 'name'\?\)/);
  });

  it('prints an action help from its action.yml', () => {
    const result = cli('evaluate-gate', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--predictions \(required\)/);
    expect(result.stdout).toMatch(/--label-column \(default: label\)/);
  });
});

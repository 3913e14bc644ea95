// Security properties that hold for the whole code base, checked statically.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../harness/runner.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const productionSources = [
  ...sources(path.join(repoRoot, 'packages')),
  ...sources(path.join(repoRoot, 'actions')),
];

describe('no shell command is ever built from input', () => {
  it('child processes are started with execFile/spawn and an argument array, never a shell', () => {
    const offenders: string[] = [];
    for (const file of productionSources) {
      const text = readFileSync(file, 'utf8');
      const importsShellExec =
        /import\s*\{[^}]*\b(exec|execSync)\b[^}]*\}\s*from\s*['"](node:)?child_process['"]/.test(text);
      const namespaceExec = /\b(child_process|childProcess|cp)\.(exec|execSync)\s*\(/.test(text);
      if (importsShellExec || namespaceExec || /shell\s*:\s*true/.test(text)) {
        offenders.push(path.relative(repoRoot, file));
      }
    }
    expect(offenders).toEqual([]);
  });

  it('library packages never import @actions/* (only the kit runner host does)', () => {
    const offenders = productionSources
      .filter((file) => file.includes(`${path.sep}packages${path.sep}`))
      .filter((file) => !file.endsWith(path.join('kit', 'src', 'github-runner.ts')))
      .filter((file) => /from ['"]@actions\//.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(repoRoot, file));
    expect(offenders).toEqual([]);
  });

  it('no code evaluates strings', () => {
    const offenders = productionSources
      .filter((file) => /\beval\s*\(|new Function\s*\(/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(repoRoot, file));
    expect(offenders).toEqual([]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAll } from '../../scripts/build.mjs';
import { repoRoot } from '../harness/runner.ts';

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

/** Module-level `let` / `var` declarations of a source file (state that lives in the module's copy). */
function moduleVariables(source: string): string[] {
  return [...source.matchAll(/^(?:export\s+)?(?:let|var)\s+([\w$]+)/gm)].map((match) => match[1]!);
}

describe('check-dist', () => {
  let fresh: string;
  let startSources: string[];
  beforeAll(async () => {
    fresh = await mkdtemp(path.join(tmpdir(), 'mlops-dist-'));
    ({ startSources } = await buildAll(fresh));
  }, 120_000);

  it('the committed dist/ is byte-identical to a fresh build (run `npm run build` and commit dist/)', () => {
    const committed = path.join(repoRoot, 'dist');
    const freshFiles = listFiles(fresh).sort();
    expect(listFiles(committed).sort()).toEqual(freshFiles);
    const differing = freshFiles.filter(
      (file) => !readFileSync(path.join(fresh, file)).equals(readFileSync(path.join(committed, file))),
    );
    expect(differing).toEqual([]);
  });

  it('a module bundled into a start file keeps no state in module variables (it has a second copy in the logic)', () => {
    // An action's start file bundles its own copy of kit and of what its main imports at the top; the logic
    // (dist/lazy, dist/chunks) has another. State both copies must agree on lives on the global object under
    // a Symbol.for key (kit's yaml-source.ts, workflow-commands.ts), never in a module's `let`.
    // Memos of something loaded are fine: a second copy loads it once more and has nothing to agree on.
    const memos = new Set(['packages/github/src/client.ts: mlopsOctokitLoaded']);
    expect(startSources).toContain('packages/kit/src/inputs.ts');
    const offenders = startSources.flatMap((file) =>
      moduleVariables(readFileSync(path.join(repoRoot, file), 'utf8'))
        .map((name) => `${file}: ${name}`)
        .filter((variable) => !memos.has(variable)),
    );
    expect(offenders).toEqual([]);
  });

  it('moduleVariables finds the declarations it guards against', () => {
    expect(
      moduleVariables('let a = 1;\nexport let b;\nvar c;\nfunction f() {\n  let d;\n}\nconst e = 2;'),
    ).toEqual(['a', 'b', 'c']);
  });
});

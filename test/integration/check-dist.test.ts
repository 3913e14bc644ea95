import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAll } from '../../scripts/build.mjs';
import { repoRoot } from '../harness/runner.ts';

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

describe('check-dist', () => {
  it('the committed dist/ is byte-identical to a fresh build (run `npm run build` and commit dist/)', async () => {
    const fresh = await mkdtemp(path.join(tmpdir(), 'mlops-dist-'));
    await buildAll(fresh);
    const committed = path.join(repoRoot, 'dist');
    const freshFiles = listFiles(fresh).sort();
    expect(listFiles(committed).sort()).toEqual(freshFiles);
    const differing = freshFiles.filter(
      (file) => !readFileSync(path.join(fresh, file)).equals(readFileSync(path.join(committed, file))),
    );
    expect(differing).toEqual([]);
  });
});

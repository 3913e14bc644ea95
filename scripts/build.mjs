// Bundles every action and the CLI with esbuild into dist/. Output is deterministic (no timestamps, no
// absolute paths), so a clean rebuild is byte-identical and check-dist can compare it with the commit.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildAll(outdir = path.join(root, 'dist')) {
  const actions = readdirSync(path.join(root, 'actions'), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(root, 'actions', entry.name, 'action.yml')),
    )
    .filter((entry) => existsSync(path.join(root, 'actions', entry.name, 'src', 'index.ts')))
    .map((entry) => entry.name)
    .sort();
  const entryPoints = Object.fromEntries([
    ...actions.map((name) => [`${name}/index`, path.join(root, 'actions', name, 'src', 'index.ts')]),
    ['cli/index', path.join(root, 'actions', 'cli.ts')],
  ]);
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    bundle: true,
    // Shared code (the @actions/* and octokit stack, our packages) goes into content-hashed chunks instead of
    // being copied into eight bundles: a smaller checkout and a smaller diff on every change.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    minify: true,
    keepNames: true,
    legalComments: 'linked',
    charset: 'utf8',
    tsconfig: path.join(root, 'tsconfig.json'),
    // ESM bundles of CommonJS dependencies need `require`; renamed because a dependency itself imports
    // createRequire from node:module.
    banner: {
      js: "import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  // The CLI is also the package's `bin`: it needs a shebang ahead of the banner.
  const cli = path.join(outdir, 'cli', 'index.mjs');
  writeFileSync(cli, `#!/usr/bin/env node\n${readFileSync(cli, 'utf8')}`, { mode: 0o755 });
  return { actions, outdir };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // --outdir DIR builds elsewhere (a private build for parallel work; tests run it with MLOPS_DIST=DIR).
  const flag = process.argv.indexOf('--outdir');
  const { actions } = await buildAll(flag > 0 ? path.resolve(process.argv[flag + 1]) : undefined);
  console.log(`built ${actions.length} actions and the CLI into dist/`);
}

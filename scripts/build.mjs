// Bundles every action and the CLI with esbuild into dist/. Output is deterministic (no timestamps, no
// absolute paths), so a clean rebuild is byte-identical and check-dist can compare it with the commit.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ESM bundles of CommonJS dependencies need `require`; renamed because a dependency itself imports
// createRequire from node:module.
const REQUIRE_BANNER =
  "import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);";

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
    banner: { js: REQUIRE_BANNER },
    plugins: [sideEffectFreeSources],
    logLevel: 'warning',
  });
  dropUnusedRequireBanners(outdir);
  // The CLI is also the package's `bin`: it needs a shebang ahead of the banner.
  const cli = path.join(outdir, 'cli', 'index.mjs');
  writeFileSync(cli, `#!/usr/bin/env node\n${readFileSync(cli, 'utf8')}`, { mode: 0o755 });
  return { actions, outdir };
}

/**
 * Our packages have no package.json, so esbuild must assume every module of ours may have side effects when
 * imported and keeps it, with whatever it imports, whether or not its exports are used: promote, which needs
 * one function of @mlops/serving, loaded the gate, its statistics and the YAML parser at every start. None of
 * our modules is imported for its side effects (no bare `import './x'`), so they are declared free of them
 * and a module nothing uses is left out. Dependencies keep their own package.json `sideEffects`.
 */
const sideEffectFreeSources = {
  name: 'side-effect-free-sources',
  setup(build) {
    const ours = [path.join(root, 'packages') + path.sep, path.join(root, 'actions') + path.sep];
    build.onResolve({ filter: /^(\.|@mlops\/)/ }, async (args) => {
      if (args.pluginData?.sideEffectFreeSources) return undefined;
      const result = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { sideEffectFreeSources: true },
      });
      if (result.errors.length > 0 || !ours.some((folder) => result.path.startsWith(folder))) return result;
      return { ...result, sideEffects: false };
    });
  },
};

/**
 * esbuild writes the banner into every file, but only the files that mention `require` (esbuild's require
 * shim, a dependency's own `require.resolve`) use it; in the others it is a createRequire call per file at
 * every start for nothing.
 */
function dropUnusedRequireBanners(outdir) {
  const files = readdirSync(outdir, { recursive: true }).filter((file) => String(file).endsWith('.mjs'));
  for (const file of files) {
    const full = path.join(outdir, String(file));
    const text = readFileSync(full, 'utf8');
    if (!text.startsWith(`${REQUIRE_BANNER}\n`)) continue;
    const body = text.slice(REQUIRE_BANNER.length + 1);
    // `require` as a name, not inside a word such as `required` or an input name such as `require-gate`.
    if (!/(?<![\w$."'`-])require(?![\w$-])/.test(body)) writeFileSync(full, body);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // --outdir DIR builds elsewhere (a private build for parallel work; tests run it with MLOPS_DIST=DIR).
  const flag = process.argv.indexOf('--outdir');
  const { actions } = await buildAll(flag > 0 ? path.resolve(process.argv[flag + 1]) : undefined);
  console.log(`built ${actions.length} actions and the CLI into dist/`);
}

// Bundles every action and the CLI with esbuild into dist/. Output is deterministic (no timestamps, no
// absolute paths), so a clean rebuild is byte-identical and check-dist can compare it with the commit.
//
// An action is two parts. Its start (dist/<action>/index.cjs): the runner host, the inputs and the action's
// main, one CommonJS file per action, so the step's first output (often the error for a missing input) needs
// one file and no ES module loader. Its logic (dist/lazy/*.mjs, with dist/chunks/): every module the start
// reaches through `await import()`, ES modules with shared chunks, loaded once the inputs are read.
// A CommonJS file has no top-level await: an entry calls `void runAction(...)`, which sets the exit code.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ESM bundles of CommonJS dependencies need `require`; renamed because a dependency itself imports
// createRequire from node:module.
const REQUIRE_BANNER =
  "import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);";

// A CommonJS file has no import.meta; the start files that ask for their own URL (validate-data hands it to
// its worker threads) get it from __filename.
const ENTRY_URL = '__entryFileUrl';
const ENTRY_URL_BANNER = `const ${ENTRY_URL}=require("node:url").pathToFileURL(__filename).href;`;

const shared = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  keepNames: true,
  legalComments: 'linked',
  charset: 'utf8',
  tsconfig: path.join(root, 'tsconfig.json'),
  logLevel: 'warning',
};

export async function buildAll(outdir = path.join(root, 'dist')) {
  const actions = readdirSync(path.join(root, 'actions'), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(root, 'actions', entry.name, 'action.yml')),
    )
    .filter((entry) => existsSync(path.join(root, 'actions', entry.name, 'src', 'index.ts')))
    .map((entry) => entry.name)
    .sort();
  rmSync(outdir, { recursive: true, force: true });

  const lazyEntries = new Map();
  // Our sources bundled into a start file: each also exists in the logic's build, a second copy (ourSources).
  const startSources = new Set();
  for (const name of actions) {
    const { metafile } = await build({
      ...shared,
      entryPoints: [path.join(root, 'actions', name, 'src', 'index.ts')],
      outfile: path.join(outdir, name, 'index.cjs'),
      format: 'cjs',
      define: { 'import.meta.url': ENTRY_URL },
      plugins: [ourSources({ lazyEntries }), builtinsOnFirstCall],
      metafile: true,
    });
    for (const output of Object.values(metafile.outputs))
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
        if (bytesInOutput > 0 && /^(packages|actions)\//.test(input)) startSources.add(input);
    addEntryUrlBanner(path.join(outdir, name, 'index.cjs'));
  }

  const entryPoints = {
    ...Object.fromEntries([...lazyEntries].sort().map(([name, file]) => [`lazy/${name}`, file])),
    'cli/index': path.join(root, 'actions', 'cli.ts'),
  };
  await build({
    ...shared,
    entryPoints,
    outdir,
    // Shared code (the octokit stack, our packages) goes into content-hashed chunks instead of being copied
    // into every action's logic: a smaller checkout and a smaller diff on every change.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    banner: { js: REQUIRE_BANNER },
    plugins: [ourSources({})],
  });
  dropUnusedRequireBanners(outdir);
  // The CLI is also the package's `bin`: it needs a shebang ahead of the banner.
  const cli = path.join(outdir, 'cli', 'index.mjs');
  writeFileSync(cli, `#!/usr/bin/env node\n${readFileSync(cli, 'utf8')}`, { mode: 0o755 });
  return { actions, outdir, startSources: [...startSources].sort() };
}

/**
 * How esbuild resolves our modules. Two rules:
 *
 * Our packages have no package.json, so esbuild must assume every module of ours may have side effects when
 * imported and keeps it, with whatever it imports, whether or not its exports are used: promote, which needs
 * one function of @mlops/serving, loaded the gate, its statistics and the YAML parser at every start. None of
 * our modules is imported for its side effects (no bare `import './x'`), so they are declared free of them
 * and a module nothing uses is left out. Dependencies keep their own package.json `sideEffects`.
 *
 * With `lazyEntries` (an action's start file): an `import()` is not bundled into the start file but left to
 * load dist/lazy/<name>.mjs, an entry of the ES module build, recorded in `lazyEntries` (name -> source).
 * The modules the start file bundles exist a second time in that build (kit, mostly): state they share
 * must not live in a module's variables (see kit's errors.ts and yaml-source.ts).
 */
function ourSources({ lazyEntries }) {
  const ours = [path.join(root, 'packages') + path.sep, path.join(root, 'actions') + path.sep];
  return {
    name: 'our-sources',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.ourSources) return undefined;
        const lazy = lazyEntries !== undefined && args.kind === 'dynamic-import';
        if (!lazy && !/^(\.|@mlops\/)/.test(args.path)) return undefined;
        const result = await pluginBuild.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { ourSources: true },
        });
        if (result.errors.length > 0 || result.external) return result;
        if (lazy) {
          const name = lazyEntryName(result.path);
          const known = lazyEntries.get(name);
          if (known !== undefined && known !== result.path)
            throw new Error(
              `two lazily imported modules would share dist/lazy/${name}.mjs: ${known}, ${result.path}`,
            );
          lazyEntries.set(name, result.path);
          return { path: `../lazy/${name}.mjs`, external: true };
        }
        if (!ours.some((folder) => result.path.startsWith(folder))) return result;
        return { ...result, sideEffects: false };
      });
    },
  };
}

/**
 * Node built-ins that a start file imports only for functions it calls after the inputs are read (the
 * reports it writes, a digest, a gzip'd log), and whose loading is a sizeable share of a start that ends at
 * its first error: in the start file each of their functions is a stand-in that loads the module on its
 * first call. Only functions are given (a constant or a class imported from them fails the build), and only
 * the ones the start file calls are kept.
 */
const builtinsOnFirstCall = {
  name: 'builtins-on-first-call',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^node:(fs\/promises|crypto|zlib)$/ }, (args) =>
      args.namespace === 'builtin-on-first-call'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'builtin-on-first-call' },
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'builtin-on-first-call' }, async (args) => {
      const builtin = await import(args.path);
      const functions = Object.keys(builtin).filter(
        (name) => /^[a-z]\w*$/.test(name) && typeof builtin[name] === 'function',
      );
      const contents = [
        `let loaded;`,
        `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
        ...functions.map((name) => `export function ${name}(...args) { return load().${name}(...args); }`),
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

/**
 * dist/lazy/<name>.mjs for a lazily imported module: packages/report/src/index.ts -> report,
 * packages/data/src/glob.ts -> data-glob, actions/pr-comment/src/publish.ts -> pr-comment-publish,
 * node_modules/@octokit/rest/... -> octokit-rest.
 */
function lazyEntryName(file) {
  const parts = path.relative(root, file).split(path.sep);
  const packageAt = parts.lastIndexOf('node_modules') + 1;
  if (packageAt > 0) {
    const scoped = parts[packageAt].startsWith('@');
    return (scoped ? `${parts[packageAt].slice(1)}-${parts[packageAt + 1]}` : parts[packageAt]) ?? file;
  }
  // packages/<name>/src/<path>, actions/<name>/src/<path> or actions/shared/<path>
  const source = parts.indexOf('src');
  const inner = parts
    .slice(source >= 0 ? source + 1 : 2)
    .join('-')
    .replace(/\.ts$/, '');
  return inner === 'index' ? parts[1] : `${parts[1]}-${inner}`;
}

/** The start file's own URL, defined only where it is used. */
function addEntryUrlBanner(file) {
  const text = readFileSync(file, 'utf8');
  if (text.includes(ENTRY_URL)) writeFileSync(file, `${ENTRY_URL_BANNER}\n${text}`);
}

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

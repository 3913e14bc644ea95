// `npm run demo`: builds dist/ if it is missing, bundles examples/demo.ts (which reuses the test harness:
// the runner emulator and the GitHub REST emulator) with the same esbuild options as the action bundles, and
// runs it. Plain Node 20, nothing else to install.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildAll } from '../scripts/build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, '.tmp', 'demo-build', 'demo.mjs');

const actions = readdirSync(path.join(root, 'actions')).filter((name) =>
  existsSync(path.join(root, 'actions', name, 'src', 'index.ts')),
);
const missing = actions.filter(
  (name) => !existsSync(path.join(process.env.MLOPS_DIST ?? path.join(root, 'dist'), name, 'index.cjs')),
);
if (missing.length > 0) {
  console.log(`dist/ lacks ${missing.join(', ')}: building the actions first (npm run build) ...`);
  try {
    await buildAll();
  } catch (error) {
    // Carry on: each step whose bundle is missing then fails with its own clear message.
    console.log(`the build failed, continuing with what dist/ has: ${String(error.message).split('\n')[0]}`);
  }
}

await build({
  absWorkingDir: root,
  entryPoints: [path.join(root, 'examples', 'demo.ts')],
  outfile: bundle,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  charset: 'utf8',
  tsconfig: path.join(root, 'tsconfig.json'),
  // The same banner as scripts/build.mjs: ESM bundles of CommonJS dependencies need `require`.
  banner: {
    js: "import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);",
  },
  // The harness finds its fixtures and the repository from `import.meta.url` (e.g. the emulator's OpenAPI
  // subset); in one bundle every module would share the bundle's URL, so each keeps its own source URL.
  plugins: [
    {
      name: 'keep-module-urls',
      setup(builder) {
        builder.onLoad({ filter: /\.ts$/ }, async (args) => {
          const source = await readFile(args.path, 'utf8');
          const url = JSON.stringify(pathToFileURL(args.path).href);
          return { contents: source.replace(/\bimport\.meta\.url\b/g, url), loader: 'ts' };
        });
      },
    },
  ],
  logLevel: 'warning',
});

const run = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exitCode = run.status ?? 1;

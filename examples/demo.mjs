// `npm run demo`: builds dist/ if it is missing, bundles examples/demo.ts (which reuses the test harness:
// the runner emulator and the GitHub REST emulator) with the same esbuild options as the action bundles, and
// runs it. Plain Node 20, nothing else to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildAll } from '../scripts/build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Two levels below the root, like dist/<action>/: the harness finds the repository from its own location.
const bundle = path.join(root, '.tmp', 'demo-build', 'demo.mjs');
const emulator = path.join(root, 'test', 'harness', 'github-emulator.ts');

if (!existsSync(path.join(root, 'dist', 'validate-data', 'index.mjs'))) {
  console.log('dist/ is missing: building the actions first (npm run build) ...');
  await buildAll();
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
  // Until the GitHub emulator exists in this checkout, an empty module stands in for it and the demo says
  // which steps could not reach an API.
  plugins: [
    {
      name: 'optional-github-emulator',
      setup(builder) {
        builder.onResolve({ filter: /github-emulator\.ts$/ }, () =>
          existsSync(emulator) ? { path: emulator } : { path: 'github-emulator', namespace: 'missing' },
        );
        builder.onLoad({ filter: /.*/, namespace: 'missing' }, () => ({
          contents: 'export {};',
          loader: 'js',
        }));
      },
    },
  ],
  logLevel: 'warning',
});

const run = spawnSync(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exitCode = run.status ?? 1;

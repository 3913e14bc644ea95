// Runs the benchmarks: every bench/*.bench.ts is bundled with esbuild (same resolution as the actions) and
// run with node; each prints one JSON line of results, including the ratio against its peer (pandas +
// scipy or scikit-learn from Debian's packages, run by the bench itself through /usr/bin/python3).
// Usage: npm run bench [-- <name-filter>]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, stop } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2] ?? '';
const benches = readdirSync(path.join(root, 'bench'))
  .filter((file) => file.endsWith('.bench.ts') && file.includes(filter))
  .sort();
const outdir = path.join(root, '.tmp', 'bench');
mkdirSync(outdir, { recursive: true });
const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
console.log(`machine: ${machine}`);
const results = [];

// Benches reuse test fixtures that find files next to themselves through import.meta.url; once bundled,
// every module would see the bundle's URL, so each of our modules keeps its own source URL.
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};
// Every bench is bundled first and esbuild's service is stopped before any is run: on a 2-core machine the
// processes a bench measured while that service was alive ran markedly slower, ours more than the peers
// (bench/validate-data.md, session 7's quiet runs).
const bundles = [];
for (const file of benches) {
  const outfile = path.join(outdir, file.replace(/\.ts$/, '.mjs'));
  bundles.push({ file, outfile });
  await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'bench', file)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: path.join(root, 'tsconfig.json'),
    banner: {
      js: "import { createRequire as __cjsCreateRequire } from 'node:module'; const require = __cjsCreateRequire(import.meta.url);",
    },
    plugins: [keepModuleUrls],
    logLevel: 'warning',
  });
}
await stop();
for (const { file, outfile } of bundles) {
  console.log(`\n== ${file}`);
  const run = spawnSync(process.execPath, ['--expose-gc', outfile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  process.stdout.write(run.stdout);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  try {
    results.push({ bench: file, ...JSON.parse(last) });
  } catch {
    results.push({ bench: file, error: `exit ${run.status}` });
  }
}
const stamp = new Date().toISOString();
writeFileSync(path.join(outdir, 'results.json'), JSON.stringify({ machine, stamp, results }, null, 2));
console.log(`\nresults: ${path.relative(root, path.join(outdir, 'results.json'))}`);

// Start-up of every action bundle against a bare `node -e 0`, in the same run: each bundle is started as the
// runner starts it with no inputs at all, so its first output is the clean error for its first missing
// required input (or, for an action without one, whatever it does first with an empty workspace). Runs
// alternate (node, then each action) STARTUP_RUNS times (default 15); the medians of wall time and of CPU
// time (user + system, /usr/bin/time) are reported, CPU being the steadier figure on a shared machine.
// Usage: npm run bench -- startup   (MLOPS_DIST=<dir> for a private build)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const runs = Number(process.env['STARTUP_RUNS'] ?? 15);
const dist = process.env['MLOPS_DIST'] ?? path.join(process.cwd(), 'dist');
const actions = readdirSync(dist).filter((name) => name !== 'chunks' && name !== 'cli');
const workspace = mkdtempSync(path.join(tmpdir(), 'mlops-startup-'));
const output = path.join(workspace, 'outputs.txt');
const env = {
  GITHUB_WORKSPACE: workspace,
  GITHUB_OUTPUT: output,
  GITHUB_STEP_SUMMARY: path.join(workspace, 'summary.md'),
};
// Only the variables a runner sets: no INPUT_* from the calling shell, and no NODE_EXTRA_CA_CERTS (a hosted
// runner does not set it; where it is set, every node start reads and parses the certificates first, ~40 ms
// here, which flatters every ratio to `node -e 0`). STARTUP_KEEP_CA_CERTS=1 keeps it, to compare with the
// figures bench/startup.md quoted before 2026-12-07 10:00.
for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
if (process.env['STARTUP_KEEP_CA_CERTS'] !== '1') delete process.env['NODE_EXTRA_CA_CERTS'];

function run(args: string[]): { wall: number; cpu: number } {
  writeFileSync(output, '');
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    cwd: workspace,
  });
  const [wall, user, system] = result.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: wall!, cpu: user! + system! };
}

const samples = new Map<string, { wall: number[]; cpu: number[] }>();
const record = (name: string, value: { wall: number; cpu: number }) => {
  const entry = samples.get(name) ?? { wall: [], cpu: [] };
  entry.wall.push(value.wall);
  entry.cpu.push(value.cpu);
  samples.set(name, entry);
};
for (let r = 0; r < runs; r++) {
  record('node -e 0', run(['-e', '0']));
  for (const action of actions) record(action, run([path.join(dist, action, 'index.mjs')]));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const base = samples.get('node -e 0')!;
const result: Record<string, unknown> = {
  runs,
  node_wall_ms: median(base.wall) * 1000,
  node_cpu_ms: median(base.cpu) * 1000,
};
for (const action of actions) {
  const entry = samples.get(action)!;
  const wall = median(entry.wall);
  const cpu = median(entry.cpu);
  console.log(
    `${action.padEnd(18)} wall ${(wall * 1000).toFixed(0)} ms (${(wall / median(base.wall)).toFixed(2)}x)  cpu ${(cpu * 1000).toFixed(0)} ms (${(cpu / median(base.cpu)).toFixed(2)}x)`,
  );
  result[action] = {
    wall_ratio: Number((wall / median(base.wall)).toFixed(2)),
    cpu_ratio: Number((cpu / median(base.cpu)).toFixed(2)),
  };
}
console.log(JSON.stringify(result));

// Start-up of every action bundle against a bare `node -e 0`, in the same run: each bundle is started as the
// runner starts it with no inputs at all, so its first output is the clean error for its first missing
// required input (or, for an action without one, whatever it does first with an empty workspace). Runs
// alternate (node, then each action) STARTUP_RUNS times (default 15); the medians of wall time and of CPU
// time (user + system) are reported, CPU being the steadier figure on a shared machine. CPU is perf's
// task-clock (1 ms resolution and better) when `perf stat` works here, else /usr/bin/time's user + system,
// which counts in 10 ms steps: at a 50 ms baseline one step is 0.2x, too coarse for a 1.5x goal.
// Usage: npm run bench -- startup   (MLOPS_DIST=<dir> for a private build; STARTUP_CLOCK=time forces
// /usr/bin/time). An action's start file is dist/<action>/index.cjs, or index.mjs in builds before 2026-12-07
// 12:00, so an older build can be measured against a newer one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

const runs = Number(process.env['STARTUP_RUNS'] ?? 15);
const dist = process.env['MLOPS_DIST'] ?? path.join(process.cwd(), 'dist');
const startFile = (action: string) =>
  ['index.cjs', 'index.mjs'].map((file) => path.join(dist, action, file)).find((file) => existsSync(file));
const actions = readdirSync(dist).filter((name) => startFile(name) !== undefined && name !== 'cli');
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

interface Sample {
  /** seconds */
  wall: number;
  /** seconds of CPU, every thread of the process */
  cpu: number;
}

/** `perf stat` in CSV form: `<value>,msec,task-clock,...` and `<value>,ns,duration_time,...`. */
function perfRun(args: string[]): Sample | undefined {
  const result = spawnSync(
    'perf',
    ['stat', '-x,', '-e', 'task-clock,duration_time', '--', process.execPath, ...args],
    { env: { ...process.env, ...env }, encoding: 'utf8', cwd: workspace },
  );
  if (result.error || result.stderr === undefined) return undefined;
  const counter = (name: string) =>
    result.stderr
      .split('\n')
      .map((line) => line.split(','))
      .find((fields) => fields[2] === name)?.[0];
  const taskClockMs = Number(counter('task-clock'));
  const durationNs = Number(counter('duration_time'));
  if (!(taskClockMs > 0 && durationNs > 0)) return undefined;
  return { wall: durationNs / 1e9, cpu: taskClockMs / 1e3 };
}

function timeRun(args: string[]): Sample {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    cwd: workspace,
  });
  const [wall, user, system] = result.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: wall!, cpu: user! + system! };
}

const clock =
  process.env['STARTUP_CLOCK'] !== 'time' && perfRun(['-e', '0']) !== undefined
    ? 'perf task-clock'
    : '/usr/bin/time';
function run(args: string[]): Sample {
  writeFileSync(output, '');
  return clock === 'perf task-clock' ? perfRun(args)! : timeRun(args);
}

const samples = new Map<string, { wall: number[]; cpu: number[] }>();
const record = (name: string, value: Sample) => {
  const entry = samples.get(name) ?? { wall: [], cpu: [] };
  entry.wall.push(value.wall);
  entry.cpu.push(value.cpu);
  samples.set(name, entry);
};
const loadBefore = loadavg()[0]!;
for (let r = 0; r < runs; r++) {
  record('node -e 0', run(['-e', '0']));
  for (const action of actions) record(action, run([startFile(action)!]));
}
const loadAfter = loadavg()[0]!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (seconds: number) => Number((seconds * 1000).toFixed(1));
const base = samples.get('node -e 0')!;
console.log(
  `clock: ${clock}; load (1 min) ${loadBefore.toFixed(2)} -> ${loadAfter.toFixed(2)}; node -e 0 wall ${ms(median(base.wall))} ms, cpu ${ms(median(base.cpu))} ms`,
);
const result: Record<string, unknown> = {
  runs,
  clock,
  load: [Number(loadBefore.toFixed(2)), Number(loadAfter.toFixed(2))],
  node_wall_ms: ms(median(base.wall)),
  node_cpu_ms: ms(median(base.cpu)),
};
for (const action of actions) {
  const entry = samples.get(action)!;
  const wall = median(entry.wall);
  const cpu = median(entry.cpu);
  console.log(
    `${action.padEnd(18)} wall ${ms(wall).toFixed(1)} ms (${(wall / median(base.wall)).toFixed(2)}x)  cpu ${ms(cpu).toFixed(1)} ms (${(cpu / median(base.cpu)).toFixed(2)}x)`,
  );
  result[action] = {
    cpu_ms: ms(cpu),
    wall_ratio: Number((wall / median(base.wall)).toFixed(2)),
    cpu_ratio: Number((cpu / median(base.cpu)).toFixed(2)),
  };
}
console.log(JSON.stringify(result));

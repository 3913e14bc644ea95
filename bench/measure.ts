// Shared by the validate-data benches: seeded generators and one measured child process.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inputDefaults, loadActionMetadata } from '../packages/kit/src/action-metadata.ts';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes a generated CSV of `rows` rows (`row(r)` gives row r's cells) once: an existing file is kept, and the
 * file appears under its name only when complete (written as `.part`, then renamed).
 */
export async function writeCsv(
  file: string,
  header: string[],
  rows: number,
  row: (r: number) => string[],
): Promise<void> {
  if (existsSync(file)) return;
  const out = createWriteStream(`${file}.part`);
  let chunk = `${header.join(',')}\n`;
  for (let r = 0; r < rows; r++) {
    chunk += `${row(r).join(',')}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  renameSync(`${file}.part`, file);
}

export function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface Measure {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  detail: string;
}

/** Runs a command under /usr/bin/time -v: wall seconds, CPU seconds (user + system, all threads), peak RSS. */
export function timeV(command: string, args: string[], env: Record<string, string> = {}): Measure {
  const run = spawnSync('/usr/bin/time', ['-v', command, ...args], {
    cwd: process.cwd(),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, ...env },
  });
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(run.stderr);
  if (!rss || !wall) throw new Error(`could not measure ${command}: ${run.stderr.slice(-2000)}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  const user = Number(/User time \(seconds\): ([\d.]+)/.exec(run.stderr)?.[1] ?? Number.NaN);
  const system = Number(/System time \(seconds\): ([\d.]+)/.exec(run.stderr)?.[1] ?? Number.NaN);
  if (run.status !== 0)
    throw new Error(`${command} failed: ${run.stdout.slice(-2000)} ${run.stderr.slice(-2000)}`);
  return { seconds, cpuSeconds: user + system, maxRssMb: Number(rss[1]) / 1024, detail: run.stdout };
}

/**
 * The validate-data bundle run as the runner runs it (every input with a default passed as the runner passes
 * it, MLOPS_DIST picks a private build); its report.
 */
export function runValidateData(
  dir: string,
  inputs: Record<string, string>,
): Measure & {
  report: { summary: { failed: number }; drift: { columns: Record<string, { drift: boolean }> } };
} {
  const root = process.cwd();
  const report = path.join(dir, 'report.json');
  const env = Object.fromEntries(
    Object.entries({
      ...inputDefaults(loadActionMetadata(root, 'validate-data')),
      report,
      'fail-on': 'none',
      ...inputs,
    }).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
  );
  writeFileSync(path.join(dir, 'outputs.txt'), ''); // the runner creates GITHUB_OUTPUT before the step
  const dist = process.env['MLOPS_DIST'] ?? path.join(root, 'dist');
  const m = timeV(process.execPath, [path.join(dist, 'validate-data', 'index.cjs')], {
    ...env,
    GITHUB_WORKSPACE: root,
    GITHUB_OUTPUT: path.join(dir, 'outputs.txt'),
  });
  return { ...m, report: JSON.parse(readFileSync(report, 'utf8')) };
}

/** DuckDB's SUMMARIZE of each file on 2 threads (bench/duckdb_peer.mjs), as a whole process. */
export function runDuckDb(files: string[]): Measure {
  return timeV(process.execPath, [path.join(process.cwd(), 'bench', 'duckdb_peer.mjs'), ...files]);
}

export function drifted(report: { drift: { columns: Record<string, { drift: boolean }> } }): string[] {
  return Object.entries(report.drift.columns)
    .filter(([, c]) => c.drift)
    .map(([name]) => name)
    .sort();
}

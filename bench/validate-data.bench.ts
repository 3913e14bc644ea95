// validate-data vs pandas + scipy: full checks + drift on a 12-column CSV (8 numeric, 4 categorical),
// reference and current generated on the fly (seeded) into .tmp/bench/validate-data/. Ours runs the action
// bundle (dist/validate-data/index.cjs, inputs as INPUT_* as the runner passes them; it profiles the
// reference on a second thread) under /usr/bin/time -v for wall time, CPU time and peak RSS; the peer is
// bench/validate-data_peer.py (pandas read_csv + scipy), which reports its own times and ru_maxrss. A
// second peer is DuckDB's SUMMARIZE of both files on 2 threads (bench/duckdb_peer.mjs): the column
// statistics only, no checks, a lower bar of work than ours.
// Build first (npm run build). CPU seconds are reported beside wall seconds because a shared machine's load
// inflates wall time.
// Rows: 2,000,000 (and 400,000 for memory flatness as rows grow 5x); BENCH_ROWS overrides the large size.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  drifted,
  type Measure,
  mulberry32,
  normal,
  runDuckDb,
  runValidateData,
  writeCsv,
} from './measure.ts';

const root = process.cwd();
const dir = path.join(root, '.tmp', 'bench', 'validate-data');
mkdirSync(dir, { recursive: true });
const LARGE = Number(process.env.BENCH_ROWS ?? 2_000_000);
const SMALL = Math.round(LARGE / 5);

/** Writes `rows` rows; `shift` moves two numeric columns and one categorical mix (the current data). */
function generate(file: string, rows: number, seed: number, shift: boolean): Promise<void> {
  const random = mulberry32(seed);
  const header = [...Array.from({ length: 8 }, (_, i) => `num_${i}`), 'cat_a', 'cat_b', 'cat_c', 'cat_d'];
  return writeCsv(file, header, rows, () => {
    const cells: string[] = [];
    for (let i = 0; i < 8; i++) {
      if (i % 3 === 0 && random() < 0.01) {
        cells.push('');
        continue;
      }
      const mean = 10 * (i + 1) + (shift && i < 2 ? 5 : 0);
      const value = mean + (i + 1) * 2 * normal(random);
      cells.push(i === 7 ? String(Math.round(value)) : value.toFixed(4));
    }
    const skew = shift ? random() * random() : random();
    cells.push(
      `a${Math.floor(skew * 5)}`,
      `b${Math.floor(random() * 20)}`,
      ['x', 'y', 'z'][Math.floor(random() * 3)]!,
    );
    cells.push(`code_${String(Math.floor(random() * 50)).padStart(2, '0')}`);
    return cells;
  });
}

const expectations = path.join(dir, 'expectations.yml');
const numeric = Array.from({ length: 8 }, (_, i) => `num_${i}`);
writeFileSync(
  expectations,
  `row_count: { min: 1000 }
columns:
${numeric
  .map(
    (c) =>
      `  ${c}: { type: number, not_null: { mostly: 0.95 }, min: -100, max: 1000, mean: { min: -50, max: 500 }, stdev: { min: 0, max: 100 }, median: { min: -50, max: 500 }, quantiles: [{ quantile: 0.9, max: 1000 }] }`,
  )
  .join('\n')}
  cat_a: { nullable: false, allowed_values: [a0, a1, a2, a3, a4], distinct_count: { max: 100 } }
  cat_b: { nullable: false, allowed_values: [${Array.from({ length: 20 }, (_, i) => `b${i}`).join(', ')}], distinct_count: { max: 100 } }
  cat_c: { nullable: false, allowed_values: [x, y, z], distinct_count: { max: 100 } }
  cat_d: { nullable: false, regex: 'code_\\d{2}', length: 7, distinct_count: { max: 100 } }
`,
);

function ours(current: string, reference: string): Measure & { failed: number; drifted: string[] } {
  const m = runValidateData(dir, { data: current, reference, expectations });
  return { ...m, failed: m.report.summary.failed, drifted: drifted(m.report) };
}

function peer(current: string, reference: string): Measure & { failed: number; drifted: string[] } {
  const run = spawnSync(
    '/usr/bin/python3',
    [path.join(root, 'bench', 'validate-data_peer.py'), current, reference],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  if (run.status !== 0) throw new Error(`peer failed: ${run.stderr}`);
  const json = JSON.parse(run.stdout.trim().split('\n').pop()!);
  return {
    seconds: json.seconds,
    cpuSeconds: json.cpu_seconds,
    maxRssMb: json.max_rss_mb,
    detail: '',
    failed: json.failed,
    drifted: json.drifted,
  };
}

const files = {
  smallRef: path.join(dir, `reference-${SMALL}.csv`),
  smallCur: path.join(dir, `current-${SMALL}.csv`),
  largeRef: path.join(dir, `reference-${LARGE}.csv`),
  largeCur: path.join(dir, `current-${LARGE}.csv`),
};
const t0 = performance.now();
await generate(files.smallRef, SMALL, 1, false);
await generate(files.smallCur, SMALL, 2, true);
await generate(files.largeRef, LARGE, 3, false);
await generate(files.largeCur, LARGE, 4, true);
console.log(`data generated in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);

const oursSmall = ours(files.smallCur, files.smallRef);
const oursLarge = ours(files.largeCur, files.largeRef);
console.log(`ours  ${SMALL} rows: ${oursSmall.seconds.toFixed(2)} s, ${oursSmall.maxRssMb.toFixed(0)} MB`);
console.log(
  `ours  ${LARGE} rows: ${oursLarge.seconds.toFixed(2)} s, ${oursLarge.maxRssMb.toFixed(0)} MB; failed ${oursLarge.failed}; drifted ${oursLarge.drifted.join(' ')}`,
);
const peerLarge = peer(files.largeCur, files.largeRef);
console.log(
  `peer  ${LARGE} rows: ${peerLarge.seconds.toFixed(2)} s, ${peerLarge.maxRssMb.toFixed(0)} MB; failed ${peerLarge.failed}; drifted ${peerLarge.drifted.join(' ')}`,
);
const duck = runDuckDb([files.largeCur, files.largeRef]);
console.log(
  `DuckDB ${LARGE} rows: ${duck.seconds.toFixed(2)} s, ${duck.cpuSeconds.toFixed(2)} CPU-s, ${duck.maxRssMb.toFixed(0)} MB`,
);
const sameVerdicts =
  oursLarge.failed === peerLarge.failed &&
  [...oursLarge.drifted].sort().join() === [...peerLarge.drifted].sort().join();
console.log(
  JSON.stringify({
    rows: LARGE,
    columns: 12,
    ours_s: Number(oursLarge.seconds.toFixed(3)),
    peer_s: Number(peerLarge.seconds.toFixed(3)),
    speedup: Number((peerLarge.seconds / oursLarge.seconds).toFixed(2)),
    ours_cpu_s: Number(oursLarge.cpuSeconds.toFixed(3)),
    peer_cpu_s: Number(peerLarge.cpuSeconds.toFixed(3)),
    cpu_ratio: Number((peerLarge.cpuSeconds / oursLarge.cpuSeconds).toFixed(2)),
    ours_peak_mb: Math.round(oursLarge.maxRssMb),
    peer_peak_mb: Math.round(peerLarge.maxRssMb),
    memory_ratio: Number((oursLarge.maxRssMb / peerLarge.maxRssMb).toFixed(3)),
    ours_peak_mb_small: Math.round(oursSmall.maxRssMb),
    memory_growth_5x: Number((oursLarge.maxRssMb / oursSmall.maxRssMb).toFixed(3)),
    duckdb_s: duck.seconds,
    duckdb_cpu_s: duck.cpuSeconds,
    duckdb_peak_mb: Math.round(duck.maxRssMb),
    vs_duckdb_wall: Number((duck.seconds / oursLarge.seconds).toFixed(2)),
    vs_duckdb_cpu: Number((duck.cpuSeconds / oursLarge.cpuSeconds).toFixed(2)),
    same_verdicts: sameVerdicts,
  }),
);

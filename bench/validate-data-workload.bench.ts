// validate-data on issue 21's workload, as a new user would run it: 12 columns (a unique string id, 8
// numeric with 2 shifted in the current data and 2 with 1% missing, 3 categorical of 2, 12 and 40 values),
// reference and current of 2,000,000 rows (and 400,000, for memory as rows grow 5x), as CSV and as Parquet
// (zstd, 122,880-row groups, written by DuckDB), automatic drift and no expectations file. Peers: DuckDB
// `SUMMARIZE` of both files on 2 threads (bench/duckdb_peer.mjs) and pandas + scipy reading both CSV files
// and computing the same statistics and drift (bench/validate-data-workload_peer.py). Every side runs as its
// own process under /usr/bin/time -v (wall, CPU of all threads, peak RSS). Ours is the action bundle
// (dist/, or MLOPS_DIST for a private build).
// Usage: npm run bench -- validate-data-workload   (BENCH_ROWS sets the large size; BENCH_SKIP_PANDAS=1)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
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
const dir = path.join(root, '.tmp', 'bench', 'validate-data-workload');
mkdirSync(dir, { recursive: true });
const LARGE = Number(process.env['BENCH_ROWS'] ?? 2_000_000);
const SMALL = Math.round(LARGE / 5);

const CAT_B = Array.from({ length: 12 }, (_, i) => `tier_${i}`);
const CAT_C = Array.from({ length: 40 }, (_, i) => `region_${String(i).padStart(2, '0')}`);

function generateCsv(file: string, rows: number, seed: number, shift: boolean): Promise<void> {
  const random = mulberry32(seed);
  const header = ['id', ...Array.from({ length: 8 }, (_, i) => `x${i}`), 'flag', 'tier', 'region'];
  return writeCsv(file, header, rows, (r) => {
    // A bijection on 32-bit integers: every id is distinct, and they do not come in order.
    const cells = [`u${(Math.imul(r + 1, 0x9e3779b1) >>> 0).toString(36)}`];
    for (let i = 0; i < 8; i++) {
      if ((i === 2 || i === 5) && random() < 0.01) {
        cells.push('');
        continue;
      }
      const sd = (i + 1) * 1.5;
      const value = 20 * (i + 1) + (shift && i < 2 ? sd * 0.5 : 0) + sd * normal(random);
      cells.push(i === 7 ? String(Math.round(value)) : value.toFixed(5));
    }
    cells.push(
      random() < 0.3 ? 'yes' : 'no',
      CAT_B[Math.floor(random() * 12)]!,
      CAT_C[Math.floor(random() * random() * 40)]!,
    );
    return cells;
  });
}

function toParquet(csv: string): string {
  const file = csv.replace(/\.csv$/, '.parquet');
  if (existsSync(file)) return file;
  const run = spawnSync(process.execPath, ['bench/duckdb_peer.mjs', '--to-parquet', csv, `${file}.part`], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`parquet copy failed: ${run.stderr}`);
  renameSync(`${file}.part`, file);
  return file;
}

function pandas(current: string, reference: string): Measure & { drifted: string[] } {
  const run = spawnSync(
    '/usr/bin/python3',
    [path.join(root, 'bench', 'validate-data-workload_peer.py'), current, reference],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  if (run.status !== 0) throw new Error(`pandas peer failed: ${run.stderr}`);
  const json = JSON.parse(run.stdout.trim().split('\n').pop()!);
  return {
    seconds: json.seconds,
    cpuSeconds: json.cpu_seconds,
    maxRssMb: json.max_rss_mb,
    detail: '',
    drifted: [...json.drifted].sort(),
  };
}

const t0 = performance.now();
const csv = {
  smallRef: path.join(dir, `reference-${SMALL}.csv`),
  smallCur: path.join(dir, `current-${SMALL}.csv`),
  largeRef: path.join(dir, `reference-${LARGE}.csv`),
  largeCur: path.join(dir, `current-${LARGE}.csv`),
};
await generateCsv(csv.smallRef, SMALL, 11, false);
await generateCsv(csv.smallCur, SMALL, 12, true);
await generateCsv(csv.largeRef, LARGE, 13, false);
await generateCsv(csv.largeCur, LARGE, 14, true);
const parquet = Object.fromEntries(
  Object.entries(csv).map(([key, file]) => [key, toParquet(file)]),
) as typeof csv;
const mb = (file: string) => Math.round(statSync(file).size / 2 ** 20);
console.log(
  `data in ${((performance.now() - t0) / 1000).toFixed(1)} s: CSV ${mb(csv.largeCur)} MB, Parquet ${mb(parquet.largeCur)} MB per ${LARGE}-row file (${dir})`,
);

const show = (name: string, m: Measure) =>
  console.log(
    `${name.padEnd(28)} ${m.seconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} CPU-s, ${m.maxRssMb.toFixed(0)} MB`,
  );
const ours = (files: typeof csv, large: boolean) => {
  const m = runValidateData(dir, {
    data: large ? files.largeCur : files.smallCur,
    reference: large ? files.largeRef : files.smallRef,
  });
  return { ...m, drifted: drifted(m.report) };
};
const oursCsv = ours(csv, true);
show('ours CSV', oursCsv);
const oursCsvSmall = ours(csv, false);
show('ours CSV (1/5 rows)', oursCsvSmall);
const oursParquet = ours(parquet, true);
show('ours Parquet', oursParquet);
const oursParquetSmall = ours(parquet, false);
show('ours Parquet (1/5 rows)', oursParquetSmall);
const duckCsv = runDuckDb([csv.largeCur, csv.largeRef]);
show('DuckDB CSV', duckCsv);
const duckParquet = runDuckDb([parquet.largeCur, parquet.largeRef]);
show('DuckDB Parquet', duckParquet);
const peer = process.env['BENCH_SKIP_PANDAS'] ? undefined : pandas(csv.largeCur, csv.largeRef);
if (peer) show('pandas + scipy CSV', peer);
console.log(
  `drifted: ours ${oursCsv.drifted.join(' ')} | Parquet ${oursParquet.drifted.join(' ')} | pandas ${peer?.drifted.join(' ')}`,
);

const r = (x: number) => Number(x.toFixed(2));
console.log(
  JSON.stringify({
    rows: LARGE,
    csv: {
      ours_s: oursCsv.seconds,
      ours_cpu_s: oursCsv.cpuSeconds,
      ours_peak_mb: Math.round(oursCsv.maxRssMb),
      duckdb_s: duckCsv.seconds,
      duckdb_cpu_s: duckCsv.cpuSeconds,
      duckdb_peak_mb: Math.round(duckCsv.maxRssMb),
      pandas_s: peer?.seconds,
      pandas_cpu_s: peer?.cpuSeconds,
      pandas_peak_mb: peer && Math.round(peer.maxRssMb),
      vs_duckdb_wall: r(duckCsv.seconds / oursCsv.seconds),
      vs_duckdb_cpu: r(duckCsv.cpuSeconds / oursCsv.cpuSeconds),
      vs_pandas_wall: peer && r(peer.seconds / oursCsv.seconds),
      vs_pandas_cpu: peer && r(peer.cpuSeconds / oursCsv.cpuSeconds),
      memory_vs_pandas: peer && Number((oursCsv.maxRssMb / peer.maxRssMb).toFixed(3)),
      memory_growth_5x: Number((oursCsv.maxRssMb / oursCsvSmall.maxRssMb).toFixed(3)),
    },
    parquet: {
      ours_s: oursParquet.seconds,
      ours_cpu_s: oursParquet.cpuSeconds,
      ours_peak_mb: Math.round(oursParquet.maxRssMb),
      duckdb_s: duckParquet.seconds,
      duckdb_cpu_s: duckParquet.cpuSeconds,
      duckdb_peak_mb: Math.round(duckParquet.maxRssMb),
      vs_duckdb_wall: r(duckParquet.seconds / oursParquet.seconds),
      vs_duckdb_cpu: r(duckParquet.cpuSeconds / oursParquet.cpuSeconds),
      memory_growth_5x: Number((oursParquet.maxRssMb / oursParquetSmall.maxRssMb).toFixed(3)),
    },
    same_verdicts:
      oursCsv.drifted.join() === oursParquet.drifted.join() &&
      (peer === undefined || peer.drifted.join() === oursCsv.drifted.join()),
  }),
);

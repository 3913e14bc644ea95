// Paired, class-stratified bootstrap of an AUC difference on 1,000,000 rows x 1,000 resamples (ours: sort
// once, O(n) weighted pass per resample, resamples on 1 thread and on the machine's threads) against
// today's common practice measured in the same run:
// scikit-learn's roc_auc_score in a resampling loop (bench/bootstrap-auc_peer.py, Debian python3-sklearn).
// The peer runs a few resamples (BENCH_PEER_RESAMPLES, default 8) and its per-resample time is scaled to
// 1,000; both wall and CPU time are reported because the machine may be shared. Also times DeLong's test
// on the same million rows. Last stdout line: one JSON object with the figures.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRandom, delongTest, pairedBootstrap } from '@mlops/stats';

const N = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RESAMPLES = Number(process.env.BENCH_RESAMPLES ?? 1000);
const PEER_RESAMPLES = Number(process.env.BENCH_PEER_RESAMPLES ?? 8);
/** Scores printed with this many decimals (as in a CSV of predictions, hence tied scores); unset: continuous. */
const DECIMALS = process.env.BENCH_DECIMALS === undefined ? undefined : Number(process.env.BENCH_DECIMALS);
/** The AUC bootstrap's resampling scheme (auto: Poisson from 10,000 rows of each class, see docs/gate-config.md). */
const SCHEME = (process.env.BENCH_SCHEME ?? 'auto') as 'auto' | 'multinomial' | 'poisson';

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
function time<T>(run: () => T): { value: T; wall: number; cpu: number } {
  const wall = performance.now();
  const cpu = cpuSeconds();
  const value = run();
  return { value, wall: (performance.now() - wall) / 1000, cpu: cpuSeconds() - cpu };
}

// Two models of the same task: both see a shared latent signal, so their scores correlate (~0.8) as a
// champion's and a challenger's do; prevalence 30%, continuous scores (no ties) unless BENCH_DECIMALS is set.
const random = createRandom(20261122);
const gaussian = (): number =>
  Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
const data = new Float64Array(3 * N);
const y = data.subarray(0, N);
const a = data.subarray(N, 2 * N);
const b = data.subarray(2 * N, 3 * N);
for (let i = 0; i < N; i++) {
  y[i] = random.nextDouble() < 0.3 ? 1 : 0;
  const latent = 1.2 * y[i]! + gaussian();
  a[i] = 1 / (1 + Math.exp(-(latent + 0.5 * gaussian())));
  b[i] = 1 / (1 + Math.exp(-(0.9 * latent + 0.6 * gaussian())));
  if (DECIMALS !== undefined) {
    // The double a CSV reader gets from the printed value.
    a[i] = Number(a[i]!.toFixed(DECIMALS));
    b[i] = Number(b[i]!.toFixed(DECIMALS));
  }
}
let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0; // biome-ignore format: correlation accumulators
for (let i = 0; i < N; i++) {
  sa += a[i]!;
  sb += b[i]!;
  saa += a[i]! * a[i]!;
  sbb += b[i]! * b[i]!;
  sab += a[i]! * b[i]!;
}
const correlation = (sab - (sa * sb) / N) / Math.sqrt((saa - (sa * sa) / N) * (sbb - (sb * sb) / N));

const delong = time(() => delongTest(y, a, b));
// process.cpuUsage() counts every thread of the process, worker threads included.
const runOurs = (threads: number | undefined) =>
  time(() =>
    pairedBootstrap({
      yTrue: y,
      scoresA: a,
      scoresB: b,
      metric: 'roc_auc',
      nResamples: RESAMPLES,
      method: 'bca',
      seed: 1,
      threads,
      aucScheme: SCHEME,
    }),
  );
const single = runOurs(1);
const ours = runOurs(undefined);
const r = ours.value;
for (const run of [single, ours]) {
  console.log(
    `ours: ${RESAMPLES} stratified resamples of ${N} rows, BCa, ${run.value.threads} thread(s): ${run.wall.toFixed(2)} s wall, ${run.cpu.toFixed(2)} s CPU; ` +
      `d = ${run.value.difference.toFixed(6)}, 95% CI [${run.value.ci[0].toFixed(6)}, ${run.value.ci[1].toFixed(6)}], engine ${run.value.engine}`,
  );
}
if (single.value.distribution.some((v, i) => v !== r.distribution[i]))
  throw new Error('1 thread and several threads gave different resamples');
console.log(
  `DeLong on ${N} rows: ${delong.wall.toFixed(3)} s wall, ${delong.cpu.toFixed(3)} s CPU; CI [${delong.value.ci.map((v) => v.toFixed(6)).join(', ')}]`,
);

const dir = path.join(process.cwd(), '.tmp', 'bench');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, 'bootstrap-auc.f64');
writeFileSync(file, new Uint8Array(data.buffer));
const peerRun = spawnSync(
  '/usr/bin/python3',
  [path.join('bench', 'bootstrap-auc_peer.py'), file, String(N), String(PEER_RESAMPLES)],
  {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
rmSync(file, { force: true });
if (peerRun.status !== 0) throw new Error(`peer failed with exit ${peerRun.status}`);
const peer = JSON.parse(peerRun.stdout.trim().split('\n').pop()!) as {
  per_resample_wall_s: number;
  per_resample_cpu_s: number;
  difference: number;
};
if (Math.abs(peer.difference - r.difference) > 1e-12)
  throw new Error(`peer and ours disagree on the AUC difference: ${peer.difference} vs ${r.difference}`);
const peerWall = peer.per_resample_wall_s * RESAMPLES;
const peerCpu = peer.per_resample_cpu_s * RESAMPLES;
console.log(
  `peer (sklearn roc_auc_score loop): ${(peer.per_resample_wall_s * 1000).toFixed(0)} ms wall / ${(peer.per_resample_cpu_s * 1000).toFixed(0)} ms CPU per resample ` +
    `over ${PEER_RESAMPLES} resamples -> ${peerWall.toFixed(0)} s wall for ${RESAMPLES}`,
);
console.log(
  JSON.stringify({
    rows: N,
    resamples: RESAMPLES,
    score_correlation: Number(correlation.toFixed(3)),
    decimals: DECIMALS ?? null,
    scheme: r.aucScheme,
    threads: r.threads,
    ours_s: Number(ours.wall.toFixed(3)),
    ours_cpu_s: Number(ours.cpu.toFixed(3)),
    ours_per_resample_ms: Number(((ours.wall / RESAMPLES) * 1000).toFixed(2)),
    ours_1_thread_s: Number(single.wall.toFixed(3)),
    ours_1_thread_cpu_s: Number(single.cpu.toFixed(3)),
    peer_s: Number(peerWall.toFixed(1)),
    peer_cpu_s: Number(peerCpu.toFixed(1)),
    peer_resamples_measured: PEER_RESAMPLES,
    speedup: Number((peerWall / ours.wall).toFixed(1)),
    speedup_cpu: Number((peerCpu / ours.cpu).toFixed(1)),
    speedup_1_thread: Number((peerWall / single.wall).toFixed(1)),
    speedup_1_thread_cpu: Number((peerCpu / single.cpu).toFixed(1)),
    delong_s: Number(delong.wall.toFixed(3)),
    delong_cpu_s: Number(delong.cpu.toFixed(3)),
    load_average_1m: Number(os.loadavg()[0]!.toFixed(2)),
  }),
);

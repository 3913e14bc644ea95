// The paired, class-stratified bootstrap of an AUC difference, built for a million rows and a thousand
// resamples inside a CI job (pROC's stratified bootstrap: m positives and n negatives drawn with replacement
// per resample). Both models are sorted once; a resample is its exact multinomial counts, drawn by an
// inlined generator from the resample's own seeded stream, and one weighted Mann-Whitney pass per model
// over its sorted order. Because every resample has its own stream, resamples can run on any thread in any
// order and give the same numbers: worker threads and the calling thread claim them a few at a time from a
// shared counter, reading the sorted arrays from SharedArrayBuffers (no copies); the calling thread then
// blocks on Atomics.wait for the workers' last claims, so the API stays synchronous.
//
// Two resampling schemes. `multinomial` is pROC's: exactly m positives and n negatives drawn per resample.
// `poisson` gives every row an independent Poisson(1) weight instead (the Poisson bootstrap: Hanley &
// MacGibbon 2006, "Creating non-parametric bootstrap samples using Poisson frequencies"; Chamandy, Muralidharan,
// Najmi & Naidu 2012, "Estimating uncertainty for massive data streams"). The AUC divides by the positive and
// the negative weight totals, so the random totals cancel and the class stratification is kept to first
// order; the two schemes' variance estimates differ by O(1/m + 1/n) (a multinomial count has variance
// 1 - 1/m, a Poisson one 1). Poisson weights need no counting pass: they are drawn in model A's order
// during A's own pass (one generator output per two rows, no random increments), which makes a resample
// cheaper on a million rows; `auto` takes it from 10,000 rows of each class, where the difference is below
// 0.01 % of the variance, and keeps the exact multinomial scheme below. Where the runtime has WebAssembly
// SIMD, the Poisson scheme's passes run in auc-bootstrap-simd.ts, several resamples per pass (eight per pass
// of model A, sixteen per pass of model B), with the numbers of the JavaScript kernel bit for bit (which
// stays for the rest: see simdLayout).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { assertBothClasses, assertOpenUnit, StatsError } from '../errors.ts';
import { argsortAscending } from '../metrics/argsort.ts';
import { checkBinaryInput, classLayout, placementsOf } from '../metrics/roc-auc.ts';
import {
  aucBootstrapKernel,
  drawStratum,
  labelledPass,
  poissonBootstrapKernel,
  poissonFirstPass,
  poissonSimdKernel,
  type SimdAddresses,
  seedResample,
  weightedAuc,
} from './auc-bootstrap-kernel.ts';
import {
  aucBootstrapSimdModule,
  SIMD_GATHER_BYTES,
  SIMD_OUT_BYTES,
  SIMD_SCRATCH_BYTES,
  SIMD_STATE_BYTES,
  SIMD_TABLES_BYTES,
  type SimdPasses,
  type WasmMemory,
  type WasmModule,
  wasm,
  writeSimdTables,
} from './auc-bootstrap-simd.ts';
import { bcaInterval, jackknifeAcceleration, percentileInterval } from './bootstrap-interval.ts';

/** Options of {@link pairedAucBootstrap}. */
export interface AucBootstrapOptions {
  /** Number of resamples B (>= 2). */
  resamples: number;
  /** Seed of the per-resample xoshiro128** streams (taken modulo 2^32). */
  seed: number;
  /** Confidence level of the interval, in (0, 1). */
  confidence: number;
  /** Percentile interval, or BCa (bias-corrected and accelerated, scipy's default). */
  method: 'percentile' | 'bca';
  /**
   * Threads to use: 1 runs every resample on the calling thread; more start worker threads. Default: the
   * machine's available parallelism, at most 8. Results are identical for any value.
   */
  threads?: number;
  /** rows x resamples below which everything stays on the calling thread (a worker costs ~30 ms). Default 2e7. */
  parallelAbove?: number;
  /**
   * Each model's ascending sort order as `argsortAscending` returns it (stable: ties in row order), when the
   * caller has it already: saves two sorts of every row. Checked to be sorted; a permutation that breaks
   * ties differently would give other (equally valid) resamples than the same seed without `orders`.
   */
  orders?: { a: Int32Array; b: Int32Array };
  /**
   * Resampling scheme: `multinomial` (pROC's class-stratified draws), `poisson` (independent Poisson(1)
   * row weights, faster on large files; needs at least 30 rows of each class), or `auto` (the default:
   * poisson from 10,000 rows of each class, multinomial below). See the file comment.
   */
  scheme?: AucBootstrapScheme | 'auto';
  /**
   * Run the Poisson scheme's passes as WebAssembly SIMD, several resamples per pass, where the runtime
   * supports it (default true); false keeps the JavaScript kernel. The numbers are the same either way
   * (tested).
   */
  simd?: boolean;
}

/** How a resample weights the rows: stratified multinomial counts, or independent Poisson(1) weights. */
export type AucBootstrapScheme = 'multinomial' | 'poisson';

/** Rows of each class from which `auto` takes the Poisson scheme. */
export const POISSON_AUTO_MIN_CLASS = 10_000;

/** Result of {@link pairedAucBootstrap}. */
export interface AucBootstrapResult {
  /** Full-sample AUC of model A (as roc_auc_score). */
  aucA: number;
  aucB: number;
  /** aucA - aucB. */
  difference: number;
  ci: [number, number];
  /** The bootstrap differences AUC_A* - AUC_B*, by resample index. */
  distribution: Float64Array;
  /**
   * Threads the resamples were spread over: the calling thread and the workers it started (1 = the calling
   * thread only). They claim resamples as they go, so on a small job a worker may start after the calling
   * thread has claimed them all, and a worker that fails leaves its resamples to the calling thread.
   */
  threads: number;
  /** BCa only: the jackknife acceleration. */
  acceleration?: number;
  /** BCa only: the bias correction. */
  z0?: number;
  /** The scheme the resamples used (`auto` resolved). */
  scheme: AucBootstrapScheme;
  /** Resamples with no weight in a class (Poisson only; probability e^-m), left out of the interval. */
  nonFinite: number;
  /** Whether the WebAssembly SIMD passes made the resamples (see the `simd` option); the same numbers either way. */
  simd: boolean;
}

/** The kernel's shareable inputs. */
interface Prepared {
  scheme: AucBootstrapScheme;
  m: number;
  n: number;
  /** Slot of each row: positives 0..m-1 and negatives m..m+n-1, each class in model A's score order. */
  slotOfRow: Int32Array;
  /** Each model's sorted order as slots, in the layout weightedAuc expects (see slotOrder). */
  slotA: Int32Array;
  slotB: Int32Array;
  /** Whether the model has tied scores (then slotA / slotB mark runs and put negatives first in each). */
  tiedA: boolean;
  tiedB: boolean;
  orderA: Int32Array;
  orderB: Int32Array;
}

/**
 * Rows renumbered as slots (positives first, each class in A's score order, so model A's pass reads the
 * counts almost sequentially) and each model's sorted order as slots. The kernel's arrays live in
 * SharedArrayBuffers so worker threads read them without a copy.
 */
function prepare(
  labels: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  orders?: { a: Int32Array; b: Int32Array },
  scheme: AucBootstrapScheme = 'multinomial',
): Prepared {
  const total = labels.length;
  if (orders && (orders.a.length !== total || orders.b.length !== total))
    throw new StatsError(`orders have ${orders.a.length} and ${orders.b.length} rows: expected ${total}`);
  if (orders && !(isPermutation(orders.a) && isPermutation(orders.b)))
    throw new StatsError('orders: each must list every row exactly once');
  const orderA = orders?.a ?? argsortAscending(scoresA);
  const orderB = orders?.b ?? argsortAscending(scoresB);
  let m = 0;
  for (let i = 0; i < total; i++) if (labels[i] === 1) m++;
  if (scheme === 'poisson') return preparePoisson(labels, scoresA, scoresB, orderA, orderB, m);
  const slotOfRow = new Int32Array(total);
  let p = 0;
  let q = m;
  for (let k = 0; k < total; k++) {
    const row = orderA[k]!;
    slotOfRow[row] = labels[row] === 1 ? p++ : q++;
  }
  const a = slotOrder(scoresA, orderA, slotOfRow, m);
  const b = slotOrder(scoresB, orderB, slotOfRow, m);
  return {
    scheme,
    m,
    n: total - m,
    slotOfRow,
    slotA: a.slots,
    slotB: b.slots,
    tiedA: a.tied,
    tiedB: b.tied,
    orderA,
    orderB,
  };
}

/**
 * The Poisson scheme's layout: slots are the positions in model A's order after each run of tied scores is
 * partitioned (negatives first), so A's pass draws and stores the weights in slot order; every entry of
 * either order carries its class in bit 30 and run starts in bit 31 (see labelledPass).
 */
function preparePoisson(
  labels: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  orderA: Int32Array,
  orderB: Int32Array,
  m: number,
): Prepared {
  const total = labels.length;
  const slotOfRow = new Int32Array(total);
  // The labels as bytes (1 MB per million rows instead of 8 for doubles): the layouts read them at random.
  const positive = new Uint8Array(total);
  for (let i = 0; i < total; i++) positive[i] = labels[i] === 1 ? 1 : 0;
  // A's order with rows as the low bits, then each row renamed to its position.
  const slotA = labelledOrder(scoresA, orderA, positive, null);
  for (let k = 0; k < total; k++) {
    const entry = slotA[k]!;
    slotOfRow[entry & 0x3fffffff] = k;
    slotA[k] = (entry & ~0x3fffffff) | k;
  }
  const slotB = labelledOrder(scoresB, orderB, positive, slotOfRow);
  return {
    scheme: 'poisson',
    m,
    n: total - m,
    slotOfRow,
    slotA,
    slotB,
    tiedA: true,
    tiedB: true,
    orderA,
    orderB,
  };
}

/**
 * One model's order as labelled entries in a SharedArrayBuffer: `slotOf[row]` (the row itself when null)
 * with the class in bit 30, each run of tied scores partitioned negatives first and its first entry marked
 * in bit 31 (a run of one included). Gathers first and walks the runs in the gathered copy, as slotOrder.
 * Only runs where a negative follows a positive are partitioned, through one typed scratch array (a JS
 * array per run, on scores with ~500,000 short runs per million rows, cost more than the rest together).
 */
function labelledOrder(
  scores: ArrayLike<number>,
  order: Int32Array,
  positive: Uint8Array,
  slotOf: Int32Array | null,
): Int32Array {
  const total = order.length;
  const entries = new Int32Array(new SharedArrayBuffer(Math.max(4 * total, 8)), 0, total);
  const sortedScores = new Float64Array(total);
  for (let k = 0; k < total; k++) {
    const row = order[k]!;
    sortedScores[k] = scores[row]!;
    entries[k] = (slotOf === null ? row : slotOf[row]!) | (positive[row]! << 30);
  }
  let sorted = true;
  let previous = Number.NEGATIVE_INFINITY;
  let runStart = 0;
  // Whether the current run holds a positive, and a negative after one (then it must be partitioned).
  let sawPositive = false;
  let mixed = false;
  let scratch: Int32Array | undefined;
  for (let k = 0; k < total; k++) {
    const score = sortedScores[k]!;
    const isPositive = (entries[k]! & 0x40000000) !== 0;
    if (score !== previous) {
      if (!(score > previous)) sorted = false;
      if (mixed) {
        scratch ??= new Int32Array(total);
        partitionLabelled(entries, runStart, k, scratch);
      }
      runStart = k;
      mixed = false;
      sawPositive = isPositive;
    } else if (isPositive) sawPositive = true;
    else if (sawPositive) mixed = true;
    previous = score;
  }
  if (mixed) partitionLabelled(entries, runStart, total, scratch ?? new Int32Array(total));
  if (!sorted) throw new StatsError('a given sort order does not sort its scores ascending');
  // The run marks, once the partitions have moved entries within their runs.
  previous = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < total; k++) {
    const score = sortedScores[k]!;
    entries[k] = entries[k]! | ((score !== previous ? 1 : 0) << 31);
    previous = score;
  }
  return entries;
}

/** Stable partition of the run entries[first, end) by bit 30, negatives first, through `scratch`. */
function partitionLabelled(entries: Int32Array, first: number, end: number, scratch: Int32Array): void {
  let write = first;
  let held = 0;
  for (let k = first; k < end; k++) {
    const entry = entries[k]!;
    if ((entry & 0x40000000) === 0) entries[write++] = entry;
    else scratch[held++] = entry;
  }
  for (let j = 0; j < held; j++) entries[write++] = scratch[j]!;
}

/**
 * The inverse CDF of Poisson(1) on a uniform 32-bit integer u: the weight is the number of thresholds
 * T_k = round(2^32 · P(X <= k)) at or below u, so each probability is Poisson(1)'s to within 2^-32 (weights
 * run to 12; P(X > 12) < 2^-32). `table` gives, per top-11-bit bucket of u, (cut << 4) | base: the weight at
 * the bucket's start and the offset of the one threshold inside it (2^21 for none); bucket 2047, holding
 * the thresholds of 6 and above, is -1 and falls back to counting `thresholds` (poissonFirstPass).
 */
function poissonInverseCdf(): { table: Int32Array; half16: Uint8Array; thresholds: Float64Array } {
  const thresholds: number[] = [];
  let probability = Math.exp(-1);
  let cdf = 0;
  for (let k = 0; ; k++) {
    cdf += probability;
    probability /= k + 1;
    const threshold = Math.round(cdf * 2 ** 32);
    if (threshold >= 2 ** 32) break;
    thresholds.push(threshold);
  }
  const width = 2 ** 21;
  const table = new Int32Array(2048);
  for (let bucket = 0; bucket < 2048; bucket++) {
    const low = bucket * width;
    const base = thresholds.filter((t) => t <= low).length;
    const inside = thresholds.filter((t) => t > low && t < low + width);
    table[bucket] = inside.length > 1 ? -1 : ((inside.length === 1 ? inside[0]! - low : width) << 4) | base;
  }
  // half16[v]: the weight of every u with high half v, or 255 where a threshold falls inside that bucket.
  // One sweep (the thresholds ascend): `base` counts those at or below the bucket's start.
  const half16 = new Uint8Array(65536);
  let base = 0;
  for (let v = 0; v < 65536; v++) {
    const low = v * 65536;
    while (base < thresholds.length && thresholds[base]! <= low) base++;
    half16[v] = base < thresholds.length && thresholds[base]! < low + 65536 ? 255 : base;
  }
  return { table, half16, thresholds: Float64Array.from(thresholds) };
}

/** The inverse-CDF tables, built on first use (not at load: every process that loads the stats package would pay it). */
let poissonTables: ReturnType<typeof poissonInverseCdf> | undefined;
function poisson(): ReturnType<typeof poissonInverseCdf> {
  poissonTables ??= poissonInverseCdf();
  return poissonTables;
}

function isPermutation(order: Int32Array): boolean {
  const seen = new Uint8Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const row = order[k]!;
    if (seen[row] !== 0) return false; // a repeat, or undefined: out of range
    seen[row] = 1;
  }
  return true;
}

/**
 * One model's sorted order as slots, in a SharedArrayBuffer. When some scores tie, each run of tied scores
 * lists its negative slots (>= m) before its positive ones and its first entry carries bit 31 (slots are
 * below 2^31), which lets weightedAuc count ties one half in its branch-free pass; otherwise the entries are
 * the bare slots and `tied` is false.
 */
function slotOrder(
  scores: ArrayLike<number>,
  order: Int32Array,
  slotOfRow: Int32Array,
  m: number,
): { slots: Int32Array; tied: boolean } {
  const total = order.length;
  const slots = new Int32Array(new SharedArrayBuffer(Math.max(4 * total, 8)), 0, total);
  // Gather each row's score and slot first, in a loop without branches (so the random reads overlap),
  // then find the runs of equal scores in the gathered copy, in order: a branch per row mixed into the
  // gathers (ties come at random) made this 3-4x slower. Every run is marked at its first entry and
  // partitioned once complete; without any tie the marks are stripped again at the end.
  const sortedScores = new Float64Array(total);
  for (let k = 0; k < total; k++) {
    const row = order[k]!;
    sortedScores[k] = scores[row]!;
    slots[k] = slotOfRow[row]!;
  }
  let tied = false;
  // Scores are finite (validated), so a bad order (not sorted, an index out of range) shows as a score
  // below its predecessor or undefined (NaN once stored).
  let sorted = true;
  let previous = Number.NEGATIVE_INFINITY;
  let runStart = 0;
  const positives: number[] = [];
  for (let k = 0; k < total; k++) {
    const score = sortedScores[k]!;
    if (score === previous) tied = true;
    else {
      if (!(score > previous)) sorted = false;
      if (k - runStart > 1) partitionRun(slots, runStart, k, m, positives);
      runStart = k;
      slots[k] = slots[k]! | 0x80000000;
    }
    previous = score;
  }
  if (total - runStart > 1) partitionRun(slots, runStart, total, m, positives);
  if (!sorted) throw new StatsError('a given sort order does not sort its scores ascending');
  if (!tied) for (let k = 0; k < total; k++) slots[k] = slots[k]! & 0x7fffffff;
  return { slots, tied };
}

/**
 * Stable partition of the tied run slots[first, end): negative slots (>= m) first, then positive ones,
 * each in sorted order; the run's mark (bit 31) stays on its first entry.
 */
function partitionRun(slots: Int32Array, first: number, end: number, m: number, positives: number[]): void {
  let write = first;
  positives.length = 0;
  for (let k = first; k < end; k++) {
    const slot = slots[k]! & 0x7fffffff;
    if (slot >= m) slots[write++] = slot;
    else positives.push(slot);
  }
  for (const slot of positives) slots[write++] = slot;
  slots[first] = slots[first]! | 0x80000000;
}

/**
 * How the worker threads get the kernel, in tests and in a bundled action alike: its functions are
 * self-contained (auc-bootstrap-kernel.ts uses nothing but its arguments, each other, Math and Atomics),
 * so their source text, from Function.prototype.toString, is a complete CommonJS script for
 * `new Worker(source, { eval: true })`. No separate worker file has to be found next to the bundle at run
 * time (esbuild would not emit one for a `new URL('./worker.ts', import.meta.url)` without an extra entry
 * point, and vitest runs TypeScript that a bare worker could not load). Whatever the bundler renames
 * (esbuild's minifier, or `drawStratum2` after a name clash), it renames the declaration and its calls
 * alike, and `keepNames` adds its `__name(...)` calls after each declaration, not inside the bodies we
 * print. A coverage tool that instruments source (istanbul) would put its counters in those bodies and
 * break the workers; V8 coverage does not. Workers and the calling thread claim resamples from one shared
 * counter and mark each finished one in `done`; each worker counts itself out in control[2] when it stops,
 * normally or not.
 */
const WORKER_SOURCE = `'use strict';
const { workerData: w } = require('node:worker_threads');
${drawStratum.toString()}
${weightedAuc.toString()}
${seedResample.toString()}
${poissonFirstPass.toString()}
${labelledPass.toString()}
const simdKernel = ${poissonSimdKernel.toString()};
const kernel = ${aucBootstrapKernel.toString()};
const poissonKernel = ${poissonBootstrapKernel.toString()};
const control = new Int32Array(w.control);
try {
  if (w.simd) {
    const { passA, passB } = new WebAssembly.Instance(w.simd.module, { env: { memory: w.simd.memory } }).exports;
    simdKernel(passA, passB, w.simd.memory.buffer, w.simd.at, w.simd.total, w.seed, control, w.chunk,
      new Float64Array(w.out), new Uint8Array(w.done));
  } else if (w.scheme === 'poisson') {
    poissonKernel(new Int32Array(w.slotA), new Int32Array(w.slotB), w.table, w.half16, w.thresholds, w.seed, control,
      w.chunk, new Float64Array(w.out), new Uint8Array(w.done));
  } else {
    kernel(new Int32Array(w.slotA), new Int32Array(w.slotB), w.tiedA, w.tiedB,
      w.m, w.n, w.seed, control, w.chunk, new Float64Array(w.out), new Uint8Array(w.done));
  }
} finally {
  Atomics.add(control, 2, 1);
  Atomics.notify(control, 1);
}
`;

/** Resamples a thread claims at a time: small enough to balance threads on a busy machine. */
const CHUNK = 4;
/** The same for the SIMD passes, which make sixteen resamples at a time. */
const SIMD_CHUNK = 16;

/** The SIMD module, compiled on first use; null where the runtime has no WebAssembly SIMD. */
let simdModule: WasmModule | null | undefined;
function compiledSimdModule(): WasmModule | null {
  if (simdModule === undefined) {
    try {
      const bytes = aucBootstrapSimdModule(poisson().thresholds);
      simdModule = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      simdModule = null;
    }
  }
  return simdModule ?? null;
}

/** Where the SIMD passes find their data: a shared memory with the tables, both orders and one region per thread. */
interface SimdLayout {
  module: WasmModule;
  memory: WasmMemory;
  total: number;
  /** Byte addresses of the orders and of thread t's region. */
  at(t: number): SimdAddresses;
}

/**
 * The shared memory for the SIMD passes, or undefined where they cannot give poissonFirstPass' numbers
 * exactly: without WebAssembly SIMD, or when a tied run of model A holds so many negatives that the
 * JavaScript pass would switch a block to one generator output per row (its weights would then differ;
 * a run's negative weight is at most its negatives times the largest weight).
 */
function simdLayout(prepared: Prepared, threads: number): SimdLayout | undefined {
  const module = compiledSimdModule();
  if (!module) return undefined;
  const { slotA, slotB } = prepared;
  const total = slotA.length;
  const { thresholds, half16 } = poisson();
  let negatives = 0;
  let most = 0;
  for (let k = 0; k < total; k++) {
    const entry = slotA[k]!;
    if (entry < 0) negatives = 0;
    if ((entry & 0x40000000) === 0) negatives++;
    if (negatives > most) most = negatives;
  }
  if (most * thresholds.length > 100000) return undefined;
  const align = (bytes: number) => Math.ceil(bytes / 64) * 64;
  const orderA = SIMD_TABLES_BYTES;
  const orderB = orderA + align(4 * total);
  const regions = orderB + align(4 * total);
  const region =
    align(8 * total) + SIMD_GATHER_BYTES + SIMD_OUT_BYTES + SIMD_SCRATCH_BYTES + SIMD_STATE_BYTES;
  const pages = Math.ceil((regions + threads * region) / 65536);
  let memory: WasmMemory;
  try {
    memory = new wasm!.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return undefined; // no memory that large: the JavaScript kernel needs less
  }
  writeSimdTables(memory.buffer, half16, thresholds);
  new Int32Array(memory.buffer, orderA, total).set(slotA);
  new Int32Array(memory.buffer, orderB, total).set(slotB);
  return {
    module,
    memory,
    total,
    at(t) {
      const weights = regions + t * region;
      const out = weights + align(8 * total);
      return {
        orderA,
        orderB,
        weights,
        out,
        scratch: out + SIMD_OUT_BYTES,
        state: out + SIMD_OUT_BYTES + SIMD_SCRATCH_BYTES,
        gathered: out + SIMD_OUT_BYTES + SIMD_SCRATCH_BYTES + SIMD_STATE_BYTES,
      };
    },
  };
}

/** The longest the calling thread waits for workers before it makes their unfinished resamples itself. */
const WORKER_TIMEOUT_MS = 600_000;

/** Resamples under way: workers already claim them; `finish` makes the rest on the calling thread. */
interface RunningResamples {
  /**
   * Claims what is left on the calling thread, waits for the workers' last claims, makes anything a failed
   * worker left unfinished, and returns the differences, the threads started and how many resamples the
   * calling thread made.
   */
  finish(callerClaims?: boolean): { out: Float64Array; threads: number; madeByCaller: number; simd: boolean };
}

/**
 * Starts up to `threads - 1` workers on the resamples and returns at once, so the calling thread can do
 * other work while they run (a worker needs no turn of the calling thread's event loop). A worker that
 * never starts (or dies) costs nothing but its share of the speed: at `finish` the calling thread claims
 * what nobody else claimed, waits only while a claimed resample is unfinished and some worker is still
 * running, and then makes anything left over itself. Workers are unref'd: an error on the calling thread
 * before `finish` does not keep the process alive for them.
 */
function startResamples(
  prepared: Prepared,
  seed: number,
  resamples: number,
  threads: number,
  useSimd = true,
): RunningResamples {
  const out = new Float64Array(new SharedArrayBuffer(8 * resamples));
  const done = new Uint8Array(new SharedArrayBuffer(resamples));
  // control: [0] next unclaimed resample, [1] resamples finished, [2] workers stopped.
  const control = new Int32Array(new SharedArrayBuffer(12));
  const { slotA, slotB, tiedA, tiedB, m, n, scheme } = prepared;
  // Makes the resamples claimed from `counter` (the shared control, or a one-off claim of resample r).
  const tables = scheme === 'poisson' ? poisson() : undefined;
  const simd = useSimd && tables ? simdLayout(prepared, threads) : undefined;
  const chunk = simd ? SIMD_CHUNK : CHUNK;
  const simdHere = simd
    ? (new wasm!.Instance(simd.module, { env: { memory: simd.memory } }).exports as unknown as SimdPasses)
    : undefined;
  const make = (counter: Int32Array, claim: number, into: Float64Array): number =>
    simd && simdHere
      ? poissonSimdKernel(
          simdHere.passA,
          simdHere.passB,
          simd.memory.buffer,
          simd.at(0),
          simd.total,
          seed,
          counter,
          claim,
          into,
          done,
        )
      : tables
        ? poissonBootstrapKernel(
            slotA,
            slotB,
            tables.table,
            tables.half16,
            tables.thresholds,
            seed,
            counter,
            claim,
            into,
            done,
          )
        : aucBootstrapKernel(slotA, slotB, tiedA, tiedB, m, n, seed, counter, claim, into, done);
  const workers: Worker[] = [];
  for (let t = 1; t < threads; t++) {
    try {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          slotA: slotA.buffer,
          slotB: slotB.buffer,
          tiedA,
          tiedB,
          m,
          n,
          seed,
          scheme,
          // The JavaScript Poisson kernel's tables (the SIMD passes have theirs in the shared memory).
          ...(simd ? undefined : tables),
          simd: simd && { module: simd.module, memory: simd.memory, at: simd.at(t), total: simd.total },
          chunk,
          out: out.buffer,
          done: done.buffer,
          control: control.buffer,
        },
      });
      worker.unref();
      // A worker's error is not the caller's: the calling thread makes what it left unfinished (and then
      // meets any real error itself). Without a listener, the error event would end the process.
      worker.on('error', () => {});
      workers.push(worker);
    } catch {
      break; // no more workers (resource limits): the threads already running share the work
    }
  }
  let finished: ReturnType<RunningResamples['finish']> | undefined;
  return {
    finish(callerClaims = true) {
      if (finished) return finished;
      const madeHere = callerClaims ? make(control, chunk, out) : 0;
      const deadline = Date.now() + WORKER_TIMEOUT_MS;
      for (;;) {
        const count = Atomics.load(control, 1);
        if (count >= resamples || Atomics.load(control, 2) >= workers.length || Date.now() > deadline) break;
        Atomics.wait(control, 1, count, 1000);
      }
      for (const worker of workers) void worker.terminate();
      // Resamples a failed or stalled worker left unfinished are made here (an error then surfaces with its
      // real message); the numbers are the same wherever a resample is made.
      const redo = new Int32Array(2);
      let redone = 0;
      for (let r = 0; r < resamples; r++) {
        if (Atomics.load(done, r) === 1) continue;
        // A counter at r and an `out` ending after r: the kernel makes exactly resample r.
        redo[0] = r;
        redone += make(redo, 1, out.subarray(0, r + 1));
      }
      finished = {
        out,
        threads: 1 + workers.length,
        madeByCaller: madeHere + redone,
        simd: simd !== undefined,
      };
      return finished;
    },
  };
}

/** The full-sample AUC from the prepared order (every count 1). */
function unitAuc(prepared: Prepared, order: Int32Array, tied: boolean): number {
  const { m, n } = prepared;
  const ones = new Uint8Array(m + n).fill(1);
  if (prepared.scheme === 'multinomial') return weightedAuc(order, tied, ones, m, n);
  const totals = new Float64Array(3);
  labelledPass(order, ones, totals);
  return totals[0]! / (2 * totals[1]! * totals[2]!);
}

/**
 * Paired, class-stratified bootstrap of AUC_A - AUC_B for two models scored on the same rows (pROC's
 * stratified bootstrap; percentile or BCa interval as scipy.stats.bootstrap, the BCa acceleration from the
 * exact O(n) delete-one jackknife of DeLong placements). Both models are sorted once; each resample draws
 * m positives and n negatives with replacement (exact multinomial counts from the resample's own seeded
 * stream) and costs one O(n) pass per model; resamples are spread over `threads` threads with identical
 * results for any thread count. Throws a StatsError for invalid input (lengths, labels not 0/1, non-finite
 * scores, fewer than 2 rows of a class).
 * @example
 * pairedAucBootstrap(
 *   [0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1],
 *   [0.1, 0.8, 0.3, 0.7, 0.6, 0.2, 0.9, 0.4, 0.65, 0.35, 0.5, 0.45],
 *   [0.2, 0.6, 0.4, 0.5, 0.7, 0.3, 0.8, 0.45, 0.1, 0.5, 0.55, 0.6],
 *   { resamples: 2000, seed: 1, confidence: 0.95, method: 'bca' },
 * ); // => difference -0.1111, ci [-0.4444444444444444, 0.05555555555555558], threads 1
 */
export function pairedAucBootstrap(
  labels: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  options: AucBootstrapOptions,
): AucBootstrapResult {
  return startPairedAucBootstrap(labels, scoresA, scoresB, options).finish();
}

/** A {@link pairedAucBootstrap} under way: the full-sample AUCs now, the interval at `finish`. */
export interface RunningAucBootstrap {
  /** Full-sample AUC of model A (as roc_auc_score), known before any resample. */
  aucA: number;
  aucB: number;
  /**
   * Makes the resamples nobody has claimed yet on the calling thread, waits for the workers and returns
   * the result (the same numbers as {@link pairedAucBootstrap}); a second call returns the same result.
   */
  finish(): AucBootstrapResult;
}

/**
 * {@link pairedAucBootstrap} in two steps, so that the calling thread can do other work while worker
 * threads make resamples: validates, sorts (or takes `orders`), computes both full-sample AUCs, starts the
 * workers and returns; `finish()` then makes the unclaimed resamples on the calling thread and builds the
 * interval. With one thread (small jobs) every resample is made in `finish`. The numbers do not depend on
 * when `finish` is called or on how many resamples the workers made by then.
 * @example
 * const running = startPairedAucBootstrap(
 *   [0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1],
 *   [0.1, 0.8, 0.3, 0.7, 0.6, 0.2, 0.9, 0.4, 0.65, 0.35, 0.5, 0.45],
 *   [0.2, 0.6, 0.4, 0.5, 0.7, 0.3, 0.8, 0.45, 0.1, 0.5, 0.55, 0.6],
 *   { resamples: 2000, seed: 1, confidence: 0.95, method: 'bca' },
 * ); // running.aucA - running.aucB => -0.1111; running.finish().ci => [-0.4444444444444444, 0.05555555555555558]
 */
export function startPairedAucBootstrap(
  labels: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  options: AucBootstrapOptions,
): RunningAucBootstrap {
  const positives = checkBinaryInput(labels, scoresA);
  checkBinaryInput(labels, scoresB);
  assertBothClasses(positives, labels.length, 'roc_auc');
  const { resamples, seed, confidence, method } = options;
  if (!Number.isInteger(resamples) || resamples < 2)
    throw new StatsError(`resamples is ${resamples}: expected an integer >= 2`);
  assertOpenUnit(confidence, 'confidence');
  if (method !== 'bca' && method !== 'percentile')
    throw new StatsError(`bootstrap method '${String(method)}': expected bca or percentile`);
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1))
    throw new StatsError(`threads is ${options.threads}: expected a positive integer`);
  if (positives < 2 || labels.length - positives < 2) {
    throw new StatsError(
      `a stratified AUC bootstrap needs at least 2 positives and 2 negatives (got ${positives} and ${labels.length - positives})`,
    );
  }
  if (labels.length >= 2 ** 31) throw new StatsError(`the AUC bootstrap takes fewer than 2^31 rows`);
  const scheme = resolveScheme(options.scheme, positives, labels.length - positives);
  const prepared = prepare(labels, scoresA, scoresB, options.orders, scheme);
  const { m, n } = prepared;
  const threads =
    labels.length * resamples < (options.parallelAbove ?? 2e7)
      ? 1
      : Math.max(1, Math.min(options.threads ?? Math.min(availableParallelism(), 8), resamples));
  const running = startResamples(prepared, seed, resamples, threads, options.simd ?? true);
  // The full-sample AUCs once the workers are starting (they need none of this).
  const aucA = unitAuc(prepared, prepared.slotA, prepared.tiedA);
  const aucB = unitAuc(prepared, prepared.slotB, prepared.tiedB);
  const difference = aucA - aucB;
  let result: AucBootstrapResult | undefined;
  const finish = (): AucBootstrapResult => {
    if (result) return result;
    const run = running.finish();
    // Poisson resamples with no weight in a class have no AUC (NaN): left out, and counted.
    const distribution = run.out.filter((value) => Number.isFinite(value));
    const nonFinite = resamples - distribution.length;
    if (distribution.length < 2)
      throw new StatsError(
        `only ${distribution.length} of ${resamples} resamples had weight in both classes`,
      );
    const sorted = Float64Array.from(distribution).sort();
    result = {
      aucA,
      aucB,
      difference,
      ci: percentileInterval(sorted, confidence),
      distribution,
      threads: run.threads,
      scheme,
      nonFinite,
      simd: run.simd,
    };
    if (method === 'bca') {
      // Removing positive i gives (m·AUC - V10_i)/(m - 1); removing negative j gives (n·AUC - V01_j)/(n - 1).
      // One class layout for both models, as delongTest does (the inputs were validated above).
      const layout = classLayout(labels, scoresA);
      const a = placementsOf(layout, scoresA, prepared.orderA);
      const b = placementsOf(layout, scoresB, prepared.orderB);
      const jackknife = new Float64Array(m + n);
      for (let i = 0; i < m; i++)
        jackknife[i] = (m * a.auc - a.positive[i]!) / (m - 1) - (m * b.auc - b.positive[i]!) / (m - 1);
      for (let j = 0; j < n; j++)
        jackknife[m + j] = (n * a.auc - a.negative[j]!) / (n - 1) - (n * b.auc - b.negative[j]!) / (n - 1);
      const acceleration = jackknifeAcceleration(jackknife);
      const bca = bcaInterval(sorted, difference, acceleration, confidence);
      result.acceleration = acceleration;
      result.z0 = bca.z0;
      result.ci = bca.ci;
    }
    return result;
  };
  return { aucA, aucB, finish };
}

/** The scheme `auto` (or an explicit choice) means for m positives and n negatives; refuses what cannot work. */
function resolveScheme(
  requested: AucBootstrapScheme | 'auto' | undefined,
  m: number,
  n: number,
): AucBootstrapScheme {
  const choice = requested ?? 'auto';
  if (choice !== 'auto' && choice !== 'multinomial' && choice !== 'poisson')
    throw new StatsError(`bootstrap scheme '${String(choice)}': expected auto, multinomial or poisson`);
  const poissonFits = m + n < 2 ** 30;
  if (choice === 'auto')
    return poissonFits && Math.min(m, n) >= POISSON_AUTO_MIN_CLASS ? 'poisson' : 'multinomial';
  if (choice === 'poisson') {
    if (Math.min(m, n) < 30) {
      throw new StatsError(
        `the Poisson bootstrap needs at least 30 rows of each class (got ${m} positives and ${n} negatives): use the multinomial scheme`,
      );
    }
    if (!poissonFits) throw new StatsError('the Poisson AUC bootstrap takes fewer than 2^30 rows');
  }
  return choice;
}

/**
 * The counts (row order) that resample r of {@link pairedAucBootstrap} with this seed draws (the Poisson
 * scheme's weights with `scheme` poisson): for tests, which check each resample against roc_auc_score with
 * these counts as weights.
 */
export function aucBootstrapCounts(
  labels: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  seed: number,
  r: number,
  scheme: AucBootstrapScheme = 'multinomial',
): Float64Array {
  const prepared = prepare(labels, scoresA, scoresB, undefined, scheme);
  const { m, n, slotOfRow } = prepared;
  const counts = new Uint8Array(m + n);
  const state = new Int32Array(4);
  seedResample(state, seed, r);
  if (scheme === 'poisson') {
    const { table, half16, thresholds } = poisson();
    poissonFirstPass(prepared.slotA, counts, state, table, half16, thresholds, new Float64Array(3));
  } else {
    drawStratum(counts, 0, m, state);
    drawStratum(counts, m, n, state);
  }
  return Float64Array.from(slotOfRow, (slot) => counts[slot]!);
}

/**
 * For tests: every resample made by one worker thread while the calling thread only waits (in normal runs
 * the calling thread claims resamples too, and a small job may be done before a worker has started).
 * `madeByCaller` is how many the calling thread had to make itself after all.
 */
export function aucBootstrapInWorker(
  labels: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  seed: number,
  resamples: number,
  scheme: AucBootstrapScheme = 'multinomial',
  simd = true,
): { distribution: Float64Array; madeByCaller: number; simd: boolean } {
  const prepared = prepare(labels, scoresA, scoresB, undefined, scheme);
  const run = startResamples(prepared, seed, resamples, 2, simd).finish(false);
  return { distribution: Float64Array.from(run.out), madeByCaller: run.madeByCaller, simd: run.simd };
}

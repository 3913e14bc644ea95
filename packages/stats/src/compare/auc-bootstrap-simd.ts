// The Poisson AUC bootstrap's two passes as a WebAssembly SIMD module, several resamples per pass: lane j of
// every 128-bit vector belongs to resample r + j. The JavaScript kernel (auc-bootstrap-kernel.ts) makes one
// resample per pass and spends most of its time on scalar work that is the same for every resample: reading
// each model's 4-byte order entry, splitting its class and run bits, the gather of model B. Here model A's
// pass makes eight resamples (their xoshiro128** streams step together in two i32x4 vectors) and model B's
// sixteen: one entry read and one 8-byte gather (the sixteen resamples' 4-bit weights of a row side by
// side) serve sixteen resamples. The numbers are those of poissonFirstPass and labelledPass exactly: every
// lane draws the same outputs of its own stream in the same order (two rows per output, 16 fresh bits for a
// threshold bucket), and the Mann-Whitney sums are the same integers, accumulated in int32 lanes within a
// block and in doubles (exact below 2^53) across blocks.
//
// The module is emitted here as bytes (no toolchain at build time; a few hundred instructions), compiled
// once per process and shared with the worker threads as a WebAssembly.Module. Its memory is a shared
// WebAssembly.Memory: fixed tables at the bottom (the 65,536-entry weight table and the thresholds), then
// both orders, then one region per thread (weights of sixteen resamples, 4 bits each, 8 bytes a row, and
// small buffers).
//
// Range argument for the int16 lanes: a Poisson weight is at most the number of thresholds, 12 (so it also
// fits 4 bits), and within a block of BLOCK rows a lane's weights sum to at most BLOCK · 12: `rel` (negative
// weight since the block began), `rs` (rel at the last run start in the block) and `positives` stay at or
// below 6,144, rel + rs below 12,288 < 2^15; products go to int32 lanes (extmul) whose block sums stay
// below 512 · 12 · 12,288 < 2^27. A run of tied scores carried in from an earlier block contributes through
// `carried` (its positive weight in this block) times (negatives before that run - block base), in doubles.

/** Rows per block (see the range argument above). */
const BLOCK = 512;
/** Bytes of a thread's scratch: block-end vectors (96), the rare path's v and w (32). */
export const SIMD_SCRATCH_BYTES = 128;
/** Bytes of a thread's block buffer for model B's gathered weights. */
export const SIMD_GATHER_BYTES = 8 * BLOCK;
/** Bytes of a thread's output: sum, positive weight, below, run start: 4 x 8 doubles, for lanes 0-7 then 8-15. */
export const SIMD_OUT_BYTES = 512;
/** Bytes of a thread's generator states: a, b, c, d words of the eight lanes. */
export const SIMD_STATE_BYTES = 128;
/** Address of the 65,536-entry table of weights by the high 16 bits of u (255: a threshold bucket). */
const HALF16_AT = 0;
/** Address of the thresholds as uint32. */
const THRESHOLDS_AT = 65536;
/** First address free for orders and thread regions. */
export const SIMD_TABLES_BYTES = 65536 + 256;

// ---- a minimal WebAssembly encoder ----

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

function unsigned(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function signed(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function bytesOf(text: string): number[] {
  return [...unsigned(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

function vector(items: number[][]): number[] {
  return [...unsigned(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}

/** Instruction emitter for one function body. */
class Body {
  readonly code: number[] = [];
  private readonly locals: number[] = [];
  constructor(private readonly params: number) {}
  /** A new local of `type`; returns its index. */
  local(type: number): number {
    this.locals.push(type);
    return this.params + this.locals.length - 1;
  }
  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  simd(opcode: number, ...immediates: number[]): this {
    return this.op(0xfd, ...unsigned(opcode), ...immediates);
  }
  get(index: number): this {
    return this.op(0x20, ...unsigned(index));
  }
  set(index: number): this {
    return this.op(0x21, ...unsigned(index));
  }
  tee(index: number): this {
    return this.op(0x22, ...unsigned(index));
  }
  i32(value: number): this {
    return this.op(0x41, ...signed(value));
  }
  /** v128.const of eight int16 lanes. */
  i16x8(lanes: number[]): this {
    const bytes: number[] = [];
    for (const lane of lanes) bytes.push(lane & 0xff, (lane >> 8) & 0xff);
    return this.simd(0x0c, ...bytes);
  }
  i16splat(value: number): this {
    return this.i16x8(new Array<number>(8).fill(value));
  }
  i32splat(value: number): this {
    const bytes: number[] = [];
    for (let j = 0; j < 4; j++)
      bytes.push(value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff);
    return this.simd(0x0c, ...bytes);
  }
  /** A memory access: opcode then memarg (alignment exponent, offset). */
  mem(opcode: number, align: number, offset = 0): this {
    return this.op(opcode, align, ...unsigned(offset));
  }
  memSimd(opcode: number, align: number, offset = 0, lane?: number): this {
    this.simd(opcode, align, ...unsigned(offset));
    if (lane !== undefined) this.op(lane);
    return this;
  }
  block(): this {
    return this.op(0x02, 0x40);
  }
  loop(): this {
    return this.op(0x03, 0x40);
  }
  if(): this {
    return this.op(0x04, 0x40);
  }
  end(): this {
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, ...unsigned(depth));
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...unsigned(depth));
  }
  call(index: number): this {
    return this.op(0x10, ...unsigned(index));
  }
  encode(): number[] {
    const groups: number[][] = this.locals.map((type) => [1, type]);
    const content = [...vector(groups), ...this.code, 0x0b];
    return [...unsigned(content.length), ...content];
  }
}

// Opcodes used (WebAssembly core and SIMD proposals).
const op = {
  i32Load: 0x28,
  i32Load16s: 0x2e,
  i32Load16u: 0x2f,
  i32Load8u: 0x2d,
  f64Load: 0x2b,
  i64Load: 0x29,
  i64Store: 0x37,
  i32Store: 0x36,
  i32Store16: 0x3b,
  f64Store: 0x39,
  i32Eq: 0x46,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  i32Rotl: 0x77,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64ConvertI32S: 0xb7,
  select: 0x1b,
} as const;
const simd = {
  load: 0x00,
  load8x8u: 0x02,
  store: 0x0b,
  shuffle: 0x0d,
  i16x8Splat: 0x10,
  i16x8Eq: 0x2d,
  i16x8GtS: 0x31,
  and: 0x4e,
  andnot: 0x4f,
  or: 0x50,
  xor: 0x51,
  bitselect: 0x52,
  anyTrue: 0x53,
  store64Lane: 0x5b,
  i8x16NarrowI16x8U: 0x66,
  i8x16ShrU: 0x6d,
  load64Zero: 0x5d,
  i16x8ExtendHighI8x16U: 0x8a,
  store32Lane: 0x5a,
  i16x8ExtendLowI8x16U: 0x89,
  i16x8ShrU: 0x8d,
  i16x8Bitmask: 0x84,
  i16x8Add: 0x8e,
  i16x8Sub: 0x91,
  i32x4Shl: 0xab,
  i32x4ShrU: 0xad,
  i32x4Mul: 0xb5,
  i32x4Add: 0xae,
  i32x4ExtmulLowI16x8S: 0xbc,
  i32x4ExtmulHighI16x8S: 0xbd,
} as const;

// Function indices (no imported functions).
const PASS_B = 0;
const PASS_A = 1;
const FIX_RARE = 2;
const BLOCK_END = 3;

/**
 * The Mann-Whitney block pass shared by both models: blocks of BLOCK rows; in a block, rows before its first
 * run start belong to a run carried in (phase 1, no run base), the rest follow the run marks (phase 2).
 * The local `blockWeights` holds the address of the block's first row's weights (the rest follow, 8 bytes
 * a row). `beforeBlock` runs at each block's start (model A draws the block's weights there, model B
 * gathers them).
 */
function emitBlockPass(
  f: Body,
  p: { order: number; total: number; out: number; scratch: number },
  blockWeights: number,
  beforeBlock: (first: number, end: number) => void,
  sixteen: boolean,
): void {
  const first = f.local(I32);
  const end = f.local(I32);
  const at = f.local(I32); // address of the current order entry
  const stop = f.local(I32); // address past the block's last entry
  const wp = f.local(I32); // address of the current row's weights
  const e = f.local(I32);
  const hasStart = f.local(I32);
  const pos = f.local(V128);
  const start = f.local(V128);
  const packed = f.local(V128);
  // One set of accumulators per eight lanes.
  const sets = (sixteen ? [0, 1] : [0]).map(() => ({
    rel: f.local(V128),
    rs: f.local(V128),
    positives: f.local(V128),
    carried: f.local(V128),
    lo: f.local(V128),
    hi: f.local(V128),
    w: f.local(V128),
    cp: f.local(V128),
    factor: f.local(V128),
  }));

  const row = (phase2: boolean): void => {
    if (sixteen) {
      // Sixteen 4-bit weights in 8 bytes: byte i holds lanes 2i (low nibble) and 2i + 1 (high nibble) for
      // i < 4, lanes 8 + 2(i - 4) and 9 + 2(i - 4) for i >= 4.
      f.get(wp).memSimd(simd.load64Zero, 3).set(packed);
      f.get(packed).i16splat(0x0f0f).simd(simd.and);
      f.get(packed).i32(4).simd(simd.i8x16ShrU);
      f.simd(simd.shuffle, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23).set(packed);
      f.get(packed).simd(simd.i16x8ExtendLowI8x16U).set(sets[0]!.w);
      f.get(packed).simd(simd.i16x8ExtendHighI8x16U).set(sets[1]!.w);
    } else f.get(wp).memSimd(simd.load8x8u, 0).set(sets[0]!.w);
    // pos = all ones for a positive (bit 30); start = all ones on a run's first row (bit 31)
    f.get(e).i32(1).op(op.i32Shl).i32(31).op(op.i32ShrS).simd(simd.i16x8Splat).set(pos);
    if (phase2) f.get(e).i32(31).op(op.i32ShrS).simd(simd.i16x8Splat).set(start);
    for (const { rel, rs, positives, lo, hi, w, cp, factor } of sets) {
      // rs = rel at a run start, else unchanged
      if (phase2) f.get(rel).get(rs).get(start).simd(simd.bitselect).set(rs);
      f.get(w).get(pos).simd(simd.and).set(cp);
      if (phase2) f.get(rel).get(rs).simd(simd.i16x8Add).set(factor);
      const factorLocal = phase2 ? factor : rel;
      f.get(lo).get(cp).get(factorLocal).simd(simd.i32x4ExtmulLowI16x8S).simd(simd.i32x4Add).set(lo);
      f.get(hi).get(cp).get(factorLocal).simd(simd.i32x4ExtmulHighI16x8S).simd(simd.i32x4Add).set(hi);
      f.get(positives).get(cp).simd(simd.i16x8Add).set(positives);
      f.get(rel).get(w).get(pos).simd(simd.andnot).simd(simd.i16x8Add).set(rel);
    }
    f.get(at).i32(4).op(op.i32Add).set(at);
    f.get(wp).i32(8).op(op.i32Add).set(wp);
  };

  f.i32(0).set(first);
  f.block().loop();
  f.get(first).get(p.total).op(op.i32GeU).brIf(1);
  // end = min(first + BLOCK, total)
  f.get(first)
    .i32(BLOCK)
    .op(op.i32Add)
    .get(p.total)
    .get(first)
    .i32(BLOCK)
    .op(op.i32Add)
    .get(p.total)
    .op(op.i32LtU)
    .op(op.select)
    .set(end);
  beforeBlock(first, end);
  for (const { rel, rs, positives, lo, hi } of sets)
    f.i16splat(0).tee(rel).tee(rs).tee(positives).tee(lo).set(hi);
  f.get(first).i32(2).op(op.i32Shl).get(p.order).op(op.i32Add).set(at);
  f.get(end).i32(2).op(op.i32Shl).get(p.order).op(op.i32Add).set(stop);
  f.get(blockWeights).set(wp);
  // Phase 1: rows of a run carried into the block.
  f.block().loop();
  f.get(at).get(stop).op(op.i32GeU).brIf(1);
  f.get(at).mem(op.i32Load, 2).tee(e).i32(0).op(op.i32LtS).brIf(1);
  row(false);
  f.br(0).end().end();
  for (const { positives, carried } of sets) f.get(positives).set(carried);
  f.get(at).get(stop).op(op.i32LtU).set(hasStart);
  // Phase 2: the rest of the block.
  f.block().loop();
  f.get(at).get(stop).op(op.i32GeU).brIf(1);
  f.get(at).mem(op.i32Load, 2).set(e);
  row(true);
  f.br(0).end().end();
  // Block end: each set's int sums into the doubles of its `out` (lanes 8-15 at out + 256).
  sets.forEach(({ lo, hi, positives, carried, rel, rs }, set) => {
    f.get(p.scratch).get(lo).memSimd(simd.store, 4, 0);
    f.get(p.scratch).get(hi).memSimd(simd.store, 4, 16);
    f.get(p.scratch).get(positives).memSimd(simd.store, 4, 32);
    f.get(p.scratch).get(carried).memSimd(simd.store, 4, 48);
    f.get(p.scratch).get(rel).memSimd(simd.store, 4, 64);
    f.get(p.scratch).get(rs).memSimd(simd.store, 4, 80);
    f.get(p.out)
      .i32(256 * set)
      .op(op.i32Add)
      .get(p.scratch)
      .get(hasStart)
      .call(BLOCK_END);
  });
  f.get(end).set(first);
  f.br(0);
  f.end().end();
}

/**
 * passB(order, weights, total, out, scratch, gathered): model B's pass for sixteen resamples at once over the
 * weights two passA calls wrote (8 bytes a row: lanes 0-7 packed in bytes 0-3, lanes 8-15 in bytes 4-7;
 * sums of lanes 8-15 at out + 256). Each block first gathers its rows' weights (by slot, from all over the
 * array) into `gathered`, in a loop that does nothing else, so that many of its cache misses are under way
 * at once; the pass then reads them in order. The random gather is most of this pass: packing the weights
 * and serving sixteen resamples per gathered row make it 8 MB and one miss per row per sixteen resamples.
 */
function emitPassB(): number[] {
  const f = new Body(6);
  const p = { order: 0, weights: 1, total: 2, out: 3, scratch: 4, gathered: 5 };
  const from = f.local(I32);
  const stop = f.local(I32);
  const into = f.local(I32);
  emitBlockPass(
    f,
    p,
    p.gathered,
    (first, end) => {
      f.get(first).i32(2).op(op.i32Shl).get(p.order).op(op.i32Add).set(from);
      f.get(end).i32(2).op(op.i32Shl).get(p.order).op(op.i32Add).set(stop);
      f.get(p.gathered).set(into);
      f.block().loop();
      f.get(from).get(stop).op(op.i32GeU).brIf(1);
      f.get(into);
      f.get(from).mem(op.i32Load, 2).i32(0x3fffffff).op(op.i32And).i32(3).op(op.i32Shl);
      f.get(p.weights).op(op.i32Add).mem(op.i64Load, 3);
      f.mem(op.i64Store, 3);
      f.get(into).i32(8).op(op.i32Add).set(into);
      f.get(from).i32(4).op(op.i32Add).set(from);
      f.br(0).end().end();
    },
    true,
  );
  return f.encode();
}

/**
 * passA(order, weights, total, out, scratch, state, buffer): draws the eight lanes' weights of each block,
 * one byte each into `buffer` for its own pass and packed two to a byte at weights + 8·row (4 bytes; the
 * other half of each row's 8 is the other passA call's) for model B's, and runs model A's pass over them.
 */
function emitPassA(thresholds: number[]): number[] {
  const f = new Body(7);
  const p = { order: 0, weights: 1, total: 2, out: 3, scratch: 4, state: 5, buffer: 6 };
  const pw = f.local(I32);
  const nb = f.local(V128);
  const s = [0, 1, 2, 3, 4, 5, 6, 7].map(() => f.local(V128)); // a0 a1 b0 b1 c0 c1 d0 d1
  const x0 = f.local(V128);
  const x1 = f.local(V128);
  const t = f.local(V128);
  const v = f.local(V128);
  const vb = f.local(V128);
  const w = f.local(V128);
  const rare = f.local(V128);
  const k = f.local(I32);
  const gp = f.local(I32);
  const xs = f.local(V128); // v of the low halves, kept for the second row of a pair

  // Weight tests valid below the bucket of threshold 5: for k < 5, u >= T_k iff v >= ceil(T_k / 2^16)
  // outside the bucket that holds T_k (straddle, sent to the rare path with every v from T_5's bucket on).
  const low = thresholds.slice(0, 5);
  const bias = (value: number) => ((value ^ 0x8000) << 16) >> 16;
  const greater = low.map((threshold) => bias(Math.ceil(threshold / 65536) - 1));
  const straddles = low
    .filter((threshold) => threshold % 65536 !== 0)
    .map((threshold) => Math.floor(threshold / 65536));
  const rareFrom = bias(Math.floor(thresholds[5]! / 65536) - 1);

  const loadStates = (): void => {
    for (let i = 0; i < 8; i++)
      f.get(p.state)
        .memSimd(simd.load, 4, 16 * i)
        .set(s[i]!);
  };
  const storeStates = (): void => {
    for (let i = 0; i < 8; i++)
      f.get(p.state)
        .get(s[i]!)
        .memSimd(simd.store, 4, 16 * i);
  };
  /** Steps lanes (h = 0: 0-3, h = 1: 4-7) of xoshiro128**, leaving the output in `into`. */
  const step = (h: number, into: number): void => {
    const a = s[h]!;
    const b = s[2 + h]!;
    const c = s[4 + h]!;
    const d = s[6 + h]!;
    // result = rotl(b * 5, 7) * 9
    f.get(b).i32splat(5).simd(simd.i32x4Mul).set(t);
    f.get(t)
      .i32(7)
      .simd(simd.i32x4Shl)
      .get(t)
      .i32(25)
      .simd(simd.i32x4ShrU)
      .simd(simd.or)
      .i32splat(9)
      .simd(simd.i32x4Mul)
      .set(into);
    f.get(b).i32(9).simd(simd.i32x4Shl).set(t);
    f.get(c).get(a).simd(simd.xor).set(c);
    f.get(d).get(b).simd(simd.xor).set(d);
    f.get(b).get(c).simd(simd.xor).set(b);
    f.get(a).get(d).simd(simd.xor).set(a);
    f.get(c).get(t).simd(simd.xor).set(c);
    f.get(d).i32(11).simd(simd.i32x4Shl).get(d).i32(21).simd(simd.i32x4ShrU).simd(simd.or).set(d);
  };
  /** The weights of the eight lanes' 16-bit values in `v`, rare ones completed by fixRare, stored at gp. */
  const weigh = (): void => {
    f.get(v).i16splat(-32768).simd(simd.xor).set(vb);
    f.i16splat(0);
    for (const g of greater) f.get(vb).i16splat(g).simd(simd.i16x8GtS).simd(simd.i16x8Sub);
    f.set(w);
    f.get(vb).i16splat(rareFrom).simd(simd.i16x8GtS);
    for (const straddle of straddles) f.get(v).i16splat(straddle).simd(simd.i16x8Eq).simd(simd.or);
    f.tee(rare).simd(simd.anyTrue).if();
    storeStates();
    f.get(p.scratch).get(v).memSimd(simd.store, 4, 96);
    f.get(p.scratch).get(w).memSimd(simd.store, 4, 112);
    f.get(p.state).get(p.scratch).get(rare).simd(simd.i16x8Bitmask).call(FIX_RARE);
    loadStates();
    f.get(p.scratch).memSimd(simd.load, 4, 112).set(w);
    f.end();
    f.get(w).get(w).simd(simd.i8x16NarrowI16x8U).set(nb);
    f.get(gp).get(nb).memSimd(simd.store64Lane, 0, 0, 0);
    f.get(gp).i32(8).op(op.i32Add).set(gp);
    // Lanes 2i and 2i + 1 into one byte: the low nibble and the high one (weights are below 16).
    f.get(pw);
    f.get(nb).i16splat(0x00ff).simd(simd.and);
    f.get(nb).i32(4).simd(simd.i16x8ShrU).i16splat(0x00f0).simd(simd.and);
    f.simd(simd.or).get(w).simd(simd.i8x16NarrowI16x8U).memSimd(simd.store32Lane, 0, 0, 0);
    f.get(pw).i32(8).op(op.i32Add).set(pw);
  };
  const high = [2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31];
  const lowHalves = [0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29];

  loadStates();
  emitBlockPass(
    f,
    p,
    p.buffer,
    (first, end) => {
      f.get(first).set(k);
      f.get(p.buffer).set(gp);
      f.get(first).i32(3).op(op.i32Shl).get(p.weights).op(op.i32Add).set(pw);
      // Pairs of rows: the high halves for row k, the low halves for row k + 1.
      f.block().loop();
      f.get(k).i32(1).op(op.i32Add).get(end).op(op.i32GeU).brIf(1);
      step(0, x0);
      step(1, x1);
      f.get(x0)
        .get(x1)
        .simd(simd.shuffle, ...lowHalves)
        .set(xs);
      f.get(x0)
        .get(x1)
        .simd(simd.shuffle, ...high)
        .set(v);
      weigh();
      f.get(xs).set(v);
      weigh();
      f.get(k).i32(2).op(op.i32Add).set(k);
      f.br(0).end().end();
      // An odd last row takes the high halves of one more output.
      f.get(k).get(end).op(op.i32LtU).if();
      step(0, x0);
      step(1, x1);
      f.get(x0)
        .get(x1)
        .simd(simd.shuffle, ...high)
        .set(v);
      weigh();
      f.end();
    },
    false,
  );
  storeStates();
  return f.encode();
}

/**
 * fixRare(state, scratch, mask): for each lane whose bit is set in mask, the exact weight of its 16-bit
 * value v (scratch + 96): the table's, or, in a bucket holding a threshold, 16 fresh bits from the lane's
 * stream (stepped in `state`) complete u and the thresholds at or below it are counted. Writes the weights
 * to scratch + 112.
 */
function emitFixRare(count: number): number[] {
  const f = new Body(3);
  const [state, scratch, mask] = [0, 1, 2];
  const j = f.local(I32);
  const value = f.local(I32);
  const weight = f.local(I32);
  const lane = f.local(I32);
  const a = f.local(I32);
  const b = f.local(I32);
  const c = f.local(I32);
  const d = f.local(I32);
  const y = f.local(I32);
  const shifted = f.local(I32);
  f.i32(0).set(j);
  f.loop();
  f.get(mask).get(j).op(op.i32ShrU).i32(1).op(op.i32And).if();
  f.get(scratch).get(j).i32(1).op(op.i32Shl).op(op.i32Add).mem(op.i32Load16u, 1, 96).set(value);
  f.get(value).mem(op.i32Load8u, 0, HALF16_AT).tee(weight).i32(255).op(op.i32Eq).if();
  f.get(state).get(j).i32(2).op(op.i32Shl).op(op.i32Add).set(lane);
  f.get(lane).mem(op.i32Load, 2, 0).set(a);
  f.get(lane).mem(op.i32Load, 2, 32).set(b);
  f.get(lane).mem(op.i32Load, 2, 64).set(c);
  f.get(lane).mem(op.i32Load, 2, 96).set(d);
  f.get(b).i32(5).op(op.i32Mul).i32(7).op(op.i32Rotl).i32(9).op(op.i32Mul).set(y);
  f.get(b).i32(9).op(op.i32Shl).set(shifted);
  f.get(c).get(a).op(op.i32Xor).set(c);
  f.get(d).get(b).op(op.i32Xor).set(d);
  f.get(b).get(c).op(op.i32Xor).set(b);
  f.get(a).get(d).op(op.i32Xor).set(a);
  f.get(c).get(shifted).op(op.i32Xor).set(c);
  f.get(d).i32(11).op(op.i32Rotl).set(d);
  f.get(lane).get(a).mem(op.i32Store, 2, 0);
  f.get(lane).get(b).mem(op.i32Store, 2, 32);
  f.get(lane).get(c).mem(op.i32Store, 2, 64);
  f.get(lane).get(d).mem(op.i32Store, 2, 96);
  // u = v * 65536 + (y >>> 16); weight = thresholds at or below u (unsigned)
  f.get(value).i32(16).op(op.i32Shl).get(y).i32(16).op(op.i32ShrU).op(op.i32Or).set(y);
  f.i32(0).set(weight);
  f.block().loop();
  f.get(weight).i32(count).op(op.i32GeU).brIf(1);
  f.get(y).get(weight).i32(2).op(op.i32Shl).mem(op.i32Load, 2, THRESHOLDS_AT).op(op.i32LtU).brIf(1);
  f.get(weight).i32(1).op(op.i32Add).set(weight);
  f.br(0).end().end();
  f.end();
  f.get(scratch).get(j).i32(1).op(op.i32Shl).op(op.i32Add).get(weight).mem(op.i32Store16, 1, 112);
  f.end();
  f.get(j).i32(1).op(op.i32Add).tee(j).i32(8).op(op.i32LtU).brIf(0);
  f.end();
  return f.encode();
}

/**
 * blockEnd(out, scratch, hasStart): adds a block's lane sums (scratch: int32 local sums of lanes 0-3 and
 * 4-7, then int16 positives, carried, rel, rs) to the doubles at out (sum, positive weight, below, run
 * start: 8 lanes each), as labelledPass does per block: sum += local + 2·positives·below +
 * carried·(runStart - below); run start = below + rs if a run started in the block; below += rel.
 */
function emitBlockEnd(): number[] {
  const f = new Body(3);
  const [out, scratch, hasStart] = [0, 1, 2];
  const j = f.local(I32);
  const at = f.local(I32); // out + 8j
  const at16 = f.local(I32); // scratch + 2j
  const positives = f.local(F64);
  const below = f.local(F64);
  f.i32(0).set(j);
  f.loop();
  f.get(out).get(j).i32(3).op(op.i32Shl).op(op.i32Add).set(at);
  f.get(scratch).get(j).i32(1).op(op.i32Shl).op(op.i32Add).set(at16);
  f.get(at16).mem(op.i32Load16s, 1, 32).op(op.f64ConvertI32S).set(positives);
  f.get(at).mem(op.f64Load, 3, 128).set(below);
  // sum
  f.get(at);
  f.get(at).mem(op.f64Load, 3, 0);
  f.get(scratch).get(j).i32(2).op(op.i32Shl).op(op.i32Add).mem(op.i32Load, 2, 0).op(op.f64ConvertI32S);
  f.i32(2).op(op.f64ConvertI32S).get(positives).op(op.f64Mul).get(below).op(op.f64Mul).op(op.f64Add);
  f.get(at16).mem(op.i32Load16s, 1, 48).op(op.f64ConvertI32S);
  f.get(at).mem(op.f64Load, 3, 192).get(below).op(op.f64Sub).op(op.f64Mul).op(op.f64Add);
  f.op(op.f64Add).mem(op.f64Store, 3, 0);
  // positive weight
  f.get(at).get(at).mem(op.f64Load, 3, 64).get(positives).op(op.f64Add).mem(op.f64Store, 3, 64);
  // run start
  f.get(hasStart).if();
  f.get(at)
    .get(below)
    .get(at16)
    .mem(op.i32Load16s, 1, 80)
    .op(op.f64ConvertI32S)
    .op(op.f64Add)
    .mem(op.f64Store, 3, 192);
  f.end();
  // below
  f.get(at)
    .get(below)
    .get(at16)
    .mem(op.i32Load16s, 1, 64)
    .op(op.f64ConvertI32S)
    .op(op.f64Add)
    .mem(op.f64Store, 3, 128);
  f.get(j).i32(1).op(op.i32Add).tee(j).i32(8).op(op.i32LtU).brIf(0);
  f.end();
  return f.encode();
}

/** The module's bytes for these Poisson thresholds (memory imported as env.memory, shared). */
export function aucBootstrapSimdModule(thresholds: ArrayLike<number>): Uint8Array {
  const list = Array.from(thresholds);
  if (list.length > 15 || list.length < 6)
    throw new Error(`${list.length} thresholds: the packing needs 6 to 15`);
  const params = (count: number) => [0x60, ...vector(new Array<number>(count).fill(0).map(() => [I32])), 0];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([params(6), params(7), params(3)])),
    // env.memory: shared, limits from 1 page to the maximum of 65,536 pages
    ...section(
      2,
      vector([[...bytesOf('env'), ...bytesOf('memory'), 0x02, 0x03, ...unsigned(1), ...unsigned(65536)]]),
    ),
    ...section(3, vector([[0], [1], [2], [2]])),
    ...section(
      7,
      vector([
        [...bytesOf('passB'), 0x00, PASS_B],
        [...bytesOf('passA'), 0x00, PASS_A],
      ]),
    ),
    ...section(10, vector([emitPassB(), emitPassA(list), emitFixRare(list.length), emitBlockEnd()])),
  ];
  return Uint8Array.from(bytes);
}

/** Writes the fixed tables (weights by high 16 bits, thresholds) into the module's memory. */
export function writeSimdTables(
  memory: ArrayBuffer | SharedArrayBuffer,
  half16: Uint8Array,
  thresholds: ArrayLike<number>,
): void {
  new Uint8Array(memory, HALF16_AT, 65536).set(half16);
  const words = new Uint32Array(memory, THRESHOLDS_AT, thresholds.length);
  for (let k = 0; k < thresholds.length; k++) words[k] = thresholds[k]!;
}

/** The module's exports: the two passes (addresses into the shared memory; see emitPassA / emitPassB). */
export interface SimdPasses {
  passA(
    order: number,
    weights: number,
    total: number,
    out: number,
    scratch: number,
    state: number,
    buffer: number,
  ): void;
  passB(order: number, weights: number, total: number, out: number, scratch: number, gathered: number): void;
}

/** A compiled module (opaque). */
export interface WasmModule {
  readonly wasmModule: unique symbol;
}
/** A shared WebAssembly memory. */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
/** The few WebAssembly APIs used here (the project's `lib` setting has no WebAssembly typings). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
/** WebAssembly, where the runtime has it. */
export const wasm: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

import type { Compressors } from 'hyparquet';

/**
 * The page decompressors, in two sets. `owned`: every call returns a page of its own, for hyparquet's
 * readers, which may keep views into a page (binary values) past the next one. `transient`: for
 * decodeColumnChunk, which is done with a page before it decompresses the next: a zstd page is returned as
 * a view into the decoder's WebAssembly memory, valid until the next call, instead of a fresh copy of every
 * page (about a megabyte each on a DuckDB-written file; their garbage was much of a reading thread's
 * peak, bench/parquet.md).
 */
export interface ParquetCompressors {
  owned: Compressors;
  transient: Compressors;
}

let zstdReady: Promise<{ owned: Decompress; transient: Decompress }> | undefined;
let othersReady: Promise<Compressors> | undefined;

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array;

/**
 * The decompressors for a file's codecs: hyparquet-compressors' for every codec but ZSTD, which is the
 * reference zstd decoder compiled to WebAssembly (zstddec, the module ships inside the npm package). fzstd,
 * the pure-JS decoder hyparquet-compressors uses, had become 60% of the CPU time of reading a DuckDB-written
 * file once the page decoding was fast; zstddec decompresses the same pages 6-8x faster, byte for byte
 * identical (bench/validate-data.md). Each WebAssembly module is compiled once per thread, on the first file
 * that needs it.
 *
 * Both are imported here, on first use, not when the module loads: hyparquet-compressors compiles its
 * snappy WebAssembly module and builds its gzip and brotli tables as it is imported (~30-60 ms and ~2.5 MB
 * per thread), which every action bundling the data package (validate-data, evaluate-gate) paid at start-up,
 * Parquet or not, and a zstd-only file does not need.
 */
export async function parquetCompressors(codecs: Iterable<string>): Promise<ParquetCompressors> {
  const needed = new Set(codecs);
  needed.delete('UNCOMPRESSED');
  const zstd = needed.delete('ZSTD') ? await loadZstd() : undefined;
  const others = needed.size > 0 ? await loadOthers() : {};
  return {
    owned: { ...others, ...(zstd === undefined ? {} : { ZSTD: zstd.owned }) },
    transient: { ...others, ...(zstd === undefined ? {} : { ZSTD: zstd.transient }) },
  };
}

function loadOthers(): Promise<Compressors> {
  othersReady ??= import('hyparquet-compressors').then(({ compressors }) => compressors);
  return othersReady;
}

function loadZstd(): Promise<{ owned: Decompress; transient: Decompress }> {
  zstdReady ??= (async () => {
    const { ZSTDDecoder } = await import('zstddec');
    const zstd = new ZSTDDecoder();
    // zstddec keeps its WebAssembly instance to itself and copies every page out of it; its _init hook
    // (public, typed) is handed the instance, whose exports decompress into memory we reuse.
    let exports: ZstdExports | undefined;
    zstd._init = (result) => {
      exports = result.instance.exports as unknown as ZstdExports;
      ZSTDDecoder.prototype._init.call(zstd, result);
    };
    await withoutFetch(() => zstd.init());
    const owned: Decompress = (input, outputLength) => zstd.decode(input, outputLength);
    return { owned, transient: exports === undefined ? owned : zstdIntoReusedMemory(exports) };
  })();
  return zstdReady;
}

/** The exports of zstddec's WebAssembly build of zstd (emscripten's malloc and free, zstd's one-shot API). */
interface ZstdExports {
  memory: { readonly buffer: ArrayBuffer };
  malloc(size: number): number;
  free(pointer: number): void;
  ZSTD_decompress(destination: number, capacity: number, source: number, size: number): number;
  ZSTD_isError(code: number): number;
}

/**
 * A zstd page decompressor whose input and output regions in the WebAssembly memory grow as pages need
 * and are reused: the page it returns is a view of that memory, overwritten by the next call.
 */
function zstdIntoReusedMemory(exports: ZstdExports): (input: Uint8Array, outputLength: number) => Uint8Array {
  let source = 0;
  let sourceCapacity = 0;
  let destination = 0;
  let destinationCapacity = 0;
  const reserve = (pointer: number, capacity: number, size: number): [number, number] => {
    if (size <= capacity && pointer !== 0) return [pointer, capacity];
    if (pointer !== 0) exports.free(pointer);
    const grown = Math.max(size, 2 * capacity, 1 << 16);
    const fresh = exports.malloc(grown);
    if (fresh === 0) throw new Error(`zstd: cannot allocate ${grown} bytes for a page`);
    return [fresh, grown];
  };
  return (input, outputLength) => {
    [source, sourceCapacity] = reserve(source, sourceCapacity, input.byteLength);
    [destination, destinationCapacity] = reserve(destination, destinationCapacity, outputLength);
    // The memory's buffer is read after malloc: a growth of the memory replaces it.
    new Uint8Array(exports.memory.buffer, source, input.byteLength).set(input);
    const written = exports.ZSTD_decompress(destination, outputLength, source, input.byteLength) >>> 0;
    if (exports.ZSTD_isError(written)) throw new Error('zstd: a page does not decompress (corrupt data)');
    return new Uint8Array(exports.memory.buffer, destination, written);
  };
}

/**
 * Runs `start` with no global fetch. zstddec loads its WebAssembly module through fetch() of a data: URL
 * wherever fetch exists, and in Node the first fetch() loads undici, ~10 MB of resident memory on every
 * thread that reads Parquet (bench/parquet.md); without fetch it compiles the same bytes from a Buffer. The
 * check is synchronous, so fetch is back before any other code runs.
 */
function withoutFetch<T>(start: () => T): T {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (descriptor === undefined || !descriptor.configurable) return start();
  delete (globalThis as { fetch?: unknown }).fetch;
  try {
    return start();
  } finally {
    Object.defineProperty(globalThis, 'fetch', descriptor);
  }
}

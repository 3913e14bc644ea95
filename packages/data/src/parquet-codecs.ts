import type { Compressors } from 'hyparquet';

let ready: Promise<Compressors> | undefined;

/**
 * The page decompressors: hyparquet-compressors' for every codec but ZSTD, which is the reference zstd
 * decoder compiled to WebAssembly (zstddec, the module ships inside the npm package). fzstd, the pure-JS
 * decoder hyparquet-compressors uses, had become 60% of the CPU time of reading a DuckDB-written file once
 * the page decoding was fast; zstddec decompresses the same pages 6-8x faster, byte for byte identical
 * (bench/validate-data.md). The WebAssembly module is compiled once, on the first Parquet file.
 *
 * Both are imported here, on first use, not when the module loads: hyparquet-compressors compiles its
 * snappy WebAssembly module as it is imported (~30-60 ms), which every action bundling the data package
 * (validate-data, evaluate-gate) paid at start-up, Parquet or not.
 */
export function parquetCompressors(): Promise<Compressors> {
  ready ??= (async () => {
    const [{ compressors }, { ZSTDDecoder }] = await Promise.all([
      import('hyparquet-compressors'),
      import('zstddec'),
    ]);
    const zstd = new ZSTDDecoder();
    await zstd.init();
    return {
      ...compressors,
      ZSTD: (input: Uint8Array, outputLength: number) => zstd.decode(input, outputLength),
    };
  })();
  return ready;
}

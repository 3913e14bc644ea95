import type { Compressors } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ZSTDDecoder } from 'zstddec';

let ready: Promise<Compressors> | undefined;

/**
 * The page decompressors: hyparquet-compressors' for every codec but ZSTD, which is the reference zstd
 * decoder compiled to WebAssembly (zstddec, the module ships inside the npm package). fzstd, the pure-JS
 * decoder hyparquet-compressors uses, had become 60% of the CPU time of reading a DuckDB-written file once
 * the page decoding was fast; zstddec decompresses the same pages 6-8x faster, byte for byte identical
 * (bench/validate-data.md). The WebAssembly module is compiled once, on the first Parquet file.
 */
export function parquetCompressors(): Promise<Compressors> {
  ready ??= (async () => {
    const zstd = new ZSTDDecoder();
    await zstd.init();
    return {
      ...compressors,
      ZSTD: (input: Uint8Array, outputLength: number) => zstd.decode(input, outputLength),
    };
  })();
  return ready;
}

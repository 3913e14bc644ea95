import { detectFormat } from '@mlops/data/format';
import type { DataFormat } from '@mlops/data/types';

/**
 * The young generation of a thread the action starts, by the format it reads. A streamed pass allocates
 * fast and keeps little, and V8 grows an uncapped young generation to its 48 MB default under such a load;
 * capped, the garbage of each batch is collected while it is small (bench/validate-data.md,
 * bench/parquet.md). CSV makes a string or a number of every cell, and below 12 MB it pays 5-10 % more CPU
 * in scavenges; Parquet, read column chunk by column chunk, allocates little on the JS heap, and 6 MB
 * keeps the same CPU with less memory. The main thread's cannot be capped without command-line flags,
 * which a runner does not pass: so it only waits.
 */
export function youngGenerationMb(format: DataFormat | 'mixed'): number {
  return format === 'parquet' ? 6 : 12;
}

/** The one format of `files`; 'mixed' when they differ or cannot be told (the pass reports why). */
export async function formatOfFiles(
  files: string[],
  requested: 'auto' | DataFormat = 'auto',
): Promise<DataFormat | 'mixed'> {
  try {
    const formats = new Set(await Promise.all(files.map((file) => detectFormat(file, requested))));
    return formats.size === 1 ? [...formats][0]! : 'mixed';
  } catch {
    return 'mixed';
  }
}

import { UserError } from '@mlops/kit';
import { isGzip, readHead } from './byte-source.ts';
import type { DataFormat } from './types.ts';

const EXTENSIONS: [RegExp, DataFormat][] = [
  [/\.csv(\.gz)?$/i, 'csv'],
  [/\.(tsv|tab)(\.gz)?$/i, 'tsv'],
  [/\.(parquet|pq)$/i, 'parquet'],
  [/\.(jsonl|ndjson|json)(\.gz)?$/i, 'jsonl'],
];

/** The format of a file: by extension, else by content (Parquet magic, a leading '{', else CSV). */
export async function detectFormat(
  file: string,
  requested: 'auto' | DataFormat = 'auto',
): Promise<DataFormat> {
  if (requested !== 'auto') return requested;
  for (const [pattern, format] of EXTENSIONS) if (pattern.test(file)) return format;
  const head = await readHead(file, 4);
  if (head.length === 4 && Buffer.from(head).toString('latin1') === 'PAR1') return 'parquet';
  if (isGzip(head)) return 'csv';
  if (head[0] === 0x7b) return 'jsonl';
  if (head.length === 0) throw new UserError(`${file} is empty`);
  return 'csv';
}

// Peer for the validate-data benches: DuckDB computing the column statistics of each file (`SUMMARIZE`:
// min, max, approximate distinct count, mean, standard deviation, quartiles, count and null share of every
// column), on 2 threads like a GitHub runner's two cores. Run under /usr/bin/time -v by the bench, which
// takes the wall time, CPU time and peak RSS of this whole process (DuckDB loads in ~50 ms).
// Usage: node bench/duckdb_peer.mjs <file> [<file> ...]   (CSV or Parquet, by extension)
// Prints one JSON line: {"files": n, "columns": [columns summarised per file]}.
// The benches also use it to write their Parquet copies, as DuckDB and pyarrow write them by default (zstd,
// 122,880-row groups): node bench/duckdb_peer.mjs --to-parquet <in.csv> <out.parquet>
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
const quote = (file) => `'${file.replaceAll("'", "''")}'`;
if (process.argv[2] === '--to-parquet') {
  const [, , , from, to] = process.argv;
  await connection.run(
    `COPY (SELECT * FROM read_csv(${quote(from)})) TO ${quote(to)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
  );
  process.exit(0);
}
const files = process.argv.slice(2);
const columns = [];
for (const file of files) {
  const quoted = quote(file);
  const source = file.endsWith('.parquet') ? `read_parquet(${quoted})` : `read_csv(${quoted})`;
  const result = await connection.runAndReadAll(`SUMMARIZE SELECT * FROM ${source}`);
  columns.push(result.getRowObjectsJson().length);
}
console.log(JSON.stringify({ files: files.length, columns }));

// Guard for issue 20 item 2: one long record must cost what the same bytes of ordinary rows cost. Reads, in
// this process, a CSV whose only data row is one 40 MB cell, the same with the cell quoted (an early quote
// that closes at the end), a JSON Lines file whose only line is 40 MB, and 40 MB of ordinary rows; prints the
// seconds of each and their ratio to the ordinary rows, and exits 1 when a long record costs more than 3x
// (before the fix: 56 s for the 40 MB cell, about 100x).
// Usage: npm run bench -- long-record   (LONG_RECORD_MB sets the size, default 40)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readBatches } from '../packages/data/src/index.ts';

const megabytes = Number(process.env['LONG_RECORD_MB'] ?? 40);
const size = megabytes * 1024 * 1024;
const dir = path.resolve('.tmp/bench/long-record');
mkdirSync(dir, { recursive: true });

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

const cell = 'abcdefghij'.repeat(size / 10);
const rowText = '12345,0.5,abc,xyz\n';
const files = {
  ordinary: write('ordinary.csv', `a,b,c,d\n${rowText.repeat(Math.floor(size / rowText.length))}`),
  long_cell: write('long-cell.csv', `id,text\n1,${cell}\n`),
  long_quoted_cell: write(
    'long-quoted-cell.csv',
    `id,text\n1,"${cell.slice(0, size / 2)},\n${cell.slice(size / 2)}"\n`,
  ),
  long_json_line: write('long-line.jsonl', `{"id":1,"text":"${cell}"}\n`),
};

async function seconds(file: string): Promise<{ wall: number; cpu: number; rows: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let rows = 0;
  for await (const batch of readBatches([file], { maxRecordBytes: size * 2 })) rows += batch.rowCount;
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6, rows };
}

const result: Record<string, number | boolean> = { megabytes };
const base = await seconds(files.ordinary);
result['ordinary_s'] = Number(base.wall.toFixed(3));
result['ordinary_cpu_s'] = Number(base.cpu.toFixed(3));
let worst = 0;
for (const [name, file] of Object.entries(files)) {
  if (name === 'ordinary') continue;
  const measured = await seconds(file);
  if (measured.rows !== 1) throw new Error(`${name}: expected one row, read ${measured.rows}`);
  const ratio = measured.cpu / base.cpu;
  worst = Math.max(worst, ratio);
  result[`${name}_s`] = Number(measured.wall.toFixed(3));
  result[`${name}_cpu_ratio`] = Number(ratio.toFixed(2));
}
result['within_3x'] = worst <= 3;
console.log(JSON.stringify(result));
if (worst > 3) process.exitCode = 1;

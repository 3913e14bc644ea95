import { isUtf8 } from 'node:buffer';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ReusedChunks } from './reused-chunks.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'mlops-chunks-'));
function file(name: string, content: string | Uint8Array): string {
  const full = path.join(dir, name);
  writeFileSync(full, content);
  return full;
}

/** Every chunk copied out and then recycled; whether each was whole characters; the buffers read into. */
async function read(source: ReusedChunks): Promise<{ bytes: Buffer; whole: boolean; buffers: number }> {
  const copies: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  let whole = true;
  for await (const chunk of source) {
    copies.push(Buffer.from(chunk));
    if (!isUtf8(chunk)) whole = false;
    buffers.add(chunk.buffer);
    source.recycle(chunk);
  }
  return { bytes: Buffer.concat(copies), whole, buffers: buffers.size };
}

describe('ReusedChunks', () => {
  // Characters of 1 to 4 UTF-8 bytes, so that reads of 7 bytes cut some of each.
  const text = 'a,é,€,😀\n'.repeat(50);
  const name = file('mixed.csv', text);

  it('gives the file in chunks that end on character boundaries, a recycled buffer read into again', async () => {
    const { bytes, whole, buffers } = await read(new ReusedChunks(name, 7));
    expect(bytes.toString('utf8')).toBe(text);
    expect(whole).toBe(true);
    expect(buffers).toBe(1);
  });

  it('reads into a new buffer while a chunk is not handed back, and recycles a buffer once', async () => {
    const source = new ReusedChunks(name, 16);
    const seen = new Set<ArrayBufferLike>();
    const copies: Buffer[] = [];
    let index = 0;
    for await (const chunk of source) {
      expect(seen.has(chunk.buffer)).toBe(false); // kept chunks are never read into again
      copies.push(Buffer.from(chunk));
      if (index++ % 2 === 0) {
        // Handed back twice: still one free buffer, not two reads into it.
        source.recycle(chunk);
        source.recycle(chunk.subarray(1));
      } else seen.add(chunk.buffer);
    }
    expect(Buffer.concat(copies).toString('utf8')).toBe(text);
  });

  it('gives a character cut by the end of the file as it is, and a gzipped file inflated', async () => {
    const cut = Buffer.from('ab€', 'utf8').subarray(0, 4);
    expect((await read(new ReusedChunks(file('cut.csv', cut), 3))).bytes).toEqual(cut);
    // A buffer smaller than a character and its next byte still reads the whole file.
    expect((await read(new ReusedChunks(name, 1))).bytes.toString('utf8')).toBe(text);
    const gzipped = file('mixed.csv.gz', gzipSync(text));
    expect((await read(new ReusedChunks(gzipped, 64))).bytes.toString('utf8')).toBe(text);
  });
});

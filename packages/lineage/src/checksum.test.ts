import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksumPath, sha256File } from './checksum.ts';

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

describe('streamed checksums', () => {
  it('matches sha256 of the bytes for a file larger than one read chunk', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sum-'));
    const big = Buffer.alloc(3 * (1 << 20) + 17, 7);
    writeFileSync(path.join(dir, 'big.bin'), big);
    expect(await sha256File(path.join(dir, 'big.bin'))).toEqual({ sha256: sha(big), bytes: big.length });
    // The NIST vector for "abc".
    writeFileSync(path.join(dir, 'abc.txt'), 'abc');
    expect((await sha256File(path.join(dir, 'abc.txt'))).sha256).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('digests a directory as its sorted sha256sum manifest', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sum-'));
    mkdirSync(path.join(dir, 'm', 'sub'), { recursive: true });
    writeFileSync(path.join(dir, 'm', 'b.txt'), 'b');
    writeFileSync(path.join(dir, 'm', 'sub', 'a.txt'), 'a');
    const result = await checksumPath(path.join(dir, 'm'), 'm', "input 'model-path'");
    const manifest = `${sha('b')}  b.txt\n${sha('a')}  sub/a.txt\n`;
    expect(result).toEqual({ path: 'm', kind: 'directory', sha256: sha(manifest), bytes: 2, files: 2 });
    await expect(checksumPath(path.join(dir, 'nope'), 'nope', "input 'model-path'")).rejects.toThrow(
      "input 'model-path': 'nope' does not exist",
    );
  });
});

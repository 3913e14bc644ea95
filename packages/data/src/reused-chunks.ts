import { type FileHandle, open } from 'node:fs/promises';
import { UserError } from '@mlops/kit';
import { assertReadableFile, byteChunks, isGzip, readHead } from './byte-source.ts';
import { completeLength } from './utf8.ts';

/**
 * A file's bytes as chunks read into buffers that are used again, for a reader that is done with most
 * chunks before it asks for the next one (the CSV reader): `recycle(chunk)` hands a chunk's buffer back, and
 * the next read goes into it. Streams allocate a fresh buffer per chunk, and fresh memory of that size is
 * mapped anew, one page fault per page, for every chunk of the file; a buffer read again stays mapped and
 * in cache. A chunk not handed back is left to the collector, as a stream's would be.
 *
 * Each chunk ends on a UTF-8 character boundary (a multi-byte character cut by the read is moved to the head
 * of the next chunk; the file's last bytes are given as they are), so that a UTF-8 decoder downstream
 * (utf8Chunks) never keeps a part of a chunk across the next read. Gzipped files are read as byteChunks
 * reads them (nothing to recycle: the inflater allocates its output).
 */
export class ReusedChunks implements AsyncIterable<Buffer> {
  /** Buffers handed back and free. */
  private readonly free: ArrayBuffer[] = [];
  /** Buffers given out in a chunk and not handed back (weak: one never handed back is collected). */
  private readonly lent = new WeakSet<ArrayBuffer>();

  constructor(
    private readonly file: string,
    private readonly chunkSize: number,
  ) {}

  /** The buffer under `chunk` (any view of a chunk this source gave) may be read into again. */
  recycle(chunk: Uint8Array): void {
    const buffer = chunk.buffer as ArrayBuffer;
    // Only once per chunk given: a buffer in the free list twice would be read into for two chunks.
    if (this.lent.delete(buffer)) this.free.push(buffer);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    const file = this.file;
    await assertReadableFile(file);
    if (isGzip(await readHead(file, 2))) {
      yield* byteChunks(file, this.chunkSize) as AsyncGenerator<Buffer>;
      return;
    }
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      throw readError(file, error);
    }
    try {
      // The cut character's bytes, still in the last chunk's buffer past its end.
      let tail: Buffer | undefined;
      for (;;) {
        // Room for a cut character (up to 3 bytes) and at least one byte more: a read of none is the end.
        const buffer = Buffer.from(this.free.pop() ?? new ArrayBuffer(Math.max(this.chunkSize, 4)));
        let length = 0;
        if (tail !== undefined) length = tail.copy(buffer, 0); // copyWithin when it is the same buffer
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        length += bytesRead;
        if (bytesRead === 0) {
          // End of file: a cut character is the decoder's to report.
          if (length > 0) yield buffer.subarray(0, length);
          return;
        }
        const complete = completeLength(buffer.subarray(0, length));
        tail = complete < length ? buffer.subarray(complete, length) : undefined;
        // A chunk of only a cut character (a buffer of fewer bytes than one character) waits for more.
        if (complete === 0) continue;
        this.lent.add(buffer.buffer as ArrayBuffer);
        yield buffer.subarray(0, complete);
      }
    } finally {
      await handle.close();
    }
  }
}

function readError(file: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT')
    return new UserError(`data file not found: ${file}`);
  return error;
}

import { isUtf8 } from 'node:buffer';
import { UserError } from '@mlops/kit';
import { byteChunks } from './byte-source.ts';

/**
 * Decodes a stream of byte chunks into strings, strictly (see {@link utf8Chunks}).
 */
export async function* utf8Strings(file: string, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  for await (const bytes of utf8Chunks(file, chunks)) {
    yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }
}

const BOM = [0xef, 0xbb, 0xbf] as const;

/** Buffer's own decoder of a byte range, without `toString`'s argument handling. */
interface Utf8Slicer {
  utf8Slice(start: number, end: number): string;
}

const fromCodes = String.fromCharCode;

/**
 * `bytes[start, end)` (valid UTF-8) as a string. A call into Buffer's decoder costs several times the
 * decoding of a short value (a unique id, say), and decoding the whole chunk to cut values from it
 * allocates the chunk again as a string, so short ASCII values are made from their bytes here.
 */
export function decodeUtf8(bytes: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length <= 8) {
    const value = shortAscii(bytes, start, length);
    if (value !== undefined) return value;
  } else if (length <= 16) {
    const head = shortAscii(bytes, start, 8);
    const tail = head === undefined ? undefined : shortAscii(bytes, start + 8, length - 8);
    if (tail !== undefined) return head + tail;
  }
  return (bytes as unknown as Utf8Slicer).utf8Slice(start, end);
}

/**
 * 0 to 8 bytes as a string when they are all ASCII, else undefined: each byte read once, into a local that
 * both the test and the call take (one call of fixed arity, which V8 runs without a call into C++).
 */
function shortAscii(b: Uint8Array, s: number, length: number): string | undefined {
  switch (length) {
    case 0:
      return '';
    case 1: {
      const c0 = b[s]!;
      return c0 < 0x80 ? fromCodes(c0) : undefined;
    }
    case 2: {
      const c0 = b[s]!;
      const c1 = b[s + 1]!;
      return (c0 | c1) < 0x80 ? fromCodes(c0, c1) : undefined;
    }
    case 3: {
      const c0 = b[s]!;
      const c1 = b[s + 1]!;
      const c2 = b[s + 2]!;
      return (c0 | c1 | c2) < 0x80 ? fromCodes(c0, c1, c2) : undefined;
    }
    case 4: {
      const c0 = b[s]!;
      const c1 = b[s + 1]!;
      const c2 = b[s + 2]!;
      const c3 = b[s + 3]!;
      return (c0 | c1 | c2 | c3) < 0x80 ? fromCodes(c0, c1, c2, c3) : undefined;
    }
    case 5: {
      const c0 = b[s]!;
      const c1 = b[s + 1]!;
      const c2 = b[s + 2]!;
      const c3 = b[s + 3]!;
      const c4 = b[s + 4]!;
      return (c0 | c1 | c2 | c3 | c4) < 0x80 ? fromCodes(c0, c1, c2, c3, c4) : undefined;
    }
    case 6: {
      const c0 = b[s]!;
      const c1 = b[s + 1]!;
      const c2 = b[s + 2]!;
      const c3 = b[s + 3]!;
      const c4 = b[s + 4]!;
      const c5 = b[s + 5]!;
      return (c0 | c1 | c2 | c3 | c4 | c5) < 0x80 ? fromCodes(c0, c1, c2, c3, c4, c5) : undefined;
    }
    case 7: {
      const c0 = b[s]!;
      const c1 = b[s + 1]!;
      const c2 = b[s + 2]!;
      const c3 = b[s + 3]!;
      const c4 = b[s + 4]!;
      const c5 = b[s + 5]!;
      const c6 = b[s + 6]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6) < 0x80 ? fromCodes(c0, c1, c2, c3, c4, c5, c6) : undefined;
    }
    default: {
      const c0 = b[s]!;
      const c1 = b[s + 1]!;
      const c2 = b[s + 2]!;
      const c3 = b[s + 3]!;
      const c4 = b[s + 4]!;
      const c5 = b[s + 5]!;
      const c6 = b[s + 6]!;
      const c7 = b[s + 7]!;
      return (c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) < 0x80
        ? fromCodes(c0, c1, c2, c3, c4, c5, c6, c7)
        : undefined;
    }
  }
}

/**
 * A stream of byte chunks as chunks of valid UTF-8 that end on character boundaries (a multi-byte
 * character split across two chunks is carried over), without a leading byte-order mark. Strict: invalid
 * UTF-8 is a UserError naming the file, line and byte offset instead of silently becoming U+FFFD, and so is
 * a NUL byte. The checks are Node's native `buffer.isUtf8` and `indexOf`, so the happy path costs two memory
 * scans and no decoding: the CSV parser reads the bytes, and decodes only the fields that become strings.
 */
export async function* utf8Chunks(file: string, chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let carry: Uint8Array | undefined;
  let offset = 0;
  let first = true;
  for await (const chunk of chunks) {
    const bytes = carry === undefined ? chunk : concat(carry, chunk);
    const end = completeLength(bytes);
    let body = Buffer.from(bytes.buffer, bytes.byteOffset, end);
    if (!isUtf8(body)) throw await invalidUtf8(file, offset + firstInvalidByte(body));
    // NUL is valid UTF-8 but never in a text table: it means a binary file or a broken export.
    const nul = body.indexOf(0);
    if (nul !== -1) throw await nulByte(file, offset + nul);
    if (first && body.length >= 3 && body[0] === BOM[0] && body[1] === BOM[1] && body[2] === BOM[2])
      body = body.subarray(3);
    if (body.length > 0) first = false;
    carry = end < bytes.length ? bytes.slice(end) : undefined;
    offset += end;
    if (body.length > 0) yield body;
  }
  if (carry !== undefined) throw await invalidUtf8(file, offset);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Length of the prefix that ends on a character boundary (a trailing partial sequence waits for more). */
export function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const byte = bytes[n - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return back < needed ? n - back : n;
  }
  return n;
}

/** Index of the first byte that starts an invalid sequence (only called once a chunk failed validation). */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    let length: number;
    if (byte < 0x80) length = 1;
    else if (byte >= 0xc2 && byte <= 0xdf) length = 2;
    else if (byte >= 0xe0 && byte <= 0xef) length = 3;
    else if (byte >= 0xf0 && byte <= 0xf4) length = 4;
    else return i;
    if (i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    if (length > 1 && !isUtf8(bytes.subarray(i, i + length))) return i; // overlong forms, surrogates
    i += length;
  }
  return bytes.length;
}

async function nulByte(file: string, offset: number): Promise<UserError> {
  const line = await lineAt(file, offset);
  return new UserError(
    `${file}: line ${line} contains a NUL byte (byte offset ${offset}); is it a binary file?`,
  );
}

/** Error path only: re-reads the (decompressed) bytes up to the offset to name the line. */
async function invalidUtf8(file: string, offset: number): Promise<UserError> {
  const line = await lineAt(file, offset);
  return new UserError(
    `${file}: line ${line} is not valid UTF-8 (byte offset ${offset}); save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)`,
  );
}

async function lineAt(file: string, offset: number): Promise<number> {
  let line = 1;
  let seen = 0;
  for await (const chunk of byteChunks(file)) {
    const stop = Math.min(chunk.length, offset - seen);
    for (let i = 0; i < stop; i++) if (chunk[i] === 0x0a) line++;
    seen += chunk.length;
    if (seen >= offset) break;
  }
  return line;
}

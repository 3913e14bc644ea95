import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '@mlops/kit';

export interface FileChecksum {
  /** Path relative to the directory that was checksummed (POSIX separators). */
  path: string;
  sha256: string;
  bytes: number;
}

export interface PathChecksum {
  /** The path as given (relative to the workspace when possible). */
  path: string;
  kind: 'file' | 'directory';
  /**
   * For a file, the sha256 of its bytes. For a directory, the sha256 of its manifest: one line
   * `<sha256>  <relative path>\n` per file, sorted by path (the `sha256sum` format), so the digest changes
   * when any byte, name or file count changes and not with file-system order or timestamps.
   */
  sha256: string;
  bytes: number;
  files: number;
}

/** sha256 of a file read as a stream: memory stays constant whatever the model size. */
export async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** sha256 of an in-memory buffer or string. */
export function sha256Bytes(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The sorted list of files under a directory, with their checksums. Symbolic links are refused. */
export async function checksumDirectory(directory: string): Promise<FileChecksum[]> {
  const files: string[] = [];
  async function walk(relative: string): Promise<void> {
    const entries = await readdir(path.join(directory, relative), { withFileTypes: true });
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name === '.git') continue;
        await walk(child);
      } else if (entry.isFile()) {
        files.push(child);
      } else if (entry.isSymbolicLink()) {
        throw new UserError(
          `'${path.join(directory, child)}' is a symbolic link; model and data paths are checksummed as regular files only`,
        );
      }
    }
  }
  await walk('');
  // Code-unit order, not locale order, so the manifest is the same on every machine.
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const result: FileChecksum[] = [];
  for (const file of files) {
    const { sha256, bytes } = await sha256File(path.join(directory, file));
    result.push({ path: file, sha256, bytes });
  }
  return result;
}

/** The manifest digest of a list of file checksums (see PathChecksum.sha256). */
export function manifestDigest(files: readonly FileChecksum[]): string {
  return sha256Bytes(files.map((file) => `${file.sha256}  ${file.path}\n`).join(''));
}

/**
 * Checksums a file or a directory. `what` names the input in the error when the path does not exist,
 * e.g. "input 'model-path'".
 */
export async function checksumPath(absolute: string, shownAs: string, what: string): Promise<PathChecksum> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await lstat(absolute);
    if (info.isSymbolicLink()) info = await stat(absolute);
  } catch {
    throw new UserError(`${what}: '${shownAs}' does not exist`);
  }
  if (info.isFile()) {
    const { sha256, bytes } = await sha256File(absolute);
    return { path: shownAs, kind: 'file', sha256, bytes, files: 1 };
  }
  if (!info.isDirectory()) throw new UserError(`${what}: '${shownAs}' is neither a file nor a directory`);
  const files = await checksumDirectory(absolute);
  if (files.length === 0) throw new UserError(`${what}: directory '${shownAs}' holds no files`);
  return {
    path: shownAs,
    kind: 'directory',
    sha256: manifestDigest(files),
    bytes: files.reduce((total, file) => total + file.bytes, 0),
    files: files.length,
  };
}

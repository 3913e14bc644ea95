import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file the way every action writes its outputs: the parent directory is created, the content goes
 * to a temporary file beside the target, and a rename puts it in place. A rename replaces a symbolic link
 * at the target instead of following it, so a link committed in a checkout cannot redirect a report onto
 * another file, and a reader never sees half a report.
 */
export async function writeOutputFile(file: string, content: string | Uint8Array): Promise<void> {
  const directory = path.dirname(file);
  await mkdir(directory, { recursive: true });
  // The Web Crypto global: importing node:crypto would load its modules at every action's start.
  const suffix = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(6))).toString('hex');
  const temporary = path.join(directory, `.${path.basename(file)}.${suffix}.tmp`);
  try {
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A JSON document as the suite writes them all: two-space indent and a final newline. */
export async function writeJsonFile(file: string, value: unknown, indent = 2): Promise<void> {
  await writeOutputFile(file, `${JSON.stringify(value, null, indent)}\n`);
}

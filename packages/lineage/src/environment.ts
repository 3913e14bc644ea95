import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from './checksum.ts';

// The files that pin an environment, by ecosystem. Their digests say whether two versions were trained with
// the same dependencies without copying the files into the record.
const LOCKFILE_NAMES = [/^package-lock\.json$/, /^requirements.*\.txt$/, /^poetry\.lock$/, /^uv\.lock$/];

/** Digests of the lockfiles at the workspace root, sorted by name. */
export async function lockfileDigests(workspace: string): Promise<{ path: string; sha256: string }[]> {
  let names: string[];
  try {
    names = (await readdir(workspace, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && LOCKFILE_NAMES.some((pattern) => pattern.test(entry.name)))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
  const result: { path: string; sha256: string }[] = [];
  for (const name of names) {
    result.push({ path: name, sha256: (await sha256File(path.join(workspace, name))).sha256 });
  }
  return result;
}

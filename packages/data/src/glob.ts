import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '@mlops/kit';

const MAGIC = /[*?[{]/;

/**
 * Expands file patterns (`*`, `?`, `[abc]`, `{a,b}`, `**` for any depth) against `cwd` into sorted,
 * de-duplicated absolute file paths, on Node 20 APIs (no fs.glob). As in a shell, wildcards do not match
 * names that start with a dot. A plain path must exist; a pattern must match at least one file.
 */
export async function expandGlobs(patterns: string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns.map((p) => p.trim()).filter((p) => p !== '')) {
    const absolute = path.resolve(cwd, pattern);
    if (!MAGIC.test(pattern)) {
      const info = await stat(absolute).catch(() => undefined);
      if (info === undefined) throw new UserError(`data file not found: ${pattern} (looked in ${cwd})`);
      if (info.isDirectory())
        throw new UserError(`${pattern} is a directory; use a glob such as ${pattern}/*.csv`);
      found.add(absolute);
      continue;
    }
    const segments = absolute.split(path.sep);
    const firstMagic = segments.findIndex((segment) => MAGIC.test(segment));
    const base = segments.slice(0, firstMagic).join(path.sep) || path.sep;
    const matchers = segments
      .slice(firstMagic)
      .map((segment) => (segment === '**' ? '**' : segmentRegExp(segment)));
    const matched = new Set<string>();
    await walk(base, matchers, matched);
    if (matched.size === 0) throw new UserError(`no file matches '${pattern}' (looked in ${cwd})`);
    for (const file of matched) found.add(file);
  }
  return [...found].sort();
}

async function walk(dir: string, matchers: (RegExp | '**')[], found: Set<string>): Promise<void> {
  if (matchers.length === 0) return;
  const [head, ...rest] = matchers;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  if (head === '**') {
    await walk(dir, rest, found); // zero directories
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.'))
        await walk(path.join(dir, entry.name), matchers, found);
    }
    return;
  }
  for (const entry of entries) {
    if (!head!.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (rest.length === 0) {
      if (entry.isFile() || (entry.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isFile())) {
        found.add(full);
      }
    } else if (entry.isDirectory() || entry.isSymbolicLink()) {
      await walk(full, rest, found);
    }
  }
}

/** One path segment's wildcard pattern as an anchored regular expression. */
export function segmentRegExp(segment: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close === -1) source += '\\[';
      else {
        let set = segment.slice(i + 1, close);
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        source += `[${set.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '{') {
      braces++;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (c === ',' && braces > 0) source += '|';
    else source += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  const hidden = segment.startsWith('.') ? '' : '(?!\\.)';
  return new RegExp(`^${hidden}${source}$`);
}

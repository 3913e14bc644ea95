// Every temporary directory a test run makes (workspaces, runner directories, bare repositories, emulator
// state) goes under one root, removed when the run ends: the tests make thousands of them with mkdtemp and
// few remove their own, so repeated runs on a developer's machine filled its disk. TMPDIR is what
// os.tmpdir() reads; the forked test workers, and every process they start, inherit it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'mlops-test-run-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}

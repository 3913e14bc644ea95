import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedDocs } from '../../scripts/docs.mjs';

describe('generated docs', () => {
  it('action-catalog.md and every action README match their action.yml (run `npm run docs`)', () => {
    const stale: string[] = [];
    for (const [file, expected] of generatedDocs() as Map<string, string>) {
      const actual = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (actual !== expected) stale.push(path.relative(process.cwd(), file));
    }
    expect(stale, 'stale generated docs; run `npm run docs`').toEqual([]);
  });
});

describe('README', () => {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

  it('lists every action in its table, with the permissions it needs, and links each doc it names', () => {
    const actions = readdirSync(path.join(root, 'actions'), { withFileTypes: true })
      .filter(
        (entry) => entry.isDirectory() && existsSync(path.join(root, 'actions', entry.name, 'action.yml')),
      )
      .map((entry) => entry.name);
    for (const action of actions) {
      const row = readme
        .split('\n')
        .find((line) => line.startsWith(`| [${action}](actions/${action}/README.md) |`));
      expect(row, `README has no table row for ${action}`).toBeDefined();
      expect(row!.split('|').at(-2)!.trim(), `${action}: permissions cell`).not.toBe('');
    }
    for (const [, target] of readme.matchAll(/\]\(([^)#\s]+)\)/g)) {
      if (/^https?:/.test(target!)) continue;
      expect(existsSync(path.join(root, target!)), `README links ${target}`).toBe(true);
    }
    for (const [, image] of readme.matchAll(/<img src="([^"]+)"/g))
      expect(existsSync(path.join(root, image!)), `README shows ${image}`).toBe(true);
  });
});

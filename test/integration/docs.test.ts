import { existsSync, readFileSync } from 'node:fs';
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

// Shared by the drift tests: read the JSON fixtures written by packages/stats/fixtures/drift/generate.py.
// Number decoding and comparison (expectClose) are metrics/fixture-testing.ts': one helper, one argument order.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { num } from '../metrics/fixture-testing.ts';

export function readFixture<T>(name: string): T {
  const url = new URL(`../../fixtures/drift/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

/** Fixture numbers: null is NaN, "Infinity" / "-Infinity" are the infinities (JSON has neither). */
export const fromJson = num;

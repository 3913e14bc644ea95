// Shared by the drift tests: read the JSON fixtures written by packages/stats/fixtures/drift/generate.py.
// Number decoding and comparison are metrics/fixture-testing.ts'; these keep the drift tests' argument order.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expectClose as expectWithin, num } from '../metrics/fixture-testing.ts';

export function readFixture<T>(name: string): T {
  const url = new URL(`../../fixtures/drift/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

/** Fixture numbers: null is NaN, "Infinity" / "-Infinity" are the infinities (JSON has neither). */
export const fromJson = num;

/** |actual - expected| <= rtol |expected| + atol, with a message naming the case. */
export function expectClose(actual: number, expected: number, rtol: number, label: string, atol = 0): void {
  expectWithin(actual, expected, label, rtol, atol);
}

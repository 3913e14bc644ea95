// Shared by the drift tests: read the JSON fixtures written by packages/stats/fixtures/drift/generate.py.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export function readFixture<T>(name: string): T {
  const url = new URL(`../../fixtures/drift/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

/** Fixture numbers: null is NaN, "Infinity" / "-Infinity" are the infinities (JSON has neither). */
export function fromJson(x: number | string | null): number {
  if (x === null) return Number.NaN;
  if (x === 'Infinity') return Number.POSITIVE_INFINITY;
  if (x === '-Infinity') return Number.NEGATIVE_INFINITY;
  return x as number;
}

/** |actual - expected| <= rtol |expected| + atol, with a message naming the case. */
export function expectClose(actual: number, expected: number, rtol: number, label: string, atol = 0): void {
  if (Number.isNaN(expected)) {
    expect(actual, label).toBeNaN();
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(actual, label).toBe(expected);
    return;
  }
  const tolerance = rtol * Math.abs(expected) + atol;
  if (!(Math.abs(actual - expected) <= tolerance)) {
    expect.fail(`${label}: got ${actual}, expected ${expected} (rtol ${rtol}, atol ${atol})`);
  }
}

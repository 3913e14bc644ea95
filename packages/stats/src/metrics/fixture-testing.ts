// Test support (not exported from the package): reads the committed reference fixtures and compares numbers
// with a relative tolerance. CI has no Python; the fixtures are written by fixtures/metrics/generate.py
// (scikit-learn, scipy, statsmodels, numpy) and fixtures/metrics/delong.R (pROC).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const FIXTURES = fileURLToPath(new URL('../../fixtures/metrics/', import.meta.url));

/** Parses a fixture; `null` stands for NaN and "Infinity" / "-Infinity" for the infinities. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8')) as T;
}

/** The fixture encoding of a number back to a number. */
export function num(value: number | string | null): number {
  if (value === null) return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(value);
}

/**
 * |actual - expected| <= rel·|expected| + abs. The default is the closed-form tolerance of the package:
 * 1e-9 relative, with a 1e-13 absolute floor so that exact zeros compare sensibly. The one comparison helper
 * of the repository's tests (also test/integration, whose report values are unknown until checked).
 */
export function expectClose(actual: unknown, expected: number, label = '', rel = 1e-9, abs = 1e-13): void {
  if (typeof actual !== 'number') expect.fail(`${label}: ${String(actual)} is not a number`);
  if (Number.isNaN(expected)) {
    expect(actual, label).toBeNaN();
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(actual, label).toBe(expected);
    return;
  }
  const tolerance = rel * Math.abs(expected) + abs;
  if (!(Math.abs(actual - expected) <= tolerance)) {
    expect.fail(
      `${label}: ${actual} differs from ${expected} by ${Math.abs(actual - expected)} (tolerance ${tolerance})`,
    );
  }
}

/** A fixture CSV without quoted fields (test/fixtures/evaluate-gate, examples/data): column name -> cells. */
export function readCsvColumns(path: string): Record<string, string[]> {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header!.split(',');
  const columns: Record<string, string[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (const line of lines) {
    const cells = line.split(',');
    for (let index = 0; index < names.length; index++) columns[names[index]!]!.push(cells[index] ?? '');
  }
  return columns;
}

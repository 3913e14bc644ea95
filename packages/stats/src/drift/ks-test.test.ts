import { describe, expect, it } from 'vitest';
import { expectClose } from '../metrics/fixture-testing.ts';
import { readFixture } from './fixture-helpers.ts';
import { ksTwoSample } from './ks-test.ts';

interface Case {
  name: string;
  a: number[];
  b: number[];
  statistic: number;
  pvalue: number;
  mode: 'exact' | 'asymp';
}

const { cases } = readFixture<{ cases: Case[] }>('ks.json');

describe('ksTwoSample against scipy.stats.ks_2samp (method=auto)', () => {
  for (const c of cases) {
    it(`${c.name} (${c.mode})`, () => {
      const result = ksTwoSample(c.a, c.b);
      expect(result.mode).toBe(c.mode);
      expectClose(result.statistic, c.statistic, `${c.name} statistic`, 1e-12, 0);
      // Exact p-values are the same recurrences as scipy: 1e-9. Asymptotic ones go through kstwo.sf,
      // whose far tail is the Smirnov sum (1e-9 as well, see distributions.test.ts).
      expectClose(result.pValue, c.pvalue, `${c.name} p-value`, 1e-9, 1e-300);
    });
  }

  it('is symmetric in its arguments and rejects empty samples', () => {
    const a = [0.1, 0.5, 0.9, 1.3];
    const b = [0.2, 0.3, 2, 3, 4];
    expect(ksTwoSample(a, b)).toEqual(ksTwoSample(b, a));
    expect(() => ksTwoSample([], b)).toThrow(RangeError);
  });
});

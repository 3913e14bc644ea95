import { UserError } from '@mlops/kit';
import { describe, expect, it } from 'vitest';
import {
  type Batch,
  type DatasetProfile,
  DatasetProfileBuilder,
  detectDrift,
  mergeProfiles,
  parseProfile,
} from './index.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function batchOf(x: (number | null)[], c: (string | null)[]): Batch {
  return { columns: ['x', 'c'], rowCount: x.length, data: { x, c }, types: { x: 'number', c: 'string' } };
}

function profileOf(batches: Batch[], exactLimit?: number): DatasetProfile {
  const b = new DatasetProfileBuilder(exactLimit === undefined ? {} : { exactLimit });
  for (const batch of batches) b.add(batch);
  return b.finish();
}

function sample(seed: number, n: number, shift: number): Batch {
  const r = lcg(seed);
  const x: (number | null)[] = [];
  const c: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    x.push(i % 50 === 0 ? null : r() + shift);
    c.push(r() < 0.5 + shift / 2 ? 'a' : r() < 0.5 ? 'b' : 'c');
  }
  return batchOf(x, c);
}

const options = { method: 'auto', driftShare: 0.5, correction: 'none', effectSizeFloor: 0 } as const;

describe('DatasetProfileBuilder', () => {
  it('counts nulls, NaN, infinities and invalid cells separately and keeps exact values', () => {
    const p = profileOf([
      {
        columns: ['x'],
        rowCount: 6,
        data: { x: [1, null, Number.NaN, Number.POSITIVE_INFINITY, 'abc', '2.5'] },
        types: { x: 'number' },
      },
    ]);
    const x = p.columns.x!;
    expect(x).toMatchObject({ count: 6, null_count: 2, infinite_count: 1, invalid_count: 1, exact: true });
    expect([...x.values!.sortedView()]).toEqual([1, 2.5]);
    expect(x.moments!.mean).toBe(1.75);
  });

  it('drops exact values beyond the limit and says so', () => {
    const p = profileOf([sample(1, 500, 0)], 100);
    expect(p.columns.x!.exact).toBe(false);
    expect(p.columns.x!.values).toBeUndefined();
    expect(p.columns.x!.quantiles!.n).toBe(490);
  });

  it('round-trips through JSON', () => {
    const p = profileOf([sample(2, 300, 0)]);
    const back = parseProfile(JSON.parse(JSON.stringify(p)), 'p.json');
    expect(JSON.stringify(back)).toBe(JSON.stringify(p));
  });

  it('rejects a malformed profile naming the file', () => {
    expect(() =>
      parseProfile({ schema: 'mlops.profile/v1', rows: 1, columns: { x: { type: 'nope' } } }, 'ref.json'),
    ).toThrow(/ref\.json: .*columns\."x"\.type/);
    expect(() => parseProfile([], 'ref.json')).toThrow(UserError);
  });
});

describe('determinism', () => {
  it('the same data in the same batches gives a byte-identical profile', () => {
    const a = JSON.stringify(profileOf([sample(8, 3000, 0), sample(9, 3000, 0)], 1000));
    const b = JSON.stringify(profileOf([sample(8, 3000, 0), sample(9, 3000, 0)], 1000));
    expect(a).toBe(b);
  });

  it('finish() is idempotent', () => {
    const b = new DatasetProfileBuilder();
    b.add(sample(10, 100, 0));
    const first = JSON.stringify(b.finish());
    expect(JSON.stringify(b.finish())).toBe(first);
  });
});

describe('mergeProfiles', () => {
  it('drops exactness when the merged values pass the limit', () => {
    const merged = mergeProfiles([profileOf([sample(11, 80, 0)]), profileOf([sample(12, 80, 0)])], {
      exactLimit: 100,
    });
    expect(merged.columns.x!.exact).toBe(false);
    expect(merged.columns.x!.values).toBeUndefined();
    expect(merged.columns.x!.quantiles!.n).toBe(merged.columns.x!.moments!.count);
    expect(merged.columns.c!.exact).toBe(true);
  });

  it('counts a column missing from a shard as null there', () => {
    const only = profileOf([
      { columns: ['y'], rowCount: 2, data: { y: ['a', 'b'] }, types: { y: 'string' } },
    ]);
    const merged = mergeProfiles([profileOf([sample(13, 10, 0)]), only]);
    expect(merged.columns.y).toMatchObject({ count: 12, null_count: 10 });
    expect(merged.columns.x).toMatchObject({ count: 12 });
    expect(merged.columns.x!.null_count).toBe(2 + 1);
  });

  it('equals the profile of the concatenated data', () => {
    const a = sample(3, 400, 0);
    const b = sample(4, 300, 0);
    const whole = profileOf([a, b]);
    const merged = mergeProfiles([profileOf([a]), profileOf([b])]);
    expect(merged.rows).toBe(700);
    expect(merged.columns.x!.null_count).toBe(whole.columns.x!.null_count);
    expect([...merged.columns.x!.values!.sortedView()]).toEqual([...whole.columns.x!.values!.sortedView()]);
    expect(merged.columns.c!.categories).toEqual(whole.columns.c!.categories);
    expect(merged.columns.x!.moments!.mean).toBeCloseTo(whole.columns.x!.moments!.mean, 12);
  });
});

describe('detectDrift', () => {
  it('flags a shifted column and not an unchanged one', () => {
    const ref = profileOf([sample(5, 500, 0)]);
    const cur = profileOf([sample(6, 500, 0.3)]);
    const same = profileOf([sample(7, 500, 0)]);
    const drift = detectDrift(ref, cur, options);
    expect(drift.columns.x!.method).toBe('ks');
    expect(drift.columns.x!.drift).toBe(true);
    expect(drift.columns.c!.method).toBe('chisquare');
    expect(drift.detected).toBe(true);
    const none = detectDrift(ref, same, options);
    expect(none.columns.x!.drift).toBe(false);
    expect(none.detected).toBe(false);
  });

  it('names unknown columns with a suggestion', () => {
    const ref = profileOf([sample(5, 50, 0)]);
    expect(() => detectDrift(ref, ref, { ...options, columns: ['xx'] })).toThrow(/no column 'xx'/);
  });
});

describe('category values that are names of Object.prototype', () => {
  // On a plain object `constructor` and `toString` read as inherited functions and `__proto__` sets the
  // prototype; the counts are keyed by the data's values, so those are categories like any other.
  const values = ['constructor', '__proto__', 'toString', 'constructor', 'a', '__proto__', 'constructor'];
  // As entries: in an object literal `__proto__: 2` would set the prototype, the very mistake tested here.
  const expected: [string, number][] = [
    ['__proto__', 2],
    ['a', 1],
    ['constructor', 3],
    ['toString', 1],
  ];
  const batch = (): Batch => ({
    columns: ['c'],
    rowCount: values.length,
    data: { c: [...values] },
    types: { c: 'string' },
  });

  it('counts them exactly, through a saved profile and a merge, and compares them without drift', () => {
    const builder = new DatasetProfileBuilder();
    builder.add(batch());
    const profile = builder.finish();
    expect(Object.entries(profile.columns.c!.categories!).sort()).toEqual(expected);
    const saved = parseProfile(JSON.parse(JSON.stringify(profile)), 'saved.profile.json');
    expect(Object.entries(saved.columns.c!.categories!).sort()).toEqual(expected);
    const merged = mergeProfiles([saved, parseProfile(JSON.parse(JSON.stringify(profile)), 'again.json')]);
    expect(Object.entries(merged.columns.c!.categories!).sort()).toEqual(
      expected.map(([key, count]) => [key, count * 2]),
    );
    const drift = detectDrift(profile, saved, options);
    expect(drift.columns.c!.drift).toBe(false);
    expect(drift.columns.c!.histogram!.categories!.sort()).toEqual(expected.map(([key]) => key));
    expect(drift.columns.c!.histogram!.reference).toEqual(drift.columns.c!.histogram!.current);
  });
});

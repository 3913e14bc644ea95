import { describe, it } from 'vitest';
import { expectClose } from '../metrics/fixture-testing.ts';
import {
  categoricalBinnedShares,
  decileShares,
  numericBinnedShares,
  sturgesBinnedShares,
} from './binned-shares.ts';
import { chiSquareTest } from './chi-square-test.ts';
import {
  hellingerDistance,
  jensenShannonDistance,
  klDivergence,
  populationStabilityIndex,
} from './divergences.ts';
import { fromJson, readFixture } from './fixture-helpers.ts';
import { ksTwoSample } from './ks-test.ts';
import { chooseDriftMethod } from './method-choice.ts';
import { benjaminiHochbergAdjust, holmAdjust } from './multiple-testing.ts';
import { normedWasserstein } from './wasserstein.ts';
import { twoProportionZTest } from './z-test.ts';

interface Case {
  name: string;
  kind: 'numeric' | 'categorical';
  reference: (number | string | null)[];
  current: (number | string | null)[];
  auto: string;
  distinct: number;
  expected: Record<string, number | null>;
}

const { cases } = readFixture<{ cases: Case[] }>('methods.json');

function counts(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

function score(method: string, c: Case): number {
  if (c.kind === 'numeric') {
    const clean = (xs: Case['reference']) =>
      Float64Array.from(xs.map((x) => fromJson(x as number | string | null)).filter(Number.isFinite)).sort();
    const ref = clean(c.reference);
    const cur = clean(c.current);
    const asCategories = (xs: Float64Array) => counts([...xs].map(String));
    switch (method) {
      case 'ks':
        return ksTwoSample(ref, cur).pValue;
      case 'wasserstein':
        return normedWasserstein(ref, cur);
      case 'jensenshannon': {
        const b = numericBinnedShares(ref, cur, false);
        return jensenShannonDistance(b.reference, b.current);
      }
      case 'psi': {
        const b = numericBinnedShares(ref, cur, true);
        return populationStabilityIndex(b.reference, b.current);
      }
      case 'psi_deciles': {
        const b = decileShares(ref, cur);
        return populationStabilityIndex(b.reference, b.current);
      }
      case 'kl': {
        const b = numericBinnedShares(ref, cur, true);
        return klDivergence(b.reference, b.current);
      }
      case 'hellinger': {
        const b = sturgesBinnedShares(ref, cur);
        return hellingerDistance(b.reference, b.current);
      }
      default:
        return categoryScore(method, asCategories(ref), asCategories(cur));
    }
  }
  return categoryScore(method, counts(c.reference as string[]), counts(c.current as string[]));
}

function categoryScore(method: string, ref: Map<string, number>, cur: Map<string, number>): number {
  const keys = [...new Set([...ref.keys(), ...cur.keys()])];
  const nRef = [...ref.values()].reduce((a, b) => a + b, 0);
  const nCur = [...cur.values()].reduce((a, b) => a + b, 0);
  switch (method) {
    case 'chisquare':
      return chiSquareTest(
        keys.map((k) => ref.get(k) ?? 0),
        keys.map((k) => cur.get(k) ?? 0),
      ).pValue;
    case 'z': {
      // The reference's most frequent value (ties: smallest), as the generator does.
      const top = [...ref.keys()].sort(
        (a, b) => ref.get(b)! - ref.get(a)! || Number(a) - Number(b) || (a < b ? -1 : 1),
      )[0]!;
      return twoProportionZTest(ref.get(top) ?? 0, nRef, cur.get(top) ?? 0, nCur).pValue;
    }
    case 'jensenshannon': {
      const b = categoricalBinnedShares(ref, cur, false);
      return jensenShannonDistance(b.reference, b.current);
    }
    case 'hellinger': {
      const b = categoricalBinnedShares(ref, cur, false);
      return hellingerDistance(b.reference, b.current);
    }
    case 'psi': {
      const b = categoricalBinnedShares(ref, cur, true);
      return populationStabilityIndex(b.reference, b.current);
    }
    case 'kl': {
      const b = categoricalBinnedShares(ref, cur, true);
      return klDivergence(b.reference, b.current);
    }
  }
  throw new Error(`no method ${method}`);
}

describe('drift methods against Evidently definitions (scipy / numpy)', () => {
  for (const c of cases) {
    describe(c.name, () => {
      it('chooses the method Evidently would', () => {
        const n = c.reference.filter(
          (x) => x !== null && (c.kind === 'categorical' || Number.isFinite(fromJson(x))),
        ).length;
        const chosen = chooseDriftMethod({ kind: c.kind, referenceSize: n, distinctValues: c.distinct });
        if (chosen !== c.auto) throw new Error(`chose ${chosen}, Evidently ${c.auto}`);
      });
      for (const [method, expected] of Object.entries(c.expected)) {
        it(method, () => {
          // Closed forms: 1e-9 relative; tiny p-values additionally 1e-300 absolute.
          expectClose(score(method, c), fromJson(expected), `${c.name} ${method}`, 1e-9, 1e-300);
        });
      }
    });
  }
});

describe('multiple-comparison adjustment against statsmodels multipletests', () => {
  const { cases: mt } = readFixture<{ cases: { p: number[]; holm: number[]; bh: number[] }[] }>(
    'multitest.json',
  );
  it('holm and fdr_bh', () => {
    mt.forEach((c, i) => {
      for (const [j, v] of holmAdjust(c.p).entries())
        expectClose(v, c.holm[j]!, `case ${i} holm[${j}]`, 1e-12, 0);
      for (const [j, v] of benjaminiHochbergAdjust(c.p).entries())
        expectClose(v, c.bh[j]!, `case ${i} bh[${j}]`, 1e-12, 0);
    });
  });
});

// Score one column pair with one method. Exact views go through the very formulas Evidently uses
// (@mlops/stats drift); sketch views through the same definitions evaluated on estimated CDFs and
// frequent-item counts, whose error is bounded by the sketches' (see README).

import {
  categoricalBinnedShares,
  chiSquareTest,
  type DriftMethod,
  decileShares,
  fillZeroShares,
  hellingerDistance,
  jensenShannonDistance,
  klDivergence,
  ksStatisticSorted,
  ksTwoSamplePValue,
  linspace,
  numericBinnedShares,
  populationStabilityIndex,
  sturgesEdges,
  twoProportionZTest,
  wassersteinDistanceSorted,
} from '@mlops/stats';
import { type CategoricalView, type NumericView, OTHER_CATEGORY } from './distribution-view.ts';

export interface MethodScore {
  score: number;
  pValue?: number;
  statistic?: number;
  effectSize: number;
}

interface Shares {
  reference: number[];
  current: number[];
}

function totalVariation(p: readonly number[], q: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs(p[i]! - q[i]!);
  return sum / 2;
}

function countsToShares(
  ref: ReadonlyMap<string, number>,
  cur: ReadonlyMap<string, number>,
  fillZeros: boolean,
): Shares {
  const binned = categoricalBinnedShares(ref, cur, fillZeros);
  return { reference: binned.reference, current: binned.current };
}

function categoryTests(
  method: 'chisquare' | 'z',
  ref: ReadonlyMap<string, number>,
  cur: ReadonlyMap<string, number>,
): MethodScore {
  const shares = countsToShares(ref, cur, false);
  const effectSize = totalVariation(shares.reference, shares.current);
  const keys = [...ref.keys()];
  for (const key of cur.keys()) if (!ref.has(key)) keys.push(key);
  if (method === 'chisquare') {
    const result = chiSquareTest(
      keys.map((k) => ref.get(k) ?? 0),
      keys.map((k) => cur.get(k) ?? 0),
    );
    return { score: result.pValue, pValue: result.pValue, statistic: result.statistic, effectSize };
  }
  // Evidently's z-test compares the share of one category against the rest; with two categories the
  // choice does not matter, with more we take the reference's most frequent one (documented).
  let top = keys[0]!;
  for (const k of keys) if ((ref.get(k) ?? 0) > (ref.get(top) ?? 0)) top = k;
  const nRef = sumValues(ref);
  const nCur = sumValues(cur);
  const result = twoProportionZTest(ref.get(top) ?? 0, nRef, cur.get(top) ?? 0, nCur);
  return { score: result.pValue, pValue: result.pValue, statistic: result.statistic, effectSize };
}

function sumValues(m: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const v of m.values()) total += v;
  return total;
}

function distanceScore(method: 'jensenshannon' | 'psi' | 'kl' | 'hellinger', shares: Shares): MethodScore {
  const score =
    method === 'jensenshannon'
      ? jensenShannonDistance(shares.reference, shares.current)
      : method === 'kl'
        ? klDivergence(shares.reference, shares.current)
        : method === 'psi'
          ? populationStabilityIndex(shares.reference, shares.current)
          : hellingerDistance(shares.reference, shares.current);
  return { score, effectSize: score };
}

/** Scores a categorical column pair. */
export function scoreCategorical(
  method: DriftMethod,
  ref: CategoricalView,
  cur: CategoricalView,
): MethodScore {
  switch (method) {
    case 'chisquare':
    case 'z':
      return categoryTests(method, ref.counts, cur.counts);
    case 'jensenshannon':
    case 'hellinger':
      return distanceScore(method, countsToShares(ref.counts, cur.counts, false));
    case 'psi':
    case 'kl':
      return distanceScore(method, countsToShares(ref.counts, cur.counts, true));
    default:
      throw new RangeError(`method ${method} does not apply to categorical columns`);
  }
}

/** Union of two ascending arrays without duplicates. */
function unionSupport(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    if (k === 0 || out[k - 1] !== x) out[k++] = x;
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
  }
  return out.subarray(0, k);
}

/** Shares per bin [e_i, e_i+1) (last closed) from CDF estimates. */
export function sharesFromCdf(view: NumericView, edges: readonly number[]): number[] {
  const out: number[] = [];
  const smooth = view.smoothCdf;
  for (let i = 0; i + 1 < edges.length; i++) {
    if (smooth) {
      out.push(Math.max(0, smooth(edges[i + 1]!) - smooth(edges[i]!)));
      continue;
    }
    const upper = i + 2 === edges.length ? view.cdf(edges[i + 1]!) : view.cdfBelow(edges[i + 1]!);
    out.push(Math.max(0, upper - view.cdfBelow(edges[i]!)));
  }
  return out;
}

/** Evidently's bins for psi / kl / js on a numeric column, from exact values or sketches. */
function numericShares(
  ref: NumericView,
  cur: NumericView,
  fillZeros: boolean,
  alwaysSturges: boolean,
): Shares {
  if (ref.sorted && cur.sorted && !alwaysSturges) {
    const binned = numericBinnedShares(ref.sorted, cur.sorted, fillZeros);
    return { reference: binned.reference, current: binned.current };
  }
  const refCounts = ref.counts();
  const curCounts = cur.counts();
  if (!alwaysSturges && ref.distinct <= 20 && refCounts && curCounts) {
    return countsToShares(refCounts, curCounts, fillZeros);
  }
  const edges = sturgesEdges(Math.min(ref.min, cur.min), Math.max(ref.max, cur.max), ref.n + cur.n);
  const reference = sharesFromCdf(ref, edges);
  const current = sharesFromCdf(cur, edges);
  return fillZeros
    ? { reference: fillZeroShares(reference), current: fillZeroShares(current) }
    : { reference, current };
}

function decileSharesFromView(ref: NumericView, cur: NumericView): Shares {
  if (ref.sorted && cur.sorted) {
    const binned = decileShares(ref.sorted, cur.sorted);
    return { reference: binned.reference, current: binned.current };
  }
  // Deciles from the reference CDF estimate: the smallest support point whose CDF reaches q.
  const support = ref.support();
  const inner: number[] = [];
  let s = 0;
  for (let q = 1; q <= 9; q++) {
    while (s < support.length - 1 && ref.cdf(support[s]!) < q / 10) s++;
    const edge = support[s]!;
    if (inner.length === 0 || edge > inner[inner.length - 1]!) inner.push(edge);
  }
  const edges = [Number.NEGATIVE_INFINITY, ...inner, Number.POSITIVE_INFINITY];
  const floor = (shares: number[]) => shares.map((v) => Math.max(v, 1e-4));
  return { reference: floor(sharesFromCdf(ref, edges)), current: floor(sharesFromCdf(cur, edges)) };
}

/** Counts by value when known, else by Sturges bins (for chi-square / z forced on a numeric column). */
function numericCounts(ref: NumericView, cur: NumericView): [Map<string, number>, Map<string, number>] {
  const refCounts = ref.counts();
  const curCounts = cur.counts();
  if (refCounts && curCounts) return [refCounts, curCounts];
  const edges = sturgesEdges(Math.min(ref.min, cur.min), Math.max(ref.max, cur.max), ref.n + cur.n);
  const toCounts = (view: NumericView) =>
    new Map(
      sharesFromCdf(view, edges).map(
        (share, i) => [`bin${i}`, Math.round(share * view.n)] as [string, number],
      ),
    );
  return [toCounts(ref), toCounts(cur)];
}

/** Scores a numeric column pair. */
export function scoreNumeric(
  method: DriftMethod,
  ref: NumericView,
  cur: NumericView,
  psiBins: 'deciles' | 'evidently',
): MethodScore {
  switch (method) {
    case 'ks': {
      let d: number;
      if (ref.sorted && cur.sorted) d = ksStatisticSorted(ref.sorted, cur.sorted);
      else {
        d = 0;
        for (const x of unionSupport(ref.support(), cur.support()))
          d = Math.max(d, Math.abs(ref.cdf(x) - cur.cdf(x)));
      }
      const result = ksTwoSamplePValue(d, ref.n, cur.n);
      return {
        score: result.pValue,
        pValue: result.pValue,
        statistic: result.statistic,
        effectSize: result.statistic,
      };
    }
    case 'wasserstein': {
      let w: number;
      if (ref.sorted && cur.sorted) w = wassersteinDistanceSorted(ref.sorted, cur.sorted);
      else {
        w = 0;
        const points = unionSupport(ref.support(), cur.support());
        for (let i = 0; i + 1 < points.length; i++) {
          w += Math.abs(ref.cdf(points[i]!) - cur.cdf(points[i]!)) * (points[i + 1]! - points[i]!);
        }
      }
      const score = w / Math.max(ref.std, 0.001);
      return { score, effectSize: score };
    }
    case 'chisquare':
    case 'z': {
      const [refCounts, curCounts] = numericCounts(ref, cur);
      return categoryTests(method, refCounts, curCounts);
    }
    case 'jensenshannon':
      return distanceScore(method, numericShares(ref, cur, false, false));
    case 'kl':
      return distanceScore(method, numericShares(ref, cur, true, false));
    case 'hellinger':
      // Evidently's Hellinger always bins numeric columns with Sturges (no 20-distinct-values rule).
      return distanceScore(method, numericShares(ref, cur, false, true));
    case 'psi':
      return distanceScore(
        method,
        psiBins === 'deciles' ? decileSharesFromView(ref, cur) : numericShares(ref, cur, true, false),
      );
  }
}

const CHART_MAX_BINS = 20;
const CHART_MAX_CATEGORIES = 12;

const round6 = (x: number) => Number(x.toPrecision(6));

/** ~10-20 bins of reference vs current shares, for the Mermaid charts in reports. */
export function numericChart(ref: NumericView, cur: NumericView) {
  // Few distinct values: one bar per value (only then are the counts worth building).
  const fewValues = ref.distinct <= CHART_MAX_BINS && cur.distinct <= CHART_MAX_BINS;
  const refCounts = fewValues ? ref.counts() : undefined;
  const curCounts = fewValues ? cur.counts() : undefined;
  if (refCounts && curCounts && new Set([...refCounts.keys(), ...curCounts.keys()]).size <= CHART_MAX_BINS) {
    const categories = [...new Set([...refCounts.keys(), ...curCounts.keys()])].sort(
      (a, b) => Number(a) - Number(b),
    );
    return {
      categories,
      reference: categories.map((k) => round6((refCounts.get(k) ?? 0) / ref.n)),
      current: categories.map((k) => round6((curCounts.get(k) ?? 0) / cur.n)),
    };
  }
  const min = Math.min(ref.min, cur.min);
  const max = Math.max(ref.max, cur.max);
  const bins = Math.min(CHART_MAX_BINS, Math.max(5, Math.ceil(Math.log2(ref.n + cur.n) + 1)));
  const edges = min === max ? [min - 0.5, max + 0.5] : linspace(min, max, bins + 1);
  return {
    edges: edges.map(round6),
    reference: sharesFromCdf(ref, edges).map(round6),
    current: sharesFromCdf(cur, edges).map(round6),
  };
}

export function categoricalChart(ref: CategoricalView, cur: CategoricalView) {
  const keys = new Set([...ref.counts.keys(), ...cur.counts.keys()]);
  // A sketch view's own "(other)" remainder always goes to the chart's "(other)" bar.
  keys.delete(OTHER_CATEGORY);
  const weight = (k: string) => (ref.counts.get(k) ?? 0) / ref.n + (cur.counts.get(k) ?? 0) / cur.n;
  const ordered = [...keys].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : 1));
  const shown = ordered.slice(0, CHART_MAX_CATEGORIES);
  const rest = ordered.slice(CHART_MAX_CATEGORIES);
  const hasOther = rest.length > 0 || ref.counts.has(OTHER_CATEGORY) || cur.counts.has(OTHER_CATEGORY);
  const share = (view: CategoricalView, ks: string[]) =>
    ks.reduce((s, k) => s + (view.counts.get(k) ?? 0), 0) / view.n;
  const categories = hasOther ? [...shown, OTHER_CATEGORY] : shown;
  const series = (view: CategoricalView) => {
    const values = shown.map((k) => round6((view.counts.get(k) ?? 0) / view.n));
    if (hasOther) values.push(round6(share(view, [...rest, OTHER_CATEGORY])));
    return values;
  };
  return { categories, reference: series(ref), current: series(cur) };
}

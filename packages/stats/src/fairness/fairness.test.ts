import { describe, expect, it } from 'vitest';
import { StatsError } from '../errors.ts';
import { expectClose, loadFixture, num } from '../metrics/fixture-testing.ts';
import {
  demographicParityDifference,
  demographicParityRatio,
  equalizedOddsDifference,
  equalizedOddsRatio,
  equalOpportunityDifference,
  FAIRNESS_MEASURES,
  fairnessMeasure,
} from './fairness-measures.ts';
import { byGroup, FAIRNESS_RATES, groupDifference, groupRatio, selectionRate } from './group-metrics.ts';

interface Case {
  name: string;
  y_true: number[];
  y_score: number[];
  sensitive: string[];
  sample_weight: number[] | null;
  by_group: Record<string, Record<string, number>>;
  overall: Record<string, number>;
  expected: Record<'between_groups' | 'to_overall', Record<string, number | null>>;
}

// Fairlearn is not in Debian: generate.py computes these with numpy from Fairlearn's definitions.
describe('fairness measures against Fairlearn definitions (fairness.json)', () => {
  const { cases } = loadFixture<{ cases: Case[] }>('fairness.json');
  for (const c of cases) {
    it(c.name, () => {
      const input = {
        yTrue: c.y_true,
        yPred: c.y_score,
        sensitive: c.sensitive,
        sampleWeight: c.sample_weight ?? undefined,
      };
      const frame = byGroup(input, FAIRNESS_RATES);
      for (const g of frame.groups) {
        for (const [rate, value] of Object.entries(c.by_group[g.group]!))
          expectClose(g.values[rate]!, value, `${g.group} ${rate}`);
      }
      for (const [rate, value] of Object.entries(c.overall))
        expectClose(frame.overall[rate]!, value, `overall ${rate}`);
      for (const method of ['between_groups', 'to_overall'] as const) {
        for (const [measure, value] of Object.entries(c.expected[method])) {
          expectClose(fairnessMeasure(measure, input, method).value, num(value), `${measure} ${method}`);
        }
      }
    });
  }
});

describe('minimum group support and undefined rates', () => {
  const input = {
    yTrue: [1, 0, 1, 0, 1, 0, 1],
    yPred: [1, 0, 1, 1, 0, 0, 1],
    sensitive: ['a', 'a', 'a', 'a', 'b', 'b', 'c'],
  };
  it('reports groups under minSupport as insufficient and leaves them out', () => {
    const all = fairnessMeasure('demographic_parity_difference', input);
    expect(all.value).toBeCloseTo(1, 12); // c selects 1.0, b selects 0.0
    const supported = fairnessMeasure('demographic_parity_difference', { ...input, minSupport: 3 });
    expect(supported.frame.groups.map((g) => [g.group, g.n, g.insufficient])).toEqual([
      ['a', 4, false],
      ['b', 2, true],
      ['c', 1, true],
    ]);
    expect(supported.excludedGroups).toEqual(['b', 'c']);
    expect(supported.value).toBe(0); // one sufficient group: no disparity measurable (Fairlearn gives 0 too)
  });
  it('treats a TPR without positives as undefined, not 0 (Fairlearn would report 0 and a fake disparity)', () => {
    const r = fairnessMeasure('equal_opportunity_difference', {
      yTrue: [1, 0, 1, 0, 0],
      yPred: [1, 0, 1, 1, 0],
      sensitive: ['a', 'a', 'a', 'b', 'b'],
    });
    expect(r.frame.groups[1]!.values.true_positive_rate).toBeNaN();
    expect(r.excludedGroups).toEqual(['b']);
    expect(r.value).toBe(0);
  });
  it('throws when no group is usable', () => {
    expect(() => fairnessMeasure('demographic_parity_ratio', { ...input, minSupport: 10 })).toThrow(
      /no group has a defined selection_rate with at least 10 rows/,
    );
  });
  it('names an unknown measure with a suggestion', () => {
    expect(() => fairnessMeasure('demographic_parity_diference', input)).toThrow(
      /did you mean 'demographic_parity_difference'/,
    );
    expect(FAIRNESS_MEASURES).toContain('equalized_odds_ratio');
  });
  it('answers invalid input with a StatsError', () => {
    expect(() => byGroup({ ...input, sensitive: ['a'] }, FAIRNESS_RATES)).toThrow(/length mismatch/);
    expect(() => byGroup({ ...input, yTrue: [2, 0, 1, 0, 1, 0, 1] }, FAIRNESS_RATES)).toThrow(StatsError);
    expect(() => byGroup({ ...input, yPred: [Number.NaN, 0, 1, 1, 0, 0, 1] }, FAIRNESS_RATES)).toThrow(
      /yPred\[0\] is NaN/,
    );
  });
  it('ratio of 0/0 is NaN; difference and ratio of a frame as Fairlearn', () => {
    const frame = byGroup(
      { yTrue: [1, 0, 1, 0], yPred: [0, 0, 0, 0], sensitive: ['a', 'a', 'b', 'b'] },
      { selection_rate: selectionRate },
    );
    expect(groupRatio(frame, 'selection_rate')).toBeNaN();
    expect(groupDifference(frame, 'selection_rate')).toBe(0);
  });
  it('doc-comment examples', () => {
    const ex = { yTrue: [1, 0, 1, 0], yPred: [1, 1, 1, 0], sensitive: ['a', 'a', 'b', 'b'] };
    expect(demographicParityDifference(ex)).toBe(0.5);
    expect(demographicParityRatio(ex)).toBe(0.5);
    expect(equalizedOddsDifference(ex)).toBe(1);
    expect(equalizedOddsRatio(ex)).toBe(0);
    expect(equalOpportunityDifference({ ...ex, yPred: [1, 1, 0, 0] })).toBe(1);
  });
});

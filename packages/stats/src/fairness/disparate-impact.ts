// AIF360's disparate impact: a directional ratio against a named privileged group, beside Fairlearn's
// symmetric demographic_parity_ratio (min / max over groups).
import { StatsError } from '../errors.ts';
import type { FairnessResult } from './fairness-measures.ts';
import { byGroup, type FairnessInput, selectionRate } from './group-metrics.ts';

/**
 * Disparate impact (AIF360 `ClassificationMetric.disparate_impact`) = P(ŷ = 1 | unprivileged) /
 * P(ŷ = 1 | privileged). The unprivileged rows are every other group's, pooled (AIF360 with
 * `unprivileged_groups` = all the others); groups under `minSupport` are left out of the pool. It can exceed 1
 * (the unprivileged rows are selected more); the four-fifths rule is DI >= 0.8. NaN when the privileged group
 * selects nobody, is under `minSupport`, or no other group has the support.
 * @throws StatsError when `privileged` is not one of the groups.
 * @example disparateImpact({ yTrue: [1, 0, 1, 0], yPred: [1, 1, 1, 0], sensitive: ['a', 'a', 'b', 'b'] }, 'a').value; // => 0.5
 */
export function disparateImpact(input: FairnessInput, privileged: string): FairnessResult {
  const frame = byGroup(input, { selection_rate: selectionRate });
  const own = frame.groups.find((group) => group.group === privileged);
  if (!own) {
    throw new StatsError(
      `the privileged group '${privileged}' is not among the groups (${frame.groups.map((group) => group.group).join(', ')})`,
    );
  }
  const excludedGroups = frame.groups.filter((group) => group.insufficient).map((group) => group.group);
  let selected = 0;
  let weight = 0;
  for (const group of frame.groups) {
    if (group === own || group.insufficient) continue;
    selected += group.values.selection_rate! * group.weight;
    weight += group.weight;
  }
  const privilegedRate = own.insufficient ? Number.NaN : own.values.selection_rate!;
  const value = weight === 0 || !(privilegedRate > 0) ? Number.NaN : selected / weight / privilegedRate;
  return {
    measure: 'disparate_impact',
    value,
    method: 'between_groups',
    frame,
    excludedGroups,
    isRatio: true,
  };
}

import { UserError } from '@mlops/kit';
import { copyKeyedByData, keyedByData } from '@mlops/kit/keyed-by-data';
import { PROFILE_SCHEMA } from '@mlops/schemas';
import { FrequentItems, HyperLogLog, KllSketch, Moments } from '@mlops/stats';
import { emptyColumnProfile } from './column-builder.ts';
import { widenType } from './dataset-builder.ts';
import {
  type ColumnProfile,
  type DatasetProfile,
  DEFAULT_CATEGORY_LIMIT,
  DEFAULT_EXACT_LIMIT,
  type ProfileOptions,
} from './types.ts';
import { ValueCounts } from './value-counts.ts';

/**
 * Merges the profiles of disjoint shards of one dataset (e.g. a GitHub Actions matrix, one job per
 * shard) into the profile of the whole: counters add, moments merge exactly (Chan/Pébay), KLL,
 * HyperLogLog and frequent-items sketches merge, exact values concatenate while the total stays within
 * the limits (otherwise the merged column is `exact: false`). A column missing from a shard counts as
 * null in that shard's rows. Inputs are not modified.
 *
 * @example mergeProfiles([shardA, shardB]).rows; // => shardA.rows + shardB.rows
 */
export function mergeProfiles(
  profiles: readonly DatasetProfile[],
  options: ProfileOptions = {},
): DatasetProfile {
  if (profiles.length === 0) throw new UserError('no profiles to merge');
  const exactLimit = options.exactLimit ?? DEFAULT_EXACT_LIMIT;
  const categoryLimit = options.categoryLimit ?? DEFAULT_CATEGORY_LIMIT;
  const columns = keyedByData<ColumnProfile>();
  let rows = 0;
  for (const profile of profiles) {
    for (const [name, column] of Object.entries(profile.columns)) {
      let target = columns[name];
      if (target === undefined) {
        target = emptyColumnProfile(column.type);
        target.count = rows;
        target.null_count = rows;
        columns[name] = target;
      } else {
        target.type = widenType(name, target.type, column.type);
      }
      mergeColumn(target, column, exactLimit, categoryLimit);
    }
    for (const [name, target] of Object.entries(columns)) {
      if (!Object.hasOwn(profile.columns, name)) {
        target.count += profile.rows;
        target.null_count += profile.rows;
      }
    }
    rows += profile.rows;
  }
  return { schema: PROFILE_SCHEMA, rows, columns };
}

function mergeColumn(
  target: ColumnProfile,
  source: ColumnProfile,
  exactLimit: number,
  categoryLimit: number,
): void {
  target.count += source.count;
  target.null_count += source.null_count;
  target.infinite_count += source.infinite_count;
  target.invalid_count += source.invalid_count;
  target.distinct.merge(HyperLogLog.fromJSON(source.distinct.toJSON()));
  if (target.frequent && source.frequent)
    target.frequent.merge(FrequentItems.fromJSON(source.frequent.toJSON()));
  if (target.value_counts) {
    if (
      !source.value_counts ||
      !target.value_counts.merge(ValueCounts.fromJSON(source.value_counts.toJSON()))
    ) {
      target.value_counts = undefined;
    }
  }
  if (target.moments && source.moments) target.moments.merge(Moments.fromJSON(source.moments.toJSON()));
  if (target.quantiles && source.quantiles)
    target.quantiles.merge(KllSketch.fromJSON(source.quantiles.toJSON()));

  if (target.values) {
    if (source.exact && source.values && target.values.count + source.values.count <= exactLimit) {
      target.values.append(source.values);
    } else {
      target.values = undefined;
      target.exact = false;
    }
  }
  if (target.categories) {
    const merged =
      source.exact && source.categories
        ? mergeCounts(target.categories, source.categories, categoryLimit)
        : undefined;
    if (merged) target.categories = merged;
    else {
      target.categories = undefined;
      target.exact = false;
    }
  }
  if (!source.exact) target.exact = false;
  if (target.values) target.values.sortedView();
}

function mergeCounts(
  a: Record<string, number>,
  b: Record<string, number>,
  limit: number,
): Record<string, number> | undefined {
  const out = copyKeyedByData(a);
  let size = Object.keys(out).length;
  for (const [key, count] of Object.entries(b)) {
    if (Object.hasOwn(out, key)) out[key] = out[key]! + count;
    else {
      if (++size > limit) return undefined;
      out[key] = count;
    }
  }
  return out;
}
